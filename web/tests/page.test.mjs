// The page in a real browser: Debian's headless Chromium driven by playwright-core, the built
// page (scripts/build-web) served from loopback. Run with `node --test web/tests/`; screenshots
// and timings go to target/web-e2e/. IMGLINT_RECORD_PERF=1 also writes the timings into
// docs/performance.md.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { serve } from '../serve.mjs';
import { megabyteManifest } from '../../wasm/js/bench/megabyte-manifest.mjs';

const repo = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const site = path.join(repo, 'target/web');
const artifacts = path.join(repo, 'target/web-e2e');
const CHROMIUM = process.env.IMGLINT_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const KNOWN = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:latest
    imagePullPolicy: always
  - name: sidecar
    image: busybox
`;
const KNOWN_FINDINGS = ['IMG103@8', 'IMG204@9', 'IMG102@11'];

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: regcred
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths": {"registry.example.com": {"auth": "dXNlcjpwYXNz"}}}'
`;

let server;
let browser;
let origin;

before(async () => {
  assert.ok(fs.existsSync(path.join(site, 'app.js')), 'the page is not built: run scripts/build-web first');
  fs.mkdirSync(artifacts, { recursive: true });
  server = await serve(site);
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A fresh context and page; every request that is not to the page's own server is refused and recorded. */
async function openPage(hash = '') {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const foreign = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  await page.goto(`${origin}/${hash}`);
  await page.waitForSelector('body[data-lints]');
  return { context, page, foreign, problems };
}

const lintCount = (page) => page.evaluate(() => Number(document.body.dataset.lints ?? 0));

/** Runs `action`, then waits until the page has shown a new lint. */
async function afterLint(page, action) {
  const count = await lintCount(page);
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset.lints ?? 0) > n, count);
}

/** Pastes `text` over the whole editor, through the clipboard and Ctrl+V as a user does. */
async function paste(page, text) {
  await page.evaluate((content) => navigator.clipboard.writeText(content), text);
  await afterLint(page, async () => {
    await page.click('.cm-content');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+V');
  });
}

const findingsInPanel = (page) => page.$$eval('#findings .finding', (rows) => rows.map((row) => `${row.dataset.code}@${row.dataset.line}`));

/** The editor's squiggles and gutter markers, as the line numbers they are on. */
const marksInEditor = (page) =>
  page.evaluate(() => {
    const { view } = window.imglintPage;
    const lineOf = (element) => view.state.doc.lineAt(view.posAtDOM(element)).number;
    const squiggles = [...document.querySelectorAll('.cm-lintRange')].map((element) => ({
      line: lineOf(element),
      severity: [...element.classList].find((name) => name.startsWith('cm-lintRange-')).slice('cm-lintRange-'.length),
      text: element.textContent,
    }));
    const gutter = [...document.querySelectorAll('.cm-gutter-lint .cm-gutterElement')]
      .filter((element) => element.querySelector('.cm-lint-marker'))
      .map((element) => view.state.doc.lineAt(view.lineBlockAtHeight(element.offsetTop + 1).from).number);
    return { squiggles, gutter };
  });

const editorText = (page) => page.evaluate(() => window.imglintPage.view.state.doc.toString());

