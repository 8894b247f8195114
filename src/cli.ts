/**
 * The command line: the only module that reads argv and the terminal, prints, and decides the
 * exit code (0 ok, 1 content errors, 2 usage, 3 rendering/environment).
 */
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ALL_FORMATS, type BuildOptions } from './config.js';
import { BuildFailure, ExitCode, formatDiagnostic, internalError, RULES, type Diagnostic } from './diagnostics.js';
import { displayPath } from './io.js';
import { privateTempDir } from './temp.js';
import type { Artifact, Format } from './model.js';
import type { EditionCheck } from './build.js';
import { VERSION } from './version.js';
import type { Timing } from './timings.js';

const HELP = `briefpack ${VERSION}: Markdown articles and structured sidebars to print-ready PDF, EPUB 3 and HTML.

Usage:
  briefpack build [pack-dir] [options]   build the pack (default pack-dir: content)
  briefpack check [pack-dir] [--strict]  validate the pack, and each of its editions, without rendering
  briefpack init <dir>                   start a new pack in <dir>: manifest, an article, one sidebar of each kind
  briefpack watch [pack-dir] [--port N]  rebuild on every change; live preview on http://127.0.0.1:4173/
  briefpack doctor                       check Chromium, fonts, Java, EPUBCheck and Ace on this machine
  briefpack --help | --version

Build options:
  --out DIR            output folder (default: output)
  --format LIST        comma-separated: pdf,epub,html (default: all three)
  --paper a4|letter    paper size (default: the manifest's, else a4)
  --duplex             start every article on a right-hand page (double-sided printing)
  --bleed LENGTH       bleed around each page, e.g. 3mm: adds crop marks, TrimBox and BleedBox
  --template NAME      template to use (default: the manifest's, else "default")
  --edition NAME|all   build one edition pack.yaml names, or each of them (default: the whole pack)
  --strict             treat warnings as errors
  --validate           run EPUBCheck, Ace (if installed) and PDF structure checks; fail, writing nothing, on problems
  --json               print one JSON report (artifacts and messages) on stdout
  --browser PATH       Chrome/Chromium executable (default: PUPPETEER_EXECUTABLE_PATH, then the system's)
  --timeout SECONDS    give up on the whole build after this long (default: 120)
  --debug-html         also write the print HTML that Chromium lays out (opens on its own)
  --no-cache           ignore and do not update <out>/.briefpack-cache (what earlier builds parsed, laid out and printed)
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
  edition: { type: 'string' },
  strict: { type: 'boolean' },
  validate: { type: 'boolean' },
  json: { type: 'boolean' },
  browser: { type: 'string' },
  timeout: { type: 'string' },
  'debug-html': { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  port: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} satisfies ParseArgsConfig['options'];

class UsageError extends Error {}

/** The `--json` report; its JSON Schema is schemas/report.schema.json. */
export interface Report {
  briefpack: string;
  command: string;
  ok: boolean;
  exitCode: number;
  artifacts: Array<{ format: Format; path: string; bytes: number; sha256: string; pages?: number; ms: number; edition?: string; marking?: string }>;
  diagnostics: Array<{ file?: string; line?: number; column?: number; severity: string; rule: string; message: string; hint?: string }>;
  checks?: Array<{ name: string; ok: boolean; required: boolean; detail: string; fix?: string }>;
  /** `build`: where the time went (timings.ts), in milliseconds from the start of the process. */
  timings?: Timing[];
  /** `check`: the whole pack, then each edition, with what it leaves out. */
  editions?: Array<Omit<EditionCheck, 'name' | 'title' | 'marking' | 'pack'> & { name?: string; title?: string; marking?: string }>;
}

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

function parseEdition(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(value)) throw new UsageError(`--edition takes the name of an edition in pack.yaml, or all; got "${value}"`);
  return value;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
}

function reportDiagnostic(d: Diagnostic): Report['diagnostics'][number] {
  return {
    ...(d.file ? { file: d.file } : {}),
    ...(d.position ? { line: d.position.line, column: d.position.column } : {}),
    severity: d.severity,
    rule: d.rule,
    message: d.message,
    hint: d.hint ?? RULES[d.rule],
  };
}

function reportArtifact(a: Artifact): Report['artifacts'][number] {
  return {
    format: a.format,
    path: displayPath(a.path),
    bytes: a.bytes,
    sha256: a.sha256,
    ...(a.pages ? { pages: a.pages } : {}),
    ms: a.ms,
    ...(a.edition ? { edition: a.edition } : {}),
    ...(a.marking !== undefined ? { marking: a.marking } : {}),
  };
}

function reportEdition(e: EditionCheck): NonNullable<Report['editions']>[number] {
  return {
    ...(e.name ? { name: e.name } : {}),
    ...(e.title ? { title: e.title } : {}),
    ...(e.marking !== undefined ? { marking: e.marking } : {}),
    articles: e.articles,
    withheld: e.withheld,
  };
}

/** `check`'s lines on an edition: its marking, and each part it leaves out, where it is. */
function editionLines(e: EditionCheck): string[] {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const head = `edition ${e.name}${e.marking ? ` (${e.marking})` : ''}: ${n(e.articles, 'article')}, `;
  if (e.withheld.length === 0) return [`${head}leaves out nothing`];
  return [
    `${head}leaves out ${n(e.withheld.length, 'part')}:`,
    ...e.withheld.map((w) => {
      const what = w.kind === 'sidebar' ? `the sidebar "${w.id}"` : w.kind === 'article' ? 'the article' : `the passage of lines ${w.line}-${w.endLine}`;
      return `  ${w.file}:${w.line}:${w.column} ${what}${w.marking ? ` (${w.marking})` : ''}`;
    }),
  ];
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
  if (!['build', 'check', 'doctor', 'init', 'watch'].includes(command)) {
    console.error(`briefpack: unknown command "${command}"\nRun \`briefpack --help\` for usage.`);
    return ExitCode.UsageError;
  }
  if (extra.length || (command === 'doctor' && packDir)) {
    console.error(`briefpack: unexpected argument "${extra[0] ?? packDir}"\nRun \`briefpack --help\` for usage.`);
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
      edition: parseEdition(values.edition),
      strict: values.strict,
      validate: values.validate,
      browser: values.browser,
      timeoutMs: parseTimeout(values.timeout),
      debugHtml: values['debug-html'],
      cache: values['no-cache'] ? false : undefined,
    };
  } catch (error) {
    console.error(`briefpack: ${(error as Error).message}`);
    return ExitCode.UsageError;
  }

  const json = values.json ?? false;
  const quiet = values.quiet ?? false;
  const report: Report = { briefpack: VERSION, command, ok: true, exitCode: ExitCode.Ok, artifacts: [], diagnostics: [] };
  const say = (line: string) => {
    if (!json && !quiet) console.log(line);
  };
  const finish = (exitCode: number, diagnostics: readonly Diagnostic[]): number => {
    report.exitCode = exitCode;
    report.ok = exitCode === ExitCode.Ok;
    report.diagnostics = diagnostics.map(reportDiagnostic);
    if (json) console.log(JSON.stringify(report, null, 2));
    else for (const d of diagnostics) if (!quiet || d.severity === 'error') console.error(formatDiagnostic(d));
    return exitCode;
  };

  if (command === 'build' || command === 'check' || command === 'watch') {
    try {
      // watch ends on Ctrl-C by closing its server and browser, then exiting (see below).
      keepTemporaryFilesToThisProcess(command !== 'watch');
    } catch (error) {
      console.error(`briefpack: cannot make a temporary folder: ${(error as Error).message}`);
      return ExitCode.RenderError;
    }
  }

  try {
    if (command === 'init') {
      if (!packDir) {
        console.error('briefpack: init needs a folder, as in `briefpack init my-pack`');
        return ExitCode.UsageError;
      }
      const { initPack } = await import('./init.js');
      const files = initPack(packDir);
      say(`created ${displayPath(path.resolve(packDir))} with ${files.length} files:`);
      for (const f of files) say(`  ${f}`);
      say(`next: edit ${path.join(packDir, 'articles', 'first-article.md')}, then run \`briefpack build ${packDir}\``);
      return finish(ExitCode.Ok, []);
    }
    if (command === 'watch') {
      const port = values.port === undefined ? undefined : Number(values.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
        console.error(`briefpack: --port takes a port number; got "${values.port}"`);
        return ExitCode.UsageError;
      }
      const { watch } = await import('./watch.js');
      const watching = await watch({ ...options, port, log: (l) => console.log(l), logError: (l) => console.error(l) });
      console.log(`briefpack: watching ${displayPath(path.resolve(options.packDir!))}; preview at ${watching.url} (PDF at ${watching.url}pdf); Ctrl-C to stop`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await watching.close();
      return ExitCode.Ok;
    }
    if (command === 'doctor') {
      const { doctor } = await import('./doctor.js');
      const checks = await doctor();
      report.checks = checks;
      for (const c of checks) say(`${c.ok ? 'ok  ' : c.required ? 'FAIL' : 'warn'}  ${c.name.padEnd(10)} ${c.detail}${c.fix ? `\n      ${c.ok ? 'hint' : 'fix'}: ${c.fix}` : ''}`);
      const broken = checks.some((c) => c.required && !c.ok);
      if (!json && !quiet) console.log(broken ? 'briefpack cannot build on this machine; see FAIL above.' : 'briefpack can build here.');
      return finish(broken ? ExitCode.RenderError : ExitCode.Ok, []);
    }
    if (command === 'build' && (options.formats ?? ALL_FORMATS).includes('pdf')) {
      // Chromium starts while the build's modules load (each takes a few hundred milliseconds).
      // An EPUB alone may not need it at all (its cover is usually in the cache): the build decides.
      const { prestartChromium } = await import('./chromium/process.js');
      prestartChromium(options.browser);
    }
    const { build, check } = await import('./build.js');
    if (command === 'check') {
      const result = await check(options);
      const problems = result.diagnostics.filter((d) => d.severity === 'error' || options.strict);
      if (problems.length) return finish(ExitCode.ContentError, result.diagnostics);
      const sections = result.pack.toc.reduce((n, e) => n + e.children.length, 0);
      const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
      say(`${displayPath(path.resolve(options.packDir!))}: ok (${n(result.pack.chapters.length, 'article')}, ${n(sections, 'section')}, ${n(result.pack.sidebars.size, 'sidebar')})${result.pack.manifest.classification ? `, marked ${result.pack.manifest.classification}` : ''}`);
      for (const edition of result.editions.slice(1)) for (const line of editionLines(edition)) say(line);
      if (result.editions.length > 1) report.editions = result.editions.map(reportEdition);
      return finish(ExitCode.Ok, result.diagnostics);
    }
    const started = performance.now();
    const result = await build({ ...options, onProgress: json || quiet ? undefined : progressPrinter() });
    report.artifacts = result.artifacts.map(reportArtifact);
    report.timings = result.timings;
    for (const a of result.artifacts) {
      say(`wrote ${displayPath(a.path)}  ${formatSize(a.bytes)}${a.pages ? `, ${a.pages} pages` : ''}  ${(a.ms / 1000).toFixed(1)} s`);
    }
    say(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return finish(ExitCode.Ok, result.diagnostics);
  } catch (error) {
    if (error instanceof BuildFailure) {
      const errors = error.diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = error.diagnostics.length - errors;
      const code = finish(error.exitCode, error.diagnostics);
      if (!json) {
        const counts = `${errors} error${errors === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`;
        console.error(`briefpack: ${command} failed (${counts})${command === 'build' ? '; the output folder was not changed' : ''}`);
      }
      return code;
    }
    const failure = internalError(error, VERSION);
    const code = finish(failure.exitCode, failure.diagnostics);
    if (!json) console.error(`briefpack: ${command} failed with a bug of briefpack's own${command === 'build' ? '; the output folder was not changed' : ''}`);
    return code;
  }
}

/**
 * Everything briefpack and the programs it starts (Chromium, fontconfig) put in the temporary
 * folder goes into one folder of this process's own, removed when it exits: on Ctrl-C too, which
 * becomes an orderly exit (a print document in the temporary folder holds the whole pack's text,
 * and the output folder's lock must not outlive the build).
 */
function keepTemporaryFilesToThisProcess(exitOnSignals: boolean): void {
  process.env.TMPDIR = privateTempDir('briefpack-');
  if (!exitOnSignals) return;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => process.exit(code));
  }
}

/** Stage lines on stderr: live on a terminal (one line rewritten), plain lines otherwise. */
function progressPrinter(): (message: string) => void {
  const started = performance.now();
  const tty = process.stderr.isTTY;
  return (message) => {
    const line = `[${((performance.now() - started) / 1000).toFixed(1)} s] ${message}`;
    if (tty) process.stderr.write(`\r\x1b[2K${line}${message === 'write' ? '\n' : ''}`);
    else process.stderr.write(`${line}\n`);
  };
}
