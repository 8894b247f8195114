/**
 * Reading a content file as text: strict UTF-8 (a wrong encoding is reported with its
 * position rather than silently turned into replacement characters), BOM and CRLF tolerated.
 */
import { promises as fs } from 'node:fs';
import type { Diagnostics } from '../diagnostics.js';
import { displayPath } from '../io.js';

export interface SourceText {
  path: string; // absolute
  display: string; // as shown in messages
  text: string; // BOM removed, line ends normalised to \n
}

export async function readSourceText(file: string, diagnostics: Diagnostics): Promise<SourceText | undefined> {
  const display = displayPath(file);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    diagnostics.error('file/missing', code === 'ENOENT' ? `file not found` : `cannot read file (${code ?? String(error)})`, {
      file: display,
    });
    return undefined;
  }
  const decoded = decodeUtf8(bytes);
  if (typeof decoded !== 'string') {
    diagnostics.error('file/encoding', `not valid UTF-8 (byte 0x${decoded.byte.toString(16).padStart(2, '0')})`, {
      file: display,
      position: decoded.position,
    });
    return undefined;
  }
  return { path: file, display, text: decoded.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n') };
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
