// `parseImage` on the reference conformance vectors (conformance/reference.json,
// produced by running distribution/reference), and agreement with `imglint image --format json`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import { parseImage, rules } from '../package/node.js';
import { cli, conformance } from './helpers.mjs';

const vectors = JSON.parse(fs.readFileSync(path.join(conformance, 'reference.json'), 'utf8'));

test('every reference vector', () => {
  let count = 0;
  for (const c of vectors.cases) {
    const info = parseImage(c.input);
    const at = JSON.stringify(c.input);
    assert.equal(info.input, c.input);
    assert.equal(info.valid, c.valid, at);
    assert.equal(info.error?.message ?? null, c.error, at);
    assert.equal(info.error?.kind ?? null, c.error_kind, at);
    for (const field of ['domain', 'path', 'tag', 'digest', 'familiar', 'normalized', 'default_pull_policy']) {
      assert.equal(info[field], c[field], `${at}: ${field}`);
    }
    count += 1;
  }
  assert.equal(count, vectors.cases.length);
  assert.ok(count >= 587, `only ${count} vectors`);
});

test('the same objects as imglint image --format json', () => {
  const inputs = vectors.cases.map((c) => c.input);
  const run = spawnSync(cli, ['image', '--format', 'json', '--', ...inputs], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.ok(run.status === 0 || run.status === 1, `${cli}: ${run.stderr}`);
  assert.deepEqual(inputs.map((input) => parseImage(input)), JSON.parse(run.stdout));
});

test('rules() is the catalogue of imglint rules --format json', () => {
  const run = spawnSync(cli, ['rules', '--format', 'json'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(rules(), JSON.parse(run.stdout));
  assert.ok(rules().some((rule) => rule.code === 'IMG103' && rule.documentation.includes('## How to fix')));
});
