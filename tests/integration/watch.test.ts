/** briefpack watch: a live preview on 127.0.0.1 that follows edits and survives bad ones. */
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, EXAMPLE, tempDir } from '../helpers/cli.js';

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('briefpack watch', () => {
  it('serves a live-reloading preview that follows edits and keeps the last good build on errors', async () => {
    const dir = tempDir();
    cpSync(EXAMPLE, dir, { recursive: true });
    const child = spawn(process.execPath, [BIN, 'watch', dir, '--out', path.join(tempDir(), 'out'), '--port', '0', '--format', 'html,pdf'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    try {
      const url = await until(async () => /preview at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1], 'the preview URL');
      const page = await (await fetch(url)).text();
      expect(page).toContain('Damascus and Moscow Move Toward Strategic Reset');
      expect(page).toContain('new EventSource("/events")');
      expect((await fetch(`${url}pdf`)).headers.get('content-type')).toBe('application/pdf');

      const article = path.join(dir, 'articles', 'syria-russia-reset.md');
      writeFileSync(article, readFileSync(article, 'utf8').replace('Yet obstacles loom.', 'Yet obstacles remain, the desk notes.'));
      await until(async () => ((await (await fetch(url)).text()).includes('Yet obstacles remain, the desk notes.') ? true : undefined), 'the rebuilt preview');

      writeFileSync(path.join(dir, 'pack.yaml'), 'title: [broken\n');
      await until(async () => (/pack\.yaml:\d+:\d+ error/.test(stderr) ? true : undefined), 'the error report');
      expect(await (await fetch(url)).text()).toContain('Yet obstacles remain, the desk notes.');
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.on('exit', r));
    }
  }, 120_000);
});
