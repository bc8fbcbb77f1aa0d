// Paths the tests share: the repository, its conformance vectors and corpus, the CLI binary.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repo = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const conformance = path.join(repo, 'conformance');
export const corpus = path.join(repo, 'corpus');
export const cli = process.env.IMGLINT_BIN ?? path.join(repo, 'target/debug/imglint');
