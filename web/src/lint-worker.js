// The linter runs here, off the main thread, so typing never waits for it. The npm package's
// browser entry instantiates the wasm module (fetched next to this file) before this module's
// body runs; the page waits for the `ready` message before it sends any text.
import { lint, rules, version } from '../../wasm/js/package/browser.js';

self.postMessage({ type: 'ready', version, rules: rules() });

self.onmessage = ({ data }) => {
  const { id, text, options } = data;
  const started = performance.now();
  try {
    const report = lint(text, options);
    self.postMessage({ type: 'report', id, report, lintMs: performance.now() - started });
  } catch (error) {
    // Bad options (an unknown rule code, an invalid config) or an internal error: the page
    // shows the message next to the settings.
    self.postMessage({ type: 'error', id, message: error instanceof Error ? error.message : String(error) });
  }
};