describe('the manifest checker page', () => {
  it('lints pasted manifests: panel, squiggles, hover, jump, quick fix, and a link that reproduces it', async () => {
    const { context, page, foreign, problems } = await openPage();
    await paste(page, KNOWN);

    assert.deepEqual(await findingsInPanel(page), KNOWN_FINDINGS);
    assert.match(await page.textContent('#summary'), /^Found 3 problems \(1 error, 2 warnings\) in 1 object \(2 containers\)/);
    const marks = await marksInEditor(page);
    assert.deepEqual(
      marks.squiggles.map(({ line, severity, text }) => `${line}:${severity}:${text}`),
      ['8:warning:nginx:latest', '9:error:always', '11:warning:busybox'],
    );
    assert.deepEqual(marks.gutter, [8, 9, 11]);

    // Hovering a squiggle shows code, message and help.
    await page.hover('.cm-lintRange-error');
    const tip = await page.waitForSelector('.cm-tooltip-lint');
    const tipText = await tip.textContent();
    assert.match(tipText, /IMG204 invalid-pull-policy/);
    assert.match(tipText, /help: /);
    assert.match(tipText, /Fix: /, 'the fix is offered in the tooltip too');
    await page.mouse.move(0, 0);

    // A click on a finding selects its span.
    await page.click('#findings .finding[data-code="IMG102"] .msg');
    const selection = await page.evaluate(() => {
      const { view } = window.imglintPage;
      const { from, to, head } = view.state.selection.main;
      return { line: view.state.doc.lineAt(head).number, text: view.state.sliceDoc(from, to), focused: view.hasFocus };
    });
    assert.deepEqual(selection, { line: 11, text: 'busybox', focused: true });

    // The quick fix edits only the value, and the next lint no longer reports it.
    await afterLint(page, () => page.click('#findings .finding[data-code="IMG204"] .fix'));
    assert.equal(await editorText(page), KNOWN.replace('imagePullPolicy: always', 'imagePullPolicy: Always'));
    assert.deepEqual(await findingsInPanel(page), ['IMG103@8', 'IMG102@11']);

    // Settings change what runs: multi-tenant and ALL bring IMG201, IMG104, IMG106.
    await page.selectOption('#tenancy', 'multi');
    await page.click('#tab-settings');
    await afterLint(page, () => page.fill('#select', 'ALL'));
    const all = await findingsInPanel(page);
    for (const code of ['IMG104', 'IMG106', 'IMG201']) assert.ok(all.some((f) => f.startsWith(code)), `${code} in ${all}`);
    await afterLint(page, () => page.fill('#select', 'IMG1,NOPE'));
    assert.match(await page.textContent('#settings-error'), /NOPE/);
    await afterLint(page, () => page.fill('#select', 'IMG1'));
    await page.fill('#namespace', 'shop');
    await page.waitForFunction(() => location.hash.length > 4);
    await page.waitForTimeout(500); // the fragment follows the last change after a pause
    await page.click('#tab-findings');
    await page.screenshot({ path: path.join(artifacts, 'page.png') });

    const before = { text: await editorText(page), findings: await findingsInPanel(page) };
    const link = page.url();
    assert.ok(new URL(link).hash.startsWith('#v1.'));

    // The link reproduces the page, in a new page as after a reload.
    await page.reload();
    await page.waitForSelector('body[data-lints]');
    assert.equal(await editorText(page), before.text);
    assert.deepEqual(await findingsInPanel(page), before.findings);
    assert.equal(await page.inputValue('#tenancy'), 'multi');
    assert.equal(await page.inputValue('#namespace'), 'shop');
    assert.equal(await page.inputValue('#select'), 'IMG1');
    const fresh = await context.newPage();
    await fresh.goto(link);
    await fresh.waitForSelector('body[data-lints]');
    assert.equal(await editorText(fresh), before.text);
    assert.deepEqual(await findingsInPanel(fresh), before.findings);

    assert.deepEqual(foreign, [], 'the page asked for nothing outside its own server');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('says so when the text is over the core’s 16 MiB limit', async () => {
    const { context, page, problems } = await openPage();
    await afterLint(page, () =>
      page.evaluate(() => {
        const { view } = window.imglintPage;
        const text = 'a: b\n'.repeat(3_500_000);
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: 'input.paste' });
      }),
    );
    assert.match(await page.textContent('#lint-error'), /^Not linted: imglint reads at most 16777216 bytes \(16 MiB\) per input, and it is 17500000 bytes$/);
    await paste(page, KNOWN);
    assert.equal(await page.isHidden('#lint-error'), true);
    assert.deepEqual(await findingsInPanel(page), KNOWN_FINDINGS);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('warns before sharing a link that holds a Secret', async () => {
    const { context, page, problems } = await openPage();
    await paste(page, KNOWN);
    assert.equal(await page.isHidden('#secret-notice'), true);
    await page.click('#share');
    await page.waitForFunction(() => !document.getElementById('toast').hidden);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), page.url());

    await paste(page, SECRET);
    await page.waitForSelector('#secret-notice:not([hidden])');
    await page.evaluate(() => navigator.clipboard.writeText('untouched'));
    await page.click('#share');
    await page.waitForSelector('#secret-dialog[open]');
    await page.click('#secret-dialog button[value="cancel"]');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'untouched', 'cancel copies nothing');
    await page.click('#share');
    await page.click('#secret-copy');
    await page.waitForFunction(() => navigator.clipboard.readText().then((text) => text.includes('#v1.')));
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('loads each example, raising its family of rules, and opens rule docs', async () => {
    const { context, page, problems } = await openPage();
    const examples = await page.$$eval('#example option', (options) => options.map((o) => o.value).filter(Boolean));
    assert.equal(examples.length, 5);
    const families = {};
    for (const example of examples) {
      await afterLint(page, () => page.selectOption('#example', example));
      families[example] = [...new Set((await findingsInPanel(page)).map((f) => f.slice(0, 4)))];
    }
    assert.deepEqual(
      Object.fromEntries(Object.entries(families).map(([id, codes]) => [id, codes.includes({ input: 'IMG0', images: 'IMG1', 'pull-policy': 'IMG2', 'pull-secrets': 'IMG3', 'multi-tenant': 'IMG4' }[id])])),
      { input: true, images: true, 'pull-policy': true, 'pull-secrets': true, 'multi-tenant': true },
      JSON.stringify(families),
    );
    // Every code of the family shows up across the examples, except rules that are off by default.
    const shown = new Set();
    for (const example of examples) {
      await afterLint(page, () => page.selectOption('#example', example));
      for (const f of await findingsInPanel(page)) shown.add(f.split('@')[0]);
    }
    const rules = await page.evaluate(() => [...document.querySelectorAll('#rules tr')].map((row) => ({ code: row.querySelector('button').dataset.code, on: !row.classList.contains('off') })));
    assert.equal(rules.length, 27);
    // IMG004 needs a file with more than 10,000 findings: no example for a reader (its fixture
    // and its documentation lower the limit).
    const missing = rules.filter((rule) => rule.on && rule.code !== 'IMG004' && !shown.has(rule.code)).map((rule) => rule.code);
    assert.deepEqual(missing, [], 'every default rule fires in some example');

    // The rule docs are one click away from a finding, and their examples load into the editor.
    await page.click('#findings .finding .code');
    await page.waitForSelector('#rule-doc:not([hidden])');
    const code = await page.textContent('#rule-doc h2');
    assert.match(code, /^IMG4\d\d /);
    assert.ok(await page.isVisible('#rule-doc h3:text("What it does")'));
    await afterLint(page, () => page.click('#rule-doc button[data-block]'));
    assert.ok((await findingsInPanel(page)).some((f) => f.startsWith(code.slice(0, 6))), 'the rule’s example raises it');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('reads dropped files, several as one stream', async () => {
    const { context, page, problems } = await openPage();
    await afterLint(page, () =>
      page.evaluate(
        ([first, second]) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([first], 'web.yaml', { type: 'text/yaml' }));
          transfer.items.add(new File([second], 'secret.yaml', { type: 'text/yaml' }));
          const target = document.querySelector('.cm-content');
          const box = target.getBoundingClientRect();
          target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true, clientX: box.left + 10, clientY: box.top + 10 }));
        },
        [KNOWN, SECRET],
      ),
    );
    const text = await editorText(page);
    assert.ok(text.startsWith('# web.yaml\napiVersion: v1'), text.slice(0, 80));
    assert.ok(text.includes('---\n# secret.yaml\napiVersion: v1\nkind: Secret'));
    assert.deepEqual(await findingsInPanel(page), ['IMG103@9', 'IMG204@10', 'IMG102@12']);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('works offline once loaded', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    await page.waitForSelector('body[data-lints]');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('body[data-lints]');
    assert.match(await page.textContent('#summary'), /^Found \d+ problems/);
    await context.close();
  });

  it('measures paste-to-findings on a 1 MB manifest', async () => {
    const { context, page, problems } = await openPage();
    const manifest = megabyteManifest();
    const runs = [];
    for (const [label, settings] of [
      ['default rules', { select: '', tenancy: 'single' }],
      ['select ALL, tenancy multi', { select: 'ALL', tenancy: 'multi' }],
    ]) {
      await page.click('#tab-settings');
      await page.selectOption('#tenancy', settings.tenancy);
      await page.fill('#select', settings.select);
      await page.click('#tab-findings');
      await page.waitForTimeout(500); // the lint of the new settings is shown
      for (let run = 0; run < 7; run += 1) {
        // Each paste differs from the last, so the editor really changes.
        const text = `# run ${run}\n${manifest}`;
        await page.evaluate((content) => navigator.clipboard.writeText(content), text);
        await page.click('.cm-content');
        await page.keyboard.press('Control+A');
        const count = await lintCount(page);
        const timing = page.evaluate(
          (n) =>
            new Promise((resolve) => {
              let pastedAt;
              document.addEventListener('paste', (event) => (pastedAt = event.timeStamp), { capture: true, once: true });
              const onRendered = (event) => {
                if (Number(document.body.dataset.lints) <= n) return;
                window.removeEventListener('imglint:rendered', onRendered);
                // The next frame after the findings are in the DOM: what the user sees.
                requestAnimationFrame(() =>
                  setTimeout(() => resolve({ pastedAt, ...event.detail, paintedAt: performance.now() })),
                );
              };
              window.addEventListener('imglint:rendered', onRendered);
            }),
          count,
        );
        await page.waitForTimeout(50);
        await page.keyboard.press('Control+V');
        const t = await timing;
        runs.push({
          label,
          bytes: Buffer.byteLength(text),
          findings: (await page.evaluate(() => window.imglintPage.shown.report.diagnostics.length)),
          lintMs: t.lintMs,
          phases: Object.fromEntries(Object.entries(t).filter(([k]) => k.endsWith('At')).map(([k, v]) => [k, +(v - t.pastedAt).toFixed(1)])),
          toFindingsMs: t.renderedAt - t.pastedAt,
          toPaintMs: t.paintedAt - t.pastedAt,
        });
      }
    }
    await page.screenshot({ path: path.join(artifacts, 'page-1mb.png') });

    // Typing in the 1 MB document: the linter runs in the worker, so the main thread's longest
    // task while typing is the editor's own work.
    assert.deepEqual(page.workers().map((worker) => new URL(worker.url()).pathname), ['/lint-worker.js']);
    await page.evaluate(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
    });
    await page.click('.cm-content');
    await page.keyboard.press('Control+End');
    const lints = await lintCount(page);
    await page.keyboard.type('# typing in a large document\n', { delay: 30 });
    await page.waitForFunction((n) => Number(document.body.dataset.lints) > n, lints);
    const typing = await page.evaluate(() => ({ longTasks: window.longTasks.length, longestMs: Math.max(0, ...window.longTasks) }));

    const summary = summarise(runs);
    fs.writeFileSync(path.join(artifacts, 'timings.json'), `${JSON.stringify({ runs, summary, typing }, null, 2)}\n`);
    console.log(`# typing 29 characters into the 1 MB document: ${typing.longTasks} main-thread tasks over 50 ms, the longest ${typing.longestMs.toFixed(0)} ms`);
    for (const row of summary) {
      console.log(`# ${row.label}: ${row.mb} MB, ${row.findings} findings: lint ${row.lint} ms, paste to findings ${row.toFindings} ms, to next frame ${row.toPaint} ms (median of ${row.runs}; best in brackets)`);
    }
    if (process.env.IMGLINT_RECORD_PERF === '1') recordPerformance(summary, typing);
    assert.ok(runs.every((run) => run.findings > 100), 'the 1 MB manifest raises its findings');
    assert.deepEqual(problems, []);
    await context.close();
  });
});

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function summarise(runs) {
  const labels = [...new Set(runs.map((run) => run.label))];
  return labels.map((label) => {
    const mine = runs.filter((run) => run.label === label);
    const stat = (key) => `${median(mine.map((r) => r[key])).toFixed(1)} (${Math.min(...mine.map((r) => r[key])).toFixed(1)})`;
    return {
      label,
      runs: mine.length,
      mb: (mine[0].bytes / 1e6).toFixed(2),
      findings: mine[0].findings,
      lint: stat('lintMs'),
      toFindings: stat('toFindingsMs'),
      toPaint: stat('toPaintMs'),
    };
  });
}

