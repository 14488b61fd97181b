// The shape of what one bench session writes (BENCH_OUT): every step either has a value or says why it has none.
export type Step<T> = { value: T } | { error: string };

export interface RequestCount {
  count: number;
  /** operation names in the order the emulator received them */
  operations: string[];
}

export interface ActivationTiming {
  /** performance.now() around extension.activate(): what the first command or view open waits for */
  wallMs: number;
  /** process.cpuUsage() around it: the work done, whatever else competed for the CPU */
  cpuMs: number;
  /** VS Code's own marks (Date.now(), 1 ms resolution): require() of dist/extension.js */
  codeLoadMs: number | null;
  /** VS Code's own marks: the activate() call until its result settled */
  activateCallMs: number | null;
  /** the extension's own .js files in the module cache right after activation, relative to its folder */
  loadedFiles: string[];
}

export interface SessionResult {
  mode: 'full' | 'activation';
  steps: Record<string, Step<unknown>>;
}

export async function attempt<T>(steps: Record<string, Step<unknown>>, id: string, measure: () => Promise<T>): Promise<T | undefined> {
  try {
    const value = await measure();
    steps[id] = { value };
    return value;
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    steps[id] = { error };
    console.log(`[bench] ${id} could not be measured: ${error}`);
    return undefined;
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** CPU time (user + system) of this process since `start`, in ms. */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
