/**
 * A pack template's style sheets as they may reach the HTML page and the EPUB: nothing in them
 * may load anything. A reader opening the page or the book would otherwise fetch what the
 * template names (a tracking pixel, a remote font, a style sheet that changes after review), and
 * an EPUB must hold every file it uses anyway. So `@import` goes, and so does every URL that is
 * not a `data:` URL or a reference within the document (`url(#id)`), each with a warning at its
 * line and column.
 *
 * The style sheet is read as CSS's own tokenizer reads it (comments, strings, escapes: `u\72l(`
 * is `url(`), and only the offending pieces are cut out; everything else stays byte for byte.
 */
import type { Diagnostics, Position, RuleId } from '../diagnostics.js';
import { positionIn } from '../load/nesting.js';

interface Token {
  type: 'ident' | 'function' | 'at' | 'string' | 'url' | 'open' | 'close' | 'semicolon' | 'block-open' | 'block-close' | 'other';
  start: number;
  end: number;
  /** Names and strings with escapes resolved, lower-cased for names; a url token's URL. */
  value: string;
}

/** Functions whose arguments name something to load: the first argument, or, for the image functions, any string. */
const LOADS_FIRST = new Set(['url', 'src']);
const LOADS_ANY = new Set(['image-set', '-webkit-image-set', 'image', 'cross-fade', '-webkit-cross-fade']);

function isNameChar(c: string): boolean {
  return /[A-Za-z0-9_-]/.test(c) || c.charCodeAt(0) >= 0x80;
}

function isNameStart(text: string, i: number): boolean {
  const c = text[i];
  if (c === undefined) return false;
  if (/[A-Za-z_]/.test(c) || c.charCodeAt(0) >= 0x80) return true;
  if (c === '\\') return text[i + 1] !== '\n' && text[i + 1] !== undefined;
  if (c === '-') return text[i + 1] === '-' || isNameStart(text, i + 1);
  return false;
}

/** An escape at `i` (just after the backslash's position `i - 1`): its character and where it ends. */
function escapeAt(text: string, i: number): { char: string; end: number } {
  const hex = /^[0-9A-Fa-f]{1,6}/.exec(text.slice(i, i + 6));
  if (hex) {
    let end = i + hex[0].length;
    if (text[end] === '\r' && text[end + 1] === '\n') end += 2;
    else if (text[end] === ' ' || text[end] === '\t' || text[end] === '\n' || text[end] === '\r' || text[end] === '\f') end++;
    const code = Number.parseInt(hex[0], 16);
    return { char: code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\uFFFD' : String.fromCodePoint(code), end };
  }
  return { char: text[i] ?? '', end: i + 1 };
}

function readName(text: string, i: number): { name: string; end: number } {
  let name = '';
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && text[i + 1] !== '\n' && text[i + 1] !== undefined) {
      const escaped = escapeAt(text, i + 1);
      name += escaped.char;
      i = escaped.end;
    } else if (isNameChar(c)) {
      name += c;
      i++;
    } else break;
  }
  return { name, end: i };
}

function tokenize(css: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < css.length) {
    const c = css[i]!;
    const start = i;
    if (c === '/' && css[i + 1] === '*') {
      const close = css.indexOf('*/', i + 2);
      i = close < 0 ? css.length : close + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      i++;
      while (i < css.length && css[i] !== c && css[i] !== '\n') {
        if (css[i] === '\\') {
          if (css[i + 1] === '\n') i += 2;
          else {
            const escaped = escapeAt(css, i + 1);
            value += escaped.char;
            i = escaped.end;
          }
        } else value += css[i++];
      }
      if (css[i] === c) i++;
      tokens.push({ type: 'string', start, end: i, value });
      continue;
    }
    if (c === '@' && isNameStart(css, i + 1)) {
      const { name, end } = readName(css, i + 1);
      tokens.push({ type: 'at', start, end, value: name.toLowerCase() });
      i = end;
      continue;
    }
    if (isNameStart(css, i)) {
      const { name, end } = readName(css, i);
      i = end;
      if (css[i] !== '(') {
        tokens.push({ type: 'ident', start, end: i, value: name.toLowerCase() });
        continue;
      }
      i++;
      const lower = name.toLowerCase();
      if (lower === 'url') {
        let k = i;
        while (k < css.length && /\s/.test(css[k]!)) k++;
        if (css[k] !== '"' && css[k] !== "'") {
          // An unquoted URL runs to the closing parenthesis; escapes count as their characters.
          let value = '';
          while (k < css.length && css[k] !== ')') {
            if (css[k] === '\\' && css[k + 1] !== undefined) {
              const escaped = escapeAt(css, k + 1);
              value += escaped.char;
              k = escaped.end;
            } else value += css[k++];
          }
          i = k < css.length ? k + 1 : k;
          tokens.push({ type: 'url', start, end: i, value: value.trim() });
          continue;
        }
      }
      tokens.push({ type: 'function', start, end: i, value: lower });
      continue;
    }
    i++;
    const type: Token['type'] = c === '(' ? 'open' : c === ')' ? 'close' : c === ';' ? 'semicolon' : c === '{' ? 'block-open' : c === '}' ? 'block-close' : 'other';
    if (type !== 'other' || !/\s/.test(c)) tokens.push({ type, start, end: i, value: c });
  }
  return tokens;
}

