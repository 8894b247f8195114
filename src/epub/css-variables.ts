/**
 * Resolve `var(--name)` against the `:root` declarations. E-reader engines (Adobe RMSDK, Kindle
 * conversion) ignore custom properties, so the EPUB style sheet ships with plain values.
 */
export function resolveCssVariables(css: string): string {
  const values = new Map<string, string>();
  for (const block of css.matchAll(/:root\s*\{([^}]*)\}/g)) {
    for (const decl of block[1]!.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) values.set(decl[1]!, decl[2]!.trim());
  }
  const withoutRoot = css.replace(/:root\s*\{[^}]*\}/g, '');
  let out = withoutRoot;
  // Variables may refer to variables; a few rounds settle any sane chain.
  for (let i = 0; i < 5 && out.includes('var(--'); i++) {
    out = out.replace(/var\((--[\w-]+)(?:\s*,\s*([^)]+))?\)/g, (_, name: string, fallback?: string) => values.get(name) ?? fallback ?? 'initial');
  }
  return out;
}
