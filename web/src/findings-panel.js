import { codeSpans } from './markdown.js';

// The findings panel: one row per diagnostic (severity, code, message, position), a summary
// line, and a fix button where the core offers a fix. Rows beyond the first PAGE are added on
// demand, so a 1 MB manifest with thousands of findings renders in a few milliseconds.

const PAGE = 200;
const SIGN = { error: '×', warning: '⚠', info: 'ℹ' };

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The summary line of a report, as the CLI words it. */
export function summaryLine(report, lintMs) {
  const { errors, warnings, infos, suppressed, objects, containers } = report.summary;
  const found = report.diagnostics.length;
  const parts = [];
  if (errors) parts.push(plural(errors, 'error'));
  if (warnings) parts.push(plural(warnings, 'warning'));
  if (infos) parts.push(plural(infos, 'info'));
  const counts = found === 0 ? 'No problems found' : `Found ${plural(found, 'problem')} (${parts.join(', ')})`;
  const extra = suppressed ? `, ${suppressed} suppressed` : '';
  return `${counts}${extra} in ${plural(objects, 'object')} (${plural(containers, 'container')}); linted in ${lintMs.toFixed(1)} ms.`;
}

export class FindingsPanel {
  /** `handlers`: `reveal(index)`, `fix(index)`, `showRule(code)`. */
  constructor({ list, summary, more, count }, handlers) {
    Object.assign(this, { list, summary, more, count, handlers });
    this.findings = [];
    this.shown = 0;
    more.addEventListener('click', () => this.#append(this.findings.length));
    list.addEventListener('click', (event) => {
      const row = event.target.closest('.finding');
      if (!row) return;
      const index = Number(row.dataset.index);
      if (event.target.closest('.code')) this.handlers.showRule(this.findings[index].code);
      else if (event.target.closest('.fix')) this.handlers.fix(index);
      else this.handlers.reveal(index);
    });
    list.addEventListener('keydown', (event) => {
      const row = event.target.closest('.finding');
      if (row && (event.key === 'Enter' || event.key === ' ') && event.target === row) {
        event.preventDefault();
        this.handlers.reveal(Number(row.dataset.index));
      }
    });
  }

  show(report, lintMs) {
    this.findings = report.diagnostics;
    this.summary.textContent = summaryLine(report, lintMs);
    this.count.textContent = this.findings.length ? `(${this.findings.length})` : '';
    this.list.replaceChildren();
    this.shown = 0;
    this.#append(PAGE);
  }

  /** Empties the panel, with `message` as its summary. */
  clear(message) {
    this.findings = [];
    this.summary.textContent = message;
    this.count.textContent = '';
    this.list.replaceChildren();
    this.shown = 0;
    this.more.hidden = true;
  }

  #append(limit) {
    const fragment = document.createDocumentFragment();
    const end = Math.min(this.findings.length, limit);
    for (let index = this.shown; index < end; index += 1) fragment.append(this.#row(this.findings[index], index));
    this.list.append(fragment);
    this.shown = end;
    const left = this.findings.length - this.shown;
    this.more.hidden = left === 0;
    this.more.textContent = `Show ${left} more`;
  }

  #row(finding, index) {
    const row = document.createElement('li');
    row.className = `finding ${finding.severity}`;
    row.dataset.index = index;
    row.dataset.code = finding.code;
    row.dataset.line = finding.line;
    row.tabIndex = 0;
    const sign = row.appendChild(document.createElement('span'));
    sign.className = 'sev';
    sign.title = finding.severity;
    sign.textContent = SIGN[finding.severity];
    const code = row.appendChild(document.createElement('button'));
    code.type = 'button';
    code.className = 'code';
    code.title = `${finding.rule}: show the rule's documentation`;
    code.textContent = finding.code;
    const message = row.appendChild(document.createElement('span'));
    message.className = 'msg';
    message.innerHTML = codeSpans(finding.message);
    const position = row.appendChild(document.createElement('span'));
    position.className = 'pos';
    position.textContent = `${finding.line}:${finding.column}`;
    const where = [finding.object && `${finding.object.kind} ${finding.object.name ?? ''}`.trim(), finding.container]
      .filter(Boolean)
      .join(' · ');
    if (finding.help || where) {
      const detail = row.appendChild(document.createElement('span'));
      detail.className = 'detail';
      detail.innerHTML = codeSpans([where, finding.help && `help: ${finding.help}`].filter(Boolean).join(' — '));
    }
    if (finding.fix) {
      const fix = row.appendChild(document.createElement('button'));
      fix.type = 'button';
      fix.className = 'fix';
      fix.textContent = `Fix: ${finding.fix.description}`;
    }
    return row;
  }
}
