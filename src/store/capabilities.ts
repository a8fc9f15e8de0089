import { UserModel } from "./models";

let elemMatchDocuments = true;

/**
 * Asks the server once, at start, what it supports. FerretDB 1.24 rejects
 * `$elemMatch` with document conditions; MongoDB accepts it.
 */
export async function probeCapabilities(): Promise<void> {
  try {
    await UserModel.collection.findOne({ _id: "\u0000probe", emails: { $elemMatch: { type: "work", value: "probe" } } } as never);
    await UserModel.collection.findOne({ _id: "\u0000probe", emails: { $elemMatch: { $and: [{ type: "work" }, { value: "probe" }] } } } as never);
    elemMatchDocuments = true;
  } catch {
    elemMatchDocuments = false;
  }
}

/** Whether value-path filters can be exact `$elemMatch` queries on this server. */
export function supportsElemMatchDocuments(): boolean {
  return elemMatchDocuments;
}
