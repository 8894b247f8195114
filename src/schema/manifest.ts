import { z } from 'zod';
import { isoDate, label, languageTag, text, textList } from './fields.js';

/** A level or caveat of the marking scheme: its name, or its name and the short form portion marks print. */
const markName = z.union([text.transform((name) => ({ name, short: undefined as string | undefined })), z.strictObject({ name: text, short: text.optional() })], {
  error: 'must be a name, or a mapping with name and short',
});

const withheldMode = z.enum(['notice', 'silent']);

/** `public: {max: PUBLIC}`; `full:` with nothing after it holds everything. */
const edition = z
  .strictObject({
    title: text.optional(),
    max: text.optional(),
    exclude: textList.optional(),
    withheld: withheldMode.optional(),
  })
  .nullable()
  .transform((e) => e ?? {});

/** pack.yaml: what the pack is, how it is marked, and which articles it holds in what order. */
export const manifestSchema = z.strictObject({
  title: text,
  subtitle: text.optional(),
  date: isoDate,
  edition: label.optional(),
  organisation: text,
  author: textList.optional(),
  /** Without `levels`: the pack's one marking. With them: the highest level its content may carry. */
  classification: text.optional(),
  levels: z.array(markName).min(1).optional(),
  caveats: z.array(markName).optional(),
  unmarked: text.optional(),
  portion_marks: z.boolean().default(false),
  withheld: withheldMode.default('silent'),
  editions: z.record(z.string(), edition).optional(),
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
