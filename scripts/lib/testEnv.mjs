// What the in-VS-Code suite gets from the harness, whichever runner starts VS Code.
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES } from './paths.mjs';

export const TEST_WORKSPACE = path.join(FIXTURES, 'multi-root', 'tokens.code-workspace');

/**
 * Environment for the extension host. Values that would point the extension at a real Fly account
 * are removed (undefined), and flyctl's config dir points at an empty folder, so a developer's shell or
 * ~/.fly/config.yml cannot leak into the tests.
 * @param {string | undefined} grep
 * @param {string} flyConfigDir
 * @returns {Record<string, string | undefined>}
 */
export function suiteEnv(grep, flyConfigDir) {
  fs.mkdirSync(flyConfigDir, { recursive: true });
  return {
    FLY_TOKENS_TEST: '1',
    FLY_TOKENS_TEST_WORKSPACE: TEST_WORKSPACE,
    FLY_TOKENS_FIXTURES: FIXTURES,
    MOCHA_GREP: grep,
    FLY_API_BASE_URL: undefined,
    FLY_API_TOKEN: undefined,
    FLY_ACCESS_TOKEN: undefined,
    FLY_CONFIG_DIR: flyConfigDir,
  };
}

/**
 * `--name value` / `--name=value` / `--flag` from argv: the value, true for a flag, undefined when absent.
 * @param {string[]} argv @param {string} name
 * @returns {string | true | undefined}
 */
export function argValue(argv, name) {
  const index = argv.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (index < 0) return undefined;
  const arg = argv[index];
  if (arg.includes('=')) return arg.slice(arg.indexOf('=') + 1);
  const next = argv[index + 1];
  return next === undefined || next.startsWith('--') ? true : next;
}
