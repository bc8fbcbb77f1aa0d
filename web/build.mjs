// Builds the page into static files: `node web/build.mjs [OUT_DIR]` (default target/web), after
// scripts/build-wasm. The output works from any static host: index.html, style.css, app.js (the
// page), lint-worker.js (the linter, in a Web Worker), sw.js (offline), pkg/imglint_bg.wasm.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

const web = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(web);
const out = path.resolve(process.argv[2] ?? path.join(repo, 'target/web'));
const wasm = path.join(repo, 'wasm/js/package/pkg/imglint_bg.wasm');

if (!fs.existsSync(wasm)) {
  console.error(`build-web: ${path.relative(repo, wasm)} is missing: run scripts/build-wasm first`);
  process.exit(2);
}

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, 'pkg'), { recursive: true });

const result = await esbuild.build({
  entryPoints: { app: path.join(web, 'src/main.js'), 'lint-worker': path.join(web, 'src/lint-worker.js') },
  outdir: out,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  loader: { '.yaml': 'text' },
  metafile: true,
  logLevel: 'warning',
});

// The package's browser entry fetches its module from `./pkg/` next to itself, which after
// bundling is next to lint-worker.js.
fs.copyFileSync(wasm, path.join(out, 'pkg/imglint_bg.wasm'));
for (const file of ['index.html', 'style.css']) fs.copyFileSync(path.join(web, file), path.join(out, file));

const hash = createHash('sha256');
for (const file of ['app.js', 'lint-worker.js', 'index.html', 'style.css', 'pkg/imglint_bg.wasm']) {
  hash.update(fs.readFileSync(path.join(out, file)));
}
const buildId = hash.digest('hex').slice(0, 12);
fs.writeFileSync(path.join(out, 'sw.js'), fs.readFileSync(path.join(web, 'sw.js'), 'utf8').replace('__BUILD_ID__', buildId));

for (const [file, { bytes }] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith('.map')) console.log(`${path.relative(repo, file)}: ${bytes} bytes`);
}
console.log(`${path.relative(repo, out)}/pkg/imglint_bg.wasm: ${fs.statSync(wasm).size} bytes (build ${buildId})`);
