/**
 * src/compose/safe-shell.ts: each attribute that makes a browser or reader load something goes
 * from a template's web shell unless it is a data: URL; protocol-relative links go; a <style>'s
 * sheet goes through safeCss at its place in the file. safe-template.test.ts has a whole shell.
 */
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { safeShell } from '../../src/compose/safe-shell.js';
import { Diagnostics } from '../../src/diagnostics.js';

function shell(html: string) {
  const diagnostics = new Diagnostics();
  const out = toHtml(safeShell(fromHtml(html), 'web.html', diagnostics, 'template/unsafe'));
  return { out, warnings: diagnostics.list.map((d) => `${d.file}:${d.position?.line}:${d.position?.column} ${d.severity} ${d.rule} ${d.message}`) };
}

const page = (body: string) => `<!doctype html><html><head><title data-slot="title"></title></head><body>${body}</body></html>`;

describe('attributes that load something', () => {
  // Attribute as written, the element it is on, and the name hast gives it (what the warning says, lower-cased).
  // <video>, <object>, <form> and <button> go whole (reported as such), so their attributes are tried on a <div>.
  const loading: Array<[string, string, string]> = [
    ['src', 'img', 'src'],
    ['srcset', 'img', 'srcset'],
    ['poster', 'div', 'poster'],
    ['background', 'table', 'background'],
    ['data', 'div', 'data'],
    ['codebase', 'div', 'codebase'],
    ['action', 'div', 'action'],
    ['formaction', 'div', 'formaction'],
    ['longdesc', 'img', 'longdesc'],
    ['cite', 'blockquote', 'cite'],
  ];
  for (const [attribute, tag, said] of loading) {
    it(`${attribute} on <${tag}> goes unless it is a data: URL`, () => {
      const { warnings } = shell(page(`<${tag} ${attribute}="https://x.example/p"></${tag}>`));
      expect(warnings).toContain(`web.html:1:${page('').indexOf('</body>') + 1} warning template/unsafe removed the ${said} attribute of <${tag}> from the template: only data: URLs may be loaded`);
      for (const data of ['data:image/png;base64,AA', '  DATA:x']) {
        expect(shell(page(`<${tag} ${attribute}="${data}"></${tag}>`)).warnings.filter((w) => w.includes(`the ${said} attribute`))).toEqual([]);
      }
    });
  }

  it('ping, a list of URLs, goes whatever it holds', () => {
    for (const ping of ['https://x.example/p', 'data:x']) {
      expect(shell(page(`<a ping="${ping}" href="#x">x</a>`)).warnings).toEqual([
        `web.html:1:${page('').indexOf('</body>') + 1} warning template/unsafe removed the ping attribute of <a> from the template: only data: URLs may be loaded`,
      ]);
    }
  });

  it('an empty src goes too: it would load the page itself again', () => {
    expect(shell(page('<img src alt="x">')).out).toContain('<img alt="x">');
  });

  it('not written are not reported', () => {
    expect(shell(page('<img alt="x"><a href="#x">x</a><table><tr><td>x</td></tr></table>')).warnings).toEqual([]);
  });
});

describe('links', () => {
  it('without a scheme that start with // go, blanks before them too; others stay', () => {
    const { out, warnings } = shell(page('<a href="//x.example/">a</a><a href="  //x.example/">b</a><a href="https://x.example/">c</a><a href="/x">d</a>'));
    expect(warnings.filter((w) => w.includes('write the scheme'))).toHaveLength(2);
    expect(out).toContain('<a>a</a><a>b</a><a href="https://x.example/">c</a>');
  });
});

describe('<meta>', () => {
  it('with http-equiv goes, whatever it says; other meta stays', () => {
    const { out, warnings } = shell('<!doctype html><html><head><meta http-equiv="content-security-policy" content="x"><meta name="viewport" content="width=device-width"><meta charset="utf-8"></head><body></body></html>');
    expect(warnings).toEqual(['web.html:1:28 warning template/unsafe removed <meta http-equiv> from the template: a shell may not refresh, redirect or set policies']);
    expect(out).toBe('<!doctype html><html><head><meta name="viewport" content="width=device-width"><meta charset="utf-8"></head><body></body></html>');
  });
});

describe('<style>', () => {
  it('keeps its sheet without what loads, reported at its line and column in the file', () => {
    const { out, warnings } = shell('<!doctype html><html><head>\n<style data-slot="styles">a{}\n  b{c:url(https://x.example/)}</style></head><body></body></html>');
    expect(out).toContain('<style data-slot="styles">a{}\n  b{c:none}</style>');
    expect(warnings).toEqual(["web.html:3:7 warning template/unsafe removed url(\"https://x.example/\") from the template's style sheet: only data: URLs are allowed"]);
  });

  it('that is empty stays empty', () => {
    const { out, warnings } = shell('<!doctype html><html><head><style data-slot="styles"></style></head><body></body></html>');
    expect(out).toContain('<style data-slot="styles"></style>');
    expect(warnings).toEqual([]);
  });
});

describe('elements the sanitizer removes', () => {
  it('are reported once, with what they hold, not each thing inside them', () => {
    const { warnings } = shell(page('<iframe src="https://x.example/"></iframe><object data="https://x.example/"><img src="https://x.example/i"></object>'));
    expect(warnings.filter((w) => w.includes('<iframe>'))).toEqual([`web.html:1:${page('').indexOf('</body>') + 1} warning template/unsafe removed <iframe> from the template`]);
    expect(warnings.filter((w) => w.includes('attribute of <img>') || w.includes('attribute of <iframe>'))).toEqual([]);
  });
});
