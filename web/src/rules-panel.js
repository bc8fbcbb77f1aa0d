// The rule catalogue from the wasm module's `rules()`: a table of every rule, and one rule's
// documentation (its doc comment, the same text as `imglint rule CODE`) with its examples one
// click away from the editor.
import { escapeHtml, renderMarkdown } from './markdown.js';

export class RulesPanel {
  /** `handlers`: `loadExample(text)`. */
  constructor({ table, doc }, handlers) {
    Object.assign(this, { table, doc, handlers });
    this.rules = [];
    table.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-code]');
      if (button) this.showRule(button.dataset.code);
    });
    doc.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-block]');
      if (button) this.handlers.loadExample(this.blocks[Number(button.dataset.block)].text);
      if (event.target.closest('button.close')) doc.hidden = true;
    });
  }

  setRules(rules) {
    this.rules = rules;
    this.table.replaceChildren(
      ...rules.map((rule) => {
        const row = document.createElement('tr');
        if (!rule.enabled_by_default) row.className = 'off';
        row.innerHTML =
          `<td><button type="button" data-code="${escapeHtml(rule.code)}">${escapeHtml(rule.code)}</button></td>` +
          `<td title="${escapeHtml(rule.summary)}">${escapeHtml(rule.name)}</td>` +
          `<td>${rule.enabled_by_default ? escapeHtml(rule.severity) : 'off'}</td>` +
          `<td>${rule.fixable ? 'yes' : ''}</td>`;
        return row;
      }),
    );
  }

  /** Shows the documentation of `code`; returns whether the rule exists. */
  showRule(code) {
    const rule = this.rules.find((candidate) => candidate.code === code);
    if (!rule) return false;
    const { html, blocks } = renderMarkdown(rule.documentation, { headingOffset: 1 });
    this.blocks = blocks;
    const level = rule.enabled_by_default ? rule.severity : `off (${rule.severity} when selected)`;
    this.doc.innerHTML =
      `<h2>${escapeHtml(rule.code)} ${escapeHtml(rule.name)}</h2>` +
      `<p class="hint">Category ${escapeHtml(rule.category)} · default ${escapeHtml(level)}` +
      `${rule.fixable ? ' · fixable' : ''} · <a href="${escapeHtml(rule.url)}" target="_blank" rel="noopener noreferrer">source</a></p>` +
      html;
    // Each YAML example can be loaded into the editor.
    for (const pre of this.doc.querySelectorAll('pre[data-block]')) {
      const block = blocks[Number(pre.dataset.block)];
      if (block.language !== 'yaml') continue;
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.block = pre.dataset.block;
      button.textContent = 'Open this example in the editor';
      pre.after(button);
    }
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'close';
    close.textContent = 'Close';
    this.doc.append(close);
    this.doc.hidden = false;
    this.doc.scrollIntoView({ block: 'start' });
    return true;
  }
}
