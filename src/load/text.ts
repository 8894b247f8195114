/**
 * Reading a content file as text: strict UTF-8 (a wrong encoding is reported with its
 * position rather than silently turned into replacement characters), BOM and CRLF tolerated.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic, Diagnostics } from '../diagnostics.js';
import { isProblem, readPackFile, type SizeLimit, type Where } from './pack-file.js';

export interface SourceText {
  path: string; // absolute
  display: string; // as shown in messages
  text: string; // BOM removed, line ends normalised to \n
  /** SHA-256 of the file's bytes as read: what manifest.json's hash of the inputs is made of. */
  sha256: string;
}

/**
 * A text file of the pack (see pack-file.ts: inside the pack, a regular file, at most `limit`),
 * read once. `where` is what names the file, where problems finding it are reported.
 */
export function readSourceText(
  root: string,
  file: string,
  diagnostics: Diagnostics,
  limit: SizeLimit,
  where?: Where,
  /** What to report when the file is not there at all (by default, that it was not found). */
  missing?: (problem: Diagnostic) => Diagnostic,
): SourceText | undefined {
  const read = readPackFile(root, file, limit, where);
  if (isProblem(read)) {
    diagnostics.add(read.missing && missing ? missing(read.problem) : read.problem);
    return undefined;
  }
  return decodeSource(read.path, read.display, read.bytes, diagnostics);
}

/** Bytes already read, as text: strict UTF-8, BOM and CRLF tolerated. */
export function decodeSource(file: string, display: string, bytes: Buffer, diagnostics: Diagnostics): SourceText | undefined {
  const decoded = decodeUtf8(bytes);
  if (typeof decoded !== 'string') {
    diagnostics.error('file/encoding', `not valid UTF-8 (byte 0x${decoded.byte.toString(16).padStart(2, '0')})`, {
      file: display,
      position: decoded.position,
    });
    return undefined;
  }
  const text = decoded.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return {
    path: file,
    display,
    text: withoutForbiddenCharacters(text, display, diagnostics),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

// Characters that XML 1.0 (hence EPUB) forbids: C0 controls but tab and line feed, and U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Remove characters no output format can carry, with one warning per file at the first of them. */
function withoutForbiddenCharacters(text: string, file: string, diagnostics: Diagnostics): string {
  const first = text.search(FORBIDDEN);
  if (first < 0) return text;
  const before = text.slice(0, first);
  const line = before.split('\n').length;
  const column = first - before.lastIndexOf('\n');
  const code = text.codePointAt(first)!.toString(16).toUpperCase().padStart(4, '0');
  const count = text.match(FORBIDDEN)!.length;
  diagnostics.warn('file/encoding', `removed ${count} control or non-character${count === 1 ? '' : 's'} (first: U+${code})`, {
    file,
    position: { line, column },
    hint: 'These characters cannot appear in EPUB or print; they usually come from copy and paste.',
  });
  return text.replace(FORBIDDEN, '');
}

function decodeUtf8(bytes: Buffer): string | { byte: number; position: { line: number; column: number } } {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Find the first bad sequence to point at it: decode growing prefixes line by line.
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < bytes.length; i++) {
      const valid = validSequenceLength(bytes, i);
      if (valid === 0) return { byte: bytes[i]!, position: { line, column: i - lineStart + 1 } };
      if (bytes[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
      i += valid - 1;
    }
    return { byte: 0, position: { line, column: 1 } };
  }
}

function validSequenceLength(bytes: Buffer, i: number): number {
  const b = bytes[i]!;
  const need = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (need === 0 || i + need > bytes.length) return 0;
  for (let k = 1; k < need; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return 0;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + need));
    return need;
  } catch {
    return 0;
  }
}
