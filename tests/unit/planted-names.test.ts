/**
 * The temporary names src/write/output.ts and src/cache.ts write to are made afresh, and never
 * written through when something is there already. To plant something under the name, this
 * file makes the random part of the names known (zeros).
 */
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (original) => {
  const crypto = await original<typeof import('node:crypto')>();
  return { ...crypto, randomBytes: (size: number) => Buffer.alloc(size) };
});

const { BuildCache, CACHE_DIR } = await import('../../src/cache.js');
const { BuildFailure, Diagnostics } = await import('../../src/diagnostics.js');
const { writeAtomically } = await import('../../src/write/output.js');
const { tempDir } = await import('../helpers/cli.js');

const ZEROS = '000000000000';

describe('a link planted under the temporary name', () => {
  it('of an output file is not written through: the build fails and the file it leads to is unchanged', async () => {
    const dir = tempDir();
    const victim = path.join(tempDir(), 'victim.txt');
    writeFileSync(victim, 'untouched');
    symlinkSync(victim, path.join(dir, `.pack.pdf.${process.pid}.${ZEROS}.0.tmp`));
    const error = await writeAtomically(dir, [{ name: 'pack.pdf', data: 'new' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailure);
    expect((error as InstanceType<typeof BuildFailure>).diagnostics[0]?.message).toMatch(/^cannot write to the output folder: EEXIST/);
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(existsSync(path.join(dir, 'pack.pdf'))).toBe(false);
  });

  it('of a cache entry is not written through: the entry is not made, and the file it leads to is unchanged', () => {
    const out = tempDir();
    const env = { BRIEFPACK_STATE_DIR: path.join(tempDir(), 'state') };
    const first = new BuildCache(out, true, new Diagnostics(), env);
    first.write('layout-x.json', '{}');
    first.flush(); // makes the folder and the key
    const victim = path.join(tempDir(), 'victim.txt');
    writeFileSync(victim, 'untouched');
    symlinkSync(victim, path.join(out, CACHE_DIR, `.layout-a.json.${ZEROS}.tmp`));
    const cache = new BuildCache(out, true, new Diagnostics(), env);
    cache.write('layout-a.json', '{"planted": false}');
    expect(() => cache.flush()).not.toThrow();
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(new BuildCache(out, true, new Diagnostics(), env).read('layout-a.json')).toBeUndefined();
  });
});
