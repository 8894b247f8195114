/**
 * src/validate/artifacts.ts and ace.ts: how EPUBCheck and Ace are run. Each gets the EPUB in a
 * temporary folder of its own that is gone afterwards; a validator that talks a lot is not left
 * hanging on a full pipe; what Ace said on either stream is shown when it wrote no report.
 * The validators are stand-ins (a `java` on the PATH, an Ace script in BRIEFPACK_ACE).
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/diagnostics.js';
import type { Pack } from '../../src/model.js';
import { validateEpubAccessibility } from '../../src/validate/ace.js';
import { validateEpub } from '../../src/validate/artifacts.js';
import { tempDir } from '../helpers/cli.js';

const PATH = process.env.PATH;
afterEach(() => {
  process.env.PATH = PATH;
});

/** A `java` that runs `before` (shell), records its arguments, writes `report` and exits with `code`. */
function fakeJava(report: object, code = 0, before = ''): { jar: string; args: () => string[] } {
  const dir = tempDir();
  const log = path.join(dir, 'args.txt');
  writeFileSync(path.join(dir, 'java'), `#!/bin/sh\n${before}\nprintf '%s\\n' "$@" > "${log}"\ncat > "$4" <<'JSON'\n${JSON.stringify(report)}\nJSON\nexit ${code}\n`);
  chmodSync(path.join(dir, 'java'), 0o755);
  process.env.PATH = `${dir}${path.delimiter}${PATH}`;
  const jar = path.join(dir, 'epubcheck.jar');
  writeFileSync(jar, '');
  return { jar, args: () => readFileSync(log, 'utf8').trim().split('\n') };
}

async function epubcheck(jar: string) {
  const diagnostics = new Diagnostics();
  await validateEpub(new Uint8Array([80, 75]), 'pack.epub', diagnostics, { EPUBCHECK_JAR: jar });
  return diagnostics.list.map((d) => `${d.rule} ${d.message}`);
}

describe('EPUBCheck, as it is run', () => {
  it('is given the EPUB in a temporary folder of its own, removed afterwards', async () => {
    const { jar, args } = fakeJava({ messages: [] });
    expect(await epubcheck(jar)).toEqual([]);
    const [, , , report, epub] = args();
    expect(path.dirname(report!)).toBe(path.dirname(epub!));
    expect(path.basename(path.dirname(epub!))).toMatch(/^briefpack-validate-/);
    expect(existsSync(path.dirname(epub!))).toBe(false);
  });

  it('passes an EPUB when it exits with 0 and says nothing at all', async () => {
    expect(await epubcheck(fakeJava({ messages: [] }, 0).jar)).toEqual([]);
  });

  it('is not left hanging when it writes more than a pipe holds', async () => {
    // Four megabytes on its output, as EPUBCheck's own log of a large EPUB may be.
    const { jar } = fakeJava({ messages: [] }, 0, 'head -c 4000000 /dev/zero');
    expect(await epubcheck(jar)).toEqual([]);
  });

  it('gives a place at line 0 as the file alone', async () => {
    const { jar } = fakeJava({ messages: [{ ID: 'OPF-001', severity: 'ERROR', message: 'bad', locations: [{ path: 'x.epub/OEBPS/content.opf', line: 0, column: 0 }] }] }, 1);
    expect(await epubcheck(jar)).toEqual(['validate/epub EPUBCheck ERROR OPF-001: bad (OEBPS/content.opf)']);
  });
});

const EMPTY = { chapters: [] } as unknown as Pack;

/** An Ace script: records its arguments, runs `body` (JavaScript, `out` is --outdir). */
function fakeAce(body: string): { script: string; args: () => string[] } {
  const dir = tempDir();
  const script = path.join(dir, 'ace.mjs');
  const log = path.join(dir, 'args.json');
  writeFileSync(
    script,
    `import { mkdirSync, writeFileSync } from 'node:fs';
const args = process.argv.slice(2);
writeFileSync(${JSON.stringify(log)}, JSON.stringify(args));
const out = args[args.indexOf('--outdir') + 1];
${body}
`,
  );
  return { script, args: () => JSON.parse(readFileSync(log, 'utf8')) as string[] };
}

async function ace(script: string) {
  const diagnostics = new Diagnostics();
  const findings = await validateEpubAccessibility(new Uint8Array([80, 75]), 'pack.epub', EMPTY, '/usr/bin/chromium', diagnostics, { BRIEFPACK_ACE: script });
  return { findings, lines: diagnostics.list.map((d) => `${d.rule} ${d.message}`) };
}

const REPORT = `mkdirSync(out, { recursive: true }); writeFileSync(out + '/report.json', JSON.stringify({ assertions: [] }));`;

describe('Ace, as it is run', () => {
  it('is given the EPUB in a temporary folder of its own, its report in a folder inside, all removed afterwards', async () => {
    const { script, args } = fakeAce(REPORT);
    expect(await ace(script)).toEqual({ findings: [], lines: [] });
    const given = args();
    const epub = given.at(-1)!;
    const out = given[given.indexOf('--outdir') + 1]!;
    expect(path.basename(path.dirname(epub))).toMatch(/^briefpack-ace-/);
    expect(out).toBe(path.join(path.dirname(epub), 'report'));
    expect(existsSync(path.dirname(epub))).toBe(false);
  });

  it('that wrote no report is shown with what it said on its output and its error output', async () => {
    const { script } = fakeAce(`process.stderr.write('first complaint\\n'); await new Promise((r) => setTimeout(r, 50)); process.stdout.write('second complaint\\n'); await new Promise((r) => setTimeout(r, 50)); process.exit(4);`);
    const { findings, lines } = await ace(script);
    expect(findings).toBeUndefined();
    expect(lines).toEqual([`validate/tool Ace (${script}) exited with 4 and wrote no report:\nfirst complaint\nsecond complaint`]);
  });

  it('is not left hanging when it writes more than a pipe holds', async () => {
    const { script } = fakeAce(`process.stdout.write('x'.repeat(4_000_000)); ${REPORT}`);
    expect((await ace(script)).findings).toEqual([]);
  });
});
