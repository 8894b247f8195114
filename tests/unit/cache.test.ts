/**
 * src/cache.ts: what a rebuild may take from `<out>/.briefpack-cache/` and what the cache keeps.
 * (cache-and-output.test.ts has the signing key, forged entries and planted links.)
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildCache, CACHE_DIR, contentKey, ENTRY_HEADER_BYTES } from '../../src/cache.js';
import { Diagnostics } from '../../src/diagnostics.js';
import { tempDir } from '../helpers/cli.js';

function setup() {
  const out = tempDir('briefpack-out-');
  const env = { BRIEFPACK_STATE_DIR: path.join(tempDir('briefpack-state-'), 'state') };
  const open = (enabled = true) => {
    const diagnostics = new Diagnostics();
    return { cache: new BuildCache(out, enabled, diagnostics, env), diagnostics };
  };
  const entries = () => readdirSync(path.join(out, CACHE_DIR)).sort();
  return { out, env, open, entries, entry: (name: string) => path.join(out, CACHE_DIR, name) };
}

/** A cache holding `names`, each with its name as its text. */
function filled(names: string[]) {
  const s = setup();
  const { cache } = s.open();
  for (const name of names) cache.write(name, name);
  cache.flush();
  return s;
}

describe('content keys', () => {
  it('are 32 hex digits that change with any part and with where one part ends', () => {
    const key = contentKey('article', 'text');
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(contentKey('article', 'text')).toBe(key);
    expect(contentKey(Buffer.from('article'), 'text')).toBe(key);
    const others = [contentKey('article', 'text2'), contentKey('articlet', 'ext'), contentKey('article', 'text', ''), contentKey('articletext'), contentKey()];
    expect(new Set([key, ...others]).size).toBe(6);
  });
});

describe('entries', () => {
  it('give back bytes, texts and JSON as written, each behind a header of the documented size', () => {
    const { open, entry } = setup();
    const first = open().cache;
    first.write('part-1.pdf', Buffer.from([0, 255, 1]));
    first.write('layout-a.json', '{"pages":3}');
    first.write('web-chapter-a.html', '<p>Zürich</p>');
    first.flush();
    expect(statSync(entry('part-1.pdf')).size).toBe(ENTRY_HEADER_BYTES + 3);
    expect(readFileSync(entry('part-1.pdf')).subarray(0, 4).toString()).toBe('BPC1');
    const { cache, diagnostics } = open();
    expect([...(cache.read('part-1.pdf') ?? [])]).toEqual([0, 255, 1]);
    expect(cache.readJson('layout-a.json')).toEqual({ pages: 3 });
    expect(cache.text('web-chapter-a.html', () => 'made again')).toBe('<p>Zürich</p>');
    expect(diagnostics.list).toEqual([]);
  });

  it('are not read before they are flushed: a build that fails leaves the cache as it was', () => {
    const { open, out } = setup();
    const { cache } = open();
    cache.write('layout-a.json', '{}');
    expect(cache.read('layout-a.json')).toBeUndefined();
    expect(existsSync(path.join(out, CACHE_DIR))).toBe(false);
  });

  it('made by text() when missing, are kept for the next build', () => {
    const { open } = setup();
    const first = open().cache;
    let made = 0;
    const make = () => {
      made += 1;
      return `<p>made ${made}</p>`;
    };
    expect(first.text('web-chapter-a.html', make)).toBe('<p>made 1</p>');
    first.flush();
    expect(open().cache.text('web-chapter-a.html', make)).toBe('<p>made 1</p>');
    expect(made).toBe(1);
  });

  it('that are not JSON, are cut short, or are not the cache\'s own, are passed over', () => {
    const { open, entry } = setup();
    const first = open().cache;
    first.write('layout-a.json', 'not json {');
    first.write('layout-b.json', '{}');
    first.flush();
    writeFileSync(entry('layout-b.json'), readFileSync(entry('layout-b.json')).subarray(0, ENTRY_HEADER_BYTES - 1));
    writeFileSync(entry('layout-c.json'), Buffer.concat([Buffer.from('BPC0'), readFileSync(entry('layout-a.json')).subarray(4)]));
    writeFileSync(entry('layout-d.json'), '');
    const { cache, diagnostics } = open();
    expect(cache.readJson('layout-a.json')).toBeUndefined();
    for (const name of ['layout-b.json', 'layout-c.json', 'layout-d.json', 'layout-missing.json']) {
      expect(cache.read(name)).toBeUndefined();
      expect(cache.has(name)).toBe(false);
      expect(cache.keep(name)).toBe(false);
    }
    expect(diagnostics.list).toEqual([]);
  });

  it('that are a FIFO or a folder are passed over without waiting', () => {
    const { open, entry } = filled(['layout-a.json']);
    execFileSync('mkfifo', [entry('layout-fifo.json')]);
    mkdirSync(entry('layout-dir.json'));
    const { cache, diagnostics } = open();
    expect(cache.read('layout-fifo.json')).toBeUndefined();
    expect(cache.read('layout-dir.json')).toBeUndefined();
    expect(cache.read('layout-a.json')?.toString()).toBe('layout-a.json');
    expect(diagnostics.list).toEqual([]);
  });

  it('are not used, with one warning, when the cache is a file', () => {
    const { out, open } = setup();
    writeFileSync(path.join(out, CACHE_DIR), 'a file');
    const { cache, diagnostics } = open();
    expect(cache.read('layout-a.json')).toBeUndefined();
    expect(cache.has('layout-b.json')).toBe(false);
    cache.write('layout-a.json', '{}');
    cache.flush();
    expect(readFileSync(path.join(out, CACHE_DIR), 'utf8')).toBe('a file');
    expect(diagnostics.list.map((d) => `${d.severity} ${d.rule} ${d.message} | ${d.hint}`)).toEqual([
      `warning cache/rejected the build cache ${path.join(out, CACHE_DIR)} is not a folder (a link or a file): it is not used | Remove it; the next build makes a new one.`,
    ]);
  });

  it('are written under their own names only, with nothing left beside them', () => {
    const { entries } = filled(['layout-a.json', 'cover-b.png']);
    expect(entries()).toEqual(['cover-b.png', 'layout-a.json']);
  });

  it('are not written, nor a folder made, when nothing is pending or the cache is off', () => {
    const { open, out } = setup();
    open().cache.flush();
    const off = open(false).cache;
    off.write('layout-a.json', '{}');
    off.flush();
    expect(off.enabled).toBe(false);
    expect(readdirSync(out)).toEqual([]);
  });

  it('that cannot be written only cost the next build time', () => {
    const { open, entry, entries } = setup();
    const { cache, diagnostics } = open();
    mkdirSync(entry('layout-a.json'), { recursive: true }); // a folder where the entry would go
    cache.write('layout-a.json', '{}');
    cache.write('layout-b.json', '{}');
    expect(() => cache.flush()).not.toThrow();
    expect(entries()).toEqual(['layout-a.json', 'layout-b.json']);
    expect(open().cache.read('layout-b.json')?.toString()).toBe('{}');
    expect(diagnostics.list).toEqual([]);
  });
});

