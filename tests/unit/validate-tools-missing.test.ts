/**
 * src/validate/ace-location.ts and artifacts.ts on a machine without the validators where they
 * are usually installed: this machine has Ace in tools/ace and EPUBCheck in /usr/share/java, so
 * node:fs is made to say those files are not there, or that one is where older packages put it
 * (and nothing else).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const { hidden, present } = vi.hoisted(() => ({ hidden: new Set<string>(), present: new Set<string>() }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const existsSync = (p: import('node:fs').PathLike) => present.has(String(p)) || (!hidden.has(String(p)) && fs.existsSync(p));
  return { ...fs, existsSync, default: { ...fs, existsSync } };
});

const { BUNDLED_ACE, findAce } = await import('../../src/validate/ace-location.js');
const { epubcheckJar, validateEpub } = await import('../../src/validate/artifacts.js');
const { validateEpubAccessibility } = await import('../../src/validate/ace.js');
const { Diagnostics } = await import('../../src/diagnostics.js');
const { tempDir } = await import('../helpers/cli.js');

beforeEach(() => {
  hidden.clear();
  present.clear();
  hidden.add(BUNDLED_ACE);
});

describe('Ace, when tools/ace has none', () => {
  it('is the first executable `ace` on the PATH, run as it is', () => {
    const empty = tempDir();
    const notExecutable = tempDir();
    writeFileSync(path.join(notExecutable, 'ace'), '');
    chmodSync(path.join(notExecutable, 'ace'), 0o644);
    const first = path.join(tempDir(), 'bin');
    const second = path.join(tempDir(), 'bin');
    for (const dir of [first, second]) {
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'ace'), '#!/bin/sh\n');
      chmodSync(path.join(dir, 'ace'), 0o755);
    }
    const ace = path.join(first, 'ace');
    expect(findAce({ PATH: ['', empty, notExecutable, first, second].join(path.delimiter) })).toEqual({
      found: { command: ace, args: [], path: ace, source: 'PATH' },
    });
  });

  it('is nowhere without a PATH, or with none there; that is no problem, Ace is optional', () => {
    expect(findAce({})).toEqual({});
    expect(findAce({ PATH: [tempDir(), tempDir()].join(path.delimiter) })).toEqual({});
    expect(findAce({ PATH: '' })).toEqual({});
  });

  it('not installed anywhere leaves the EPUB unchecked by it, without an error', async () => {
    const diagnostics = new Diagnostics();
    const pack = { chapters: [] } as unknown as import('../../src/model.js').Pack;
    expect(await validateEpubAccessibility(new Uint8Array([80, 75]), 'pack.epub', pack, '/usr/bin/chromium', diagnostics, { PATH: tempDir() })).toBeUndefined();
    expect(diagnostics.list).toEqual([]);
  });

  it('named by BRIEFPACK_ACE still comes first', () => {
    const bin = tempDir();
    writeFileSync(path.join(bin, 'ace'), '#!/bin/sh\n');
    chmodSync(path.join(bin, 'ace'), 0o755);
    const script = path.join(tempDir(), 'ace.js');
    writeFileSync(script, '');
    expect(findAce({ BRIEFPACK_ACE: script, PATH: bin }).found?.source).toBe('BRIEFPACK_ACE');
  });
});

describe('EPUBCheck, when Debian did not put it in /usr/share/java', () => {
  it('is looked for where older packages put it, after EPUBCHECK_JAR', () => {
    hidden.add('/usr/share/java/epubcheck.jar');
    present.add('/usr/share/epubcheck/epubcheck.jar');
    expect(epubcheckJar({})).toBe('/usr/share/epubcheck/epubcheck.jar');
    expect(epubcheckJar({ EPUBCHECK_JAR: '/no/such.jar' })).toBe('/usr/share/epubcheck/epubcheck.jar');
    const own = path.join(tempDir(), 'epubcheck.jar');
    writeFileSync(own, '');
    expect(epubcheckJar({ EPUBCHECK_JAR: own })).toBe(own);
    present.clear();
    expect(epubcheckJar({})).toBeUndefined();
  });

  it('missing is an error of the gate that says how to install it', async () => {
    hidden.add('/usr/share/java/epubcheck.jar');
    hidden.add('/usr/share/epubcheck/epubcheck.jar');
    const diagnostics = new Diagnostics();
    await validateEpub(new Uint8Array([80, 75]), 'pack.epub', diagnostics, {});
    expect(diagnostics.list.map((d) => `${d.severity} ${d.file ?? '-'} ${d.rule} ${d.message} | ${d.hint}`)).toEqual([
      'error - validate/tool EPUBCheck not found, so the EPUB cannot be validated | Install it (Debian: apt-get install epubcheck) or set EPUBCHECK_JAR to epubcheck.jar.',
    ]);
  });
});
