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
