// A fresh activation, timed from inside the extension host: the bench calls extension.activate() before anything
// else has touched the extension, so it loads dist/extension.js and runs activate() exactly once in this host.
import * as path from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../vscode/support/harness';
import { cpuMsSince, delay, type ActivationTiming } from './results';

interface PerfMarks {
  getMarks(): { name: string; startTime: number }[];
}

/** VS Code's extension host keeps its performance marks on this global (vs/base/common/performance). */
function vscodeMarks(): Map<string, number> {
  const marks = (globalThis as { MonacoPerformanceMarks?: PerfMarks }).MonacoPerformanceMarks?.getMarks() ?? [];
  return new Map(marks.map((m) => [m.name, m.startTime]));
}

function between(marks: Map<string, number>, from: string, to: string): number | null {
  const a = marks.get(`code/extHost/${from}/${EXTENSION_ID}`);
  const b = marks.get(`code/extHost/${to}/${EXTENSION_ID}`);
  return a === undefined || b === undefined ? null : b - a;
}

/**
 * Waits `settleMs` first: the host is still starting VS Code's built-in extensions when the bench begins, and a user
 * opens the Fly view after start-up, not during it.
 */
export async function measureActivation(settleMs: number): Promise<ActivationTiming> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded in this extension host`);
  if (ext.isActive) throw new Error('the extension was already active when the bench started: not a fresh activation');
  await delay(settleMs);
  if (ext.isActive) throw new Error('something activated the extension before the bench did: not a fresh activation');
  const cpu = process.cpuUsage();
  const start = performance.now();
  await ext.activate();
  const wallMs = performance.now() - start;
  const cpuMs = cpuMsSince(cpu);
  const marks = vscodeMarks();
  // One module cache serves every extension in the host: it shows which of our bundles activation loaded.
  const root = ext.extensionPath + path.sep;
  const loadedFiles = Object.keys(require.cache).filter((f) => f.startsWith(root)).map((f) => path.relative(root, f));
  return {
    loadedFiles,
    wallMs,
    cpuMs,
    codeLoadMs: between(marks, 'willLoadExtensionCode', 'didLoadExtensionCode'),
    activateCallMs: between(marks, 'willActivateExtension', 'didActivateExtension'),
  };
}
