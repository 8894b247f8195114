/** A pack declares its own sidebar kind (JSON Schema + template fragment) and it renders in both formats. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { briefpack, tempDir } from '../helpers/cli.js';
import { MINIMAL_MANIFEST, writePack } from '../helpers/pack.js';
import { allText, epubCheck, unzipRead } from '../helpers/tools.js';

const SCHEMA = JSON.stringify(
  {
    type: 'object',
    required: ['risks'],
    additionalProperties: false,
    properties: {
      risks: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['risk', 'likelihood'],
          additionalProperties: false,
          properties: {
            risk: { type: 'string' },
            likelihood: { enum: ['low', 'medium', 'high'] },
            mitigation: { type: 'string' },
          },
        },
      },
    },
  },
  null,
  2,
);

const TEMPLATE = `<table class="risks">
  <thead><tr><th>Risk</th><th>Likelihood</th><th>Mitigation</th></tr></thead>
  <tbody>
    <tr data-each="risks"><td data-text="risk"></td><td data-text="likelihood"></td><td data-text="mitigation"></td></tr>
  </tbody>
</table>
<script>alert(1)</script>`;

const ARTICLE = `---
title: Article One
sidebars:
  - risk-register
---

Some text about risks.

## First section

More text.
`;

function pack(sidebar: string) {
  return writePack({
    'pack.yaml': MINIMAL_MANIFEST,
    'articles/one.md': ARTICLE,
    'kinds/risk/schema.json': SCHEMA,
    'kinds/risk/template.html': TEMPLATE,
    'sidebars/risk-register.yaml': sidebar,
  });
}

describe('a custom sidebar kind', () => {
  it('renders its data in the PDF and as an aside in a valid EPUB', () => {
    const dir = pack(`title: Risk register
kind: risk
risks:
  - risk: Talks stall before October
    likelihood: medium
    mitigation: Keep the channel through Riyadh open
  - risk: New airstrikes <b>escalate</b>
    likelihood: high
`);
    const out = tempDir();
    const r = briefpack(['build', dir, '--out', out, '--format', 'pdf,epub']);
    expect(r.code, r.stderr).toBe(0);
    const text = allText(path.join(out, 'test-pack.pdf'));
    expect(text).toContain('RISK REGISTER'); // sidebar titles print in capitals
    expect(text).toContain('Talks stall before October');
    expect(text).toContain('Keep the channel through Riyadh open');
    // Data is text, never markup: the angle brackets print as written.
    expect(text).toContain('New airstrikes <b>escalate</b>');
    const epub = path.join(out, 'test-pack.epub');
    const report = epubCheck(epub);
    expect(report.messages).toEqual([]);
    const xhtml = unzipRead(epub, 'OEBPS/one.xhtml');
    expect(xhtml).toMatch(/<aside class="sidebar sidebar-risk"[^>]*epub:type="sidebar"/);
    expect(xhtml).toContain('<td>Talks stall before October</td>');
    expect(xhtml).not.toContain('<script');
  });

  it('reports schema problems at the YAML node', () => {
    const dir = pack(`title: Risk register
kind: risk
risks:
  - risk: Talks stall
    likelihood: certain
  - likelihood: low
    owner: Desk
`);
    const r = briefpack(['check', dir]);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => /^\S.*risk-register\.yaml:\d+:\d+/.test(l));
    expect(lines.map((l) => l.replace(/^.*risk-register\.yaml:/, ''))).toEqual([
      '5:17 error risks[0].likelihood must be one of "low", "medium", "high" (sidebar/type)',
      '6:5 error risks[1].risk is required (sidebar/required)',
      '7:5 error risks[1].owner is not a known field (sidebar/unknown-field)',
    ]);
  });
});
