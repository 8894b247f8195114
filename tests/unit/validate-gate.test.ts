/**
 * src/validate/artifacts.ts, validateArtifacts: which check each rendered artifact goes through
 * (PDF checks for the PDF, EPUBCheck and Ace for the EPUB, nothing for the HTML page), and the
 * PDF's structure problems as the gate reports them. EPUBCheck's Java and Ace are stand-ins on
 * the PATH / in BRIEFPACK_ACE that record that they ran (what they report is validate-epub and
 * validate-ace's business).
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { afterEach, describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/diagnostics.js';
import type { Pack } from '../../src/model.js';
import { validateArtifacts, validatePdf } from '../../src/validate/artifacts.js';
import { tempDir } from '../helpers/cli.js';

const PATH = process.env.PATH;
afterEach(() => {
  process.env.PATH = PATH;
});

const PACK = { chapters: [], toc: [] } as unknown as Pack;

/** A `java` that notes the file it was given, and writes an empty EPUBCheck report. */
function fakeJava(): { jar: string; ran: () => string | undefined } {
  const dir = tempDir();
  const log = path.join(dir, 'ran.txt');
  writeFileSync(path.join(dir, 'java'), `#!/bin/sh\nprintf '%s' "$5" > "${log}"\nprintf '{"messages":[]}' > "$4"\nexit 0\n`);
  chmodSync(path.join(dir, 'java'), 0o755);
  process.env.PATH = `${dir}${path.delimiter}${PATH}`;
  const jar = path.join(dir, 'epubcheck.jar');
  writeFileSync(jar, '');
  return { jar, ran: () => (existsSync(log) ? path.basename(readFileSync(log, 'utf8')) : undefined) };
}

/** An Ace that notes that it ran and writes a report without violations. */
function fakeAce(): { script: string; ran: () => boolean } {
  const dir = tempDir();
  const script = path.join(dir, 'ace.mjs');
  const log = path.join(dir, 'ran.txt');
  writeFileSync(
    script,
    `import { mkdirSync, writeFileSync } from 'node:fs';
const args = process.argv.slice(2);
writeFileSync(${JSON.stringify(log)}, 'ran');
const out = args[args.indexOf('--outdir') + 1];
mkdirSync(out, { recursive: true });
writeFileSync(out + '/report.json', JSON.stringify({ assertions: [] }));
`,
  );
  return { script, ran: () => existsSync(log) };
}

async function gate(artifacts: Array<{ format: string; name: string; data: Uint8Array | string }>, env: NodeJS.ProcessEnv) {
  const diagnostics = new Diagnostics();
  const said: string[] = [];
  await validateArtifacts(artifacts, PACK, diagnostics, { env, browser: '/usr/bin/chromium', progress: (m) => said.push(m) });
  return { lines: diagnostics.list.map((d) => `${d.file ?? '-'} ${d.rule} ${d.message}`), said };
}

const NOT_A_PDF = new TextEncoder().encode('not a PDF');

describe('the release gate over the artifacts', () => {
  it('checks the PDF as a PDF, and nothing else of it', async () => {
    const java = fakeJava();
    const ace = fakeAce();
    const { lines, said } = await gate([{ format: 'pdf', name: 'pack.pdf', data: NOT_A_PDF }], { EPUBCHECK_JAR: java.jar, BRIEFPACK_ACE: ace.script });
    expect(lines).toEqual([expect.stringMatching(/^pack\.pdf validate\/pdf not a readable PDF: /)]);
    expect(said).toEqual([]);
    expect(java.ran()).toBeUndefined();
    expect(ace.ran()).toBe(false);
  });

  it('gives the EPUB to EPUBCheck and to Ace, and not to the PDF check', async () => {
    const java = fakeJava();
    const ace = fakeAce();
    const { lines, said } = await gate([{ format: 'epub', name: 'pack.epub', data: NOT_A_PDF }], { EPUBCHECK_JAR: java.jar, BRIEFPACK_ACE: ace.script });
    expect(lines).toEqual([]);
    expect(said).toEqual([]);
    expect(java.ran()).toBe('pack.epub');
    expect(ace.ran()).toBe(true);
  });

  it('says when Ace could not check the EPUB, and still runs EPUBCheck', async () => {
    const java = fakeJava();
    const { lines, said } = await gate([{ format: 'epub', name: 'pack.epub', data: NOT_A_PDF }], { EPUBCHECK_JAR: java.jar, BRIEFPACK_ACE: '/no/such/ace.js' });
    expect(lines).toEqual(['- validate/tool BRIEFPACK_ACE names a file that does not exist: /no/such/ace.js']);
    expect(said).toEqual(["Ace by DAISY is not installed: the EPUB's accessibility was not checked (see briefpack doctor)"]);
    expect(java.ran()).toBe('pack.epub');
  });

  it('leaves the HTML page, and an artifact of another format, alone', async () => {
    const java = fakeJava();
    const ace = fakeAce();
    const { lines, said } = await gate(
      [
        { format: 'html', name: 'pack.html', data: '<!doctype html>' },
        { format: 'pdf', name: 'text.pdf', data: 'a PDF given as text is no rendered PDF' },
        { format: 'html', name: 'bytes.html', data: NOT_A_PDF },
      ],
      { EPUBCHECK_JAR: java.jar, BRIEFPACK_ACE: ace.script },
    );
    expect(lines).toEqual([]);
    expect(said).toEqual([]);
    expect(java.ran()).toBeUndefined();
    expect(ace.ran()).toBe(false);
  });

  it('checks every artifact it is given', async () => {
    const java = fakeJava();
    const ace = fakeAce();
    const { lines } = await gate(
      [
        { format: 'pdf', name: 'one.pdf', data: NOT_A_PDF },
        { format: 'epub', name: 'pack.epub', data: NOT_A_PDF },
        { format: 'pdf', name: 'two.pdf', data: NOT_A_PDF },
      ],
      { EPUBCHECK_JAR: java.jar, BRIEFPACK_ACE: ace.script },
    );
    expect(lines.map((l) => l.split(' ')[0]).sort()).toEqual(['one.pdf', 'two.pdf']);
    expect(java.ran()).toBe('pack.epub');
  });
});

