// Where the harness keeps things: everything generated lives under the ignored .cache/ and test-results/.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = path.join(ROOT, '.cache');
export const RESULTS = path.join(ROOT, 'test-results');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const VSIX = path.join(ROOT, 'dist', 'fly-deploy-tokens.vsix');
export const EXTENSION_ID = 'fly-deploy-tokens.fly-deploy-tokens';
