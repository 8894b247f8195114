/**
 * The output folder is input too: cache entries are signed with a key kept outside it, and
 * writing the output never follows what someone planted there, and never leaves it half-done.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildCache, CACHE_DIR } from '../../src/cache.js';
import { BuildFailure, Diagnostics } from '../../src/diagnostics.js';
import { writeAtomically } from '../../src/write/output.js';
import { staleArtifacts } from '../../src/write/stale-artifacts.js';
import { tempDir } from '../helpers/cli.js';

function setup() {
  const out = tempDir('briefpack-out-');
  const env = { BRIEFPACK_STATE_DIR: path.join(tempDir('briefpack-state-'), 'state') };
  return { out, env, entry: (name: string) => path.join(out, CACHE_DIR, name) };
}

function cacheWith(out: string, env: NodeJS.ProcessEnv, enabled = true) {
  const diagnostics = new Diagnostics();
  return { cache: new BuildCache(out, enabled, diagnostics, env), diagnostics };
}

describe('the build cache', () => {
  it('gives back what it was given, and keeps its key outside the output folder, closed to others', () => {
    const { out, env } = setup();
    const first = cacheWith(out, env).cache;
    first.write('web-chapter-a.html', '<p>kept</p>');
    first.flush();
    const { cache, diagnostics } = cacheWith(out, env);
    expect(cache.read('web-chapter-a.html')?.toString()).toBe('<p>kept</p>');
    expect(diagnostics.list).toEqual([]);
    const secret = path.join(env.BRIEFPACK_STATE_DIR, 'cache-secret');
    expect(lstatSync(secret).mode & 0o777).toBe(0o600);
    expect(lstatSync(env.BRIEFPACK_STATE_DIR).mode & 0o777).toBe(0o700);
    expect(readdirSync(out)).toEqual([CACHE_DIR]);
  });

  it('rebuilds, with a warning, an entry changed outside briefpack (a <script>, a text in a tree)', () => {
    const { out, env, entry } = setup();
    const first = cacheWith(out, env).cache;
    first.write('web-chapter-a.html', '<p>clean</p>');
    first.write('chapter-tree-a.json', JSON.stringify({ type: 'text', value: 'clean' }));
    first.flush();
    writeFileSync(entry('web-chapter-a.html'), readFileSync(entry('web-chapter-a.html'), 'latin1').replace('<p>clean', '<script>steal()</script><p>clean'), 'latin1');
    writeFileSync(entry('chapter-tree-a.json'), readFileSync(entry('chapter-tree-a.json'), 'latin1').replace('clean', 'forged'), 'latin1');
    const { cache, diagnostics } = cacheWith(out, env);
    expect(cache.text('web-chapter-a.html', () => '<p>made again</p>')).toBe('<p>made again</p>');
    expect(cache.keep('chapter-tree-a.json')).toBe(false);
    expect(cache.readJson('chapter-tree-a.json')).toBeUndefined();
    expect(diagnostics.list.map((d) => `${d.severity} ${d.rule} ${d.message}`)).toEqual([
      'warning cache/rejected cache entry web-chapter-a.html failed its integrity check (it was changed outside briefpack); it was made again',
      'warning cache/rejected cache entry chapter-tree-a.json failed its integrity check (it was changed outside briefpack); it was made again',
      'warning cache/rejected cache entry chapter-tree-a.json failed its integrity check (it was changed outside briefpack); it was made again',
    ]);
  });

  it('passes over, without a word, entries made with another key or by an older briefpack, and a planted file', () => {
    const { out, env, entry } = setup();
    const first = cacheWith(out, env).cache;
    first.write('layout-a.json', '{"pages": 3}');
    first.flush();
    // The same output folder, another user's (or machine's) secret.
    const other = cacheWith(out, { BRIEFPACK_STATE_DIR: path.join(tempDir(), 'other') });
    expect(other.cache.read('layout-a.json')).toBeUndefined();
    writeFileSync(entry('layout-b.json'), '{"pages": 1}');
    const { cache, diagnostics } = cacheWith(out, env);
    expect(cache.read('layout-b.json')).toBeUndefined();
    expect(cache.read('layout-a.json')?.toString()).toBe('{"pages": 3}');
    expect([...diagnostics.list, ...other.diagnostics.list]).toEqual([]);
  });

  it('ignores and leaves alone a cache that is a link to somewhere else, and reads no entry that is a link', () => {
    const { out, env } = setup();
    const elsewhere = tempDir();
    writeFileSync(path.join(elsewhere, 'victim.txt'), 'untouched');
    symlinkSync(elsewhere, path.join(out, CACHE_DIR));
    const { cache, diagnostics } = cacheWith(out, env);
    cache.write('victim.txt', 'overwritten');
    cache.flush();
    expect(readFileSync(path.join(elsewhere, 'victim.txt'), 'utf8')).toBe('untouched');
    expect(readdirSync(elsewhere)).toEqual(['victim.txt']);
    expect(diagnostics.list.map((d) => d.rule)).toEqual(['cache/rejected']);

    const second = setup();
    const made = cacheWith(second.out, second.env).cache;
    made.write('layout-a.json', '{}');
    made.flush();
    symlinkSync(second.entry('layout-a.json'), second.entry('layout-link.json'));
    expect(cacheWith(second.out, second.env).cache.read('layout-link.json')).toBeUndefined();
  });

  it('is not used, with a warning, when its key would sit where others can change it', () => {
    const { out, env } = setup();
    mkdirSync(env.BRIEFPACK_STATE_DIR, { recursive: true });
    chmodSync(env.BRIEFPACK_STATE_DIR, 0o777);
    const { cache, diagnostics } = cacheWith(out, env);
    cache.write('layout-a.json', '{}');
    cache.flush();
    expect(readdirSync(out)).toEqual([CACHE_DIR]);
    expect(readdirSync(path.join(out, CACHE_DIR))).toEqual([]);
    expect(diagnostics.list.map((d) => `${d.rule} ${d.message}`)).toEqual([
      expect.stringMatching(/^cache\/key the build cache is not used: there is no safe place for its key \(.*others may change it \(mode 777\)\)$/),
    ]);
  });

  it('with --no-cache, reads nothing, writes nothing and needs no key', () => {
    const { out, env, entry } = setup();
    const made = cacheWith(out, env).cache;
    made.write('layout-a.json', '{}');
    made.flush();
    const before = readFileSync(entry('layout-a.json'));
    const off = cacheWith(out, { BRIEFPACK_STATE_DIR: '/proc/nowhere' }, false);
    expect(off.cache.read('layout-a.json')).toBeUndefined();
    off.cache.write('layout-a.json', 'changed');
    off.cache.flush();
    expect(readFileSync(entry('layout-a.json'))).toEqual(before);
    expect(off.diagnostics.list).toEqual([]);
  });
});

describe('writing the output', () => {
  it('replaces a planted link with the file instead of writing through it', async () => {
    const out = tempDir();
    const victim = path.join(tempDir(), 'victim.txt');
    writeFileSync(victim, 'untouched');
    symlinkSync(victim, path.join(out, 'pack.pdf'));
    await writeAtomically(out, [{ name: 'pack.pdf', data: 'new pdf' }]);
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(lstatSync(path.join(out, 'pack.pdf')).isFile()).toBe(true);
    expect(readFileSync(path.join(out, 'pack.pdf'), 'utf8')).toBe('new pdf');
  });

  it('puts every file back as it was when one of them cannot go into place, manifest.json included', async () => {
    const out = tempDir();
    await writeAtomically(out, [
      { name: 'pack.pdf', data: 'old pdf' },
      { name: 'manifest.json', data: '{"old": true}' },
    ]);
    // The EPUB cannot be renamed into place: a folder with something in it has its name.
    mkdirSync(path.join(out, 'pack.epub', 'in-the-way'), { recursive: true });
    const failure = await writeAtomically(out, [
      { name: 'pack.pdf', data: 'new pdf' },
      { name: 'pack.html', data: 'new html' },
      { name: 'pack.epub', data: 'new epub' },
      { name: 'manifest.json', data: '{"new": true}' },
    ]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BuildFailure);
    expect(readFileSync(path.join(out, 'pack.pdf'), 'utf8')).toBe('old pdf');
    expect(readFileSync(path.join(out, 'manifest.json'), 'utf8')).toBe('{"old": true}');
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'pack.epub', 'pack.pdf']);
  });

  it('takes away what an earlier build of another edition wrote, with the write, and puts it back when the write fails', async () => {
    const out = tempDir();
    const old = JSON.stringify({ editions: [{ name: 'full' }], artifacts: [{ path: 'pack-full.pdf' }, { path: '../outside.pdf' }, { path: 'notes.txt' }, { path: 'gone.pdf' }] });
    await writeAtomically(out, [
      { name: 'pack-full.pdf', data: 'restricted pdf' },
      { name: 'notes.txt', data: 'the editor\'s own' },
      { name: 'manifest.json', data: old },
    ]);
    // Only plain artifact names that are files here, and not written again: never a path, never another kind of file.
    expect(staleArtifacts(out, ['pack-public.pdf', 'manifest.json'], true)).toEqual(['pack-full.pdf']);
    // A build without editions after one without: what it always did.
    writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ artifacts: [{ path: 'pack-full.pdf' }] }));
    expect(staleArtifacts(out, ['pack.pdf'], false)).toEqual([]);
    expect(staleArtifacts(out, ['pack.pdf'], true)).toEqual(['pack-full.pdf']);

    mkdirSync(path.join(out, 'pack-public.epub', 'in-the-way'), { recursive: true });
    const failure = await writeAtomically(out, [{ name: 'pack-public.pdf', data: 'public pdf' }, { name: 'pack-public.epub', data: 'epub' }], ['pack-full.pdf']).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BuildFailure);
    expect(readFileSync(path.join(out, 'pack-full.pdf'), 'utf8')).toBe('restricted pdf');
    rmSync(path.join(out, 'pack-public.epub'), { recursive: true });
    await writeAtomically(out, [{ name: 'pack-public.pdf', data: 'public pdf' }], ['pack-full.pdf']);
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'notes.txt', 'pack-public.pdf']);
  });
});
