import type { AttributeSpec, MultiValuedSpec, ResourceAttributes } from "./attribute-map";
import { fieldCondition, presentCondition, type ConditionOp, type MongoQuery } from "./field-condition";
import { FilterError } from "./filter-error";
import type { CompValue, FilterNode, ValuePathNode } from "./filter-node";
import { resolveAttribute, resolveSubAttribute } from "./resolve-attribute";

export type { MongoQuery } from "./field-condition";

/** Look-ups into other collections that some attributes need. */
export interface FilterResolvers {
  /** ids of the groups (of the caller's tenant) that have this user as a member */
  groupIdsWithMember(userId: string): Promise<string[]>;
}

interface Context {
  attributes: ResourceAttributes;
  resolvers: Partial<FilterResolvers>;
  /** inside a `not`, where index hints would only add work */
  negated: boolean;
  /** the server supports `$elemMatch` with document conditions (MongoDB does; FerretDB 1.24 does not) */
  elemMatch: boolean;
}

export interface FilterOptions {
  /**
   * false on servers without document `$elemMatch` (FerretDB): a multi-condition value path
   * then becomes one dotted condition per sub-attribute, which may match conditions met by
   * different elements. Exact on MongoDB, approximate (never an error) on the stand-in.
   */
  elemMatchDocuments?: boolean;
}

/**
 * Translates a filter (RFC 7644 §3.4.2.2) to a MongoDB query, without the tenant condition
 * the caller ANDs in front. Throws FilterError for what the client got wrong.
 */
export async function filterToMongo(node: FilterNode, attributes: ResourceAttributes, resolvers: Partial<FilterResolvers> = {}, options: FilterOptions = {}): Promise<MongoQuery> {
  return translate(node, { attributes, resolvers, negated: false, elemMatch: options.elemMatchDocuments ?? true });
}

async function translate(node: FilterNode, ctx: Context): Promise<MongoQuery> {
  switch (node.kind) {
    case "and":
      return { $and: await Promise.all(node.filters.map((filter) => translate(filter, ctx))) };
    case "or":
      return { $or: await Promise.all(node.filters.map((filter) => translate(filter, ctx))) };
    case "not":
      return { $nor: [await translate(node.filter, { ...ctx, negated: true })] };
    case "present":
      return attributeCondition(node.attrPath, "pr", null, ctx);
    case "compare":
      return attributeCondition(node.attrPath, node.op, node.value, ctx);
    case "valuePath":
      return valuePathCondition(node, ctx);
  }
}

async function attributeCondition(path: string, op: ConditionOp, value: CompValue, ctx: Context): Promise<MongoQuery> {
  const target = resolveAttribute(path, ctx.attributes);
  switch (target.kind) {
    case "singular":
      return fieldCondition(target.spec.field, target.spec, op, value, true);
    case "multiValued":
      if (op === "pr" && !target.multi.join) return presentCondition(target.multi.field);
      // a bare multi-valued attribute in a comparison means its value sub-attribute (RFC 7644 §3.4.2.2)
      return subAttributeCondition(target.name, target.multi, resolveSubAttribute("value", target.name, target.multi), op, value, ctx);
    case "subAttribute":
      return subAttributeCondition(target.name, target.multi, target.spec, op, value, ctx);
  }
}

/** Matches when any element of the multi-valued attribute satisfies the comparison (RFC 7644 §3.4.2.2). */
async function subAttributeCondition(name: string, multi: MultiValuedSpec, spec: AttributeSpec, op: ConditionOp, value: CompValue, ctx: Context): Promise<MongoQuery> {
  if (multi.join) return joinCondition(name, multi, spec, op, value, ctx);
  // On a dotted path MongoDB applies ne to every element and $nin (in pr) too, so these two
  // need $elemMatch to keep "any element"; the others already mean "any element" dotted.
  if ((op === "ne" || op === "pr") && ctx.elemMatch) return { [multi.field]: { $elemMatch: fieldCondition(spec.field, spec, op, value, false) } };
  return fieldCondition(`${multi.field}.${spec.field}`, spec, op, value, true);
}