describe('what no one else should be able to slip in', () => {
  it('an entry moved to another name fails its check, even where name and data run together the same', () => {
    const { open, entry } = setup();
    const first = open().cache;
    first.write('layout-a', 'Xyz');
    first.flush();
    // "layout-a" + "Xyz" and "layout-aX" + "yz" are the same bytes run together.
    const bytes = readFileSync(entry('layout-a'));
    writeFileSync(entry('layout-aX'), Buffer.concat([bytes.subarray(0, ENTRY_HEADER_BYTES), Buffer.from('yz')]));
    writeFileSync(entry('layout-b'), bytes);
    const { cache, diagnostics } = open();
    expect(cache.read('layout-aX')).toBeUndefined();
    expect(cache.read('layout-b')).toBeUndefined();
    expect(cache.read('layout-a')?.toString()).toBe('Xyz');
    expect(diagnostics.list.map((d) => `${d.severity} ${d.rule} ${d.file} ${d.message} | ${d.hint}`)).toEqual(
      ['layout-aX', 'layout-b'].map(
        (name) =>
          `warning cache/rejected ${entry(name)} cache entry ${name} failed its integrity check (it was changed outside briefpack); it was made again | Someone or something wrote into the build cache. The output was made without it; check who can write to the output folder.`,
      ),
    );
  });

  it('an empty entry is given back empty, not taken for a missing one', () => {
    const { open } = setup();
    const first = open().cache;
    first.write('layout-empty.json', '');
    first.flush();
    const { cache } = open();
    expect(cache.read('layout-empty.json')?.length).toBe(0);
    expect(cache.has('layout-empty.json')).toBe(true);
  });

  it('a device planted as an entry is passed over, not read (it would never end)', () => {
    const { open, entry } = filled(['layout-a.json']);
    execFileSync('mknod', [entry('layout-zero.json'), 'c', '1', '5']); // /dev/zero
    const { cache, diagnostics } = open();
    expect(cache.read('layout-zero.json')).toBeUndefined();
    expect(diagnostics.list).toEqual([]);
  });

  it('a cache that is a link stays refused for the whole build, though it leads to good entries', () => {
    const made = filled(['layout-a.json']);
    const { out, open } = setup();
    symlinkSync(path.join(made.out, CACHE_DIR), path.join(out, CACHE_DIR));
    const other = new BuildCache(out, true, new Diagnostics(), made.env);
    expect(other.read('layout-a.json')).toBeUndefined();
    expect(other.read('layout-a.json')).toBeUndefined();
    expect(other.has('layout-a.json')).toBe(false);
    expect(open().cache.read('layout-a.json')).toBeUndefined();
  });

  it('with no safe place for its key, warns once, however often it is asked', () => {
    const { open, env } = setup();
    mkdirSync(env.BRIEFPACK_STATE_DIR, { recursive: true });
    chmodSync(env.BRIEFPACK_STATE_DIR, 0o777);
    const { cache, diagnostics } = open();
    cache.write('layout-a.json', '{}');
    cache.flush();
    cache.write('layout-a.json', '{}');
    cache.flush();
    expect(cache.read('layout-a.json')).toBeUndefined();
    expect(diagnostics.list.map((d) => d.rule)).toEqual(['cache/key']);
  });

  it('without anyone to tell, still passes over what it cannot use, without failing', () => {
    const { out, env, open, entry } = setup();
    const first = open().cache;
    first.write('layout-a.json', '{}');
    first.flush();
    writeFileSync(entry('layout-a.json'), Buffer.concat([readFileSync(entry('layout-a.json')), Buffer.from(' ')]));
    const quiet = new BuildCache(out, true, undefined, env);
    expect(quiet.read('layout-a.json')).toBeUndefined();
    const unsafe = { BRIEFPACK_STATE_DIR: path.join(tempDir(), 'open') };
    mkdirSync(unsafe.BRIEFPACK_STATE_DIR, { recursive: true });
    chmodSync(unsafe.BRIEFPACK_STATE_DIR, 0o777);
    expect(new BuildCache(out, true, undefined, unsafe).read('layout-a.json')).toBeUndefined();
    const linked = setup();
    symlinkSync(out, path.join(linked.out, CACHE_DIR));
    expect(new BuildCache(linked.out, true, undefined, env).read('layout-a.json')).toBeUndefined();
  });
});

