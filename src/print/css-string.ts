/** A value as a CSS string literal, safe inside `content: ...` in a generated style sheet. */
export function cssString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\n\r\f]/g, ' ').replace(/</g, '\\3c ')}"`;
}
