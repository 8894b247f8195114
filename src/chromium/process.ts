/**
 * Chromium as a child process that speaks the DevTools protocol over a pipe. Starting it takes
 * about as long as loading briefpack's own modules, so the CLI starts it first (`prestart`) and
 * the build adopts it when it needs a browser. Deliberately light: no Puppeteer import here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { findBrowser } from './location.js';
import { hermeticFontconfig } from './fontconfig.js';
import { stopOnExit } from '../exit-cleanup.js';

/** Keep Chromium off the network and free of anything that varies between machines. */
const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-dev-shm-usage',
  '--disable-breakpad',
  '--disable-crash-reporter',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
  '--disable-hang-monitor',
  '--disable-ipc-flooding-protection',
  '--disable-client-side-phishing-detection',
  '--disable-component-extensions-with-background-pages',
  '--disable-search-engine-choice-screen',
  // WebUIOmniboxPopup: the full browser preloads its omnibox popup as a web page, a renderer
  // that a print never shows (the headless shell has no omnibox and ignores the name).
  '--disable-features=Translate,AcceptCHFrame,MediaRouter,OptimizationHints,ProcessPerSiteUpToMainFrameThreshold,WebUIOmniboxPopup',
  '--metrics-recording-only',
  '--password-store=basic',
  '--use-mock-keychain',
  '--force-color-profile=srgb',
  '--font-render-hinting=none',
  '--hide-scrollbars',
  '--mute-audio',
  '--export-tagged-pdf',
  '--remote-debugging-pipe',
];

/** The DevTools transport Puppeteer's `connect` accepts: NUL-terminated JSON messages. */
export class PipeTransport {
  onmessage?: (message: string) => void;
  onclose?: () => void;
  private pending: Buffer[] = [];
  private closed = false;

  constructor(
    private readonly toBrowser: Writable,
    fromBrowser: Readable,
  ) {
    fromBrowser.on('data', (chunk: Buffer) => this.receive(chunk));
    fromBrowser.on('close', () => this.onclose?.());
    // A dead browser shows up as a closed pipe (and a crash error in whoever was waiting).
    fromBrowser.on('error', () => undefined);
    toBrowser.on('error', () => undefined);
  }

  send(message: string): void {
    if (this.closed) return;
    this.toBrowser.write(`${message}\0`);
  }

  close(): void {
    this.closed = true;
    this.toBrowser.end();
  }

  private receive(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
      this.pending.push(chunk.subarray(start, end));
      const message = Buffer.concat(this.pending).toString('utf8');
      this.pending = [];
      start = end + 1;
      // Puppeteer expects messages on a later tick, as its own transports deliver them.
      setImmediate(() => this.onmessage?.(message));
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }
}

export interface ChromiumProcess {
  executablePath: string;
  /** performance.now() when it was spawned: its start-up is timed from there (timings.ts). */
  startedAt: number;
  child: ChildProcess;
  transport: PipeTransport;
  /** Why it could not start, if it has already failed (ENOENT, exit at start-up). */
  failure(): string | undefined;
  kill(): void;
}

const running = new Set<ChromiumProcess>();
let exitHandlersInstalled = false;

/** Kill every Chromium we started when the process ends or is interrupted, so none outlives the build. */
function installExitHandlers(): void {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  const killAll = () => {
    for (const chromium of running) chromium.kill();
  };
  stopOnExit(killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

export function spawnChromium(executablePath: string): ChromiumProcess {
  installExitHandlers();
  const startedAt = performance.now();
  const profile = mkdtempSync(path.join(os.tmpdir(), 'briefpack-chromium-'));
  const child = spawn(executablePath, [...ARGS, `--user-data-dir=${profile}`, 'about:blank'], {
    // A group of its own, killed as one: the executable may be a wrapper script that runs
    // Chromium as its child (Debian's chromium-headless-shell is one), which a kill of the
    // script alone would leave running.
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, FONTCONFIG_FILE: hermeticFontconfig() },
  });
  let failure: string | undefined;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString('utf8');
  });
  child.on('error', (error) => (failure = error.message));
  const chromium: ChromiumProcess = {
    executablePath,
    startedAt,
    child,
    transport: new PipeTransport(child.stdio[3] as Writable, child.stdio[4] as Readable),
    failure: () => failure ?? (child.exitCode !== null || child.signalCode !== null ? exitMessage(child, stderr) : undefined),
    kill() {
      if (child.exitCode === null && child.signalCode === null) killGroup(child);
      running.delete(chromium);
      // SIGKILL leaves nothing that could still write into the profile, so it can go now rather
      // than when the kernel has reaped the processes (some 50 ms later, which every build's
      // exit would otherwise wait for, as would Node for the child and its pipes).
      removeProfile(profile);
      child.unref();
      for (const stream of child.stdio) stream?.destroy();
    },
  };
  child.once('exit', () => {
    failure ??= exitMessage(child, stderr);
    // The profile goes with the browser, however it ended.
    removeProfile(profile);
    running.delete(chromium);
  });
  running.add(chromium);
  return chromium;
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid === undefined) throw new Error('never started');
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Best effort: a helper process of a killed browser may still be writing into it. */
function removeProfile(profile: string): void {
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
  } catch {
    // A leftover folder in the temporary directory is harmless; a failed build over it is not.
  }
}

function exitMessage(child: ChildProcess, stderr: string): string {
  const last = stderr.trim().split('\n').filter(Boolean).at(-1);
  return `it exited (${child.signalCode ?? `code ${child.exitCode}`})${last ? `: ${last}` : ''}`;
}

let prestarted: ChromiumProcess | undefined;

/**
 * Start the browser a build will need before the build's modules load. Any problem (no browser,
 * a bad path) is left for the build to report properly, so this never throws.
 */
export function prestartChromium(explicitPath?: string): void {
  try {
    prestarted = spawnChromium(findBrowser(explicitPath).path);
  } catch {
    prestarted = undefined;
  }
}

/** The prestarted browser, if it is the one asked for and still alive; each is handed out once. */
export function takePrestartedChromium(executablePath: string): ChromiumProcess | undefined {
  const candidate = prestarted;
  prestarted = undefined;
  if (!candidate) return undefined;
  if (candidate.executablePath !== executablePath || candidate.failure()) {
    candidate.kill();
    return undefined;
  }
  return candidate;
}
