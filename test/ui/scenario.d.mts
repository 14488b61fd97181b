// What a `test/ui/*.ui.mjs` file exports: `export const scenarios = [...]` (see scripts/runUiTests.mjs, which finds
// every such file by its name; no list to edit).
import type { Page } from 'playwright-core';
import type { VscodeTarget } from '../../scripts/lib/vscodeTargets.mjs';

export interface Prepared {
  /** the folder the scenario's page opens (default: test/fixtures/sample) */
  folder?: string;
  /** user settings the scenario's code-server needs (merged with the other scenarios' of the same trust) */
  settings?: Record<string, unknown>;
  /** stops what prepare() started */
  close?: () => Promise<void>;
  /** anything else the scenario's run() wants back */
  [key: string]: unknown;
}

export interface ScenarioContext {
  /** the packaged extension under test (for scenarios that install it themselves) */
  vsix: string;
  /** a fresh browser page (its own profile: no VS Code secrets or state from other scenarios) */
  page: Page;
  /** code-server's URL with the scenario's folder open */
  url: string;
  baseUrl: string;
  emulator: { url: string; token: string };
  /** which VS Code runs */
  target: VscodeTarget;
  /** test-results/ui/<target>/ */
  shotsDir: string;
  log: (...args: unknown[]) => void;
  prepared: Prepared;
}

export interface Scenario {
  name: string;
  /** false: workspace trust on and the folder not trusted (Restricted Mode). Default true. */
  trusted?: boolean;
  /** false: its VS Code starts WITHOUT the extension (the scenario installs `vsix` itself); own server. Default true. */
  installed?: boolean;
  /** environment for its code-server (e.g. VSCODE_SKIP_BUILTIN_EXTENSIONS); such scenarios get a server of their own */
  serverEnv?: Record<string, string>;
  /** why it cannot run on this VS Code, if it cannot (printed, and counted as skipped) */
  skip?: (target: VscodeTarget) => string | undefined;
  /** browser viewport (default 1400 x 900) */
  viewport?: { width: number; height: number };
  /** before code-server starts: a folder to open, settings to add */
  prepare?: (options: { dir: string }) => Promise<Prepared>;
  /** `readmeScreenshot`: a file for media/screenshot.png (`--update-screenshot`) */
  run: (context: ScenarioContext) => Promise<{ readmeScreenshot?: string } | void>;
}
