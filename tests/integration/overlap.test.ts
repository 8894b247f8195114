/**
 * Promises that need two things at once, made to happen at once rather than left to chance: a
 * second build into a folder whose lock the first holds, and the preview's reload event after an
 * edit. Every wait here is for an event (a file appearing, a message on a stream, a process
 * ending), never for a fixed time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, briefpack, tempDir } from '../helpers/cli.js';
import { minimalPack } from '../helpers/pack.js';

/** Resolves once `file` exists (watching its folder, so no polling). */
function appears(file: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!existsSync(file)) return;
      watcher.close();
      resolve();
    };
    const watcher = watch(path.dirname(file), check);
    check();
  });
}

/** Every process a test starts, ended after the file's tests even when a test timed out mid-wait. */
const started = new Set<ChildProcess>();
afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
});

function exited(child: ChildProcess): Promise<number | null> {
  started.add(child);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/** The preview's address, as `briefpack watch` prints it once it serves. */
function previewUrl(child: ChildProcess, exit: Promise<unknown>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      const found = /preview at (http:\/\/[^ ]+\/)/.exec(stdout)?.[1];
      if (found) resolve(found);
    });
    void exit.then(() => reject(new Error(`watch ended before serving: ${stdout}`)));
  });
}

describe('the output lock', () => {
  it('turns away a second build while the first holds the folder, and the first finishes whole', async () => {
    const pack = minimalPack();
    const out = tempDir('briefpack-lock-');
    const hold = path.join(tempDir('briefpack-lock-hold-'), 'hold');
    const first = spawn(process.execPath, [BIN, 'build', pack, '--out', out, '--format', 'html,epub'], {
      env: { ...process.env, BRIEFPACK_TEST_HOLD_LOCK: hold },
      stdio: 'ignore',
    });
    const firstExit = exited(first);
    try {
      await appears(`${hold}.held`);
      const second = briefpack(['build', pack, '--out', out, '--format', 'html']);
      expect(second.code).toBe(3);
      expect(second.stderr).toMatch(/another briefpack build \(process \d+\) is writing to this folder/);
    } finally {
      // Released whatever happened above, so that a failing check leaves no build waiting.
      writeFileSync(`${hold}.release`, '');
    }
    expect(await firstExit).toBe(0);
    expect(readdirSync(out).filter((n) => !n.startsWith('.')).sort()).toEqual(['manifest.json', 'test-pack.epub', 'test-pack.html']);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { artifacts: Array<{ path: string; bytes: number }> };
    for (const a of manifest.artifacts) expect(readFileSync(path.join(out, a.path)).length).toBe(a.bytes);
    // The lock went with the build that held it: a third build goes ahead.
    expect(briefpack(['build', pack, '--out', out, '--format', 'html']).code).toBe(0);
  });
});

describe('briefpack watch', () => {
  it('sends the reload event to a preview when an edit has been built', async () => {
    const pack = minimalPack();
    const child = spawn(process.execPath, [BIN, 'watch', pack, '--out', path.join(tempDir(), 'out'), '--port', '0', '--format', 'html'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = exited(child);
    try {
      const url = await previewUrl(child, exit);
      const events = await fetch(`${url}events`);
      expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = events.body!.getReader();
      const decoder = new TextDecoder();
      let received = '';
      const next = async () => {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the event stream ended: ${received}`);
        received += decoder.decode(value);
      };
      // Connected first, then the edit: the event can only come from the rebuild.
      while (!received.includes(': connected')) await next();
      const article = path.join(pack, 'articles', 'one.md');
      writeFileSync(article, readFileSync(article, 'utf8').replace('More text.', 'More text, edited.'));
      while (!received.includes('data: reload')) await next();
      expect(await (await fetch(url)).text()).toContain('More text, edited.');
      await reader.cancel();
    } finally {
      child.kill('SIGINT');
      await exit;
    }
  });
});

describe('briefpack watch without --port', () => {
  it('serves the preview on port 4173', async () => {
    const { createServer } = await import('node:net');
    // The default can only be seen where the port is free; a machine using it says so instead.
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer().once('error', () => resolve(false)).listen(4173, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (!free) {
      console.warn('port 4173 is in use on this machine: the default port cannot be checked here');
      return;
    }
    const child = spawn(process.execPath, [BIN, 'watch', minimalPack(), '--out', path.join(tempDir(), 'out'), '--format', 'html'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = exited(child);
    try {
      const url = await previewUrl(child, exit);
      expect(url).toBe('http://127.0.0.1:4173/');
      expect((await fetch(url)).status).toBe(200);
    } finally {
      child.kill('SIGINT');
      await exit;
    }
  });
});
