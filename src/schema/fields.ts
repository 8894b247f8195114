/** Field types shared by the manifest, front matter and sidebar schemas. */
import { z } from 'zod';
import { parseLooseDate } from './dates.js';

export const text = z.string().trim().min(1);

/** A calendar date written YYYY-MM-DD (YAML may also hand us a Date for an unquoted one). */
export const isoDate = z
  .union([z.string(), z.date()], { error: 'must be a date written YYYY-MM-DD' })
  .transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value))
  .refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && parseLooseDate(value) !== undefined, {
    message: 'must be a real date written YYYY-MM-DD',
    params: { rule: 'frontmatter/invalid' },
  });

/**
 * A link made from the pack's data, after the sanitizer has run: http(s) or mailto only, as in
 * article text (a javascript: URL here went straight into the HTML page and the EPUB).
 */
export const linkUrl = z
  .string()
  .trim()
  .refine((value) => /^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i.test(value) && URL.canParse(value), {
    message: 'must be an http(s) or mailto: URL',
  });

/** A BCP 47 language tag such as `en`, `en-GB` or `ar`. */
export const languageTag = z
  .string()
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, { message: 'must be a language tag such as "en", "en-GB" or "ar"' });

/** One text or a list of texts; always a list afterwards. */
export const textList = z
  .union([text, z.array(text).min(1)], { error: 'must be a text or a list of texts' })
  .transform((value) => (Array.isArray(value) ? value : [value]));

/** Numbers are fine where authors naturally write them unquoted (edition: 3). */
export const label = z
  .union([text, z.number()], { error: 'must be a text' })
  .transform((value) => String(value));
