/**
 * `briefpack doctor`: what this machine has for building and validating packs, and what to do
 * about each missing piece. Fails when a build could not work.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BuildFailure } from './diagnostics.js';
import { closeBrowser, findBrowser, launchBrowser } from './render/browser.js';
import { printFonts, shippedFonts } from './render/fonts.js';
import { epubcheckJar } from './validate/artifacts.js';
import { VERSION } from './version.js';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  /** Needed for `build` (false: only for `--validate`). */
  required: boolean;
  detail: string;
  fix?: string;
}

export async function doctor(env: NodeJS.ProcessEnv = process.env): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  checks.push({ name: 'briefpack', ok: true, required: true, detail: `${VERSION} on Node.js ${process.versions.node}` });

  try {
    const location = findBrowser(undefined, env);
    try {
      const browser = await launchBrowser(location.path);
      const version = await browser.version();
      await closeBrowser(browser);
      checks.push({ name: 'chromium', ok: true, required: true, detail: `${version} at ${location.path} (from ${location.source})` });
    } catch (error) {
      const message = error instanceof BuildFailure ? error.diagnostics[0]!.message : (error as Error).message;
      const debianPackage = location.path.includes('headless-shell') ? 'chromium-headless-shell' : 'chromium';
      checks.push({ name: 'chromium', ok: false, required: true, detail: message, fix: `Reinstall it (apt-get install --reinstall ${debianPackage}) or point PUPPETEER_EXECUTABLE_PATH at another.` });
    }
  } catch (error) {
    const d = error instanceof BuildFailure ? error.diagnostics[0]! : { message: (error as Error).message, hint: undefined };
    checks.push({ name: 'chromium', ok: false, required: true, detail: d.message, fix: d.hint });
  }

  const fonts = [...printFonts(), ...shippedFonts()];
  const missingFonts = fonts.filter((f) => !existsSync(f.file));
  checks.push({
    name: 'fonts',
    ok: missingFonts.length === 0,
    required: true,
    detail: missingFonts.length
      ? `${missingFonts.length} font files missing, e.g. ${missingFonts[0]!.file}`
      : `${[...new Set(fonts.map((f) => f.family))].join(', ')} (${fonts.length} files, shipped with briefpack)`,
    fix: missingFonts.length ? 'Reinstall the npm packages (npm ci).' : undefined,
  });

  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const javaVersion = java.status === 0 ? /version "([^"]+)"/.exec(java.stderr)?.[1] : undefined;
  checks.push({
    name: 'java',
    ok: javaVersion !== undefined,
    required: false,
    detail: javaVersion ? `Java ${javaVersion}` : 'not found (needed only for --validate)',
    fix: javaVersion ? undefined : 'apt-get install default-jre-headless',
  });
  const jar = epubcheckJar(env);
  checks.push({
    name: 'epubcheck',
    ok: jar !== undefined,
    required: false,
    detail: jar ? jar : 'not found (needed only for --validate)',
    fix: jar ? undefined : 'apt-get install epubcheck, or set EPUBCHECK_JAR',
  });
  return checks;
}
