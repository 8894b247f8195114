/** src/load/kinds.ts: a pack's own sidebar kinds (kinds/<name>/schema.json and template.html). */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/diagnostics.js';
import { FAILED_KIND, loadCustomKinds } from '../../src/load/kinds.js';
import type { SourceText } from '../../src/load/text.js';
import { tempDir } from '../helpers/cli.js';
import { writePack } from '../helpers/pack.js';

const SCHEMA = '{\n  "type": "object",\n  "properties": {"risk": {"type": "string"}},\n  "required": ["risk"]\n}\n';
const TEMPLATE = '<p class="risk" data-field="risk"></p>\n';

async function kinds(files: Record<string, string>, prepare?: (dir: string) => void) {
  const dir = writePack({ 'pack.yaml': 'x', ...files });
  prepare?.(dir);
  const diagnostics = new Diagnostics();
  const sources: SourceText[] = [];
  const found = await loadCustomKinds(dir, diagnostics, { sources });
  return {
    found,
    sources: sources.map((s) => path.relative(dir, s.path)),
    problems: diagnostics.list.map((d) => `${d.file ? d.file.replace(`${dir}/`, '') : '-'}:${d.position?.line}:${d.position?.column} ${d.rule} ${d.message}${d.hint ? ` | ${d.hint}` : ''}`),
  };
}

describe("a pack's own kinds", () => {
  it('are none without a kinds folder', async () => {
    const { found, problems } = await kinds({});
    expect(found.size).toBe(0);
    expect(problems).toEqual([]);
  });

  it('are read from each folder of kinds/, in name order, files beside them ignored, with the files they were read from', async () => {
    const { found, problems, sources } = await kinds({
      'kinds/risk/schema.json': SCHEMA,
      'kinds/risk/template.html': TEMPLATE,
      'kinds/alert/schema.json': SCHEMA,
      'kinds/alert/template.html': TEMPLATE,
      'kinds/README.md': 'not a kind',
    });
    expect(problems).toEqual([]);
    expect([...found.keys()]).toEqual(['alert', 'risk']);
    expect(sources).toEqual(['kinds/alert/schema.json', 'kinds/alert/template.html', 'kinds/risk/schema.json', 'kinds/risk/template.html']);
    const risk = found.get('risk');
    if (!risk || risk === FAILED_KIND) throw new Error('risk not loaded');
    expect(risk.name).toBe('risk');
    expect(risk.validate({ risk: 'high' })).toBe(true);
    expect(risk.validate({ level: 'high' })).toBe(false);
    expect(risk.template.children.length).toBeGreaterThan(0);
  });

  it('may not take a built-in name', async () => {
    const { found, problems } = await kinds({ 'kinds/people/schema.json': SCHEMA, 'kinds/people/template.html': TEMPLATE });
    expect(found.size).toBe(0);
    expect(problems).toEqual(['kinds/people:undefined:undefined sidebar/unknown-kind a custom kind may not reuse the built-in name "people"']);
  });

  it('without a template is marked failed, with the missing file named', async () => {
    const { found, problems } = await kinds({ 'kinds/risk/schema.json': SCHEMA });
    expect(found.get('risk')).toBe(FAILED_KIND);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('template.html');
  });

  it('may not be asynchronous, at any depth; "$async": false is fine', async () => {
    const nested = '{\n  "type": "object",\n  "properties": {\n    "x": {"$async": true, "type": "string"}\n  }\n}\n';
    const { found, problems } = await kinds({ 'kinds/risk/schema.json': nested, 'kinds/risk/template.html': TEMPLATE });
    expect(found.get('risk')).toBe(FAILED_KIND);
    expect(problems).toEqual([
      'kinds/risk/schema.json:4:11 sidebar/schema a custom kind\'s schema may not be asynchronous ("$async": true) | Remove "$async": sidebars are checked as they are read, without waiting for anything.',
    ]);
    const off = await kinds({ 'kinds/risk/schema.json': '{"$async": false, "type": "object"}', 'kinds/risk/template.html': TEMPLATE });
    expect(off.problems).toEqual([]);
    const inList = await kinds({ 'kinds/risk/schema.json': '{\n  "anyOf": [\n    {"type": "object"},\n    {"$async": "yes"}\n  ]\n}\n', 'kinds/risk/template.html': TEMPLATE });
    expect(inList.problems).toEqual([expect.stringMatching(/^kinds\/risk\/schema\.json:4:6 sidebar\/schema a custom kind's schema may not be asynchronous/)]);
  });

  it('with a schema that is no JSON Schema is refused at its start', async () => {
    const { found, problems } = await kinds({ 'kinds/risk/schema.json': '{"type": "nonsense"}', 'kinds/risk/template.html': TEMPLATE });
    expect(found.get('risk')).toBe(FAILED_KIND);
    expect(problems).toEqual([expect.stringMatching(/^kinds\/risk\/schema\.json:1:1 sidebar\/schema not a usable JSON Schema: .+/)]);
  });

  it('with a pattern the linear engine cannot run is refused at that pattern, in properties or as a property name', async () => {
    const schema = '{\n  "type": "object",\n  "patternProperties": {\n    "^(?=x)": {"type": "string"}\n  }\n}\n';
    const { problems } = await kinds({ 'kinds/risk/schema.json': schema, 'kinds/risk/template.html': TEMPLATE });
    expect(problems).toEqual([
      expect.stringMatching(/^kinds\/risk\/schema\.json:4:15 sidebar\/schema the pattern "\^\(\?=x\)" cannot be used: .* \| Patterns run on a linear-time engine \(RE2\): lookarounds and backreferences are not available; see SECURITY\.md\.$/),
    ]);
  });

  it('is refused where kinds/, or a kind\'s folder, is a link out of the pack', async () => {
    const outside = tempDir();
    mkdirSync(path.join(outside, 'risk'));
    writeFileSync(path.join(outside, 'risk', 'schema.json'), SCHEMA);
    writeFileSync(path.join(outside, 'risk', 'template.html'), TEMPLATE);
    const whole = await kinds({}, (dir) => symlinkSync(outside, path.join(dir, 'kinds')));
    expect(whole.found.size).toBe(0);
    expect(whole.problems).toEqual(['kinds:undefined:undefined file/outside-pack kinds is a link to a folder outside the pack folder']);
    const one = await kinds({ 'kinds/.keep': '' }, (dir) => symlinkSync(path.join(outside, 'risk'), path.join(dir, 'kinds', 'risk')));
    expect(one.found.size).toBe(0);
    expect(one.problems).toEqual(['kinds/risk:undefined:undefined file/outside-pack kinds/risk is a link to a folder outside the pack folder']);
  });

  it('may be a link to a folder inside the pack', async () => {
    const { found, problems } = await kinds({ 'shared/risk/schema.json': SCHEMA, 'shared/risk/template.html': TEMPLATE, 'kinds/.keep': '' }, (dir) =>
      symlinkSync(path.join(dir, 'shared', 'risk'), path.join(dir, 'kinds', 'risk')),
    );
    expect(problems).toEqual([]);
    expect([...found.keys()]).toEqual(['risk']);
  });
});
