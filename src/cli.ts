/**
 * The command line: the only module that reads argv and the environment's TTY, prints, and
 * decides the exit code (0 ok, 1 content errors, 2 usage, 3 rendering/environment).
 */
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { build, check } from './build.js';
import { ALL_FORMATS, type BuildOptions } from './config.js';
import { BuildFailure, ExitCode, formatDiagnostic, type Diagnostic } from './diagnostics.js';
import { displayPath } from './io.js';
import type { Format } from './model.js';
import { VERSION } from './version.js';

const HELP = `briefpack ${VERSION}: Markdown articles and structured sidebars to print-ready PDF, EPUB 3 and HTML.

Usage:
  briefpack build [pack-dir] [options]   build the pack (default pack-dir: content)
  briefpack check [pack-dir] [--strict]  validate the pack without rendering
  briefpack --help | --version

Build options:
  --out DIR            output folder (default: output)
  --format LIST        comma-separated: pdf,epub,html (default: all three)
  --paper a4|letter    paper size (default: the manifest's, else a4)
  --duplex             start every article on a right-hand page (double-sided printing)
  --bleed LENGTH       bleed around each page, e.g. 3mm: adds crop marks, TrimBox and BleedBox
  --template NAME      template to use (default: the manifest's, else "default")
  --strict             treat warnings as errors
  --browser PATH       Chrome/Chromium executable (default: PUPPETEER_EXECUTABLE_PATH, then the system's)
  --timeout SECONDS    give up on a render after this long (default: 120)
  --debug-html         also write the print HTML that Chromium lays out
  --quiet              print nothing but errors

Exit codes: 0 success, 1 content errors, 2 usage errors, 3 rendering or environment failure.
SOURCE_DATE_EPOCH, when set, fixes every date the build stamps, for reproducible output.`;

const OPTIONS = {
  out: { type: 'string' },
  format: { type: 'string' },
  paper: { type: 'string' },
  duplex: { type: 'boolean' },
  bleed: { type: 'string' },
  template: { type: 'string' },
  strict: { type: 'boolean' },
  browser: { type: 'string' },
  timeout: { type: 'string' },
  'debug-html': { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} satisfies ParseArgsConfig['options'];

class UsageError extends Error {}

function parseFormats(value: string | undefined): Format[] | undefined {
  if (value === undefined) return undefined;
  const formats = value.split(',').map((f) => f.trim().toLowerCase()).filter(Boolean);
  const bad = formats.filter((f) => !(ALL_FORMATS as readonly string[]).includes(f));
  if (bad.length || formats.length === 0) throw new UsageError(`--format takes a list of ${ALL_FORMATS.join(', ')}; got "${value}"`);
  return formats as Format[];
}

function parsePaper(value: string | undefined): 'a4' | 'letter' | undefined {
  if (value === undefined) return undefined;
  const paper = value.toLowerCase();
  if (paper !== 'a4' && paper !== 'letter') throw new UsageError(`--paper takes a4 or letter; got "${value}"`);
  return paper;
}

function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout takes a number of seconds; got "${value}"`);
  return Math.round(seconds * 1000);
}

function parseBleedOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?mm$/.test(value.trim())) throw new UsageError(`--bleed takes a length in millimetres such as 3mm; got "${value}"`);
  return value.trim();
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
}

function printDiagnostics(list: readonly Diagnostic[]): void {
  for (const d of list) console.error(formatDiagnostic(d));
}

export async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`briefpack: ${(error as Error).message}\nRun \`briefpack --help\` for usage.`);
    return ExitCode.UsageError;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    console.log(VERSION);
    return ExitCode.Ok;
  }
  const [command, packDir, ...extra] = positionals;
  if (values.help || command === 'help') {
    console.log(HELP);
    return ExitCode.Ok;
  }
  if (!command) {
    console.error(`briefpack: missing command\n\n${HELP}`);
    return ExitCode.UsageError;
  }
  if (extra.length) {
    console.error(`briefpack: unexpected argument "${extra[0]}"\nRun \`briefpack --help\` for usage.`);
    return ExitCode.UsageError;
  }

  let options: BuildOptions;
  try {
    options = {
      packDir: packDir ?? 'content',
      outDir: values.out,
      formats: parseFormats(values.format),
      paper: parsePaper(values.paper),
      duplex: values.duplex,
      bleed: parseBleedOption(values.bleed),
      template: values.template,
      strict: values.strict,
      browser: values.browser,
      timeoutMs: parseTimeout(values.timeout),
      debugHtml: values['debug-html'],
    };
  } catch (error) {
    console.error(`briefpack: ${(error as Error).message}`);
    return ExitCode.UsageError;
  }

  const quiet = values.quiet ?? false;
  try {
    if (command === 'check') {
      const result = await check(options);
      printDiagnostics(result.diagnostics);
      const problems = result.diagnostics.filter((d) => d.severity === 'error' || options.strict);
      if (problems.length) return ExitCode.ContentError;
      if (!quiet) {
        const sections = result.pack.toc.reduce((n, e) => n + e.children.length, 0);
        const n = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
        console.log(`${displayPath(path.resolve(options.packDir!))}: ok (${n(result.pack.chapters.length, "article")}, ${n(sections, "section")}, ${n(result.pack.sidebars.size, "sidebar")})`);
      }
      return ExitCode.Ok;
    }
    if (command === 'build') {
      const started = performance.now();
      const result = await build(options);
      printDiagnostics(quiet ? result.diagnostics.filter((d) => d.severity === 'error') : result.diagnostics);
      if (!quiet) {
        for (const a of result.artifacts) {
          const pages = a.pages ? `, ${a.pages} pages` : '';
          console.log(`wrote ${displayPath(a.path)}  ${formatSize(a.bytes)}${pages}  ${(a.ms / 1000).toFixed(1)} s`);
        }
        console.log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
      return ExitCode.Ok;
    }
    console.error(`briefpack: unknown command "${command}"\nRun \`briefpack --help\` for usage.`);
    return ExitCode.UsageError;
  } catch (error) {
    if (error instanceof BuildFailure) {
      printDiagnostics(error.diagnostics);
      const errors = error.diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = error.diagnostics.length - errors;
      const counts = `${errors} error${errors === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`;
      console.error(`briefpack: ${command} failed (${counts})${command === 'build' ? '; the output folder was not changed' : ''}`);
      return error.exitCode;
    }
    console.error(`briefpack: internal error: ${(error as Error).stack ?? String(error)}`);
    return ExitCode.RenderError;
  }
}
