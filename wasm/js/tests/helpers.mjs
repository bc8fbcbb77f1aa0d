// Paths the tests share: the repository, the shared inputs, the CLI binary.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repo = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const shared = process.env.IMGLINT_SHARED_DIR ?? path.resolve(repo, '../shared');
export const cli = process.env.IMGLINT_BIN ?? path.join(repo, 'target/debug/imglint');
