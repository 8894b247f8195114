import { z } from 'zod';
import { isoDate, label, languageTag, text, textList } from './fields.js';

/** pack.yaml: what the pack is, how it is marked, and which articles it holds in what order. */
export const manifestSchema = z.strictObject({
  title: text,
  subtitle: text.optional(),
  date: isoDate,
  edition: label.optional(),
  organisation: text,
  author: textList.optional(),
  classification: text.optional(),
  language: languageTag.default('en'),
  description: text.optional(),
  keywords: z.array(text).optional(),
  articles: z.array(text).min(1),
  template: text.default('default'),
  paper: z.enum(['a4', 'letter']).default('a4'),
  duplex: z.boolean().default(false),
  bleed: z
    .string()
    .regex(/^\d+(\.\d+)?mm$/, { message: 'must be a length in millimetres such as "3mm"' })
    .optional(),
});

export type ManifestData = z.infer<typeof manifestSchema>;
