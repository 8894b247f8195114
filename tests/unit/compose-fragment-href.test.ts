/**
 * src/compose/fragment.ts, data-href: the value must start as a web address. The fragment is
 * sanitized before it is filled, not after: this check and validUri (http, https and mailto)
 * are what keep another scheme that merely mentions a web address out of the href.
 */
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { fillFragment, parseFragment } from '../../src/compose/fragment.js';
import { Diagnostics } from '../../src/diagnostics.js';

function fill(template: string, data: unknown): string {
  const fragment = parseFragment(template, 'template.html', new Diagnostics());
  return toHtml({ type: 'root', children: fillFragment(fragment!, data) });
}

describe('data-href', () => {
  it('takes no value that only has a web address inside it', () => {
    for (const url of ['javascript:alert(1)//http://x.example/', 'javascript://http://x.example/%0aalert(1)', 'data:text/html,http://x.example/', 'x https://x.example/', 'mailto:a@x.example?body=https://x.example/']) {
      expect(fill('<a data-href="url">T</a>', { url }), url).toBe('<a>T</a>');
    }
  });

  it('looks up no property of a text: a path goes through objects only', () => {
    expect(fill('<span data-text="name.length"></span>', { name: 'abc' })).toBe('<span></span>');
  });
});
