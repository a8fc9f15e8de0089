import { v7 } from "uuid";

/** A new resource id: UUIDv7 is time ordered, so the `_id` index gives a stable creation-order listing. */
export function newId(): string {
  return v7();
}
