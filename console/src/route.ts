import { useEffect, useState } from "preact/hooks";

export type Screen = "people" | "person" | "audit" | "access" | "policy" | "events";

export interface Route {
  tenant?: string;
  screen?: Screen;
  id?: string;
}

const SCREENS = new Set<string>(["people", "audit", "access", "policy", "events"]);

/** `#/t/{tenant}/{screen}[/{id}]`: ids only, never a token. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== "t" || !parts[1]) return {};
  const screen = parts[2] && SCREENS.has(parts[2]) ? parts[2] : "people";
  if (screen === "people" && parts[3]) return { tenant: parts[1], screen: "person", id: parts[3] };
  return { tenant: parts[1], screen: screen as Screen };
}

export function href(tenant?: string, screen?: Screen, id?: string): string {
  if (!tenant) return "#/";
  const base = `#/t/${encodeURIComponent(tenant)}`;
  if (screen === "person" && id) return `${base}/people/${encodeURIComponent(id)}`;
  return `${base}/${screen ?? "people"}`;
}

export function go(tenant?: string, screen?: Screen, id?: string): void {
  location.hash = href(tenant, screen, id);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
