import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { printFonts } from './fonts.js';

/**
 * A fontconfig configuration that lists only the shipped fonts. Chromium then sees no system
 * font at all: what it prints (including any fallback) is the same on every machine. Chromium
 * needs at least one TrueType/OpenType font from fontconfig (with none, or only WOFF2 files, it
 * prints no text at all), which is why print uses TrueType files.
 */
export function hermeticFontconfig(): string {
  const dirs = [...new Set(printFonts().map((f) => path.dirname(f.file)))].sort();
  const key = createHash('sha256').update(dirs.join('\n')).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `briefpack-fontconfig-${key}`);
  const file = path.join(dir, 'fonts.conf');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const escape = (p: string) => p.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const xml = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
      '<fontconfig>',
      ...dirs.map((d) => `  <dir>${escape(d)}</dir>`),
      `  <cachedir>${escape(path.join(dir, 'cache'))}</cachedir>`,
      '  <alias><family>serif</family><prefer><family>Source Serif 4</family></prefer></alias>',
      '  <alias><family>sans-serif</family><prefer><family>Source Sans 3</family></prefer></alias>',
      '  <alias><family>monospace</family><prefer><family>Source Code Pro</family></prefer></alias>',
      '</fontconfig>',
      '',
    ].join('\n');
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, xml);
    // Rename so that a concurrent build never reads a half-written file.
    renameSync(temp, file);
  }
  return file;
}
