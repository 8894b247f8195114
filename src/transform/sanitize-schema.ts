/**
 * What raw HTML in an article may keep. Based on GitHub's schema (hast-util-sanitize), which
 * already drops script, iframe, object, embed, form, style, event handlers and javascript: URLs;
 * we add language/direction attributes and our own placeholders, and keep ids unprefixed because
 * briefpack assigns every id itself.
 */
import { defaultSchema, type Schema } from 'hast-util-sanitize';

export const SIDEBAR_PLACEHOLDER = 'bp-sidebar';

export const sanitizeSchema: Schema = {
  ...defaultSchema,
  clobberPrefix: '',
  clobber: [],
  // Dropped with their content: a style sheet or script is not text to show.
  strip: ['script', 'style', 'template', 'noscript', 'textarea', 'title', 'xmp', 'plaintext'],
  tagNames: [...(defaultSchema.tagNames ?? []), SIDEBAR_PLACEHOLDER, 'figure', 'figcaption', 'abbr', 'mark', 'small', 'time', 'bdi', 'bdo', 'u', 'cite', 'dfn', 'wbr', 'caption', 'colgroup', 'col'],
  attributes: {
    ...defaultSchema.attributes,
    [SIDEBAR_PLACEHOLDER]: ['dataSidebar'],
    time: ['dateTime'],
    th: [...(defaultSchema.attributes?.th ?? []), 'scope'],
    '*': [...(defaultSchema.attributes?.['*'] ?? []), 'lang', 'dir', 'className'],
  },
  protocols: {
    ...defaultSchema.protocols,
    // Relative paths have no protocol and stay allowed; remote images are refused later with a message.
    src: ['http', 'https'],
    href: ['http', 'https', 'mailto'],
  },
};
