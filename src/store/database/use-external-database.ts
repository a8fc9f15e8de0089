import { DatabaseUnavailable } from "./database-unavailable";
import { redactUri } from "./redact-uri";
import { StartedDatabase } from "./started-database";

/** SPEC §2/§8: a `MONGODB_URI` given by the operator is used as is, and never stopped by us. */
export async function useExternalDatabase(uri: string | undefined): Promise<StartedDatabase> {
  if (uri === undefined || uri.trim() === "") {
    throw new DatabaseUnavailable("MONGODB_URI is not set");
  }
  return {
    uri,
    kind: "external",
    persistent: true,
    detail: `MONGODB_URI ${redactUri(uri)}`,
    stop: async () => undefined,
  };
}
