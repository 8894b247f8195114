/**
 * The pipeline, top to bottom:
 * load → validate → transform/compose → render (PDF, EPUB, HTML concurrently) → write.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'puppeteer';
import { BuildFailure, Diagnostics, ExitCode, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { resolveConfig, resolveLayout, type BuildOptions, type ResolvedConfig } from './config.js';
import { buildTime } from './io.js';
import { loadArticles } from './load/article.js';
import { loadManifest } from './load/manifest.js';
import { loadSidebars } from './load/sidebars.js';
import type { Artifact, Format, Pack } from './model.js';
import { composePack } from './compose/pack.js';
import { loadTemplate, type Template } from './compose/template.js';
import { closeBrowser, launchBrowser } from './render/browser.js';
import { renderCoverImage } from './render/cover-image.js';
import { renderEpub } from './render/epub.js';
import { renderPdf } from './render/pdf.js';
import { renderWeb } from './render/web.js';
import { validateEpub, validatePdf } from './validate/artifacts.js';
import { checkGlyphs } from './validate/glyphs.js';
import { validatePlacements } from './validate/placements.js';
import { VERSION } from './version.js';
import { withOutputLock, writeAtomically, type PendingFile } from './write/output.js';

export interface BuildResult {
  artifacts: Artifact[];
  diagnostics: Diagnostic[];
  /** Where output was written (absolute). */
  outDir: string;
}

export interface CheckResult {
  pack: Pack;
  diagnostics: Diagnostic[];
}

/** Load, validate and transform a pack without rendering: what `briefpack check` runs. */
export async function check(options: BuildOptions = {}): Promise<CheckResult> {
  const config = resolveConfig(options);
  const diagnostics = new Diagnostics();
  const { pack } = await preparePack(config, options, diagnostics);
  return { pack, diagnostics: sortDiagnostics(diagnostics.list) };
}

async function preparePack(config: ResolvedConfig, options: BuildOptions, diagnostics: Diagnostics): Promise<{ pack: Pack; template: Template }> {
  config.progress('load');
  const manifest = await loadManifest(config.packDir, diagnostics);
  if (!manifest) throw new BuildFailure(sortDiagnostics(diagnostics.list));
  const failedSidebars = new Set<string>();
  const [articles, sidebars] = await Promise.all([loadArticles(manifest, diagnostics), loadSidebars(config.packDir, diagnostics, failedSidebars)]);
  config.progress('validate');
  validatePlacements(articles, sidebars, diagnostics, articles.length === new Set(manifest.articles).size && failedSidebars.size === 0, failedSidebars);
  diagnostics.throwIfFailed(config.strict);
  const layout = resolveLayout(options, manifest);
  const template = loadTemplate(layout.template, manifest.root, { file: manifest.file });
  checkGlyphs(
    [path.join(manifest.root, 'pack.yaml'), ...articles.map((a) => a.path), ...[...sidebars.values()].map((s) => path.resolve(s.file))],
    diagnostics,
  );
  const pack = composePack(manifest, articles, sidebars, diagnostics, config.progress);
  diagnostics.throwIfFailed(config.strict);
  return { pack, template };
}

