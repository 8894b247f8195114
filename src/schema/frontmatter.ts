import { z } from 'zod';
import { isoDate, languageTag, linkUrl, text, textList } from './fields.js';

const placement = z.union(
  [
    text.transform((id) => ({ id, section: undefined as string | undefined })),
    z.strictObject({ id: text, section: text.optional() }),
  ],
  { error: 'must be a sidebar id, or a mapping with id and section' },
);

/** The YAML block at the top of an article. */
export const frontMatterSchema = z.strictObject({
  title: text,
  /** Shown in running heads; defaults to the title, shortened. */
  short_title: text.optional(),
  standfirst: text.optional(),
  date: isoDate.optional(),
  author: text.optional(),
  source: z
    .union([text.transform((name) => ({ name, url: undefined as string | undefined })), z.strictObject({ name: text, url: linkUrl.optional() })], {
      error: 'must be a text, or a mapping with name and url',
    })
    .optional(),
  photo_credit: text.optional(),
  tags: z.array(text).default([]),
  bottom_line: z.array(text).min(1).max(6).optional(),
  sidebars: z.array(placement).default([]),
  lang: languageTag.optional(),
  /** Its marking: one of the pack's levels, and caveats (see README, "Markings and editions"). */
  level: text.optional(),
  caveats: textList.optional(),
});

export type FrontMatterData = z.infer<typeof frontMatterSchema>;
