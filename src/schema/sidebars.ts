/**
 * The built-in sidebar kinds. Each kind's data sits under a field named for what it lists
 * (people, events, facts, ...) so that messages read naturally: `people[2].role is required`.
 */
import { z } from 'zod';
import { parseLooseDate } from './dates.js';
import { text, textList } from './fields.js';

/** A year written unquoted (`date: 2025`) is a number to YAML, and a date to the author. */
const looseDate = z
  .union([text, z.number().int()], { error: 'must be a date such as 2026, 2026-10 or "autumn 2026"' })
  .transform((value) => String(value))
  .refine((value) => parseLooseDate(value) !== undefined, {
  message: 'is not a date: write YYYY, YYYY-MM, YYYY-MM-DD, a range such as 2026-10-01/2026-10-03, or "autumn 2026"',
  params: { rule: 'sidebar/date' },
});

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'must be lower-case letters, digits and hyphens' }).optional(),
  title: text,
  note: text.optional(),
  /** Its marking (see README, "Markings and editions"). */
  level: text.optional(),
  caveats: textList.optional(),
};

export const sidebarSchemas = {
  people: z.strictObject({
    ...common,
    kind: z.literal('people'),
    people: z
      .array(
        z.strictObject({
          name: text,
          role: text,
          organisation: text.optional(),
          country: text.optional(),
          note: text.optional(),
        }),
      )
      .min(1),
  }),
  timeline: z.strictObject({
    ...common,
    kind: z.literal('timeline'),
    events: z
      .array(
        z
          .strictObject({
            date: looseDate.optional(),
            when: text.optional(),
            event: text,
          })
          .refine((e) => (e.date === undefined) !== (e.when === undefined), {
            message: 'needs either date (a date that sorts) or when (a relative time such as "this week"), not both',
            params: { rule: 'sidebar/required' },
          }),
      )
      .min(1),
  }),
  facts: z.strictObject({
    ...common,
    kind: z.literal('facts'),
    facts: z.array(z.strictObject({ label: text, value: text, source: text.optional() })).min(1),
  }),
  glossary: z.strictObject({
    ...common,
    kind: z.literal('glossary'),
    terms: z.array(z.strictObject({ term: text, definition: text })).min(1),
  }),
  sources: z.strictObject({
    ...common,
    kind: z.literal('sources'),
    sources: z
      .array(
        z.strictObject({
          title: text,
          outlet: text.optional(),
          url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
          accessed: looseDate.optional(),
          note: text.optional(),
        }),
      )
      .min(1),
  }),
  quote: z.strictObject({
    ...common,
    kind: z.literal('quote'),
    text: text,
    speaker: text,
    context: text.optional(),
  }),
  positions: z.strictObject({
    ...common,
    kind: z.literal('positions'),
    positions: z
      .array(
        z
          .strictObject({
            actor: text,
            wants: textList.optional(),
            concerns: textList.optional(),
            red_lines: textList.optional(),
          })
          .refine((p) => p.wants || p.concerns || p.red_lines, {
            message: 'needs at least one of wants, concerns or red_lines',
            params: { rule: 'sidebar/required' },
          }),
      )
      .min(1),
  }),
  summary: z.strictObject({
    ...common,
    kind: z.literal('summary'),
    points: z
      .array(
        z.union(
          [
            text.transform((t) => ({ text: t, confidence: undefined as Confidence | undefined })),
            z.strictObject({ text: text, confidence: z.enum(['low', 'moderate', 'high']).optional() }),
          ],
          { error: 'must be a text, or a mapping with text and confidence' },
        ),
      )
      .min(1),
  }),
} as const;

type Confidence = 'low' | 'moderate' | 'high';

export type SidebarKind = keyof typeof sidebarSchemas;
export const sidebarKinds = Object.keys(sidebarSchemas) as SidebarKind[];

export type SidebarData = { [K in SidebarKind]: z.infer<(typeof sidebarSchemas)[K]> }[SidebarKind];
