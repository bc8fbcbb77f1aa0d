// The page's modules that need no browser: positions, Markdown, the URL fragment, settings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Text } from '@codemirror/state';

import { offsetAt, rangeOf } from '../src/positions.js';
import { codeSpans, escapeHtml, renderMarkdown } from '../src/markdown.js';
import { decodeFragment, encodeFragment, holdsSecret } from '../src/share.js';
import { lintOptions, normalizeSettings } from '../src/settings.js';

describe('positions', () => {
  const doc = Text.of(['image: nginx', 'name: "😀 x"', 'é😀é😀z']);

  it('maps character columns to UTF-16 offsets', () => {
    assert.equal(offsetAt(doc, 1, 8), 7);
    // Line 2 starts at 13; the emoji is one character but two code units.
    assert.equal(offsetAt(doc, 2, 8), 13 + 7);
    assert.equal(offsetAt(doc, 2, 9), 13 + 7 + 2);
    assert.equal(doc.sliceString(offsetAt(doc, 3, 5), offsetAt(doc, 3, 6)), 'z');
    assert.equal(doc.sliceString(offsetAt(doc, 3, 2), offsetAt(doc, 3, 3)), '😀');
  });

  it('clamps past the end of a line and of the document', () => {
    assert.equal(offsetAt(doc, 1, 99), 12);
    assert.equal(offsetAt(doc, 9, 1), doc.length);
    assert.equal(offsetAt(doc, 0, 1), 0);
    assert.deepEqual(rangeOf(doc, { line: 1, column: 8, end_line: 1, end_column: 13 }), { from: 7, to: 12 });
    assert.deepEqual(rangeOf(doc, { line: 2, column: 3, end_line: 1, end_column: 1 }), { from: 15, to: 15 });
  });
});

describe('markdown', () => {
  it('escapes everything, including inside code', () => {
    const { html } = renderMarkdown('Use `<script>` & **bold** <img src=x onerror=alert(1)>');
    assert.equal(html, '<p>Use <code>&lt;script&gt;</code> &amp; <strong>bold</strong> &lt;img src=x onerror=alert(1)&gt;</p>');
    assert.equal(escapeHtml(`"'`), '&quot;&#39;');
    assert.equal(codeSpans('key `*.<b>` is *not* `x'), 'key <code>*.&lt;b&gt;</code> is *not* `x');
  });

  it('renders headings, lists, fences and links, and returns the fenced blocks', () => {
    const { html, blocks } = renderMarkdown(
      '## What it does\nReports\nthings.\n\n- one\n  continued\n- two\n\n```yaml\nkind: Pod\n```\n[docs](https://example.com) [bad](javascript:void)',
      { headingOffset: 1 },
    );
    assert.equal(
      html,
      [
        '<h3>What it does</h3>',
        '<p>Reports things.</p>',
        '<ul><li>one continued</li><li>two</li></ul>',
        '<pre data-block="0"><code>kind: Pod</code></pre>',
        '<p><a href="https://example.com" target="_blank" rel="noopener noreferrer">docs</a> bad</p>',
      ].join('\n'),
    );
    assert.deepEqual(blocks, [{ language: 'yaml', text: 'kind: Pod' }]);
  });
});

describe('the URL fragment', () => {
  it('round-trips text and settings', async () => {
    const state = { text: 'kind: Pod\n# ünïcödé 😀\n'.repeat(100), settings: { tenancy: 'multi', select: 'ALL' }, file: 'a.yaml' };
    const fragment = await encodeFragment(state);
    assert.match(fragment, /^#v1\.[A-Za-z0-9_-]+$/);
    assert.ok(fragment.length < 200, `deflated: ${fragment.length}`);
    assert.deepEqual(await decodeFragment(fragment), state);
  });

  it('tells no fragment from a damaged or foreign one', async () => {
    assert.equal(await decodeFragment(''), null);
    assert.equal(await decodeFragment('#'), null);
    const cut = (await encodeFragment({ text: 'kind: Pod\n'.repeat(50) })).slice(0, 20);
    assert.match((await decodeFragment(cut)).message, /damaged/);
    assert.match((await decodeFragment('#section-2')).message, /not an imglint page state/);
  });

  it('finds Secrets in YAML and JSON', () => {
    assert.ok(holdsSecret('apiVersion: v1\nkind: Secret\n'));
    assert.ok(holdsSecret('items:\n- kind: "Secret"  # pull secret\n'));
    assert.ok(holdsSecret('{"apiVersion": "v1", "kind" : "Secret"}'));
    assert.ok(!holdsSecret('kind: SecretProviderClass\n'));
    assert.ok(!holdsSecret('imagePullSecrets:\n- name: Secret\n'));
  });
});

describe('settings', () => {
  it('keeps known keys of the right type, and maps them to lint options', () => {
    const settings = normalizeSettings({ tenancy: 'multi', select: ' ALL ', config: 42, extra: 'x' });
    assert.deepEqual(settings, { tenancy: 'multi', namespace: '', select: ' ALL ', ignore: '', config: '' });
    assert.deepEqual(lintOptions(settings, 'a.yaml'), { file: 'a.yaml', tenancy: 'multi', select: 'ALL' });
    assert.equal(normalizeSettings({ tenancy: 'many' }).tenancy, 'single');
  });
});
