/**
 * Every problem briefpack reports, from any stage, is a Diagnostic: one shape, one printer,
 * one catalogue of rule ids so messages stay consistent and documented.
 */

export type Severity = 'error' | 'warning';

export interface Position {
  line: number; // 1-based
  column: number; // 1-based
}

export interface Diagnostic {
  /** Path as the user should read it (relative to the working directory when possible). */
  file?: string;
  position?: Position;
  severity: Severity;
  /** Stable id, e.g. `sidebar/required`. Listed in RULES. */
  rule: RuleId;
  message: string;
  hint?: string;
}

/** The catalogue: every rule id with the hint shown when a message gives none of its own. */
export const RULES = {
  'yaml/syntax': 'Check indentation and quoting; YAML is whitespace-sensitive.',
  'yaml/duplicate-key': 'Remove or rename one of the repeated keys.',
  'yaml/nesting': 'Nothing a pack needs nests this deep: flatten the data.',
  'yaml/alias': 'Write the data out, or repeat it less: aliases (*name) may not make a file many times larger than it is.',
  'file/missing': 'Check the path; it is resolved relative to the pack folder.',
  'file/encoding': 'Save the file as UTF-8.',
  'file/empty': 'Give the file some content, or remove it from the pack.',
  'file/outside-pack': 'A pack may use only its own files: copy the file into the pack folder (links are fine while they stay inside it).',
  'file/not-regular': 'Only regular files are read: replace the FIFO, device or folder with a file.',
  'file/too-large': 'Split the file, or make it smaller; see SECURITY.md for the limits.',
  'manifest/invalid': 'See the manifest reference in README.md.',
  'manifest/missing': 'Every pack folder needs a pack.yaml; `briefpack init DIR` creates one.',
  'frontmatter/missing': 'Start the article with a YAML block between two `---` lines.',
  'frontmatter/invalid': 'See the front matter reference in README.md.',
  'article/duplicate': 'Each article may appear once in the manifest.',
  'article/empty': 'Write some text below the front matter.',
  'sidebar/required': 'Add the missing field.',
  'sidebar/type': 'Check the value against the sidebar kind reference in README.md.',
  'sidebar/unknown-field': 'Remove the field, or check its spelling.',
  'sidebar/unknown-kind': 'Use one of the built-in kinds, or declare a custom kind under kinds/.',
  'sidebar/schema': 'A custom kind\'s schema.json must be a synchronous JSON Schema whose patterns RE2 can run; see README.md and SECURITY.md.',
  'sidebar/duplicate-id': 'Sidebar ids must be unique within a pack.',
  'sidebar/unknown-id': 'Check the id against the files in sidebars/.',
  'sidebar/unplaced': 'Place it with `sidebars:` in an article\'s front matter or `::sidebar{#id}`.',
  'sidebar/date': 'Write dates as YYYY, YYYY-MM, YYYY-MM-DD, a range A/B, or "autumn 2026".',
  'sidebar/section': 'Name a `##` section heading of that article exactly.',
  'markdown/directive': 'The directives are `::sidebar{#id}` and `:::marked{level=... caveats="..."}` (closed by a line of `:::`).',
  'marking/level': 'Mark a part with one of the levels pack.yaml declares (levels:, lowest first); see "Markings and editions" in README.md.',
  'marking/caveat': 'Mark a part with caveats pack.yaml declares (caveats:); see "Markings and editions" in README.md.',
  'marking/ceiling': 'Nothing in a pack may be marked above its classification: lower the part\'s marking, take the part out, or raise the classification in pack.yaml.',
  'edition/unknown': 'Build one of the editions pack.yaml names under editions:, or all of them with --edition all.',
  'edition/empty': 'An edition must hold at least one article: raise its max, exclude fewer caveats, or remove it from editions:.',
  'edition/withheld': 'The part it points to is left out of this edition, so the link is printed as plain text; link to something the edition holds, or mark the link\'s text too.',
  'markdown/image': 'Images must be files inside the pack folder.',
  'markdown/link': 'Link to another article by its file (`other.md#heading`), to a heading by its anchor (`#heading`, as GitHub makes them), or to the web (https://...). See "Links between articles" in README.md.',
  'markdown/heading': 'Give the heading some text, or remove it.',
  'markdown/table': 'Give the table a header row that names its columns: in Markdown the first row of the table, in HTML <th> cells.',
  'markdown/html': 'Raw HTML is sanitized; scripts, frames, forms and event handlers are removed.',
  'markdown/nesting': 'Nothing a reader needs nests this deep: flatten the quotes, lists or HTML elements.',
  'font/missing-glyph': 'briefpack prints only with its shipped fonts, so these would print as empty boxes: replace them, or see Troubleshooting in README.md.',
  'print/overflow': 'Print cuts off what runs past the page. Split a wide table or leave out columns, put long addresses and words outside tables, or make the picture smaller; briefpack has already set the table smaller and scaled it down as far as it still reads.',
  'render/request-blocked': 'Only the pack\'s own files may be loaded while rendering.',
  'render/browser': 'See Troubleshooting in README.md.',
  'render/failed': 'Chromium could not render the pack; `briefpack doctor` checks the set-up, and Troubleshooting in README.md has more.',
  'internal/error': 'This is a bug in briefpack, not a problem with your pack: please report it (see "Reporting a bug" in README.md) with this message, and the pack if you can share it.',
  'render/timeout': 'A very large pack may need more time: raise --timeout (default 120 seconds).',
  'build/timeout': 'A very large pack may need more time: raise --timeout (default 120 seconds, for the whole build).',
  'render/cache-unreadable': 'It is printed again and the cache entry replaced; if this repeats, check the disk the output folder is on.',
  'template/unknown': 'Use a built-in template (default) or a folder under templates/ in the pack.',
  'template/unsafe': 'A template\'s web page and EPUB styles are held to the rules of article HTML: no scripts, event handlers or style attributes, and nothing loaded from anywhere (only data: URLs).',
  'template/invalid': 'See Templates in README.md.',
  'validate/tool': 'Install the validator, or build without --validate.',
  'validate/epub': 'The EPUB does not pass EPUBCheck; the message names the file inside the EPUB.',
  'validate/pdf': 'The PDF lacks something a print shop or a screen reader needs.',
  'cache/rejected': 'Something other than briefpack wrote into the build cache; the output was made without it.',
  'cache/key': 'Set BRIEFPACK_STATE_DIR to a folder of your own, or build with --no-cache.',
  'validate/pdf-structure': 'The tagged PDF does not give a screen reader what it needs: see "Accessibility" in README.md. Where the message names an article and a line, the fix is there (alt text for an image, a header row for a table).',
  'validate/ace': 'Ace by DAISY found an accessibility problem in the EPUB; its rule is explained at https://kb.daisy.org/publishing/docs/ and in Ace\'s report (see "Accessibility" in README.md). Where the message names an article and a line, the fix is there.',
  'output/unwritable': 'Choose another --out folder or fix its permissions.',
  'cli/usage': 'Run `briefpack --help` for the commands and options.',
} as const;

