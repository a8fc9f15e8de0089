import type { Request } from "express";

/** The host clients used: X-Forwarded-Host when the proxy in front is trusted (ROSTER_TRUST_PROXY). */
function publicHost(req: Request): string {
  const trusted = req.app.get("trust proxy fn") as (address: string | undefined, hop: number) => boolean;
  const forwarded = req.get("x-forwarded-host")?.split(",")[0].trim();
  return forwarded && trusted(req.socket.remoteAddress, 0) ? forwarded : req.get("host") ?? "localhost";
}

/** `https://host` as the client addressed this request. */
export function origin(req: Request): string {
  return `${req.protocol}://${publicHost(req)}`;
}
