import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { privateTempDir } from '../temp.js';
import { printFonts } from '../fonts.js';

let made: string | undefined;

/**
 * A fontconfig configuration that lists only the shipped fonts. Chromium then sees no system
 * font at all: what it prints (including any fallback) is the same on every machine. Chromium
 * needs at least one TrueType/OpenType font from fontconfig (with none, or only WOFF2 files, it
 * prints no text at all), which is why print uses TrueType files.
 *
 * It is written once per process into a temporary folder of the process's own (temp.ts), with
 * fontconfig's cache beside it: a folder shared by name between builds could be made by anyone
 * first, with a configuration or links of their own in it.
 */
export function hermeticFontconfig(): string {
  if (made) return made;
  const dirs = [...new Set(printFonts().map((f) => path.dirname(f.file)))].sort();
  const dir = privateTempDir('briefpack-fontconfig-');
  const file = path.join(dir, 'fonts.conf');
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
  writeFileSync(file, xml, { flag: 'wx', mode: 0o600 });
  made = file;
  return file;
}
