// Every suite file of the in-VS-Code tests (`test/vscode/*.test.ts`), found by name: a new suite needs no list.
// The bundler includes every file matching the `require` pattern below; at run time the suites are required in
// the order suiteOrder() gives, after mocha has set up its globals (see index.ts).
import { readdirSync } from 'fs';
import * as path from 'path';

/** Where the suite sources are: the bundle runs from out/test/vscode/, next to the repository's test/vscode/. */
const SOURCE_DIR = path.resolve(__dirname, '..', '..', '..', 'test', 'vscode');

/**
 * The suites to run, by file name without `.test.ts`: smoke first (activation), leaks last (it checks that nothing
 * the others did left a token on disk), the rest by name. `--untrusted` runs VS Code with the workspace not trusted:
 * only the Restricted Mode suite applies there, and it runs nowhere else.
 */
export function suiteOrder(files: readonly string[], untrusted: boolean): string[] {
  const names = files.filter((f) => f.endsWith('.test.ts')).map((f) => f.slice(0, -'.test.ts'.length));
  if (untrusted) return names.filter((n) => n === 'untrusted');
  const rank = (n: string) => (n === 'smoke' ? 0 : n === 'leaks' ? 2 : 1);
  return names.filter((n) => n !== 'untrusted').sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function loadSuites(): void {
  const names = suiteOrder(readdirSync(SOURCE_DIR), process.env.FLY_TOKENS_UNTRUSTED === '1');
  if (names.length === 0) throw new Error(`no *.test.ts suite found in ${SOURCE_DIR}`);
  // A pattern, not a list: the bundler includes every ./*.test.ts it matches, mocha's globals are set by now.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- must run after mocha's set-up, by name
  for (const name of names) require(`./${name}.test.ts`);
}
