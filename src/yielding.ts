/**
 * A map that lets the event loop run between items. EPUB and HTML are made on Node's one thread
 * while Chromium prints; a renderer that finished a part waits for Node to answer it (the PDF
 * comes back in chunks, the next part has to be sent), so Node must not stay busy for long.
 */
export async function mapYielding<T, R>(items: readonly T[], work: (item: T, index: number) => R): Promise<R[]> {
  const results: R[] = [];
  for (const [index, item] of items.entries()) {
    results.push(work(item, index));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return results;
}