describe("the PDF's structure problems in the gate", () => {
  it('are errors at the article line when they have one, else at the PDF', async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    for (let i = 0; i < 3; i++) doc.addPage([400, 600]);
    const { context, catalog } = doc;
    catalog.set(PDFName.of('Lang'), PDFString.of('en'));
    doc.setTitle('T');
    // No DisplayDocTitle: a problem of the whole PDF. An article without its H1: a problem of the article.
    catalog.set(PDFName.of('MarkInfo'), context.obj({ Marked: true }));
    const art = context.register(context.obj({ Type: 'StructElem', S: 'Art', K: [] }));
    catalog.set(PDFName.of('StructTreeRoot'), context.register(context.obj({ Type: 'StructTreeRoot', K: [art] })));
    const pack = { chapters: [{ article: { file: 'articles/a.md' }, sources: { headings: [], images: [], tables: [] } }], toc: [] } as unknown as Pack;
    const diagnostics = new Diagnostics();
    await validatePdf(await doc.save(), 'pack.pdf', pack, diagnostics);
    expect(diagnostics.list.map((d) => `${d.severity} ${d.file} ${d.rule} ${d.message}`)).toEqual([
      'error pack.pdf validate/pdf-structure the PDF does not ask viewers to show its title rather than its file name (no /DisplayDocTitle true)',
      'error articles/a.md validate/pdf-structure the article has no H1 (its title) (in pack.pdf)',
    ]);
  });
});

describe('fonts and bookmarks in the gate', () => {
  async function check(finish: (doc: PDFDocument) => void, bookmarks?: number) {
    const doc = await PDFDocument.create({ updateMetadata: false });
    for (let i = 0; i < 2; i++) doc.addPage([400, 600]);
    const { context, catalog } = doc;
    catalog.set(PDFName.of('Lang'), PDFString.of('en'));
    doc.setTitle('T');
    catalog.set(PDFName.of('ViewerPreferences'), context.obj({ DisplayDocTitle: true }));
    catalog.set(PDFName.of('MarkInfo'), context.obj({ Marked: true }));
    catalog.set(PDFName.of('StructTreeRoot'), context.register(context.obj({ Type: 'StructTreeRoot', K: [] })));
    if (bookmarks !== undefined) catalog.set(PDFName.of('Outlines'), context.register(context.obj({ Type: 'Outlines', Count: bookmarks })));
    finish(doc);
    const diagnostics = new Diagnostics();
    await validatePdf(await doc.save(), 'pack.pdf', PACK, diagnostics);
    return diagnostics.list.map((d) => d.message);
  }

  it('take a font without a descriptor of its own as embedded when its first descendant is, and its own descriptor first', async () => {
    expect(
      await check((doc) => {
        const c = doc.context;
        const program = c.register(c.flateStream('font program'));
        const embedded = c.register(c.obj({ Type: 'FontDescriptor', FontFile3: program }));
        const bare = c.register(c.obj({ Type: 'FontDescriptor' }));
        const good = c.register(c.obj({ Type: 'Font', Subtype: 'CIDFontType0', BaseFont: 'Good-CID', FontDescriptor: embedded }));
        const bad = c.register(c.obj({ Type: 'Font', Subtype: 'CIDFontType0', BaseFont: 'Bad-CID', FontDescriptor: bare }));
        // Not Type0, so checked itself: through its descendant, having no descriptor.
        c.register(c.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Through-Good', DescendantFonts: [good] }));
        // Its own descriptor counts, not its descendant's.
        c.register(c.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Own', FontDescriptor: embedded, DescendantFonts: [bad] }));
        c.register(c.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'FontFile', FontDescriptor: c.register(c.obj({ Type: 'FontDescriptor', FontFile: program })) }));
      }),
    ).toEqual(['font Bad-CID is not embedded']);
  });

  it('want no particular bookmarks when the contents has no entries', async () => {
    expect(await check(() => undefined, 3)).toEqual([]);
  });
});
