// The page's side of the lint worker. At most one text is being linted and at most one waits:
// a newer request replaces the waiting one, whose promise resolves to `null` (superseded), so a
// burst of edits on a large document costs two lints, not one per keystroke.

export class LintClient {
  constructor(workerUrl) {
    this.worker = new Worker(workerUrl, { type: 'module' });
    this.inFlight = null;
    this.waiting = null;
    this.nextId = 1;
    this.ready = new Promise((resolve, reject) => {
      this.worker.addEventListener('error', (event) => reject(new Error(event.message || 'the lint worker failed to start')), { once: true });
      this.worker.addEventListener('message', ({ data }) => {
        if (data.type === 'ready') resolve({ version: data.version, rules: data.rules });
        else this.#settle(data);
      });
    });
  }

  /** Lints `text`; resolves to `{report, lintMs}`, or `null` when a newer request replaced it. */
  lint(text, options) {
    return new Promise((resolve, reject) => {
      const request = { id: this.nextId++, text, options, resolve, reject };
      if (this.inFlight) {
        this.waiting?.resolve(null);
        this.waiting = request;
      } else {
        this.#send(request);
      }
    });
  }

  #send(request) {
    this.inFlight = request;
    this.worker.postMessage({ id: request.id, text: request.text, options: request.options });
  }

  #settle(data) {
    const request = this.inFlight;
    if (!request || request.id !== data.id) return;
    this.inFlight = null;
    if (data.type === 'report') request.resolve({ report: data.report, lintMs: data.lintMs });
    else request.reject(new Error(data.message));
    if (this.waiting) {
      const next = this.waiting;
      this.waiting = null;
      this.#send(next);
    }
  }
}
