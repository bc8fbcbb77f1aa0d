// The page: wires the editor, the lint worker, the panels, the settings and the URL fragment.
//
// Flow: every document or settings change schedules a lint (at once for a paste, a drop, a fix
// or an example; after a pause in typing otherwise). The worker lints the text; the findings
// are shown only if the document is still the one that was linted, and then the fragment is
// rewritten so that the address bar always reproduces the page.
import { LintClient } from './lint-client.js';
import { applyFix, createEditor, replaceDocument, revealFinding, showFindings } from './editor.js';
import { FindingsPanel } from './findings-panel.js';
import { RulesPanel } from './rules-panel.js';
import { bindSettings, lintOptions, normalizeSettings } from './settings.js';
import { decodeFragment, encodeFragment, holdsSecret } from './share.js';
import { DEFAULT_EXAMPLE, EXAMPLES } from './examples.js';

const TYPING_PAUSE_MS = 150;
const FRAGMENT_PAUSE_MS = 300;
const DEFAULT_FILE = 'manifest.yaml';
// Chromium refuses longer addresses.
const MAX_LINK_LENGTH = 2_000_000;

const $ = (id) => document.getElementById(id);

const page = {
  view: null,
  client: null,
  settings: normalizeSettings({}),
  file: DEFAULT_FILE,
  /** The last lint shown: the document it is about and its report. */
  shown: null,
  /** Timestamps (performance.now()) of the last change and of the lint that showed it. */
  timings: {},
  lintTimer: 0,
  fragmentTimer: 0,
};
// For the end-to-end test and for debugging from the console.
window.imglintPage = page;

function toast(message) {
  const element = $('toast');
  element.textContent = message;
  element.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (element.hidden = true), 2500);
}

function selectTab(name) {
  for (const tab of ['findings', 'rules', 'settings']) {
    $(`tab-${tab}`).setAttribute('aria-selected', String(tab === name));
    $(`panel-${tab}`).hidden = tab !== name;
  }
}

function showLintError(message) {
  for (const id of ['lint-error', 'settings-error']) {
    $(id).textContent = message ?? '';
    $(id).hidden = !message;
  }
}

function scheduleLint(delay) {
  clearTimeout(page.lintTimer);
  page.lintTimer = setTimeout(() => lint(), delay);
}

async function lint(doc = page.view.state.doc) {
  clearTimeout(page.lintTimer);
  page.timings.lintRequestedAt = performance.now();
  let result;
  try {
    const text = doc.toString();
    page.timings.postedAt = performance.now();
    result = await page.client.lint(text, lintOptions(page.settings, page.file));
  } catch (error) {
    page.shown = null;
    showFindings(page.view, doc, []);
    page.findings.clear('Not linted: the settings are invalid.');
    showLintError(error.message);
    shown();
    return;
  }
  // Superseded by a newer request, or the text changed while it was linted: a newer lint is
  // on its way, and these positions may no longer be right. (A paste is linted from inside its
  // transaction, so `doc` is the one the editor shows once that transaction is applied.)
  if (!result || page.view.state.doc !== doc) return;
  page.timings.reportAt = performance.now();
  // Input the core refuses as a whole (over its 16 MiB limit) comes as report errors.
  const refused = result.report.errors.map((error) => error.message).join('\n');
  showLintError(refused ? `Not linted: ${refused}` : null);
  page.shown = { doc, report: result.report };
  showFindings(page.view, doc, result.report.diagnostics);
  page.timings.editorAt = performance.now();
  page.findings.show(result.report, result.lintMs);
  page.timings.lintMs = result.lintMs;
  shown();
}

/** A lint's outcome is on screen: count it (tests wait on `data-lints`) and update the link. */
function shown() {
  page.timings.renderedAt = performance.now();
  document.body.dataset.lints = String(Number(document.body.dataset.lints ?? 0) + 1);
  window.dispatchEvent(new CustomEvent('imglint:rendered', { detail: { ...page.timings } }));
  scheduleFragment();
}

function scheduleFragment() {
  clearTimeout(page.fragmentTimer);
  page.fragmentTimer = setTimeout(writeFragment, FRAGMENT_PAUSE_MS);
}

async function writeFragment() {
  clearTimeout(page.fragmentTimer);
  const text = page.view.state.doc.toString();
  $('secret-notice').hidden = !holdsSecret(text);
  const fragment = await encodeFragment({ text, settings: page.settings, file: page.file });
  if (fragment.length > MAX_LINK_LENGTH) return false;
  history.replaceState(null, '', fragment);
  return true;
}

