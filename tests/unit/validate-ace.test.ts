/**
 * src/validate/ace.ts, validateEpubAccessibility: Ace's report as --validate's errors. Ace here is
 * a stand-in script (BRIEFPACK_ACE) that writes the report Ace would; Ace itself runs in the
 * integration tests (accessibility.test.ts, example-pack.test.ts).
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/diagnostics.js';
import type { Pack } from '../../src/model.js';
import { validateEpubAccessibility } from '../../src/validate/ace.js';
import { tempDir } from '../helpers/cli.js';

const EMPTY = { chapters: [] } as unknown as Pack;

/** An Ace that records how it was run, says `said`, writes `report` (if any) into --outdir and exits with `code`. */
function fakeAce(report: object | undefined, code = 0, said = ''): { script: string; run: () => { args: string[]; browser: string } } {
  const dir = tempDir();
  const script = path.join(dir, 'ace.mjs');
  const log = path.join(dir, 'run.json');
  writeFileSync(
    script,
    `import { mkdirSync, writeFileSync } from 'node:fs';
const args = process.argv.slice(2);
writeFileSync(${JSON.stringify(log)}, JSON.stringify({ args, browser: process.env.PUPPETEER_EXECUTABLE_PATH }));
const out = args[args.indexOf('--outdir') + 1];
${report === undefined ? '' : `mkdirSync(out, { recursive: true }); writeFileSync(out + '/report.json', ${JSON.stringify(JSON.stringify(report))});`}
process.stdout.write(${JSON.stringify(said)});
process.exit(${code});
`,
  );
  return { script, run: () => JSON.parse(readFileSync(log, 'utf8')) as { args: string[]; browser: string } };
}

async function gate(env: NodeJS.ProcessEnv) {
  const diagnostics = new Diagnostics();
  const findings = await validateEpubAccessibility(new Uint8Array([80, 75]), 'pack.epub', EMPTY, '/usr/bin/my-chromium', diagnostics, env);
  return { findings, lines: diagnostics.list.map((d) => `${d.file ?? '-'} ${d.rule} ${d.message}${d.hint ? ` | ${d.hint}` : ''}`) };
}

const violation = (rule: string, impact: string, description: string | undefined, html?: string, resultDescription?: string) => ({
  'earl:test': { 'dct:title': rule, 'earl:impact': impact, ...(description ? { 'dct:description': description } : {}) },
  'earl:result': { ...(resultDescription ? { 'dct:description': resultDescription } : {}), ...(html ? { html } : {}) },
});

describe("Ace's report", () => {
  it('makes every violation, of any impact, an error of the gate, named by its rule and the document it is in', async () => {
    const long = `<p xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" class="x">${'word '.repeat(40)}</p>`;
    const { script, run } = fakeAce({
      assertions: [
        { 'earl:testSubject': { url: 'OEBPS/content.opf' }, assertions: [violation('metadata-accessmode', 'minor', 'Ensures accessMode is set\nSecond line')] },
        {
          'earl:testSubject': { url: '/OEBPS/cover.xhtml' },
          assertions: [violation('image-alt', 'critical', undefined, '<img src="a.png" xmlns="http://www.w3.org/1999/xhtml">', 'Images must have alt text'), violation('p-long', 'moderate', 'Long', long)],
        },
      ],
    });
    const { findings, lines } = await gate({ BRIEFPACK_ACE: script });
    expect(lines).toEqual([
      'pack.epub validate/ace Ace metadata-accessmode (minor): Ensures accessMode is set (content.opf in pack.epub)',
      'pack.epub validate/ace Ace image-alt (critical): Images must have alt text (cover.xhtml in pack.epub): <img src="a.png">',
      `pack.epub validate/ace Ace p-long (moderate): Long (cover.xhtml in pack.epub): ${`<p class="x">${'word '.repeat(40)}</p>`.slice(0, 119)}…`,
    ]);
    expect(findings?.map((f) => [f.rule, f.impact, f.document])).toEqual([
      ['metadata-accessmode', 'minor', 'content.opf'],
      ['image-alt', 'critical', 'cover.xhtml'],
      ['p-long', 'moderate', 'cover.xhtml'],
    ]);
    const { args, browser } = run();
    expect(args.slice(0, 3)).toEqual(['--force', '--silent', '--outdir']);
    expect(path.basename(args[4]!)).toBe('pack.epub');
    // Ace runs its checks in the Chromium that printed the pack.
    expect(browser).toBe('/usr/bin/my-chromium');
  });

  it('with no violation passes the gate', async () => {
    const { findings, lines } = await gate({ BRIEFPACK_ACE: fakeAce({ assertions: [{ 'earl:testSubject': { url: 'OEBPS/nav.xhtml' }, assertions: [] }] }).script });
    expect(findings).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('that Ace never writes is a clear error with the last lines it said', async () => {
    const said = ['one', 'two', 'three', 'four', 'five', 'six', 'seven'].join('\n');
    const { script } = fakeAce(undefined, 2, `${said}\n`);
    const { findings, lines } = await gate({ BRIEFPACK_ACE: script });
    expect(findings).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^- validate/tool Ace \\(${script}\\) exited with 2 and wrote no report:\\nthree\\nfour\\nfive\\nsix\\nseven \\| Check that it runs \\(briefpack doctor\\), or reinstall it: `));
    const silent = fakeAce(undefined, 3);
    expect((await gate({ BRIEFPACK_ACE: silent.script })).lines[0]).toMatch(new RegExp(`^- validate/tool Ace \\(${silent.script}\\) exited with 3 and wrote no report \\| `));
  });
});

describe('an Ace that cannot be had', () => {
  it('named by BRIEFPACK_ACE but not there is a problem of the gate; the gate goes on without Ace', async () => {
    const { findings, lines } = await gate({ BRIEFPACK_ACE: '/no/such/ace.js' });
    expect(findings).toBeUndefined();
    expect(lines).toEqual([expect.stringMatching(/^- validate\/tool BRIEFPACK_ACE names a file that does not exist: \/no\/such\/ace\.js \| Unset it, or install Ace: npm ci /)]);
  });

  it('that cannot be started is a clear error', async () => {
    const file = path.join(tempDir(), 'ace');
    writeFileSync(file, 'not a program');
    chmodSync(file, 0o644);
    const { findings, lines } = await gate({ BRIEFPACK_ACE: file });
    expect(findings).toBeUndefined();
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^- validate/tool could not run Ace \\(${file}\\): spawn ${file} EACCES \\| Reinstall it: `))]);
  });
});
