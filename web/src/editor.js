// The editor: CodeMirror 6 with YAML highlighting, imglint's findings as lint diagnostics
// (squiggles, gutter markers, hover tooltips with code, message, help and labels, quick fixes).
import {
  EditorView,
  drawSelection,
  dropCursor,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { EditorState } from '@codemirror/state';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, foldGutter, foldKeymap, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, lintKeymap, setDiagnostics } from '@codemirror/lint';

import { codeSpans } from './markdown.js';
import { rangeOf } from './positions.js';

// CodeMirror's basicSetup without what a manifest editor does not need (autocompletion, bracket
// closing, rectangular selection): 60 KB less to load.
const SETUP = [
  lineNumbers(),
  highlightActiveLineGutter(),
  highlightSpecialChars(),
  history(),
  foldGutter(),
  drawSelection(),
  dropCursor(),
  EditorState.allowMultipleSelections.of(true),
  indentOnInput(),
  syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
  bracketMatching(),
  highlightActiveLine(),
  highlightSelectionMatches(),
  keymap.of([...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap, ...lintKeymap, indentWithTab]),
];

// Changes the linter takes at once, without waiting for a pause in typing.
const IMMEDIATE = ['input.paste', 'input.drop', 'input.fix', 'undo', 'redo'];

/**
 * Creates the editor in `parent`. `onImmediateChange(doc)` runs as soon as a paste, drop, fix,
 * undo or redo exists as a transaction, with the document it produces, before the editor parses
 * and draws it, so that the worker lints while the editor works; `onTyping()` after every other
 * document change.
 */
export function createEditor(parent, { text, onImmediateChange, onTyping, onDropFiles }) {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        SETUP,
        yaml(),
        lintGutter(),
        EditorState.transactionExtender.of((tr) => {
          if (tr.docChanged && IMMEDIATE.some((event) => tr.isUserEvent(event))) onImmediateChange(tr.newDoc);
          return null;
        }),
        EditorView.updateListener.of((update) => {
          const typed = update.transactions.some((tr) => tr.docChanged && !IMMEDIATE.some((event) => tr.isUserEvent(event)));
          if (typed) onTyping();
        }),
        EditorView.domEventHandlers({
          dragover(event) {
            if (!event.dataTransfer?.types.includes('Files')) return false;
            event.preventDefault();
            parent.closest('.editor-pane')?.classList.add('dragging');
            return true;
          },
          dragleave() {
            parent.closest('.editor-pane')?.classList.remove('dragging');
            return false;
          },
          drop(event) {
            parent.closest('.editor-pane')?.classList.remove('dragging');
            const files = [...(event.dataTransfer?.files ?? [])];
            if (files.length === 0) return false; // dropped text: CodeMirror inserts it
            event.preventDefault();
            onDropFiles(files);
            return true;
          },
        }),
      ],
    }),
  });
}

/** Replaces the whole document, as one undoable change that the linter treats as a paste. */
export function replaceDocument(view, text) {
  view.dispatch({
    changes: { from: 0, to: view.state.doc.length, insert: text },
    selection: { anchor: 0 },
    userEvent: 'input.paste',
    scrollIntoView: true,
  });
}

function tooltip(finding) {
  const root = document.createElement('div');
  root.className = 'imglint-tip';
  const head = root.appendChild(document.createElement('div'));
  const code = head.appendChild(document.createElement('span'));
  code.className = 'tip-code';
  code.textContent = `${finding.code} ${finding.rule}`;
  head.insertAdjacentHTML('beforeend', codeSpans(finding.message));
  if (finding.help) {
    const help = root.appendChild(document.createElement('div'));
    help.className = 'tip-help';
    help.innerHTML = codeSpans(`help: ${finding.help}`);
  }
  for (const label of finding.labels) {
    const line = root.appendChild(document.createElement('div'));
    line.className = 'tip-label';
    line.innerHTML = codeSpans(`line ${label.line}: ${label.message}`);
  }
  return root;
}

/**
 * The changes of `fix` against `doc`, the document that was linted (its edits are positions
 * in that text).
 */
export function fixChanges(doc, fix) {
  return fix.edits.map((edit) => ({ ...rangeOf(doc, edit), insert: edit.replacement }));
}

/**
 * Applies `finding`'s fix if `view` still shows `doc`, the document the finding is about;
 * returns whether it did (a stale finding is about to be replaced by the next lint).
 */
export function applyFix(view, doc, finding) {
  if (!finding.fix || view.state.doc !== doc) return false;
  view.dispatch({ changes: fixChanges(doc, finding.fix), userEvent: 'input.fix', scrollIntoView: true });
  view.focus();
  return true;
}

/** Shows `findings` (report diagnostics about `doc`) in the editor. */
export function showFindings(view, doc, findings) {
  const diagnostics = findings.map((finding) => ({
    ...rangeOf(doc, finding),
    severity: finding.severity,
    source: finding.code,
    message: `${finding.code} ${finding.message}`,
    renderMessage: () => tooltip(finding),
    actions: finding.fix
      ? [{ name: `Fix: ${finding.fix.description}`, apply: (target) => applyFix(target, doc, finding) }]
      : [],
  }));
  view.dispatch(setDiagnostics(view.state, diagnostics));
}

/** Selects `finding`'s span and brings it into view. */
export function revealFinding(view, doc, finding) {
  if (view.state.doc !== doc) return;
  const { from, to } = rangeOf(doc, finding);
  view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
  view.focus();
}
