/** How a pack is split into print parts: by its own weight only, in order, never by the machine. */
import { describe, expect, it } from 'vitest';
import type { Template } from '../../src/compose/template.js';
import { planParts } from '../../src/print/parts.js';

const template = (articlesStartOnNewPage: boolean) => ({ settings: { articlesStartOnNewPage } }) as unknown as Template;

describe('print parts', () => {
  it('keeps a small pack whole', () => {
    expect(planParts([10_000, 12_000, 9_000], template(true))).toEqual([[0, 1, 2]]);
  });

  it('splits a pack of 300 kB or more in two, of 1.2 MB or more in four, and of 2.4 MB or more in twelve, by weight', () => {
    const thirty = Array.from({ length: 30 }, () => 11_000);
    const two = planParts(thirty, template(true));
    expect(two).toHaveLength(2);
    expect(two.flat()).toEqual(thirty.map((_, i) => i));
    expect(Math.abs(two[0]!.length - two[1]!.length)).toBeLessThanOrEqual(1);

    const sixty = Array.from({ length: 120 }, () => 11_000);
    const four = planParts(sixty, template(true));
    expect(four).toHaveLength(4);
    expect(four.flat()).toEqual(sixty.map((_, i) => i));

    const many = Array.from({ length: 200 }, () => 11_000);
    const twelve = planParts(many, template(true));
    expect(twelve).toHaveLength(12);
    expect(twelve.flat()).toEqual(many.map((_, i) => i));
    expect(Math.max(...twelve.map((p) => p.length)) - Math.min(...twelve.map((p) => p.length))).toBeLessThanOrEqual(1);
  });

  it('gives a pack far larger than 2.4 MB more parts, each about the size of a 2.4 MB pack\'s', () => {
    const thousand = Array.from({ length: 1000 }, () => 11_000);
    const parts = planParts(thousand, template(true));
    // 13 MB of weight: a part for every 240 kB.
    expect(parts).toHaveLength(54);
    expect(parts.flat()).toEqual(thousand.map((_, i) => i));
    const lengths = parts.map((p) => p.length);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
    // Twelve parts up to 2.88 MB (pack-200 weighs 2.6), then one for every 240 kB.
    expect(planParts(Array.from({ length: 220 }, () => 11_000), template(true))).toHaveLength(12);
    expect(planParts(Array.from({ length: 240 }, () => 11_000), template(true))).toHaveLength(13);
  });

  it('balances unequal articles by size, not by count', () => {
    const sizes = [200_000, ...Array.from({ length: 20 }, () => 10_000)];
    const [first, second] = planParts(sizes, template(true));
    // One long article weighs as much as twenty short ones: it shares its part with only a few.
    expect(first).toEqual([0, 1, 2]);
    expect(second).toHaveLength(18);
  });

  it('never splits a template whose articles run on', () => {
    expect(planParts(Array.from({ length: 120 }, () => 11_000), template(false))).toHaveLength(1);
  });
});
