import { expect } from "chai";
import { request as httpRequest } from "node:http";
import { type TestServer, type TestTenant } from "../support/test-server";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { CORE_GROUP, PATCH_OP } from "../support/urns";
import { userBody } from "../support/test-server";

interface Sent {
  status: number;
  location?: string;
  body: any;
}

/** A request with its own Host header (fetch does not let a caller set Host). */
function send(server: TestServer, tenant: TestTenant, host: string, method: string, path: string, body?: unknown): Promise<Sent> {
  const url = new URL(`${server.url}/scim/v2${path}`);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: { Host: host, Authorization: `Bearer ${tenant.token}`, ...(payload ? { "Content-Type": "application/scim+json" } : {}) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Every `location` value anywhere in a body. */
function locationsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(locationsIn);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === "location" && typeof inner === "string" ? [inner] : locationsIn(inner)));
}

describe("meta.location and Location per request (concurrent Host headers)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("gives every response the locations of its own Host while other hosts' requests run [POST, GET, PUT, PATCH, lists, Bulk, discovery]", async function () {
    this.timeout(120_000);
    const tenant = await freshTenant(server);
    const hosts = ["one.example", "two.example:8443", "three.example"];
    const work = (host: string, index: number) => async (): Promise<Sent[]> => {
      const created = await send(server, tenant, host, "POST", "/Users", userBody(`u-${index}-${host.replace(/[^a-z0-9]/g, "")}`));
      const id = created.body.id as string;
      const group = await send(server, tenant, host, "POST", "/Groups", { schemas: [CORE_GROUP], displayName: `g-${index}-${host}` });
      return [
        created,
        group,
        await send(server, tenant, host, "GET", `/Users/${id}`),
        await send(server, tenant, host, "PUT", `/Users/${id}`, userBody(created.body.userName, { displayName: "Put" })),
        await send(server, tenant, host, "PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: "t" }] }),
        await send(server, tenant, host, "GET", `/Groups/${group.body.id}`),
        await send(server, tenant, host, "GET", "/Users?count=5"),
        await send(server, tenant, host, "GET", "/Groups?count=5&cursor="),
        await send(server, tenant, host, "POST", "/Bulk", {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
          Operations: [{ method: "POST", path: "/Users", bulkId: "b1", data: userBody(`bulk-${index}-${host.replace(/[^a-z0-9]/g, "")}`) }],
        }),
        await send(server, tenant, host, "GET", "/ServiceProviderConfig"),
        await send(server, tenant, host, "GET", "/ResourceTypes"),
        await send(server, tenant, host, "GET", "/Schemas"),
      ];
    };
    const runs = await Promise.all(hosts.flatMap((host) => [0, 1, 2].map((index) => work(host, index)().then((results) => ({ host, results })))));
    for (const { host, results } of runs) {
      for (const result of results) {
        expect(result.status, JSON.stringify(result.body)).to.be.oneOf([200, 201]);
        const locations = locationsIn(result.body);
        if (result.location) locations.push(result.location);
        for (const location of locations) expect(location, JSON.stringify(result.body).slice(0, 300)).to.match(new RegExp(`^http://${host.replace(/\./g, "\\.")}/scim/v2/`));
      }
      const [created, group] = results;
      expect(created.location).to.equal(`http://${host}/scim/v2/Users/${created.body.id}`);
      expect(created.body.meta.location).to.equal(`http://${host}/scim/v2/Users/${created.body.id}`);
      expect(group.location).to.equal(`http://${host}/scim/v2/Groups/${group.body.id}`);
      // discovery keeps its locations (RFC 7644 §4)
      const schemas = results[results.length - 1].body;
      expect(schemas.Resources.length).to.be.greaterThan(0);
      for (const schema of schemas.Resources) expect(schema.meta.location).to.equal(`http://${host}/scim/v2/Schemas/${schema.id}`);
    }
  });
});
