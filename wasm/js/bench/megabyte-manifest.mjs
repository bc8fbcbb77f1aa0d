// A 1 MB manifest for timings: the corpus's YAML files (templates left out) concatenated
// as one multi-document stream until it reaches 1 MB. Used by lint-1mb.mjs and the page's test.
import fs from 'node:fs';
import path from 'node:path';

import { corpus } from '../tests/helpers.mjs';

function* yamlFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* yamlFiles(full);
    else if (/\.ya?ml$/.test(entry.name)) yield full;
  }
}

export function megabyteManifest() {
  const parts = [];
  let size = 0;
  while (size < 1_000_000) {
    for (const file of yamlFiles(corpus)) {
      const text = fs.readFileSync(file, 'utf8');
      if (text.includes('{{')) continue; // templates, not manifests
      parts.push(text.endsWith('\n') ? text : `${text}\n`);
      size += Buffer.byteLength(text);
      if (size >= 1_000_000) break;
    }
  }
  return parts.join('---\n');
}
