import type { AttributeSpec } from "./attribute-map";
import { escapeRegex } from "./escape-regex";
import { FilterError } from "./filter-error";
import type { CompValue, CompareOp } from "./filter-node";
import { parseDateTime } from "./parse-date-time";

export type MongoQuery = Record<string, unknown>;
export type ConditionOp = CompareOp | "pr";

/**
 * The MongoDB condition for one comparison on one stored field (RFC 7644 §3.4.2.2), honouring
 * caseExact and, when `useShadow`, the attribute's lowercase shadow key. Filter values only ever
 * become literal values or escaped regexes, never operators.
 */
export function fieldCondition(field: string, spec: AttributeSpec, op: ConditionOp, value: CompValue, useShadow: boolean): MongoQuery {
  if (op === "pr") return presentCondition(field);
  if (value === null) return { [field]: nullCondition(op) };
  if (spec.type !== "string" && (op === "co" || op === "sw" || op === "ew")) throw new FilterError(`"${op}" is not defined on ${spec.type} attributes`);
  switch (spec.type) {
    case "boolean":
      return { [field]: booleanCondition(op, value) };
    case "dateTime":
      return { [field]: orderedCondition(op, parseDateTime(value)) };
    case "number":
      return { [field]: orderedCondition(op, toNumber(value)) };
    case "string":
      return stringCondition(field, spec, op, String(value), useShadow);
  }
}

/** `pr`: the field has a non-empty value (RFC 7644 §3.4.2.2). */
export function presentCondition(field: string): MongoQuery {
  return { [field]: { $exists: true, $nin: [null, "", []] } };
}

function stringCondition(field: string, spec: AttributeSpec, op: CompareOp, text: string, useShadow: boolean): MongoQuery {
  const shadow = useShadow && !spec.caseExact ? spec.shadow : undefined;
  const target = shadow ?? field;
  const operand = shadow ? text.toLowerCase() : text;
  // Without a shadow key, caseExact=false needs the i flag; range operators then stay case-sensitive.
  const insensitive = !spec.caseExact && !shadow;
  const flags = insensitive ? "i" : "";
  const escaped = escapeRegex(operand);
  switch (op) {
    case "eq":
      return { [target]: insensitive ? new RegExp(`^${escaped}$`, flags) : operand };
    case "ne":
      return { [target]: insensitive ? { $not: new RegExp(`^${escaped}$`, flags) } : { $ne: operand } };
    case "co":
      return { [target]: new RegExp(escaped, flags) };
    case "sw":
      return { [target]: new RegExp(`^${escaped}`, flags) };
    case "ew":
      return { [target]: new RegExp(`${escaped}$`, flags) };
    default:
      return { [target]: rangeCondition(op, operand) };
  }
}

function nullCondition(op: CompareOp): unknown {
  if (op === "eq") return null;
  if (op === "ne") return { $ne: null };
  throw new FilterError(`"${op}" cannot compare with null`);
}

function booleanCondition(op: CompareOp, value: string | number | boolean): boolean | { $ne: boolean } {
  if (op !== "eq" && op !== "ne") throw new FilterError(`"${op}" is not defined on boolean attributes`);
  const flag = toBoolean(value);
  return op === "eq" ? flag : { $ne: flag };
}

/** Entra and the SCIM reference collection send booleans as "True"/"False". */
function toBoolean(value: string | number | boolean): boolean {
  if (typeof value === "boolean") return value;
  const lower = String(value).toLowerCase();
  if (lower === "true" || lower === "false") return lower === "true";
  throw new FilterError(`${JSON.stringify(value)} is not a boolean`);
}

function toNumber(value: string | number | boolean): number {
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() ? Number(value) : NaN;
  if (!Number.isFinite(number)) throw new FilterError(`${JSON.stringify(value)} is not a number`);
  return number;
}

function orderedCondition(op: CompareOp, operand: Date | number): unknown {
  if (op === "eq") return operand;
  if (op === "ne") return { $ne: operand };
  return rangeCondition(op, operand);
}

const RANGE_OPERATORS: ReadonlyMap<string, string> = new Map([["gt", "$gt"], ["ge", "$gte"], ["lt", "$lt"], ["le", "$lte"]]);

function rangeCondition(op: CompareOp, operand: unknown): Record<string, unknown> {
  const operator = RANGE_OPERATORS.get(op);
  if (!operator) throw new FilterError(`unknown operator "${op}"`);
  return { [operator]: operand };
}
