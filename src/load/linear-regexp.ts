/**
 * The regular expressions of a custom kind's schema ("pattern", "patternProperties") run on RE2's
 * engine (re2js, plain JavaScript), whose time grows with the text and never with the pattern's
 * ambiguity: "^(a+)+$" on forty a's and a "!" ran 114 s on JavaScript's backtracking engine and
 * ignored --timeout. RE2 has no lookarounds or backreferences; a pattern that needs them is a
 * content error at the pattern.
 */
import { createRequire } from 'node:module';

type Re2js = typeof import('re2js');

let re2js: Re2js | undefined;

/** A pattern the linear-time engine cannot run. */
export class UnsafePattern extends Error {
  constructor(
    readonly pattern: string,
    reason: string,
  ) {
    super(`the pattern ${JSON.stringify(pattern)} cannot be used: ${reason.replace(/^error parsing regexp: /, '')}`);
    this.name = 'UnsafePattern';
  }
}

/** ajv's `code.regExp` engine: `(pattern, flags) => { test }`. */
export const linearRegExp = Object.assign(
  (pattern: string, flags: string): { test(text: string): boolean; toString(): string } => {
    // Loaded like ajv, from node_modules, and only for a pack with kinds of its own.
    re2js ??= createRequire(import.meta.url)('re2js') as Re2js;
    const { RE2JS } = re2js;
    let compiled: InstanceType<Re2js['RE2JS']>;
    try {
      compiled = RE2JS.compile(RE2JS.translateRegExp(pattern));
    } catch (error) {
      throw new UnsafePattern(pattern, (error as Error).message);
    }
    return {
      test: (text: string) => compiled.test(text),
      // ajv keys compiled patterns by this.
      toString: () => `/${pattern}/${flags}`,
    };
  },
  // How ajv's standalone code would name the engine; briefpack never writes such code.
  { code: 're2js' },
);
