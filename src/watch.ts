/**
 * `briefpack watch`: rebuild on every change and serve a live-reloading preview of the HTML
 * output on 127.0.0.1. A failed rebuild prints its problems and keeps the last good preview.
 */
import { existsSync, readFileSync, watch as watchFiles } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build, type BuildResult } from './build.js';
import type { BuildOptions } from './config.js';
import { BuildFailure, formatDiagnostic } from './diagnostics.js';
import { BrowserSession } from './chromium/session.js';

export interface WatchOptions extends BuildOptions {
  port?: number;
  /** Where to print lines (the CLI passes console.log / console.error). */
  log: (line: string) => void;
  logError: (line: string) => void;
}

const RELOAD_SCRIPT =
  '<script>(function(){var s=new EventSource("/events");s.onmessage=function(e){if(e.data==="reload")location.reload();};})();</script>';

/** Open previews, each holding a stream for its live reload: more are refused. */
export const MAX_EVENT_CLIENTS = 16;

/** Whether a request's Host header names this server: 127.0.0.1 or localhost, with its port. */
export function isOwnHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const match = /^(127\.0\.0\.1|localhost):(\d+)$/i.exec(host.trim());
  return match !== null && Number(match[2]) === port;
}

export async function watch(options: WatchOptions): Promise<{ url: string; close(): Promise<void> }> {
  const packDir = path.resolve(options.packDir ?? 'content');
  const outDir = path.resolve(options.outDir ?? 'output');
  const clients = new Set<ServerResponse>();
  let last: BuildResult | undefined;
  let building = false;
  let again = false;
  // One browser for every rebuild: starting Chromium each time would be a third of a small pack's rebuild.
  const session = new BrowserSession(options.browser, (reason) => options.logError(`briefpack: ${reason}`), (options.formats ?? ['pdf']).includes('pdf'));

  const rebuild = async () => {
    if (building) {
      again = true;
      return;
    }
    building = true;
    const started = performance.now();
    try {
      last = await build({ ...options, packDir, outDir }, session);
      for (const d of last.diagnostics) options.logError(formatDiagnostic(d));
      options.log(`rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      for (const client of clients) client.write('data: reload\n\n');
    } catch (error) {
      if (error instanceof BuildFailure) for (const d of error.diagnostics) options.logError(formatDiagnostic(d));
      else options.logError(`briefpack: ${(error as Error).message}`);
      options.logError('briefpack: build failed; the preview shows the last good build');
    } finally {
      building = false;
      if (again) {
        again = false;
        void rebuild();
      }
    }
  };

  let port = 0;
  const server = createServer((request, response) => {
    // A page from anywhere can make a browser send requests here; with DNS rebinding its own
    // name then points at 127.0.0.1, and only the Host header still says whose page asks.
    if (!isOwnHost(request.headers.host, port)) {
      response.writeHead(421, { 'content-type': 'text/plain' });
      response.end(`This preview answers only to http://127.0.0.1:${port}/ and http://localhost:${port}/.`);
      return;
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/events') {
      if (clients.size >= MAX_EVENT_CLIENTS) {
        response.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '5' });
        response.end('Too many previews are open; close one.');
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write(': connected\n\n');
      clients.add(response);
      request.on('close', () => clients.delete(response));
      return;
    }
    const artifact = (format: string) => last?.artifacts.find((a) => a.format === format);
    if (url.pathname === '/') {
      const html = artifact('html');
      if (!html || !existsSync(html.path)) {
        response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' });
        response.end('No successful build yet; see the terminal.');
        return;
      }
      const page = readFileSync(html.path, 'utf8').replace('</body>', `${RELOAD_SCRIPT}</body>`);
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(page);
      return;
    }
    const match = /^\/(pdf|epub)$/.exec(url.pathname);
    const file = match ? artifact(match[1]!) : undefined;
    if (file && existsSync(file.path)) {
      response.writeHead(200, { 'content-type': match![1] === 'pdf' ? 'application/pdf' : 'application/epub+zip', 'cache-control': 'no-store' });
      response.end(readFileSync(file.path));
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('Not found. Try /, /pdf or /epub.');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4173, '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;

  await rebuild();
  let timer: NodeJS.Timeout | undefined;
  const inOutput = (file: string) => !path.relative(outDir, path.resolve(packDir, file)).startsWith('..');
  const watcher = watchFiles(packDir, { recursive: true }, (_event, file) => {
    if (file && inOutput(file.toString())) return; // our own writes
    clearTimeout(timer);
    timer = setTimeout(() => void rebuild(), 200);
  });

  return {
    url,
    async close() {
      watcher.close();
      clearTimeout(timer);
      for (const client of clients) client.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await session.close();
    },
  };
}
