// Time to lint a 1 MB manifest in Node with the wasm module: `node wasm/js/bench/lint-1mb.mjs`
// (after scripts/build-wasm). The manifest is the corpus's YAML files concatenated as
// one multi-document stream until it reaches 1 MB.
import { performance } from 'node:perf_hooks';

import { lint } from '../package/node.js';
import { megabyteManifest } from './megabyte-manifest.mjs';

const manifest = megabyteManifest();
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