describe('pruning', () => {
  const OLD = ['part-old.pdf', 'folios-old.pdf', 'article-old.json', 'chapter-old.json', 'sidebar-old.json', 'epub-chapter-old.xhtml', 'web-chapter-old.html', 'print-chapter-old.html', 'overflow-old.json'];

  it('drops, of each latest-only family this build used, the entries it neither read nor wrote', () => {
    const { open, entries } = filled([...OLD, 'part-kept.pdf', 'layout-old.json', 'cover-old.png']);
    const { cache } = open();
    expect(cache.read('part-kept.pdf')).toBeDefined();
    for (const prefix of ['folios-', 'article-', 'chapter-', 'sidebar-', 'epub-chapter-', 'web-chapter-', 'print-chapter-', 'overflow-']) cache.write(`${prefix}new`, 'new');
    cache.flush();
    expect(entries()).toEqual(
      ['part-kept.pdf', 'layout-old.json', 'cover-old.png', ...['folios-', 'article-', 'chapter-', 'sidebar-', 'epub-chapter-', 'web-chapter-', 'print-chapter-', 'overflow-'].map((p) => `${p}new`)].sort(),
    );
  });

  it('keeps the families this build did not use: an EPUB-only build keeps the printed parts', () => {
    const { open, entries } = filled(['part-1.pdf', 'folios-1.pdf', 'epub-chapter-old.xhtml']);
    const { cache } = open();
    cache.write('epub-chapter-new.xhtml', 'new');
    cache.flush();
    expect(entries()).toEqual(['epub-chapter-new.xhtml', 'folios-1.pdf', 'part-1.pdf']);
  });

  it('keeps what keep() named, but not what has() only looked at', () => {
    const { open, entries } = filled(['part-1.pdf', 'part-2.pdf', 'part-3.pdf']);
    const { cache } = open();
    expect(cache.keep('part-1.pdf')).toBe(true);
    expect(cache.has('part-2.pdf')).toBe(true);
    cache.write('part-4.pdf', 'new');
    cache.flush();
    expect(entries()).toEqual(['part-1.pdf', 'part-4.pdf']);
  });

  it('drops nothing when this build only wrote entries kept for every setting', () => {
    const { open, entries } = filled(['part-1.pdf', 'layout-a.json']);
    const { cache } = open();
    cache.write('layout-b.json', '{}');
    cache.flush();
    expect(entries()).toEqual(['layout-a.json', 'layout-b.json', 'part-1.pdf']);
  });
});
