/**
 * `briefpack doctor`: what this machine has for building and validating packs, and what to do
 * about each missing piece. Fails when a build could not work.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BuildFailure } from './diagnostics.js';
import { browserLine, closeBrowser, findBrowser, HEADLESS_SHELL_HINT, isHeadlessShell, launchBrowser } from './chromium/browser.js';
import { printFonts, shippedFonts } from './fonts.js';
import { ACE_INSTALL_HINT, findAce } from './validate/ace-location.js';
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
      // A full browser builds, only slower: it passes, with the way to the headless shell.
      checks.push({
        name: 'chromium',
        ok: true,
        required: true,
        detail: `${browserLine(version, location.path).split(';')[0]} (from ${location.source})`,
        fix: isHeadlessShell(version) ? undefined : HEADLESS_SHELL_HINT,
      });
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
  checks.push(aceCheck(env));
  return checks;
}

/** Ace by DAISY, which --validate runs on the EPUB when it is there (and goes without otherwise). */
function aceCheck(env: NodeJS.ProcessEnv): DoctorCheck {
  const name = 'ace';
  const search = findAce(env);
  if (!search.found) {
    return {
      name,
      ok: false,
      required: false,
      detail: search.problem ?? 'not found (--validate then checks the EPUB without it: no accessibility check)',
      fix: ACE_INSTALL_HINT,
    };
  }
  const { command, args, path, source } = search.found;
  const run = spawnSync(command, [...args, '--version'], { encoding: 'utf8', timeout: 60_000 });
  const version = run.status === 0 ? run.stdout.trim().split('\n').at(-1) : undefined;
  return version
    ? { name, ok: true, required: false, detail: `Ace by DAISY ${version} at ${path} (from ${source})` }
    : { name, ok: false, required: false, detail: `${path} (from ${source}) does not run: ${(run.stderr || run.error?.message || '').trim().split('\n')[0]}`, fix: ACE_INSTALL_HINT };
}
