import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/diagnostics.js';
import { loadSidebar, loadSidebars } from '../../src/load/sidebars.js';
import { writePack } from '../helpers/pack.js';

async function problemsIn(name: string, content: string) {
  const dir = writePack({ [`sidebars/${name}`]: content });
  const diagnostics = new Diagnostics();
  const sidebar = loadSidebar(dir, path.join(dir, 'sidebars', name), diagnostics);
  return {
    sidebar,
    problems: diagnostics.list.map((d) => `${d.position?.line}:${d.position?.column} ${d.severity} ${d.message} (${d.rule})`),
  };
}

const PEOPLE = `title: Key people
kind: people
people:
  - name: A
    role: Minister
  - name: B
    role: Envoy
`;

/** Each bad file and exactly what briefpack must say about it. */
const cases: Array<{ name: string; file?: string; content: string; expected: string[] }> = [
  {
    name: 'missing field in a list item (reported at the item)',
    content: `${PEOPLE}  - name: C\n    country: Syria\n`,
    expected: ['8:5 error people[2].role is required (sidebar/required)'],
  },
  {
    name: 'wrong type',
    content: 'title: T\nkind: people\npeople:\n  - name: A\n    role: [one, two]\n',
    expected: ['5:11 error people[0].role must be a text, not a list (sidebar/type)'],
  },
  {
    name: 'unknown field (reported at the key)',
    content: 'title: T\nkind: facts\nfacts:\n  - label: Bases\n    value: Two\n    valeu: typo\n',
    expected: ['6:5 error facts[0].valeu is not a known field (sidebar/unknown-field)'],
  },
  {
    name: 'bad date in a timeline',
    content: 'title: T\nkind: timeline\nevents:\n  - date: 2026-02-30\n    event: Summit\n',
    expected: [
      '4:11 error events[0].date is not a date: write YYYY, YYYY-MM, YYYY-MM-DD, a range such as 2026-10-01/2026-10-03, or "autumn 2026" (sidebar/date)',
    ],
  },
  {
    name: 'timeline event with neither date nor when',
    content: 'title: T\nkind: timeline\nevents:\n  - event: Summit\n',
    expected: ['4:5 error events[0] needs either date (a date that sorts) or when (a relative time such as "this week"), not both (sidebar/required)'],
  },
  {
    name: 'YAML syntax error',
    content: 'title: T\nkind: people\npeople:\n  - name: "unterminated\n    role: x\n',
    expected: ['4:11 error YAML syntax: this double-quoted text is never closed (yaml/syntax)'],
  },
  {
    name: 'empty file',
    content: '',
    expected: ['1:1 error the sidebar file is empty; it needs at least title, kind and its items (file/empty)'],
  },
  {
    name: 'file with only comments',
    content: '# nothing here yet\n',
    expected: ['1:1 error the sidebar file is empty; it needs at least title, kind and its items (file/empty)'],
  },
  {
    name: 'unknown kind (reported at the kind value)',
    content: 'title: T\nkind: biography\n',
    expected: ['2:7 error unknown sidebar kind "biography" (sidebar/unknown-kind)'],
  },
  {
    name: 'missing kind',
    content: 'title: T\npeople: []\n',
    expected: ['1:1 error kind is required (sidebar/required)'],
  },
  {
    name: 'missing title',
    content: 'kind: glossary\nterms:\n  - term: EPUB\n    definition: An e-book format\n',
    expected: ['1:1 error title is required (sidebar/required)'],
  },
  {
    name: 'empty list',
    content: 'title: T\nkind: glossary\nterms: []\n',
    expected: ['3:8 error terms needs at least 1 item (sidebar/type)'],
  },
  {
    name: 'a list where a mapping is expected',
    content: '- title: T\n- kind: people\n',
    expected: ['1:1 error a sidebar file must be a mapping of fields (title, kind, ...) (sidebar/type)'],
  },
  {
    name: 'duplicate key',
    content: 'title: T\ntitle: U\nkind: quote\ntext: x\nspeaker: y\n',
    expected: ['2:1 error the key "title" appears twice in the same mapping (yaml/duplicate-key)'],
  },
  {
    name: 'bad confidence level in a summary',
    content: 'title: Key judgments\nkind: summary\npoints:\n  - text: Talks continue\n    confidence: certain\n',
    expected: ['5:17 error points[0].confidence must be one of "low", "moderate", "high", not the text "certain" (sidebar/type)'],
  },
  {
    name: 'bad id',
    content: 'id: Key People!\ntitle: T\nkind: quote\ntext: x\nspeaker: y\n',
    expected: ['1:5 error id must be lower-case letters, digits and hyphens (sidebar/type)'],
  },
  {
    name: 'remote source URL with a bad scheme',
    content: 'title: T\nkind: sources\nsources:\n  - title: A\n    url: ftp://example.org/a\n',
    expected: ['5:10 error sources[0].url must be an http(s) URL (sidebar/type)'],
  },
  {
    name: 'positions actor with nothing said about them',
    content: 'title: T\nkind: positions\npositions:\n  - actor: Moscow\n',
    expected: ['4:5 error positions[0] needs at least one of wants, concerns or red_lines (sidebar/required)'],
  },
  {
    name: 'several problems in one file, all reported',
    content: 'title: T\nkind: people\npeople:\n  - name: A\n  - role: B\n    nmae: C\n',
    expected: [
      '4:5 error people[0].role is required (sidebar/required)',
      '5:5 error people[1].name is required (sidebar/required)',
      '6:5 error people[1].nmae is not a known field (sidebar/unknown-field)',
    ],
  },
  {
    name: 'JSON with a wrong type',
    file: 'facts.json',
    content: '{\n  "title": "T",\n  "kind": "facts",\n  "facts": [\n    { "label": "Bases", "value": 2 }\n  ]\n}\n',
    expected: ['5:34 error facts[0].value must be a text, not number 2 (sidebar/type)'],
  },
];

describe('bad sidebar files', () => {
  it.each(cases)('$name', async ({ file, content, expected }) => {
    const { sidebar, problems } = await problemsIn(file ?? 'bad.yaml', content);
    expect(sidebar).toBeUndefined();
    expect(problems.sort()).toEqual([...expected].sort());
  });
});

describe('good sidebar files', () => {
  it('takes the id from the file name unless given', async () => {
    const { sidebar, problems } = await problemsIn('key-people.yaml', PEOPLE);
    expect(problems).toEqual([]);
    expect(sidebar?.id).toBe('key-people');
  });

  it('reports a duplicate id at the second file', async () => {
    const quote = (id: string) => `id: ${id}\ntitle: T\nkind: quote\ntext: x\nspeaker: y\n`;
    const dir = writePack({ 'sidebars/a.yaml': quote('same'), 'sidebars/b.yaml': quote('same') });
    const diagnostics = new Diagnostics();
    const map = await loadSidebars(dir, diagnostics);
    expect(map.size).toBe(1);
    expect(diagnostics.list.map((d) => `${path.basename(d.file!)}:${d.position?.line}:${d.position?.column} ${d.rule}`)).toEqual([
      'b.yaml:1:5 sidebar/duplicate-id',
    ]);
  });
});
