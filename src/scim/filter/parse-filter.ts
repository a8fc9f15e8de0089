import { INPUT_LIMITS } from "../input-limits";
import { FilterError } from "./filter-error";
import type { CompValue, CompareOp, FilterNode } from "./filter-node";

export type { AndNode, CompValue, CompareNode, CompareOp, FilterNode, NotNode, OrNode, PresentNode, ValuePathNode } from "./filter-node";

const COMPARE_OPS: ReadonlySet<string> = new Set(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);
/** Characters of an attribute path, URN prefix included; also what makes up a keyword. */
const WORD_CHAR = /[A-Za-z0-9_:.$-]/;
const ATTR_NAME = "[A-Za-z$][A-Za-z0-9_$-]*";
/** attrPath = [URI ":"] ATTRNAME *1subAttr; the URN is everything before the last colon. */
const ATTR_PATH = new RegExp(`^(?:urn:.+:)?${ATTR_NAME}(?:\\.${ATTR_NAME})?$`, "i");
const SUB_ATTR = new RegExp(`^${ATTR_NAME}$`);
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const BARE_VALUE_END = /[\s()[\]]/;
/** Bounds the recursion so a hostile filter cannot exhaust the stack, nor nest the query beyond MongoDB's 100 levels. */
const MAX_DEPTH = INPUT_LIMITS.maxFilterDepth;

/** Parses a filter by the grammar of RFC 7644 §3.4.2.2 (precedence: not > and > or); throws FilterError. */
export function parseFilter(text: string): FilterNode {
  if (text.length > INPUT_LIMITS.maxFilterLength) throw new FilterError(`the filter is longer than ${INPUT_LIMITS.maxFilterLength} characters`);
  return new FilterParser(text).parse();
}

class FilterParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parse(): FilterNode {
    this.skipSpace();
    if (this.atEnd()) throw new FilterError("the filter is empty");
    const node = this.parseOr(false, 0);
    this.skipSpace();
    if (!this.atEnd()) throw this.unexpected(`"and", "or" or the end of the filter`);
    return node;
  }

  private parseOr(inValuePath: boolean, depth: number): FilterNode {
    const filters = [this.parseAnd(inValuePath, depth)];
    while (this.acceptKeyword("or")) filters.push(this.parseAnd(inValuePath, depth));
    return filters.length === 1 ? filters[0] : { kind: "or", filters };
  }

  private parseAnd(inValuePath: boolean, depth: number): FilterNode {
    const filters = [this.parseNot(inValuePath, depth)];
    while (this.acceptKeyword("and")) filters.push(this.parseNot(inValuePath, depth));
    return filters.length === 1 ? filters[0] : { kind: "and", filters };
  }

  private parseNot(inValuePath: boolean, depth: number): FilterNode {
    if (depth > MAX_DEPTH) throw new FilterError(`the filter nests deeper than ${MAX_DEPTH} levels`);
    // RFC 7644 wants "not" before a parenthesis; a bare attribute expression is accepted too.
    if (this.acceptKeyword("not")) return { kind: "not", filter: this.parseNot(inValuePath, depth + 1) };
    return this.parsePrimary(inValuePath, depth);
  }

  private parsePrimary(inValuePath: boolean, depth: number): FilterNode {
    this.skipSpace();
    if (this.peek() !== "(") return this.parseAttrExp(inValuePath, depth);
    this.pos++;
    const node = this.parseOr(inValuePath, depth + 1);
    this.expect(")");
    return node;
  }

  private parseAttrExp(inValuePath: boolean, depth: number): FilterNode {
    const start = this.pos;
    const attrPath = this.readWord();
    if (!attrPath) throw this.unexpected("an attribute path");
    if (!ATTR_PATH.test(attrPath)) throw new FilterError(`"${clip(attrPath)}" is not a valid attribute path (offset ${start})`);
    this.skipSpace();
    if (this.peek() !== "[") return this.parseComparison(attrPath);

    if (inValuePath) throw new FilterError(`a value path cannot contain another value path (offset ${this.pos})`);
    this.pos++;
    const filter = this.parseOr(true, depth + 1);
    this.expect("]");
    if (this.peek() !== ".") return { kind: "valuePath", attrPath, filter };

    this.pos++;
    const subStart = this.pos;
    const subAttr = this.readWord();
    if (!SUB_ATTR.test(subAttr)) throw new FilterError(`expected a sub-attribute name after "]." (offset ${subStart})`);
    const condition = this.parseComparison(subAttr);
    const filters = filter.kind === "and" ? [...filter.filters, condition] : [filter, condition];
    return { kind: "valuePath", attrPath, filter: { kind: "and", filters } };
  }

  private parseComparison(attrPath: string): FilterNode {
    this.skipSpace();
    const start = this.pos;
    const word = this.readWord();
    if (!word) throw this.unexpected(`an operator after "${clip(attrPath)}"`);
    const op = word.toLowerCase();
    if (op === "pr") return { kind: "present", attrPath };
    if (!COMPARE_OPS.has(op)) throw new FilterError(`unknown operator "${clip(word)}" (offset ${start})`);
    return { kind: "compare", attrPath, op: op as CompareOp, value: this.readValue(attrPath, op) };
  }

  private readValue(attrPath: string, op: string): CompValue {
    this.skipSpace();
    const start = this.pos;
    const next = this.peek();
    if (next === undefined || next === ")" || next === "]") {
      throw new FilterError(`missing value after "${clip(attrPath)} ${op}" (offset ${start})`);
    }
    if (next === '"') return this.readString();

    // Unquoted values appear in old Entra samples: take the word as it is.
    while (!this.atEnd() && !BARE_VALUE_END.test(this.text[this.pos])) this.pos++;
    const word = this.text.slice(start, this.pos);
    if (!word) throw this.unexpected("a value");
    const lower = word.toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
    if (lower === "null") return null;
    return JSON_NUMBER.test(word) ? Number(word) : word;
  }

  private readString(): string {
    const start = this.pos;
    this.pos++;
    while (!this.atEnd()) {
      const ch = this.text[this.pos];
      if (ch === "\\") {
        this.pos += 2;
      } else if (ch === '"') {
        this.pos++;
        try {
          return JSON.parse(this.text.slice(start, this.pos)) as string;
        } catch {
          throw new FilterError(`invalid string value (offset ${start})`);
        }
      } else {
        this.pos++;
      }
    }
    throw new FilterError(`unterminated string value (offset ${start})`);
  }

  /** Consumes `word` (case-insensitive) if it is the next whole word. */
  private acceptKeyword(word: string): boolean {
    const saved = this.pos;
    this.skipSpace();
    if (this.readWord().toLowerCase() === word) return true;
    this.pos = saved;
    return false;
  }

  private readWord(): string {
    const start = this.pos;
    while (!this.atEnd() && WORD_CHAR.test(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.peek() !== ch) throw this.unexpected(`"${ch}"`);
    this.pos++;
  }

  private unexpected(wanted: string): FilterError {
    const found = this.atEnd() ? "the end of the filter" : `"${clip(this.text.slice(this.pos))}"`;
    return new FilterError(`expected ${wanted} but found ${found} (offset ${this.pos})`);
  }

  private skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }
}

/** Keeps error messages short whatever the client sent. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
