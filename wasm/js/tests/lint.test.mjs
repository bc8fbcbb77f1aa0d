// `lint` on every fixture gives, byte for byte, the JSON report of the CLI snapshot tests
// (cli/tests/snapshots/fixtures__*.snap), with the fixture's flags and config as options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { lint, version } from '../package/node.js';
import * as wasm from '../package/pkg/imglint.js';
import { repo } from './helpers.mjs';

const fixtures = path.join(repo, 'core/tests/fixtures');
const snapshots = path.join(repo, 'cli/tests/snapshots');

/** The fixture's `# imglint:` flags and `# imglint-config:` lines, as `lint` options. */
function options(file, text) {
  const source = file.endsWith('.json') ? readOr(`${file}.expected`, '') : text;
  const flags = [];
  let config = '';
  for (const line of source.split('\n')) {
    const trimmed = line.trimStart();
    if (trimmed.startsWith('# imglint:')) flags.push(...trimmed.slice('# imglint:'.length).trim().split(/\s+/));
    if (trimmed.startsWith('# imglint-config:')) config += `${trimmed.slice('# imglint-config:'.length).trim()}\n`;
  }
  const result = { file: path.relative(fixtures, file), config };
  for (let i = 0; i < flags.length; i += 2) {
    const [flag, value] = [flags[i], flags[i + 1]];
    const key = { '--select': 'select', '--ignore': 'ignore', '--tenancy': 'tenancy', '--namespace': 'namespace' }[flag];
    assert.ok(key, `${file}: flag ${flag} has no lint option`);
    result[key] = value;
  }
  return result;
}

function readOr(file, fallback) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/** The JSON section of a fixture's snapshot. */
function expectedJson(relative) {
  const name = `fixtures__fixtures@${relative.replace('/', '__')}.snap`;
  const snap = fs.readFileSync(path.join(snapshots, name), 'utf8');
  const start = snap.indexOf('----- json -----\n') + '----- json -----\n'.length;
  const end = snap.indexOf('\n----- github -----');
  assert.ok(start > 20 && end > start, `${name}: no JSON section`);
  return snap.slice(start, end);
}

test('every fixture: the wasm report is the CLI report, byte for byte', () => {
  let count = 0;
  for (const folder of fs.readdirSync(fixtures).sort()) {
    for (const name of fs.readdirSync(path.join(fixtures, folder)).sort()) {
      if (!/\.(ya?ml|json)$/.test(name)) continue;
      const file = path.join(fixtures, folder, name);
      const text = fs.readFileSync(file, 'utf8');
      const opts = options(file, text);
      const expected = expectedJson(opts.file);
      const raw = wasm.lintJson(text, JSON.stringify(opts));
      assert.equal(raw, expected, `${opts.file}: report differs`);
      assert.deepEqual(lint(text, opts), JSON.parse(expected), `${opts.file}: parsed report differs`);
      count += 1;
    }
  }
  const snapshotted = fs.readdirSync(snapshots).filter((name) => name.startsWith('fixtures__fixtures@')).length;
  assert.equal(count, snapshotted, 'every snapshotted fixture was compared');
});

test('options: defaults, config as text or object, select and ignore as string or array', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: nginx\n';
  const plain = lint(pod);
  assert.equal(plain.diagnostics[0].file, '<stdin>');
  assert.deepEqual(plain.diagnostics.map((d) => d.code), ['IMG102']);
  assert.deepEqual(lint(pod, { select: 'IMG104' }).diagnostics.map((d) => d.code), ['IMG104']);
  assert.deepEqual(lint(pod, { select: ['IMG104', 'IMG106'] }).diagnostics.map((d) => d.code), ['IMG104', 'IMG106']);
  assert.deepEqual(lint(pod, { ignore: 'IMG1' }).diagnostics, []);
  const viaText = lint(pod, { config: 'rules:\n  IMG102: error\n' });
  const viaObject = lint(pod, { config: { rules: { IMG102: 'error' } } });
  assert.equal(viaText.diagnostics[0].severity, 'error');
  assert.deepEqual(viaText, viaObject);
  assert.equal(lint(pod, { namespace: 'shop' }).diagnostics[0].object.namespace, 'shop');
  assert.match(version, /^\d+\.\d+\.\d+/);
});

test('bad options throw an Error naming the option', () => {
  const cases = [
    [{ tenancy: 'many' }, /option `tenancy` must be "single" or "multi"/],
    [{ fiel: 'x' }, /unknown option `fiel`/],
    [{ select: 'IMG9999' }, /option `select`: /],
    [{ config: 'secret: complete\n' }, /invalid config: unknown key `secret` \(line 1, column 1\); did you mean `secrets`\?/],
    [{ config: { rules: { IMG103: 'loud' } } }, /invalid config: the level of `IMG103`/],
    [{ file: 3 }, /option `file` must be a string/],
  ];
  for (const [opts, message] of cases) {
    assert.throws(() => lint('kind: Pod\n', opts), (error) => error instanceof Error && message.test(error.message));
  }
  assert.throws(() => lint(42), TypeError);
  assert.throws(() => lint('x', 'IMG103'), TypeError);
});

test('hostile text gives diagnostics, never an exception', () => {
  for (const text of ['', '{', 'a: *b', '\u0000\u0001', '- [' .repeat(10000), 'kind: Pod\nspec: 5\n']) {
    const report = lint(text);
    assert.equal(report.version, 1);
  }
});

test('a panic inside the module becomes an Error, and the module keeps working', async () => {
  const { __panicForTests } = await import('../package/api.js');
  assert.throws(() => __panicForTests(), /imglint internal error: deliberate panic for the tests/);
  assert.equal(lint('kind: Pod\n').version, 1);
});
