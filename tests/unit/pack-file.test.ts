/**
 * The one rule for files a pack provides: inside the pack by real path (links inside are fine),
 * regular files only, a size limit, read once. Every kind of link and special file, and the
 * messages, which must not tell whether something outside the pack exists.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isProblem, readPackFile, SIZE_LIMITS, type PackFile, type PackFileProblem } from '../../src/load/pack-file.js';
import { tempDir } from '../helpers/cli.js';

const LIMIT = { bytes: 1000, what: 'a test file' };

function pack(): { root: string; outside: string } {
  const root = tempDir('briefpack-packfile-');
  const outside = tempDir('briefpack-outside-');
  mkdirSync(path.join(root, 'articles'));
  writeFileSync(path.join(root, 'articles', 'real.md'), 'inside');
  writeFileSync(path.join(outside, 'secret.txt'), 'MY_CI_TOKEN=do-not-publish');
  return { root, outside };
}

function problem(result: PackFile | PackFileProblem): string {
  if (!isProblem(result)) throw new Error(`read ${result.bytes.length} bytes, expected a problem`);
  return `${result.problem.rule}: ${result.problem.message}`;
}

function bytes(result: PackFile | PackFileProblem): string {
  if (isProblem(result)) throw new Error(`expected the file, got ${result.problem.message}`);
  return result.bytes.toString('utf8');
}

describe('readPackFile', () => {
  it('reads a file and follows links that stay inside the pack (relative, absolute, chained, through a folder)', () => {
    const { root } = pack();
    symlinkSync('real.md', path.join(root, 'articles', 'relative.md'));
    symlinkSync(path.join(root, 'articles', 'real.md'), path.join(root, 'articles', 'absolute.md'));
    symlinkSync('relative.md', path.join(root, 'articles', 'chained.md'));
    symlinkSync('articles', path.join(root, 'more'));
    for (const name of ['articles/real.md', 'articles/relative.md', 'articles/absolute.md', 'articles/chained.md', 'more/real.md']) {
      expect(bytes(readPackFile(root, name, LIMIT)), name).toBe('inside');
    }
    const read = readPackFile(root, 'articles/chained.md', LIMIT) as PackFile;
    expect(read.path).toBe(path.join(root, 'articles', 'chained.md'));
    expect(read.real.endsWith(path.join('articles', 'real.md'))).toBe(true);
  });

  it('refuses every way out of the pack, with the same message whether the target exists or not', () => {
    const { root, outside } = pack();
    const links: Record<string, string> = {
      'absolute.md': path.join(outside, 'secret.txt'),
      'relative.md': path.relative(path.join(root, 'articles'), path.join(outside, 'secret.txt')),
      'dangling.md': path.join(outside, 'no-such-file'),
      'proc.md': '/proc/self/environ',
      'zero.md': '/dev/zero',
      'dotdot.md': '../../../../../../../etc/passwd',
    };
    for (const [name, target] of Object.entries(links)) symlinkSync(target, path.join(root, 'articles', name));
    // A link inside that leads to a link out; a folder that is a link out.
    symlinkSync('absolute.md', path.join(root, 'articles', 'via-inside.md'));
    symlinkSync(outside, path.join(root, 'folder'));
    for (const name of [...Object.keys(links), 'via-inside.md']) {
      expect(problem(readPackFile(root, `articles/${name}`, LIMIT)), name).toBe('file/outside-pack: this file is a link to a file outside the pack folder');
    }
    expect(problem(readPackFile(root, 'folder/secret.txt', LIMIT))).toBe('file/outside-pack: this file is a link to a file outside the pack folder');
    expect(problem(readPackFile(root, '../x.md', LIMIT))).toBe('file/outside-pack: this file is outside the pack folder');
    expect(problem(readPackFile(root, path.join(outside, 'secret.txt'), LIMIT))).toBe('file/outside-pack: this file is outside the pack folder');
  });

  it('reports a problem where the file is named, with the file in the message', () => {
    const { root, outside } = pack();
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'articles', 'leak.md'));
    const read = readPackFile(root, 'articles/leak.md', LIMIT, { file: 'pack.yaml', position: { line: 5, column: 5 } });
    expect(isProblem(read) && read.problem).toMatchObject({ file: 'pack.yaml', position: { line: 5, column: 5 }, rule: 'file/outside-pack' });
    expect(isProblem(read) && read.problem.message).toMatch(/articles\/leak\.md is a link to a file outside the pack folder$/);
  });

  it('refuses what is not a regular file without opening it: a FIFO, a socket, a folder, a link loop', async () => {
    const { root } = pack();
    const fifo = path.join(root, 'articles', 'fifo.md');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // A FIFO with no writer would block a plain open or read for ever; this returns at once.
    expect(problem(readPackFile(root, 'articles/fifo.md', LIMIT))).toBe('file/not-regular: this file is a FIFO (named pipe), not a regular file');
    const socket = path.join(root, 'articles', 'socket.md');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      expect(problem(readPackFile(root, 'articles/socket.md', LIMIT))).toBe('file/not-regular: this file is a socket, not a regular file');
    } finally {
      server.close();
    }
    expect(problem(readPackFile(root, 'articles', LIMIT))).toBe('file/not-regular: this file is a folder, not a regular file');
    symlinkSync('loop-b.md', path.join(root, 'articles', 'loop-a.md'));
    symlinkSync('loop-a.md', path.join(root, 'articles', 'loop-b.md'));
    expect(problem(readPackFile(root, 'articles/loop-a.md', LIMIT))).toBe('file/missing: this file cannot be read: too many levels of links');
  });

  it.skipIf(process.getuid?.() !== 0)('refuses a device inside the pack (made with mknod, as root)', () => {
    const { root } = pack();
    expect(spawnSync('mknod', [path.join(root, 'articles', 'zero.md'), 'c', '1', '5']).status).toBe(0);
    expect(problem(readPackFile(root, 'articles/zero.md', LIMIT))).toBe('file/not-regular: this file is a device, not a regular file');
  });

  it('stops at the size limit, with the limit in the message', () => {
    const { root } = pack();
    writeFileSync(path.join(root, 'articles', 'big.md'), 'x'.repeat(1001));
    writeFileSync(path.join(root, 'articles', 'huge.md'), 'x'.repeat(20_000));
    writeFileSync(path.join(root, 'articles', 'fits.md'), 'x'.repeat(1000));
    expect(problem(readPackFile(root, 'articles/big.md', LIMIT))).toBe('file/too-large: this file is 1 kB; a test file may be at most 1 kB');
    expect(problem(readPackFile(root, 'articles/huge.md', LIMIT))).toBe('file/too-large: this file is more than 1 kB; a test file may be at most 1 kB');
    expect(bytes(readPackFile(root, 'articles/fits.md', LIMIT))).toHaveLength(1000);
    expect(SIZE_LIMITS.article.bytes).toBe(16 * 1024 * 1024);
  });

  it('says a missing file is missing', () => {
    const { root } = pack();
    const read = readPackFile(root, 'articles/none.md', LIMIT);
    expect(problem(read)).toBe('file/missing: file not found');
    expect(isProblem(read) && read.missing).toBe(true);
  });
});
