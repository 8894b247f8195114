import { describe, expect, it } from 'vitest';
import { EXAMPLE, briefpack } from '../helpers/cli.js';
import { minimalPack } from '../helpers/pack.js';

describe('briefpack CLI usage', () => {
  it('exits 2 on an unknown flag', () => {
    const r = briefpack(['build', '--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '--no-such-flag'");
  });

  it('exits 2 on a bad --format and an unknown command', () => {
    expect(briefpack(['build', '--format', 'docx']).code).toBe(2);
    expect(briefpack(['frobnicate']).code).toBe(2);
  });

  it('prints help and version', () => {
    const help = briefpack(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('briefpack build [pack-dir]');
    const version = briefpack(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('check validates without rendering', () => {
    const r = briefpack(['check', EXAMPLE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ok \(1 article, 3 sections, \d+ sidebars\)/);
  });

  it('check exits 1 on content errors and with --strict on warnings', () => {
    const dir = minimalPack({ 'sidebars/lonely.yaml': 'title: T\nkind: quote\ntext: x\nspeaker: y\n' });
    const lenient = briefpack(['check', dir]);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toMatch(/lonely\.yaml:2:7 warning sidebar "lonely" is not placed in any article \(sidebar\/unplaced\)/);
    expect(briefpack(['check', dir, '--strict']).code).toBe(1);
  });
});

describe('a bug of briefpack while building', () => {
  it('is reported as an internal error of briefpack, with where it happened and where to report it; exit 3, output untouched', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { snapshotDir, tempDir } = await import('../helpers/cli.js');
    const out = tempDir('briefpack-bug-');
    mkdirSync(`${out}/keep`);
    writeFileSync(`${out}/keep/previous.pdf`, 'the last good build');
    const before = snapshotDir(out);
    const r = briefpack(['build', minimalPack(), '--out', out, '--json'], { env: { BRIEFPACK_TEST_BUG: 'render' } });
    expect(r.code).toBe(3);
    const [d] = (JSON.parse(r.stdout) as { diagnostics: Array<{ rule: string; message: string; hint: string }> }).diagnostics;
    expect(d!.rule).toBe('internal/error');
    expect(d!.message).toMatch(/^internal error of briefpack \d+\.\d+\.\d+: TypeError: Cannot read properties of undefined/);
    expect(d!.message).toMatch(/\n\s+at .+:\d+:\d+/);
    expect(d!.hint).toMatch(/bug in briefpack, not a problem with your pack.*Reporting a bug/);
    expect(snapshotDir(out)).toEqual(before);
  });
});