/** URLs that load nothing from anywhere: data: URLs, and references within the document. */
function harmless(url: string): boolean {
  const trimmed = url.trim();
  return /^data:/i.test(trimmed) || trimmed.startsWith('#');
}

/** The index of the token that closes the function or parenthesis opened at `open`. */
function matching(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.type === 'function' || t.type === 'open') depth++;
    else if (t.type === 'close' && --depth === 0) return k;
  }
  return tokens.length - 1;
}

export interface CssSource {
  /** The file the style sheet comes from, as messages show it. */
  file: string;
  /** Where the style sheet starts in that file (a `<style>` element's text inside an HTML shell). */
  start?: Position;
  diagnostics: Diagnostics;
  rule: RuleId;
}

/** The style sheet without anything that would load a file or a URL; what was removed is reported. */
export function safeCss(css: string, source: CssSource): string {
  const tokens = tokenize(css);
  const cuts: Array<{ start: number; end: number; replacement: string }> = [];
  const warn = (offset: number, message: string) =>
    source.diagnostics.warn(source.rule, message, { file: source.file, position: positionIn(css, offset, source.start) });
  const shown = (url: string) => JSON.stringify(url.length > 80 ? `${url.slice(0, 80)}…` : url);
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.type === 'at' && t.value === 'import') {
      // The whole rule, to its semicolon (or the end of the sheet).
      let end = k;
      while (end < tokens.length - 1 && tokens[end]!.type !== 'semicolon' && tokens[end + 1]!.type !== 'block-close') end++;
      const target = tokens.slice(k + 1, end + 1).find((x) => x.type === 'string' || x.type === 'url');
      warn(t.start, `removed @import${target ? ` of ${shown(target.value)}` : ''} from the template's style sheet: a template's CSS may not load other files`);
      cuts.push({ start: t.start, end: tokens[end]!.end, replacement: '' });
      k = end;
      continue;
    }
    if (t.type === 'url') {
      if (!harmless(t.value)) {
        warn(t.start, `removed url(${shown(t.value)}) from the template's style sheet: only data: URLs are allowed`);
        cuts.push({ start: t.start, end: t.end, replacement: 'none' });
      }
      continue;
    }
    if (t.type === 'function' && (LOADS_FIRST.has(t.value) || LOADS_ANY.has(t.value))) {
      const close = matching(tokens, k);
      const inner = tokens.slice(k + 1, close);
      const strings = LOADS_FIRST.has(t.value) ? inner.slice(0, 1).filter((x) => x.type === 'string') : inner.filter((x) => x.type === 'string');
      // A variable could stand for any URL: an image function with one is removed too.
      const variable = LOADS_ANY.has(t.value) && inner.some((x) => x.type === 'function' && x.value === 'var');
      const offending = strings.find((x) => !harmless(x.value)) ?? (variable ? t : undefined);
      if (offending || (LOADS_FIRST.has(t.value) && strings.length === 0)) {
        const what = offending && offending.type === 'string' ? shown(offending.value) : '…';
        warn(t.start, `removed ${t.value}(${what}) from the template's style sheet: only data: URLs are allowed`);
        cuts.push({ start: t.start, end: tokens[close]!.end, replacement: 'none' });
        k = close;
      }
    }
  }
  if (cuts.length === 0) return css;
  let out = '';
  let at = 0;
  for (const cut of cuts) {
    out += css.slice(at, cut.start) + cut.replacement;
    at = cut.end;
  }
  return out + css.slice(at);
}