async function copyLink() {
  if (!(await writeFragment())) {
    toast('The manifests are too large for a link.');
    return;
  }
  try {
    await navigator.clipboard.writeText(location.href);
    toast('Link copied.');
  } catch {
    toast('The browser refused the clipboard: copy the address bar.');
  }
}

function share() {
  if (!holdsSecret(page.view.state.doc.toString())) return copyLink();
  const dialog = $('secret-dialog');
  dialog.returnValue = '';
  dialog.showModal();
  dialog.addEventListener('close', () => dialog.returnValue === 'copy' && copyLink(), { once: true });
  return undefined;
}

/** Replaces the editor's content and settings (an example, dropped files). */
function load(text, { settings, file = DEFAULT_FILE } = {}) {
  page.file = file;
  if (settings) {
    page.settings = normalizeSettings(settings);
    page.settingsForm.write(page.settings);
  }
  replaceDocument(page.view, text);
}

async function loadFiles(files) {
  const texts = await Promise.all(files.map((file) => file.text()));
  if (files.length === 1) {
    load(texts[0], { file: files[0].name });
  } else {
    // Several files become one multi-document stream, each document led by its file's name.
    const parts = texts.map((text, i) => `# ${files[i].name}\n${text.replace(/\n*$/, '\n')}`);
    load(parts.join('---\n'), { file: 'dropped files' });
  }
  toast(`Loaded ${files.length === 1 ? files[0].name : `${files.length} files`}.`);
}

function currentFinding(index) {
  const finding = page.shown?.report.diagnostics[index];
  return finding && { doc: page.shown.doc, finding };
}

function onImmediateChange(doc) {
  page.timings = { changedAt: performance.now() };
  lint(doc);
}

function onTyping() {
  page.timings = { changedAt: performance.now() };
  scheduleLint(TYPING_PAUSE_MS);
}

async function start() {
  const state = await decodeFragment(location.hash);
  const example = EXAMPLES.find((candidate) => candidate.id === DEFAULT_EXAMPLE);
  const initial = state && !(state instanceof Error) ? state : { text: example.text, settings: example.settings };
  page.settings = normalizeSettings(initial.settings);
  page.file = typeof initial.file === 'string' ? initial.file : DEFAULT_FILE;

  page.view = createEditor($('editor'), { text: initial.text, onImmediateChange, onTyping, onDropFiles: loadFiles });
  page.settingsForm = bindSettings(
    { tenancy: $('tenancy'), namespace: $('namespace'), select: $('select'), ignore: $('ignore'), config: $('config') },
    (settings) => {
      page.settings = settings;
      scheduleLint(TYPING_PAUSE_MS);
    },
  );
  page.settingsForm.write(page.settings);

  const rulesPanel = new RulesPanel(
    { table: $('rules'), doc: $('rule-doc') },
    { loadExample: (text) => load(text) },
  );
  page.findings = new FindingsPanel(
    { list: $('findings'), summary: $('summary'), more: $('more-findings'), count: $('findings-count') },
    {
      reveal(index) {
        const found = currentFinding(index);
        if (found) revealFinding(page.view, found.doc, found.finding);
      },
      fix(index) {
        const found = currentFinding(index);
        if (found && !applyFix(page.view, found.doc, found.finding)) toast('The text changed: fix again after the next lint.');
      },
      showRule(code) {
        selectTab('rules');
        rulesPanel.showRule(code);
      },
    },
  );

  for (const tab of ['findings', 'rules', 'settings']) $(`tab-${tab}`).addEventListener('click', () => selectTab(tab));
  const examples = $('example');
  for (const { id, title } of EXAMPLES) examples.add(new Option(title, id));
  examples.addEventListener('change', () => {
    const chosen = EXAMPLES.find((candidate) => candidate.id === examples.value);
    examples.value = '';
    if (chosen) load(chosen.text, { settings: chosen.settings });
  });
  $('open-files').addEventListener('change', (event) => {
    const files = [...event.target.files];
    event.target.value = '';
    if (files.length) loadFiles(files);
  });
  $('share').addEventListener('click', share);
  if (state instanceof Error) toast(`Showing an example: ${state.message}.`);

  page.client = new LintClient(new URL('./lint-worker.js', import.meta.url));
  try {
    const { version, rules } = await page.client.ready;
    $('version').textContent = `v${version}`;
    rulesPanel.setRules(rules);
  } catch (error) {
    $('summary').textContent = `The linter could not start: ${error.message}`;
    return;
  }
  document.body.dataset.ready = 'true';
  await lint();

  if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
    navigator.serviceWorker.register(new URL('./sw.js', import.meta.url)).catch(() => {});
  }
}

start();
