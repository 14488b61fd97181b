// ESLint (flat config) for src, test, scripts and esbuild.mjs: `npm run lint`, first step of `npm test`.
// Type-aware rules catch promises nobody awaits or handles; no-restricted-imports keeps `vscode` (and the rooms
// above) out of src/fly, src/github and src/http; @stylistic holds one line width (140, as .editorconfig says).
// The rest of the layout is left as it is written (no formatter rewrites files).
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const MAX_LINE = 140;

/** The harness's JavaScript, type-checked by tsconfig.scripts.json (checkJs): linted with type information too. */
const TYPED_MJS = ['scripts/**/*.mjs', 'test/ui/**/*.mjs', 'test/bench/**/*.mjs', 'esbuild.mjs'];

/** Rooms that must run without VS Code: the Fly and GitHub clients and their shared HTTP helpers. */
const NO_VSCODE_ROOMS = ['src/fly/**', 'src/github/**', 'src/http/**'];
const noVscode = {
  name: 'vscode',
  message: 'src/fly, src/github and src/http run without VS Code (plain Node, unit-tested): pass what they need in from the caller.',
};

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'out/**', '.cache/**', 'test-results/**', '**/*.d.ts'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Type-aware: every TypeScript file is in tsconfig.json; the harness's JavaScript in tsconfig.scripts.json (checkJs).
    files: ['**/*.ts', ...TYPED_MJS],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/restrict-template-expressions': 'error',
      '@typescript-eslint/no-deprecated': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: TYPED_MJS,
    languageOptions: {
      parserOptions: { projectService: false, project: ['./tsconfig.scripts.json'], tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // Other JavaScript (this file, tools/, media/src/) is in no tsconfig: linted without type information.
    files: ['**/*.mjs'],
    ignores: TYPED_MJS,
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['test/ui/**/*.mjs'],
    // page.evaluate() callbacks run in the browser.
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/max-len': ['error', { code: MAX_LINE, tabWidth: 2, ignoreUrls: true, ignoreRegExpLiterals: true, ignoreStrings: true }],
      '@stylistic/semi': ['error', 'always'],
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true, allowTemplateLiterals: 'always' }],
      '@stylistic/no-trailing-spaces': 'error',
      '@stylistic/eol-last': 'error',
      '@stylistic/no-multiple-empty-lines': ['error', { max: 2, maxEOF: 0 }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: NO_VSCODE_ROOMS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [
            {
              group: ['../*', '!../http', '!../http/*'],
              message: 'src/fly, src/github and src/http import only each room\'s own files and src/http: nothing from the rooms above.',
            },
          ],
        },
      ],
    },
  },
);
