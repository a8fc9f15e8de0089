import express, { type Router } from "express";
import { createSubscription, listDeliveryViews, listSubscriptionViews, readSubscription, removeSubscription, replaceSubscription, retryDelivery } from "../../services/event-subscriptions";
import { handleAsync } from "../handle-async";
import { adminContext } from "./admin-context";

/** /tenants/{t}/event-subscriptions: where lifecycle events go, and what is still owed (README "Lifecycle events"). */
export function eventSubscriptionsRoutes(): Router {
  const router = express.Router({ mergeParams: true });
  router.post("/event-subscriptions", handleAsync(async function createEventSubscriptionRoute(req, res) {
    res.setHeader("Cache-Control", "no-store");
    res.status(201).json(await createSubscription(adminContext(req, res), req.body));
  }));
  router.get("/event-subscriptions", handleAsync(async function listEventSubscriptionsRoute(req, res) {
    res.json({ subscriptions: await listSubscriptionViews(req.params.tenant) });
  }));
  router.get("/event-subscriptions/:id", handleAsync(async function readEventSubscriptionRoute(req, res) {
    res.json(await readSubscription(req.params.tenant, req.params.id));
  }));
  router.put("/event-subscriptions/:id", handleAsync(async function replaceEventSubscriptionRoute(req, res) {
    res.json(await replaceSubscription(adminContext(req, res), req.params.id, req.body));
  }));
  router.delete("/event-subscriptions/:id", handleAsync(async function deleteEventSubscriptionRoute(req, res) {
    await removeSubscription(adminContext(req, res), req.params.id);
    res.status(204).end();
  }));
  router.get("/event-subscriptions/:id/deliveries", handleAsync(async function listEventDeliveriesRoute(req, res) {
    res.json({ deliveries: await listDeliveryViews(req.params.tenant, req.params.id, req.query.status) });
  }));
  router.post("/event-subscriptions/:id/deliveries/:jti/retry", handleAsync(async function retryEventDeliveryRoute(req, res) {
    res.json(await retryDelivery(req.params.tenant, req.params.id, req.params.jti));
  }));
  return router;
}
