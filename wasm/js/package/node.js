// Node: the module is read from disk and instantiated synchronously at import.
import { readFileSync } from 'node:fs';
import { initSync, version as wasmVersion } from './pkg/imglint.js';

initSync({ module: readFileSync(new URL('./pkg/imglint_bg.wasm', import.meta.url)) });

export { lint, parseImage, rules } from './api.js';
export const version = wasmVersion();
