// Time to lint a 1 MB manifest in Node with the wasm module: `node wasm/js/bench/lint-1mb.mjs`
// (after scripts/build-wasm). The manifest is the shared corpus's YAML files concatenated as
// one multi-document stream until it reaches 1 MB.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { lint } from '../package/node.js';
import { shared } from '../tests/helpers.mjs';

function* yamlFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* yamlFiles(full);
    else if (/\.ya?ml$/.test(entry.name)) yield full;
  }
}

const parts = [];
let size = 0;
outer: while (size < 1_000_000) {
  for (const file of yamlFiles(path.join(shared, 'corpus'))) {
    const text = fs.readFileSync(file, 'utf8');
    if (text.includes('{{')) continue; // templates, not manifests
    parts.push(text.endsWith('\n') ? text : `${text}\n`);
    size += Buffer.byteLength(text);
    if (size >= 1_000_000) break outer;
  }
}
const manifest = parts.join('---\n');
const times = [];
let report;
for (let i = 0; i < 15; i += 1) {
  const start = performance.now();
  report = lint(manifest, { select: 'ALL', tenancy: 'multi' });
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const { objects, containers } = report.summary;
console.log(
  `${(Buffer.byteLength(manifest) / 1e6).toFixed(2)} MB, ${objects} objects, ${containers} containers, ` +
    `${report.diagnostics.length} findings: best ${times[0].toFixed(1)} ms, median ${times[7].toFixed(1)} ms`,
);
