/** Escapes every regular-expression metacharacter so a filter value matches literally (SPEC §7). */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|\/-]/g, "\\$&");
}
