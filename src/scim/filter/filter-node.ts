/** Comparison operators of RFC 7644 §3.4.2.2, lowercased. */
export type CompareOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";

/** compValue of RFC 7644 §3.4.2.2; an unquoted word (a leniency) arrives as a string. */
export type CompValue = string | number | boolean | null;

/** `attrPath op compValue`; attrPath is as written, URN prefix included. */
export interface CompareNode {
  kind: "compare";
  attrPath: string;
  op: CompareOp;
  value: CompValue;
}

/** `attrPath pr` */
export interface PresentNode {
  kind: "present";
  attrPath: string;
}

export interface AndNode {
  kind: "and";
  filters: FilterNode[];
}

export interface OrNode {
  kind: "or";
  filters: FilterNode[];
}

export interface NotNode {
  kind: "not";
  filter: FilterNode;
}

/**
 * `attrPath[filter]`: one element of a multi-valued attribute satisfies `filter`, whose
 * attribute paths are relative to the element. `emails[type eq "work"].value eq "a@b"` is
 * parsed as `emails[type eq "work" and value eq "a@b"]`, which means the same.
 */
export interface ValuePathNode {
  kind: "valuePath";
  attrPath: string;
  filter: FilterNode;
}

/** A parsed RFC 7644 §3.4.2.2 filter. */
export type FilterNode = CompareNode | PresentNode | AndNode | OrNode | NotNode | ValuePathNode;