export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const config = resolveConfig(options);
  const diagnostics = new Diagnostics();
  const { pack, template } = await preparePack(config, options, diagnostics);
  const layout = resolveLayout(options, pack.manifest);
  const date = buildTime(config.env);
  const creator = `briefpack ${VERSION}`;
  const slug = pack.manifest.slug;

  const files: PendingFile[] = [];
  const artifacts: Array<Omit<Artifact, 'path' | 'bytes' | 'sha256'> & { name: string }> = [];
  const wants = (f: Format) => config.formats.includes(f);
  const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const start = performance.now();
    const value = await work();
    return [value, Math.round(performance.now() - start)];
  };

  let browser: Browser | undefined;
  let chromium: string | undefined;
  try {
    if (wants('pdf') || wants('epub')) {
      browser = await launchBrowser(config.browser);
      chromium = await browser.version();
    }
    const b = browser;
    const jobs: Array<Promise<void>> = [];
    if (wants('pdf')) {
      jobs.push(
        timed(() => {
          config.progress('render pdf');
          return renderPdf(pack, template, b!, {
            paper: layout.paper,
            duplex: layout.duplex,
            bleedMm: layout.bleedMm,
            creator,
            date,
            timeoutMs: config.timeoutMs,
            diagnostics,
            onPass: (pass) => config.progress(`render pdf: layout pass ${pass}`),
            onPrintHtml: config.debugHtml ? (html) => files.push({ name: `${slug}.print.html`, data: html }) : undefined,
          });
        }).then(([pdf, ms]) => {
          files.push({ name: `${slug}.pdf`, data: pdf.bytes });
          artifacts.push({ format: 'pdf', name: `${slug}.pdf`, pages: pdf.pages, ms });
        }),
      );
    }
    if (wants('epub')) {
      jobs.push(
        timed(async () => {
          config.progress('render epub');
          const cover = await renderCoverImage(pack, template, b!, diagnostics, config.timeoutMs);
          return renderEpub(pack, template, { date, generator: creator, cover });
        }).then(([epub, ms]) => {
          files.push({ name: `${slug}.epub`, data: epub });
          artifacts.push({ format: 'epub', name: `${slug}.epub`, ms });
        }),
      );
    }
    if (wants('html')) {
      jobs.push(
        timed(async () => {
          config.progress('render html');
          return renderWeb(pack, template);
        }).then(([html, ms]) => {
          files.push({ name: `${slug}.html`, data: html });
          artifacts.push({ format: 'html', name: `${slug}.html`, ms });
        }),
      );
    }
    await Promise.all(jobs);
  } catch (error) {
    throw asBuildFailure(error);
  } finally {
    if (browser) await closeBrowser(browser);
  }
  diagnostics.throwIfFailed(config.strict);

  if (config.validate) {
    config.progress('validate artifacts');
    const byName = new Map(files.map((f) => [f.name, f.data]));
    await Promise.all(
      artifacts.map(async (a) => {
        const data = byName.get(a.name);
        if (typeof data === 'string' || !data) return;
        if (a.format === 'pdf') await validatePdf(data, a.name, pack, diagnostics);
        if (a.format === 'epub') await validateEpub(data, a.name, diagnostics, config.env);
      }),
    );
    if (diagnostics.list.some((d) => d.rule === 'validate/tool')) throw new BuildFailure(sortDiagnostics(diagnostics.list), ExitCode.RenderError);
    diagnostics.throwIfFailed(config.strict);
  }

  config.progress('write');
  const order: Format[] = ['pdf', 'epub', 'html'];
  artifacts.sort((a, b) => order.indexOf(a.format) - order.indexOf(b.format));
  const written = await withOutputLock(config.outDir, async () => {
    const main = await writeAtomically(config.outDir, files);
    const byName = new Map(main.map((w) => [path.basename(w.path), w]));
    const result: Artifact[] = artifacts.map((a) => {
      const w = byName.get(a.name)!;
      return { format: a.format, path: w.path, bytes: w.bytes, sha256: w.sha256, pages: a.pages, ms: a.ms };
    });
    const manifestJson = releaseManifest(pack, result, chromium);
    await writeAtomically(config.outDir, [{ name: 'manifest.json', data: manifestJson }]);
    return result;
  });
  return { artifacts: written, diagnostics: sortDiagnostics(diagnostics.list), outDir: config.outDir };
}

/** What a release needs to be checked: every artifact's hash and what built it. */
function releaseManifest(pack: Pack, artifacts: readonly Artifact[], chromium: string | undefined): string {
  const inputs = createHash('sha256');
  const files = [pack.manifest.root + '/pack.yaml', ...pack.chapters.map((c) => c.article.path), ...[...pack.sidebars.values()].map((s) => path.resolve(s.file)), ...pack.chapters.flatMap((c) => c.images.map((i) => path.join(pack.manifest.root, i)))];
  for (const file of [...new Set(files)].sort()) {
    inputs.update(path.relative(pack.manifest.root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  const body = {
    pack: { title: pack.manifest.title, edition: pack.manifest.edition ?? null, date: pack.manifest.date },
    artifacts: artifacts.map((a) => ({ path: path.basename(a.path), format: a.format, bytes: a.bytes, sha256: a.sha256, ...(a.pages ? { pages: a.pages } : {}) })),
    build: { briefpack: VERSION, chromium: chromium ?? null, inputsSha256: inputs.digest('hex') },
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function asBuildFailure(error: unknown): BuildFailure {
  if (error instanceof BuildFailure) return error;
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return new BuildFailure([{ severity: 'error', rule: 'render/failed', message }], ExitCode.RenderError);
}

