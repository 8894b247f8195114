/**
 * src/validate/artifacts.ts, validateEpub: EPUBCheck's report as --validate's errors. Java here
 * is a stand-in on the PATH that writes the report EPUBCheck would (EPUBCheck itself runs in the
 * integration tests: release.test.ts, epub.test.ts); what is tested is what briefpack makes of it.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/diagnostics.js';
import { validateEpub } from '../../src/validate/artifacts.js';
import { tempDir } from '../helpers/cli.js';

const PATH = process.env.PATH;
afterEach(() => {
  process.env.PATH = PATH;
});

/** A `java` that writes `report` (if any) where --json says, records its arguments, and exits with `code`. */
function fakeJava(report: object | undefined, code: number): { jar: string; args: () => string[] } {
  const dir = tempDir();
  const log = path.join(dir, 'args.txt');
  const body = report === undefined ? '' : `cat > "$4" <<'JSON'\n${JSON.stringify(report)}\nJSON\n`;
  writeFileSync(path.join(dir, 'java'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${log}"\n${body}exit ${code}\n`);
  chmodSync(path.join(dir, 'java'), 0o755);
  process.env.PATH = `${dir}${path.delimiter}${PATH}`;
  const jar = path.join(dir, 'epubcheck.jar');
  writeFileSync(jar, '');
  return { jar, args: () => readFileSync(log, 'utf8').trim().split('\n') };
}

async function check(jar: string | undefined, bytes = new Uint8Array([80, 75])) {
  const diagnostics = new Diagnostics();
  await validateEpub(bytes, 'pack.epub', diagnostics, jar ? { EPUBCHECK_JAR: jar } : {});
  return diagnostics.list.map((d) => `${d.file ?? '-'} ${d.rule} ${d.message}${d.hint ? ` | ${d.hint}` : ''}`);
}

const message = (severity: string, ID: string, text: string, location?: { path: string; line: number; column: number }) => ({ ID, severity, message: text, locations: location ? [location] : [] });

describe("EPUBCheck's report", () => {
  it('fails the gate on every fatal error, error and warning, at its place in the EPUB', async () => {
    const { jar, args } = fakeJava(
      {
        messages: [
          message('ERROR', 'RSC-005', 'Error while parsing file', { path: '/tmp/briefpack-validate-x/pack.epub/OEBPS/chapter-1.xhtml', line: 12, column: 7 }),
          message('WARNING', 'CSS-017', 'unused style', { path: 'OEBPS/style.css', line: -1, column: -1 }),
          message('FATAL', 'PKG-008', 'Unable to read file'),
          message('INFO', 'INF-001', 'for information'),
          message('USAGE', 'ACC-009', 'usage note', { path: 'OEBPS/nav.xhtml', line: 1, column: 1 }),
        ],
      },
      1,
    );
    expect(await check(jar)).toEqual([
      'pack.epub validate/epub EPUBCheck ERROR RSC-005: Error while parsing file (OEBPS/chapter-1.xhtml:12:7)',
      'pack.epub validate/epub EPUBCheck WARNING CSS-017: unused style (OEBPS/style.css)',
      'pack.epub validate/epub EPUBCheck FATAL PKG-008: Unable to read file',
    ]);
    const [dashJar, given, json, report, epub] = args();
    expect([dashJar, given, json]).toEqual(['-jar', jar, '--json']);
    expect(path.basename(report!)).toBe('report.json');
    expect(path.basename(epub!)).toBe('pack.epub');
  });

  it('passes an EPUB it finds nothing wrong with, and says so when it fails without a word', async () => {
    expect(await check(fakeJava({ messages: [message('INFO', 'INF-001', 'fine')] }, 0).jar)).toEqual([]);
    expect(await check(fakeJava({ messages: [] }, 2).jar)).toEqual(['pack.epub validate/epub EPUBCheck exited with 2']);
  });

  it('that is never written (a broken jar) is a clear error, not a crash', async () => {
    const { jar } = fakeJava(undefined, 1);
    expect(await check(jar)).toEqual([`- validate/tool EPUBCheck (${jar}) exited with 1 without writing its report | Run it by hand to see why: java -jar ${jar} FILE.epub`]);
  });

  it('cannot be had without Java, and the gate says so', async () => {
    const { jar } = fakeJava(undefined, 0);
    process.env.PATH = tempDir();
    expect(await check(jar)).toEqual(['- validate/tool could not run EPUBCheck: spawn java ENOENT | Is Java installed (java on PATH)?']);
  });
});
