/** The public API. Everything else in src/ is internal and may change. */
export { build, check, type BuildResult, type CheckResult, type EditionCheck } from './build.js';
export type { BuildOptions } from './config.js';
export { BuildFailure, ExitCode, formatDiagnostic, type Diagnostic, type Severity } from './diagnostics.js';
export type { Artifact, Format, Pack, TocEntry } from './model.js';
export { VERSION } from './version.js';
