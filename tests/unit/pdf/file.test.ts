/** Reading and writing PDF files: classic (as Chromium writes) and compact (as the toolkit does). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PdfFile, PdfStream, PdfWriter } from '../../../src/pdf/file.js';
import { PdfName, PdfRef, PdfString, type PdfDict, type PdfValue } from '../../../src/pdf/syntax.js';
import { tempDir } from '../../helpers/cli.js';
import { anyValue } from '../../helpers/pdf-values.js';
import { pdfLibView, toolkitView } from '../../helpers/pdf-views.js';
import { run } from '../../helpers/tools.js';

/** A minimal classic PDF, built the way Chromium lays its files out. */
function tinyPdf(): Buffer {
  const objects = [
    '<</Title (old)>>',
    '<</Type /Catalog /Pages 3 0 R /Dests <</intro [4 0 R /XYZ 0 800 0]>>>>',
    '<</Type /Pages /Kids [4 0 R] /Count 1>>',
    '<</Type /Page /Parent 3 0 R /MediaBox [0 0 200 300] /Contents 5 0 R>>',
    null,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += o === null ? `${i + 1} 0 obj\n<</Length 8>> stream\n0 0 m S\nendstream\nendobj\n` : `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 6\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<</Size 6 /Root 2 0 R /Info 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const trailerOf = (root: number, info?: number) => new Map<string, PdfValue>([['Root', new PdfRef(root)], ...(info ? [['Info', new PdfRef(info)] as [string, PdfValue]] : [])]);

function save(bytes: Buffer, name: string): string {
  const file = path.join(tempDir('briefpack-pdf-'), name);
  writeFileSync(file, bytes);
  return file;
}

describe('PDF file rewrite', () => {
  it('reads pages and objects through the xref', () => {
    const file = new PdfFile(tinyPdf());
    expect(file.compact).toBe(false);
    expect(file.pageRefs()).toEqual([new PdfRef(4, 0)]);
    expect((file.dict(file.trailer.get('Info'))!.get('Title') as PdfString).bytes).toBe('old');
  });

  it('replaces and adds objects, copies the rest as they are into a compact file, and reads its own output', () => {
    const file = new PdfFile(tinyPdf());
    const info = new Map<string, PdfValue>([['Title', PdfString.text('new')]]);
    const stream = new PdfStream(new Map(), Buffer.from('q\n', 'latin1'));
    const out = file.rewrite(new Map([[1, info]]), [stream], trailerOf(2, 1));
    expect(out.subarray(0, 8).toString('latin1')).toBe('%PDF-1.5');
    expect(out.toString('latin1')).toContain('0 0 m S\nendstream');
    const again = new PdfFile(out);
    expect(again.compact).toBe(true);
    expect((again.dict(again.trailer.get('Info'))!.get('Title') as PdfString).bytes).toBe('new');
    expect(again.object(6)).toEqual(new Map([['Length', 2]]));
    expect(again.streamData(6).toString('latin1')).toBe('q\n');
    expect(again.pageRefs()).toEqual([new PdfRef(4, 0)]);
    expect(run('qpdf', ['--check', save(out, 'rewritten.pdf')])).toContain('No syntax or stream encoding errors');
  });

  it('refuses what it does not read rather than misreading it', () => {
    expect(() => new PdfFile(Buffer.from('%PDF-1.7\nnothing here'))).toThrow(/startxref/);
    const updated = tinyPdf().toString('latin1').replace('/Info 1 0 R>>', '/Info 1 0 R /Prev 9>>');
    expect(() => new PdfFile(Buffer.from(updated, 'latin1'))).toThrow(/incrementally updated/);
    const truncated = tinyPdf().subarray(0, 300);
    expect(() => new PdfFile(truncated)).toThrow(/startxref/);
  });

  it('tells a file whose objects are where its table says from one cut or shifted', () => {
    expect(new PdfFile(tinyPdf()).whole()).toBe(true);
    const text = tinyPdf().toString('latin1');
    // A byte lost in the middle and one gained before the table: the table is found, but the
    // offsets of the objects in between point one byte off.
    const at = text.indexOf('3 0 obj') - 2;
    const xref = text.lastIndexOf('\nxref') + 1;
    const shifted = Buffer.from(`${text.slice(0, at)}${text.slice(at + 1, xref)} ${text.slice(xref)}`, 'latin1');
    const file = new PdfFile(shifted);
    expect(file.whole()).toBe(false);
    expect(() => file.pageRefs()).toThrow(/not where the xref says/);
  });

  it('writes any objects compact or classic, the same to itself, qpdf and pdf-lib', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyValue, { minLength: 1, maxLength: 40 }), fc.boolean(), fc.nat(3), async (values, compact, gaps) => {
        const writer = new PdfWriter({ compact });
        // A catalog and page tree, so that other readers accept the file; then the values, with gaps in the numbering.
        writer.object(1, new Map<string, PdfValue>([['Type', new PdfName('Catalog')], ['Pages', new PdfRef(2)]]));
        writer.object(2, new Map<string, PdfValue>([['Type', new PdfName('Pages')], ['Kids', []], ['Count', 0]]));
        const written = new Map<number, PdfValue>();
        values.forEach((value, i) => {
          const num = 3 + i * (gaps + 1);
          written.set(num, value);
          if (i % 5 === 4) writer.object(num, new PdfStream(new Map([['N', i]]), Buffer.from(`data ${i} endstream endobj`, 'latin1')));
          else writer.object(num, value);
        });
        const bytes = writer.finish(trailerOf(1));
        const file = new PdfFile(bytes);
        expect(file.compact).toBe(compact);
        for (const [num, value] of written) {
          if ((num - 3) / (gaps + 1) % 5 === 4) expect(file.streamData(num).toString('latin1')).toMatch(/^data \d+ endstream endobj$/);
          else expect(file.object(num)).toEqual(value);
        }
        const theirs = await pdfLibView(bytes);
        expect(Object.fromEntries(theirs.view)).toEqual(Object.fromEntries(toolkitView(bytes)));
      }),
      { numRuns: 60 },
    );
    // qpdf agrees on a sample, compact and classic.
    for (const compact of [true, false]) {
      const writer = new PdfWriter({ compact });
      writer.object(1, new Map<string, PdfValue>([['Type', new PdfName('Catalog')], ['Pages', new PdfRef(2)]]));
      writer.object(2, new Map<string, PdfValue>([['Type', new PdfName('Pages')], ['Kids', []], ['Count', 0]]));
      for (let i = 3; i < 700; i++) writer.object(i, new Map<string, PdfValue>([['N', i], ['S', new PdfString(`(${i}) stream endobj`)], ['R', new PdfRef(i - 1)]]));
      expect(run('qpdf', ['--check', save(writer.finish(trailerOf(1)), `sample-${compact}.pdf`)])).toContain('No syntax or stream encoding errors');
    }
  });

  it('gives the same bytes for the same objects written in the same order', () => {
    const make = () => {
      const writer = new PdfWriter();
      for (let i = 1; i < 1000; i++) writer.object(i, new Map<string, PdfValue>([['K', i], ['P', new PdfRef(1)]]));
      return writer.finish(trailerOf(1));
    };
    expect(make().equals(make())).toBe(true);
  });

  it('reads predictors and object streams written by qpdf', () => {
    const source = save(tinyPdf(), 'tiny.pdf');
    const compacted = path.join(path.dirname(source), 'qpdf.pdf');
    run('qpdf', ['--object-streams=generate', '--compress-streams=y', source, compacted]);
    const bytes = Buffer.from(run('base64', ['-w0', compacted]), 'base64');
    const file = new PdfFile(bytes);
    expect(file.compact).toBe(true);
    expect(file.pageRefs()).toHaveLength(1);
    const page = file.dict(file.pageRefs()[0]) as PdfDict;
    expect(file.streamData((page.get('Contents') as PdfRef).num).toString('latin1')).toContain('0 0 m S');
  });
});
