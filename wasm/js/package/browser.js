// Browsers and bundlers: the module is fetched next to this file, before the exports are used
// (top-level await), so every function is synchronous afterwards.
import init, { version as wasmVersion } from './pkg/imglint.js';

await init({ module_or_path: new URL('./pkg/imglint_bg.wasm', import.meta.url) });

export { lint, parseImage, rules } from './api.js';
export const version = wasmVersion();
