/** src/write/release-manifest.ts: what manifest.json tells someone who checks a release. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Artifact, Pack } from '../../src/model.js';
import { inputsHash, releaseManifest } from '../../src/write/release-manifest.js';
import { ROOT } from '../helpers/cli.js';

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

/** A pack in /packs/<where> with the given input digests (pack-relative name -> SHA-256). */
function packWith(inputs: Array<[string, string]> | undefined, where = 'one', edition?: number): Pack {
  const root = `/packs/${where}`;
  return {
    manifest: { title: 'Syria and Russia', date: '2026-11-26', edition, root },
    inputs: inputs && new Map(inputs.map(([name, sha]) => [path.join(root, name), sha])),
  } as unknown as Pack;
}

const artifact = (format: Artifact['format'], file: string, pages?: number): Artifact => ({ format, path: file, bytes: 1234, sha256: A, pages, ms: 99 });

describe('manifest.json', () => {
  it('names the pack, each artifact by its file name with size, hash and pages, and what built it', () => {
    const text = releaseManifest([{ pack: packWith([['pack.yaml', A]], 'one', 2), artifacts: [artifact('pdf', '/out/syria.pdf', 12), artifact('epub', '/out/syria.epub')] }], 'chrome-headless-shell 131.0');
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual({
      pack: { title: 'Syria and Russia', edition: 2, date: '2026-11-26' },
      artifacts: [
        { path: 'syria.pdf', format: 'pdf', bytes: 1234, sha256: A, pages: 12 },
        { path: 'syria.epub', format: 'epub', bytes: 1234, sha256: A },
      ],
      build: { briefpack: VERSION, chromium: 'chrome-headless-shell 131.0', inputsSha256: inputsHash([packWith([['pack.yaml', A]])]) },
    });
    // Indented, for people reading it in a release page.
    expect(text).toContain('\n  "pack": {\n    "title": "Syria and Russia",');
  });

  it('says null, not nothing, for an edition the pack does not give and a build without Chromium', () => {
    const body = JSON.parse(releaseManifest([{ pack: packWith([]), artifacts: [artifact('html', '/out/x.html')] }], undefined)) as { pack: object; build: object };
    expect(body.pack).toEqual({ title: 'Syria and Russia', edition: null, date: '2026-11-26' });
    expect(body.build).toMatchObject({ chromium: null });
  });
});

describe('the hash of the inputs', () => {
  const yaml: [string, string] = ['pack.yaml', A];
  const md: [string, string] = ['articles/one.md', B];
  const png: [string, string] = ['images/map.png', A];
  const files = [yaml, md, png];

  it('is a SHA-256 in hex', () => {
    expect(inputsHash([packWith(files)])).toMatch(/^[0-9a-f]{64}$/);
    expect(inputsHash([packWith(undefined)])).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order the files were read in, nor on where the pack folder is', () => {
    const reference = inputsHash([packWith(files)]);
    expect(inputsHash([packWith([...files].reverse())])).toBe(reference);
    expect(inputsHash([packWith([md, yaml, png])])).toBe(reference);
    expect(inputsHash([packWith([png, yaml, md], 'elsewhere/deeper')])).toBe(reference);
  });

  it('does not depend on the order of many files either', () => {
    const many: Array<[string, string]> = ['pack.yaml', 'articles/a.md', 'articles/b.md', 'articles/c.md', 'images/a.png', 'images/b.png', 'sidebars/x.yaml', 'templates/t/print.css'].map((name, i) => [name, i % 2 ? A : B]);
    const reference = inputsHash([packWith(many)]);
    // Every rotation, and every rotation reversed.
    for (let r = 0; r < many.length; r++) {
      const rotated = [...many.slice(r), ...many.slice(0, r)];
      expect(inputsHash([packWith(rotated)]), `rotation ${r}`).toBe(reference);
      expect(inputsHash([packWith([...rotated].reverse())]), `rotation ${r} reversed`).toBe(reference);
    }
  });

  it('changes when a file changes, is renamed, added or removed', () => {
    const reference = inputsHash([packWith(files)]);
    const others = [
      packWith([['pack.yaml', B], md, png]),
      packWith([['pack.yml', A], md, png]),
      packWith([...files, ['images/new.png', B]]),
      packWith(files.slice(1)),
      packWith([]),
    ].map((pack) => inputsHash([pack]));
    expect(new Set([reference, ...others]).size).toBe(6);
  });
});

describe('manifest.json of a build of editions', () => {
  /** The pack as one edition of it was built: its edition's name and title, and the marking it computed. */
  function editionOf(name: string, title: string, marking: string): Pack {
    const pack = packWith([['pack.yaml', A]], 'one', 2);
    return { ...pack, manifest: { ...pack.manifest, builtEdition: { name, title }, classification: marking } } as unknown as Pack;
  }
  const marked = (format: Artifact['format'], file: string, edition: string, marking: string): Artifact => ({ ...artifact(format, file), edition, marking });

  it('lists each edition with its marking, and each artifact with the edition it belongs to', () => {
    const body = JSON.parse(
      releaseManifest(
        [
          { pack: editionOf('full', 'Full', 'OFFICIAL-SENSITIVE'), artifacts: [marked('pdf', '/out/syria-full.pdf', 'full', 'OFFICIAL-SENSITIVE')] },
          { pack: editionOf('public', 'Public', 'PUBLIC'), artifacts: [marked('pdf', '/out/syria-public.pdf', 'public', 'PUBLIC'), marked('epub', '/out/syria-public.epub', 'public', 'PUBLIC')] },
        ],
        undefined,
      ),
    ) as { editions: unknown; artifacts: Array<{ path: string; edition: string; marking: string }> };
    expect(body.editions).toEqual([
      { name: 'full', title: 'Full', marking: 'OFFICIAL-SENSITIVE' },
      { name: 'public', title: 'Public', marking: 'PUBLIC' },
    ]);
    expect(body.artifacts.map((a) => [a.path, a.edition, a.marking])).toEqual([
      ['syria-full.pdf', 'full', 'OFFICIAL-SENSITIVE'],
      ['syria-public.pdf', 'public', 'PUBLIC'],
      ['syria-public.epub', 'public', 'PUBLIC'],
    ]);
  });

  it('has no editions list for a pack built whole', () => {
    expect(JSON.parse(releaseManifest([{ pack: packWith([]), artifacts: [] }], undefined))).not.toHaveProperty('editions');
  });

  it('hashes the inputs of every edition once: an image only one edition carries still counts', () => {
    const full = packWith([['pack.yaml', A], ['images/secret.png', B]]);
    const pub = packWith([['pack.yaml', A]]);
    expect(inputsHash([full, pub])).toBe(inputsHash([full]));
    expect(inputsHash([pub, full])).toBe(inputsHash([full]));
    expect(inputsHash([pub])).not.toBe(inputsHash([full]));
  });
});