export type RuleId = keyof typeof RULES;

/** Thrown to stop a stage; carries every diagnostic collected so far. */
export class BuildFailure extends Error {
  constructor(
    readonly diagnostics: readonly Diagnostic[],
    readonly exitCode: ExitCode = ExitCode.ContentError,
  ) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'BuildFailure';
  }
}

/** Documented exit codes: 0 success, 1 content errors, 2 usage errors, 3 rendering or environment failure. */
export const ExitCode = { Ok: 0, ContentError: 1, UsageError: 2, RenderError: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Collects diagnostics across a stage so that one run reports every problem. */
export class Diagnostics {
  readonly list: Diagnostic[] = [];

  add(diagnostic: Diagnostic): void {
    this.list.push(diagnostic);
  }

  /** What another collector (or the cache, replaying an earlier build's) reported. */
  addAll(diagnostics: readonly Diagnostic[]): void {
    // One at a time: a rebuild replays thousands of warnings, too many to spread into a call.
    for (const d of diagnostics) this.list.push(d);
  }

  error(rule: RuleId, message: string, where: Omit<Diagnostic, 'rule' | 'message' | 'severity'> = {}): void {
    this.add({ ...where, severity: 'error', rule, message });
  }

  warn(rule: RuleId, message: string, where: Omit<Diagnostic, 'rule' | 'message' | 'severity'> = {}): void {
    this.add({ ...where, severity: 'warning', rule, message });
  }

  get errors(): Diagnostic[] {
    return this.list.filter((d) => d.severity === 'error');
  }

  get warnings(): Diagnostic[] {
    return this.list.filter((d) => d.severity === 'warning');
  }

  /** Whether anything so far is an error (or a warning, when strict). */
  failed(strict = false): boolean {
    return (strict ? this.list : this.errors).length > 0;
  }

  /** Stop here if anything so far is an error (or a warning, when strict). */
  throwIfFailed(strict = false): void {
    if (this.failed(strict)) throw new BuildFailure(sortDiagnostics(this.list));
  }
}

/**
 * An exception nobody expected: a bug of briefpack's own, reported as one, with the first frames
 * of its stack (where it happened) rather than blamed on the pack or on Chromium.
 */
export function internalError(error: unknown, version: string): BuildFailure {
  const err = error instanceof Error ? error : new Error(String(error));
  const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 6);
  const message = [`internal error of briefpack ${version}: ${err.name}: ${err.message.split('\n')[0]}`, ...frames].join('\n');
  return new BuildFailure([{ severity: 'error', rule: 'internal/error', message }], ExitCode.RenderError);
}

export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
      (a.position?.column ?? 0) - (b.position?.column ?? 0),
  );
}

/** `file:line:col severity message (rule)` then an indented hint, like compilers print. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.position ? `:${d.position.line}:${d.position.column}` : ''} ` : '';
  const hint = d.hint ?? RULES[d.rule];
  return `${where}${d.severity} ${d.message} (${d.rule})${hint ? `\n  hint: ${hint}` : ''}`;
}
