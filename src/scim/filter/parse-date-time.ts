import { FilterError } from "./filter-error";

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/i;

/** Parses an xsd:dateTime filter value (RFC 7643 §2.3.5); a value without offset is taken as UTC. */
export function parseDateTime(value: unknown): Date {
  const match = typeof value === "string" ? DATE_TIME.exec(value) : null;
  if (!match) throw new FilterError(`${JSON.stringify(value)} is not a dateTime`);
  const [, year, month, day, hour, minute, second, offset] = match;
  // Date would roll 2024-02-30 over to March 1 instead of rejecting it
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  const valid = Number(month) >= 1 && Number(month) <= 12 && Number(day) >= 1 && Number(day) <= daysInMonth
    && Number(hour ?? 0) <= 23 && Number(minute ?? 0) <= 59 && Number(second ?? 0) <= 59;
  const iso = match[0].toUpperCase();
  const date = new Date(hour === undefined ? `${iso}T00:00:00Z` : offset ? iso : `${iso}Z`);
  if (!valid || Number.isNaN(date.getTime())) throw new FilterError(`${JSON.stringify(value)} is not a valid dateTime`);
  return date;
}