async function valuePathCondition(node: ValuePathNode, ctx: Context): Promise<MongoQuery> {
  const target = resolveAttribute(node.attrPath, ctx.attributes);
  if (target.kind !== "multiValued") throw new FilterError(`"${node.attrPath}" is not a multi-valued attribute, so it takes no [filter]`);
  const { name, multi } = target;
  const filter = node.filter;
  if (filter.kind === "compare" || filter.kind === "present") {
    // One condition on one element is the dotted-path condition, which FerretDB runs too.
    const spec = resolveSubAttribute(filter.attrPath, name, multi);
    return filter.kind === "present"
      ? subAttributeCondition(name, multi, spec, "pr", null, ctx)
      : subAttributeCondition(name, multi, spec, filter.op, filter.value, ctx);
  }
  if (multi.join) throw joinError(name);
  if (!ctx.elemMatch) return dottedCondition(filter, name, multi, ctx);
  const elemMatch = { [multi.field]: { $elemMatch: elementQuery(filter, name, multi) } };
  const hints = ctx.negated ? [] : shadowHints(filter, name, multi);
  return hints.length ? { $and: [...hints, elemMatch] } : elemMatch;
}

/** The per-sub-attribute approximation of a value path, for servers without document $elemMatch. */
async function dottedCondition(node: FilterNode, name: string, multi: MultiValuedSpec, ctx: Context): Promise<MongoQuery> {
  switch (node.kind) {
    case "and":
      return { $and: await Promise.all(node.filters.map((filter) => dottedCondition(filter, name, multi, ctx))) };
    case "or":
      return { $or: await Promise.all(node.filters.map((filter) => dottedCondition(filter, name, multi, ctx))) };
    case "not":
      return { $nor: [await dottedCondition(node.filter, name, multi, { ...ctx, negated: true })] };
    case "present":
      return subAttributeCondition(name, multi, resolveSubAttribute(node.attrPath, name, multi), "pr", null, ctx);
    case "compare":
      return subAttributeCondition(name, multi, resolveSubAttribute(node.attrPath, name, multi), node.op, node.value, ctx);
    case "valuePath":
      throw new FilterError("a value path cannot contain another value path");
  }
}

/** The filter on one element, with field names relative to the element. */
function elementQuery(node: FilterNode, name: string, multi: MultiValuedSpec): MongoQuery {
  switch (node.kind) {
    case "and":
      return { $and: node.filters.map((filter) => elementQuery(filter, name, multi)) };
    case "or":
      return { $or: node.filters.map((filter) => elementQuery(filter, name, multi)) };
    case "not":
      return { $nor: [elementQuery(node.filter, name, multi)] };
    case "present": {
      const spec = resolveSubAttribute(node.attrPath, name, multi);
      return fieldCondition(spec.field, spec, "pr", null, false);
    }
    case "compare": {
      const spec = resolveSubAttribute(node.attrPath, name, multi);
      return fieldCondition(spec.field, spec, node.op, node.value, false);
    }
    case "valuePath":
      throw new FilterError("a value path cannot contain another value path");
  }
}

/**
 * Shadow-key equalities that every match must satisfy (`value eq` among the top-level
 * conjuncts), so the multikey index narrows the scan ahead of $elemMatch.
 */
function shadowHints(node: FilterNode, name: string, multi: MultiValuedSpec): MongoQuery[] {
  if (node.kind === "and") return node.filters.flatMap((filter) => shadowHints(filter, name, multi));
  if (node.kind !== "compare" || node.op !== "eq" || node.value === null) return [];
  const spec = resolveSubAttribute(node.attrPath, name, multi);
  return spec.shadow && spec.type === "string" && !spec.caseExact ? [fieldCondition(spec.field, spec, "eq", node.value, true)] : [];
}

async function joinCondition(name: string, multi: MultiValuedSpec, spec: AttributeSpec, op: ConditionOp, value: CompValue, ctx: Context): Promise<MongoQuery> {
  if (spec !== multi.subAttributes.value || op !== "eq" || (typeof value !== "string" && typeof value !== "number")) throw joinError(name);
  const lookup = multi.join && ctx.resolvers[multi.join];
  if (!lookup) throw new TypeError(`filterToMongo needs resolvers.${multi.join} to filter on ${name}`);
  return { _id: { $in: await lookup(String(value)) } };
}

function joinError(name: string): FilterError {
  return new FilterError(`${name} can only be filtered with eq on value`);
}
