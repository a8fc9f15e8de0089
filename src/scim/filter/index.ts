export type { AttributeSpec, AttributeType, MultiValuedSpec, ResourceAttributes, SchemaAttributes } from "./attribute-map";
export { GROUP_ATTRIBUTES, USER_ATTRIBUTES } from "./attribute-map";
export { FilterError } from "./filter-error";
export type { AndNode, CompValue, CompareNode, CompareOp, FilterNode, NotNode, OrNode, PresentNode, ValuePathNode } from "./filter-node";
export { filterToMongo, type FilterResolvers, type MongoQuery } from "./filter-to-mongo";
export { parseFilter } from "./parse-filter";
export { sortField, sortKey, type SortKey } from "./sort-field";
export { elementMatcher } from "./match-element";
