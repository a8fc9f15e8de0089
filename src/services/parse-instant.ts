const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/i;

/**
 * An ISO 8601 instant for the audit filters (SPEC §6 `since`, `until`): a
 * date-time with `Z` or an offset, or a bare date. Both bounds are inclusive,
 * so a bare date starts at its first millisecond (`start`) or ends at its last
 * (`end`), in UTC. A time without an offset is refused: the server's time zone
 * is nobody's business. Null when the text is not such an instant.
 */
export function parseInstant(text: string, edge: "start" | "end"): Date | null {
  const match = INSTANT.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  const valid =
    Number(month) >= 1 && Number(month) <= 12 && Number(day) >= 1 && Number(day) <= daysInMonth && Number(hour ?? 0) <= 23 && Number(minute ?? 0) <= 59 && Number(second ?? 0) <= 59;
  if (!valid) return null;
  if (hour === undefined) {
    return new Date(`${year}-${month}-${day}T${edge === "start" ? "00:00:00.000" : "23:59:59.999"}Z`);
  }
  const digits = fraction ?? "";
  const millis = (digits + "000").slice(0, 3);
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second ?? "00"}.${millis}${offset.toUpperCase()}`);
  if (Number.isNaN(date.getTime())) return null;
  // entries carry milliseconds: a `since` between two of them starts at the next one
  if (edge === "start" && /[1-9]/.test(digits.slice(3))) return new Date(date.getTime() + 1);
  return date;
}
