// The public API over the wasm-bindgen glue, shared by the browser and Node entries. Values
// cross the boundary as JSON text, so `lint` returns exactly `imglint lint --format json`.
import * as wasm from './pkg/imglint.js';

/**
 * Runs a call into the module. A Rust panic (a bug in imglint) traps the module: this turns
 * the trap into an `Error` with the panic's message and gives the module a fresh instance, so
 * the next call works.
 */
function call(fn) {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof WebAssembly.RuntimeError)) throw error;
    let message;
    try {
      message = wasm.takePanicMessage();
    } catch {
      message = undefined;
    }
    wasm.__wbg_reset_state();
    throw new Error(`imglint internal error: ${message ?? error.message}`, { cause: error });
  }
}

export function lint(text, options) {
  if (typeof text !== 'string') throw new TypeError('lint(text, options): text must be a string');
  if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
    throw new TypeError('lint(text, options): options must be an object');
  }
  return JSON.parse(call(() => wasm.lintJson(text, JSON.stringify(options ?? null))));
}

export function parseImage(reference) {
  if (typeof reference !== 'string') throw new TypeError('parseImage(reference): reference must be a string');
  return JSON.parse(call(() => wasm.parseImageJson(reference)));
}

export function rules() {
  return JSON.parse(call(() => wasm.rulesJson()));
}

/** For the package's own tests: a deliberate panic inside the module. */
export function __panicForTests() {
  call(() => wasm.__panicForTests());
}
