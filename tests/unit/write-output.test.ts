/**
 * src/write/output.ts: the output folder's lock, and writing every file of a build at once or
 * not at all. (cache-and-output.test.ts has the planted link and the rename that fails half-way.)
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fsp, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BuildFailure, ExitCode } from '../../src/diagnostics.js';
import { describeBytes, withOutputLock, writeAtomically } from '../../src/write/output.js';
import { tempDir } from '../helpers/cli.js';

const LOCK = '.briefpack.lock';
const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** The failure `promise` ends with, as the CLI would print it. */
async function failureOf(promise: Promise<unknown>): Promise<{ exitCode: number; lines: string[] }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BuildFailure);
  const failure = error as BuildFailure;
  return { exitCode: failure.exitCode, lines: failure.diagnostics.map((d) => `${d.severity} ${d.rule} ${d.file} ${d.message}${d.hint ? ` | ${d.hint}` : ''}`) };
}

/** The id of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the output lock', () => {
  it('makes the folder, holds the lock with this process id while the work runs, and gives back its result', async () => {
    const dir = path.join(tempDir(), 'new', 'out');
    let during: string | undefined;
    const result = await withOutputLock(dir, async () => {
      during = readFileSync(path.join(dir, LOCK), 'utf8');
      return 42;
    });
    expect(result).toBe(42);
    expect(during).toBe(String(process.pid));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is let go when the work fails, and the failure is passed on', async () => {
    const dir = tempDir();
    await expect(withOutputLock(dir, () => Promise.reject(new Error('render failed')))).rejects.toThrow('render failed');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses, with a hint and exit code 3, a folder another live build holds, and leaves its lock alone', async () => {
    const dir = tempDir();
    // The parent of this test process is alive and is not this process.
    writeFileSync(path.join(dir, LOCK), String(process.ppid));
    const work = vi.fn(() => Promise.resolve());
    expect(await failureOf(withOutputLock(dir, work))).toEqual({
      exitCode: ExitCode.RenderError,
      lines: [`error output/unwritable ${dir} another briefpack build (process ${process.ppid}) is writing to this folder | Wait for it to finish, or build into another --out folder.`],
    });
    expect(work).not.toHaveBeenCalled();
    expect(readFileSync(path.join(dir, LOCK), 'utf8')).toBe(String(process.ppid));
  });

  it('counts a holder it may not signal (a process of another user) as alive', async () => {
    const dir = tempDir();
    const other = deadPid();
    writeFileSync(path.join(dir, LOCK), String(other));
    vi.spyOn(process, 'kill').mockImplementation(() => {
      throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
    });
    const work = vi.fn(() => Promise.resolve());
    const { lines } = await failureOf(withOutputLock(dir, work));
    expect(lines[0]).toContain(`another briefpack build (process ${other})`);
    expect(work).not.toHaveBeenCalled();
  });

  it.each([
    ['a build that died', () => String(deadPid())],
    ['this very process', () => String(process.pid)],
    ['no process id at all', () => 'garbage'],
    ['nothing', () => ''],
  ])('takes over a lock left by %s, and lets it go after', async (_name, holder) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, LOCK), holder());
    let during: string | undefined;
    await withOutputLock(dir, async () => {
      during = readFileSync(path.join(dir, LOCK), 'utf8');
    });
    expect(during).toBe(String(process.pid));
    expect(existsSync(path.join(dir, LOCK))).toBe(false);
  });

  it('fails with a clear error, not a crash, where the folder cannot be made', async () => {
    const file = path.join(tempDir(), 'a-file');
    writeFileSync(file, 'not a folder');
    const { exitCode, lines } = await failureOf(withOutputLock(path.join(file, 'out'), () => Promise.resolve()));
    expect(exitCode).toBe(ExitCode.RenderError);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^error output/unwritable ${file}/out cannot write to the output folder: .*ENOTDIR`));
  });

  it('fails with a clear error where the lock cannot be written', async () => {
    // /proc exists (so making the folder succeeds) but takes no new file, not even from root.
    const { exitCode, lines } = await failureOf(withOutputLock('/proc', () => Promise.resolve()));
    expect(exitCode).toBe(ExitCode.RenderError);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error output\/unwritable \/proc cannot write to the output folder: /);
  });

  it('fails with a clear error where a stale lock cannot be replaced', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, LOCK), String(deadPid()));
    const writeFile = fsp.writeFile;
    vi.spyOn(fsp, 'writeFile').mockImplementation((file, ...rest) => {
      // The first try finds the stale lock; the second, after it was removed, fails.
      if (String(file).endsWith(LOCK) && !existsSync(String(file))) return Promise.reject(Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' }));
      return writeFile(file, ...rest);
    });
    const { lines } = await failureOf(withOutputLock(dir, () => Promise.resolve()));
    expect(lines).toEqual([`error output/unwritable ${dir} cannot write to the output folder: EROFS: read-only file system`]);
  });
});

describe('writing the files of a build', () => {
  it('writes every file, in sub-folders too, and tells the size and SHA-256 of the bytes written', async () => {
    const dir = tempDir();
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const written = await writeAtomically(dir, [
      { name: 'pack.html', data: 'Zürich' },
      { name: 'images/cover.bin', data: bytes },
    ]);
    expect(written).toEqual([
      { path: path.join(dir, 'pack.html'), bytes: 7, sha256: sha256(Buffer.from('Zürich')) },
      { path: path.join(dir, 'images', 'cover.bin'), bytes: 4, sha256: sha256(bytes) },
    ]);
    expect(readFileSync(path.join(dir, 'pack.html'), 'utf8')).toBe('Zürich');
    expect([...readFileSync(path.join(dir, 'images', 'cover.bin'))]).toEqual([0, 1, 2, 255]);
    // No temporary or backup name is left beside them.
    expect(readdirSync(dir).sort()).toEqual(['images', 'pack.html']);
    expect(readdirSync(path.join(dir, 'images'))).toEqual(['cover.bin']);
  });

  it('replaces the files of the last build, leaving nothing of them but what is not rewritten', async () => {
    const dir = tempDir();
    await writeAtomically(dir, [
      { name: 'a.pdf', data: 'old a' },
      { name: 'b.pdf', data: 'old b' },
    ]);
    await writeAtomically(dir, [{ name: 'a.pdf', data: 'new a' }]);
    expect(readFileSync(path.join(dir, 'a.pdf'), 'utf8')).toBe('new a');
    expect(readFileSync(path.join(dir, 'b.pdf'), 'utf8')).toBe('old b');
    expect(readdirSync(dir).sort()).toEqual(['a.pdf', 'b.pdf']);
  });

  it('keeps the old file aside by a copy on a file system without hard links', async () => {
    for (const code of ['EPERM', 'ENOTSUP', 'EMLINK']) {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'a.pdf'), 'old a');
      writeFileSync(path.join(dir, 'b.pdf'), 'old b');
      vi.spyOn(fsp, 'link').mockRejectedValue(Object.assign(new Error(`link ${code}`), { code }));
      const rename = fsp.rename;
      // b cannot go into place: a must be put back from the copy.
      vi.spyOn(fsp, 'rename').mockImplementation((from, to) => (String(to).endsWith('b.pdf') && String(from).endsWith('.tmp') ? Promise.reject(new Error('disk full')) : rename(from, to)));
      const { lines } = await failureOf(
        writeAtomically(dir, [
          { name: 'a.pdf', data: 'new a' },
          { name: 'b.pdf', data: 'new b' },
        ]),
      );
      expect(lines).toEqual([`error output/unwritable ${dir} cannot write to the output folder: disk full`]);
      vi.restoreAllMocks();
      expect(readFileSync(path.join(dir, 'a.pdf'), 'utf8')).toBe('old a');
      expect(readFileSync(path.join(dir, 'b.pdf'), 'utf8')).toBe('old b');
      expect(readdirSync(dir).sort()).toEqual(['a.pdf', 'b.pdf']);
    }
  });

  it('writes nothing when the old file cannot be kept aside for another reason', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.pdf'), 'old a');
    vi.spyOn(fsp, 'link').mockRejectedValue(Object.assign(new Error('EIO: i/o error, link'), { code: 'EIO' }));
    const { lines } = await failureOf(writeAtomically(dir, [{ name: 'a.pdf', data: 'new a' }]));
    expect(lines).toEqual([`error output/unwritable ${dir} cannot write to the output folder: EIO: i/o error, link`]);
    vi.restoreAllMocks();
    expect(readFileSync(path.join(dir, 'a.pdf'), 'utf8')).toBe('old a');
    expect(readdirSync(dir)).toEqual(['a.pdf']);
  });

  it('fails cleanly, putting nothing in place, when a later file cannot even be staged', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.pdf'), 'old a');
    writeFileSync(path.join(dir, 'images'), 'a file where a folder should be');
    const { lines } = await failureOf(
      writeAtomically(dir, [
        { name: 'a.pdf', data: 'new a' },
        { name: 'images/map.png', data: 'png' },
      ]),
    );
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^error output/unwritable ${dir} cannot write to the output folder: .*(ENOTDIR|EEXIST)`))]);
    expect(readFileSync(path.join(dir, 'a.pdf'), 'utf8')).toBe('old a');
    expect(readdirSync(dir).sort()).toEqual(['a.pdf', 'images']);
  });

  it('leaves no temporary file behind when the process exits in the middle of writing', async () => {
    const dir = tempDir();
    let staged!: () => void;
    const reached = new Promise<void>((resolve) => {
      staged = resolve;
    });
    vi.spyOn(fsp, 'rename').mockImplementation(() => {
      staged();
      return new Promise(() => undefined); // never settles: the process "exits" first
    });
    void writeAtomically(dir, [
      { name: 'a.pdf', data: 'new a' },
      { name: 'b.pdf', data: 'new b' },
    ]);
    await reached;
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toHaveLength(2);
    // briefpack's own exit handler (exit-cleanup.ts), not the test runner's.
    const cleanUp = process.listeners('exit').find((listener) => listener.name === 'cleanUp');
    expect(cleanUp).toBeDefined();
    (cleanUp as (code: number) => void)(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("manifest.json's description of bytes", () => {
  it('counts bytes, not characters, and hashes them as they are written', () => {
    expect(describeBytes('Zürich')).toEqual({ bytes: 7, sha256: sha256(Buffer.from('Zürich', 'utf8')) });
    expect(describeBytes(new Uint8Array([104, 105]))).toEqual({ bytes: 2, sha256: sha256('hi') });
  });
});

