/**
 * remark plugin: `::sidebar{#id}` becomes a placeholder element that survives the mdast→hast
 * step and sanitizing; place-sidebars.ts swaps it for the rendered sidebar.
 */
import type { Nodes, Root } from 'mdast';
import { walkNodes } from '../tree-walk.js';
import { SIDEBAR_PLACEHOLDER } from './sanitize-schema.js';

export function remarkSidebarPlaceholders() {
  return (tree: Root) => {
    walkNodes<Nodes>(tree, (node) => {
      if (node.type === 'leafDirective' && node.name === 'sidebar') {
        node.data = { hName: SIDEBAR_PLACEHOLDER, hProperties: { dataSidebar: node.attributes?.id ?? '' } };
        node.children = [];
        return;
      }
      // Text like "ratio 3:1" or "Note:this" parses as a text directive; put it back as text.
      if (node.type === 'textDirective') {
        const label = node.children.map((c) => ('value' in c ? c.value : '')).join('');
        Object.assign(node, { type: 'text', value: `:${node.name}${label ? `[${label}]` : ''}` });
      }
    });
  };
}
