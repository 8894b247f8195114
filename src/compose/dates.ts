/** Dates as readers see them, in the pack's language: 26 November 2026. */
export function formatDate(iso: string, lang: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  try {
    return longDateFormat(lang).format(date);
  } catch {
    return iso;
  }
}

// Making a DateTimeFormat loads locale data each time: about 0.2 ms, once per article.
const formats = new Map<string, Intl.DateTimeFormat>();

function longDateFormat(lang: string): Intl.DateTimeFormat {
  let format = formats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' });
    formats.set(lang, format);
  }
  return format;
}