function recordPerformance(summary, typing) {
  const file = path.join(repo, 'docs/performance.md');
  const text = fs.readFileSync(file, 'utf8');
  const start = '<!-- web-e2e:start -->';
  const end = '<!-- web-e2e:end -->';
  const table = [
    start,
    `Measured ${new Date().toISOString().slice(0, 10)} by \`IMGLINT_RECORD_PERF=1 node --test web/tests/\`; median of ${summary[0].runs} pastes, best in brackets, milliseconds.`,
    '',
    '| settings | manifest | findings | lint (in the worker) | paste → findings in the DOM | paste → next frame |',
    '|---|---|---|---|---|---|',
    ...summary.map((row) => `| ${row.label} | ${row.mb} MB | ${row.findings} | ${row.lint} | ${row.toFindings} | ${row.toPaint} |`),
    '',
    `Typing 29 characters into that document (30 ms apart): ${typing.longTasks} main-thread tasks over 50 ms, the longest ${typing.longestMs.toFixed(0)} ms.`,
    end,
  ].join('\n');
  const at = text.indexOf(start);
  const updated = at >= 0 ? text.slice(0, at) + table + text.slice(text.indexOf(end) + end.length) : `${text.trimEnd()}\n\n${table}\n`;
  fs.writeFileSync(file, updated);
}
