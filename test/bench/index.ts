// Entry point of the in-VS-Code bench (the `extensionTestsPath` contract, like test/vscode/index.ts): not a test
// suite. It measures, writes what it measured to BENCH_OUT, and fails only when it could not measure.
import * as fs from 'fs';
import { measureActivation } from './activation';
import { measureInEditor } from './inEditor';
import { attempt, type SessionResult } from './results';

const SETTLE_MS = 5_000;

export async function run(): Promise<void> {
  const out = process.env.BENCH_OUT;
  const workspace = process.env.BENCH_WS;
  if (!out || !workspace) throw new Error('BENCH_OUT and BENCH_WS must be set by scripts/bench.mjs');
  const result: SessionResult = { mode: process.env.BENCH_MODE === 'full' ? 'full' : 'activation', steps: {} };
  // Activation first: nothing else may load the extension before it is timed.
  await attempt(result.steps, 'activation', () => measureActivation(SETTLE_MS));
  if (result.mode === 'full') {
    try {
      await measureInEditor(workspace, result.steps);
    } catch (e) {
      result.steps.setUp = { error: e instanceof Error ? e.message : String(e) };
    }
  }
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  const failed = Object.entries(result.steps).filter(([, s]) => 'error' in s);
  if (failed.length) throw new Error(`not measured: ${failed.map(([id]) => id).join(', ')}`);
}
