/**
 * The edge cases real documentation is full of (tests/fixtures/edge-pack): links between articles
 * written the GitHub way, heading anchors, raw HTML left open around blocks, forms, duplicate ids,
 * addresses with spaces and backticks, headings that are only an image or only code, a hostile
 * SVG. Built in every format with the real Chromium and checked with EPUBCheck, qpdf and poppler.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { briefpack, ROOT, tempDir } from '../helpers/cli.js';
import { epubLinkReport, htmlLinkReport, pdfLinkReport } from '../helpers/links.js';
import { allText, epubCheck, pdfLinks, run, unzipList, unzipRead } from '../helpers/tools.js';

const PACK = path.join(ROOT, 'tests/fixtures/edge-pack');

interface Built {
  code: number;
  pdf: string;
  epub: string;
  html: string;
  warnings: string[];
}

let built: Built;

beforeAll(() => {
  const out = tempDir('briefpack-edge-');
  const r = briefpack(['build', PACK, '--out', out, '--json'], { env: { SOURCE_DATE_EPOCH: '1768435200' } });
  const report = JSON.parse(r.stdout) as { diagnostics: Array<{ file?: string; line?: number; column?: number; severity: string; rule: string; message: string }> };
  built = {
    code: r.code,
    pdf: path.join(out, 'edge-cases.pdf'),
    epub: path.join(out, 'edge-cases.epub'),
    html: path.join(out, 'edge-cases.html'),
    warnings: report.diagnostics.map((d) => `${path.relative(PACK, path.resolve(ROOT, d.file ?? ''))}:${d.line}:${d.column} ${d.message}`),
  };
});

/** `[text](href)` pairs of the HTML page's chapter links. */
function htmlLinks(): Map<string, string> {
  const html = readFileSync(built.html, 'utf8');
  return new Map([...html.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((m) => [m[2]!, m[1]!]));
}

describe('the edge-case pack', () => {
  it('builds in every format', () => {
    expect(built.code).toBe(0);
  });

  it('passes EPUBCheck with no error and no warning', () => {
    const result = epubCheck(built.epub);
    expect(result.messages).toEqual([]);
    expect([result.fatals, result.errors, result.warnings]).toEqual([0, 0, 0]);
  });

  it('is a PDF that qpdf finds no fault in', () => {
    expect(run('qpdf', ['--check', built.pdf])).toContain('No syntax or stream encoding errors found');
  });

  it('has no dead link in any format, and no link to a file of the build machine', () => {
    for (const [format, report] of [
      ['pdf', pdfLinkReport(built.pdf)],
      ['epub', epubLinkReport(built.epub)],
      ['html', htmlLinkReport(readFileSync(built.html, 'utf8'))],
    ] as const) {
      expect(report.problems, format).toEqual([]);
      expect(report.internal, format).toBeGreaterThan(20);
    }
    expect(readFileSync(built.html, 'utf8')).not.toMatch(/(href|src)="file:|file:\/\//);
  });

  it('resolves links written the GitHub way to the article and heading they name', () => {
    const links = htmlLinks();
    expect(Object.fromEntries(['the budget', 'its spending plans', 'with a dot', 'from the parent', 'the annex', 'its table', 'its second notes', 'our own id', 'an explicit id', 'a heading here', 'an explicit id here', "GitHub's form here", 'back to the links', 'the start'].map((t) => [t, links.get(t)]))).toEqual({
      'the budget': '#budget',
      'its spending plans': '#budget--spending-plans',
      'with a dot': '#budget--sanctions-2026-whats-next',
      'from the parent': '#budget--budgettotalyear-options',
      'the annex': '#annex',
      'its table': '#annex--the-table',
      'its second notes': '#annex--notes-1',
      'our own id': '#budget--spending-plans',
      'an explicit id': '#html--annex-a',
      'a heading here': '#links--local-heading',
      'an explicit id here': '#links--here',
      "GitHub's form here": '#links--whats-here',
      'back to the links': '#links--local-heading',
      'the start': '#links',
    });
    // In the PDF, each is a link to the page its target is printed on.
    const text = allText(built.pdf).split('\f');
    const pageOf = (heading: string) => text.findIndex((t, i) => i > 2 && t.includes(heading)) + 1;
    const pdf = pdfLinks(built.pdf);
    for (const [name, heading] of [
      ['budget--spending-plans', 'Spending plans'],
      ['budget--budgettotalyear-options', 'Budget.total(year[, options])'],
      ['annex--notes-1', 'Second, reached as'],
      ['html--annex-a', 'An old-style named anchor.'],
    ] as const) {
      const landing = pdf.filter((l) => l.name === name).map((l) => l.to);
      expect(landing.length, name).toBeGreaterThan(0);
      expect(new Set(landing), name).toEqual(new Set([pageOf(heading)]));
    }
  });

  it('prints links that go nowhere as their text, each with a warning at its position', () => {
    const links = htmlLinks();
    for (const text of ['no such article', 'no such heading', 'no heading here', 'a file that is not an article', 'a folder', 'outside', 'a space', 'a backtick', 'a star', 'an empty one', 'an escaped space']) {
      expect(links.has(text), text).toBe(false);
      expect(readFileSync(built.html, 'utf8')).toContain(text);
    }
    expect(built.warnings).toEqual(
      expect.arrayContaining([
        'articles/links.md:12:3 link to budget plan.md: no such file in the pack; printed as plain text',
        'articles/links.md:16:3 link to nope.md: no such file in the pack; printed as plain text',
        'articles/links.md:16:31 link to budget.md#nope: no heading or id of that name in that article; printed as plain text',
        'articles/links.md:16:66 link to #nowhere: no heading or id of that name in this article; printed as plain text',
        'articles/links.md:17:3 link to ../data/figures.csv: a file of the pack that is not an article, which readers of the PDF, EPUB and HTML cannot open; printed as plain text',
        'articles/links.md:17:57 link to ../data: a folder; printed as plain text',
        'articles/links.md:17:78 link to ../../../etc/passwd: outside the pack folder; printed as plain text',
        'articles/links.md:18:3 link to foo bar: no such file in the pack; printed as plain text',
        'articles/links.md:18:25 link to `: no such file in the pack; printed as plain text',
        'articles/links.md:18:42 link to *: no such file in the pack; printed as plain text',
        'articles/links.md:18:56 a link with no target; printed as plain text',
      ]),
    );
  });

  it('escapes what a web address may not hold', () => {
    expect(htmlLinks().get('a web page with a space')).toBe('https://example.com/a%20b');
    expect(readFileSync(built.html, 'utf8')).toContain('href="https://example.com/a%20b">a web link with a space</a>');
  });

  it('names a heading that is only an image or only code in the navigation, and leaves out an empty one with a warning', () => {
    const nav = unzipRead(built.epub, 'OEBPS/toc.xhtml');
    expect(nav).toMatch(/<a href="html.xhtml#html--section">Logo<\/a>/);
    expect(nav).toMatch(/<a href="html.xhtml#html--code-only">code-only<\/a>/);
    expect(nav).not.toMatch(/<a [^>]*><\/a>/);
    expect(built.warnings).toContain('articles/html.md:71:1 left out a heading with no text');
  });

  it('carries the hostile SVG drawing into every format without its scripts or addresses', () => {
    const svgs = unzipList(built.epub).filter((e) => e.endsWith('.svg'));
    expect(svgs).toHaveLength(1);
    const epubSvg = unzipRead(built.epub, svgs[0]!);
    const html = readFileSync(built.html, 'utf8');
    const htmlSvgs = [...html.matchAll(/data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'));
    expect(htmlSvgs).toHaveLength(1);
    // The PDF with its streams inflated: every byte it holds.
    const inflated = path.join(tempDir('briefpack-edge-qdf-'), 'inflated.pdf');
    execFileSync('qpdf', ['--qdf', '--object-streams=disable', built.pdf, inflated]);
    const pdf = readFileSync(inflated, 'latin1');
    for (const [where, bytes] of [
      ['EPUB', epubSvg],
      ['HTML', `${html}\n${htmlSvgs.join('\n')}`],
      ['PDF', pdf],
    ] as const) {
      for (const bad of ['tracker.example.com', 'alert(', '<script', 'foreignObject', 'file:///etc']) expect(bytes, `${where}: ${bad}`).not.toContain(bad);
    }
    expect(epubSvg).toContain('<path d="M60 10 L100 50"');
    expect(built.warnings.some((w) => w.startsWith('articles/html.md:81:1 image ../images/hostile.svg had things removed'))).toBe(true);
  });

  it('repairs raw HTML to XHTML and says so where the reader would see a difference', () => {
    const xhtml = unzipRead(built.epub, 'OEBPS/html.xhtml');
    // The open bold and link of earlier lines are pushed down into the summary too.
    expect(xhtml).toMatch(/<details><summary>(<[^>]+>)*Details(<\/[^>]+>)*<\/summary>/);
    expect(xhtml).toContain('id="html--dup"');
    expect(xhtml).toContain('id="html--dup-1"');
    expect(xhtml).toContain('<p class="align-center">');
    expect(xhtml).not.toMatch(/<input[^>]*type="checkbox"[^>]*>[^<]*Send|<tt|<strike|<center|<font|align=/);
    expect(built.warnings).toEqual(
      expect.arrayContaining([
        'articles/html.md:37:43 removed a form field (<input>) from raw HTML',
        'articles/html.md:55:1 moved content that stood between the items of a <ul> into an item',
        'articles/html.md:57:1 moved content that stood between the items of a <dl> into an item',
        'articles/html.md:49:61 ignored the <center> tag of raw HTML; what it holds is kept',
      ]),
    );
  });
});
