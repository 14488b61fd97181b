// Waits for a state instead of a fixed time: polls `check` until it neither throws nor returns false.
// Shared by the unit tests (plain Node) and the in-VS-Code suites (re-exported by test/vscode/support/harness.ts).

export interface EventuallyOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Time between two checks (default 50 ms). */
  intervalMs?: number;
  /** What is being waited for, for the failure message. */
  what?: string;
}

/**
 * Resolves with the first value of `check` that is not `false`; a check that throws (an assertion) or returns
 * `false` is tried again until the deadline, then the last failure is reported with what was awaited.
 */
export async function eventually<T>(check: () => T | Promise<T>, options: EventuallyOptions | number = {}): Promise<Exclude<T, false>> {
  const { timeoutMs = 10_000, intervalMs = 50, what } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      const value = await check();
      if (value !== false) return value as Exclude<T, false>;
      failure = undefined;
    } catch (err) {
      failure = err;
    }
    if (Date.now() >= deadline) {
      const waited = `waited ${timeoutMs} ms${what ? ` for ${what}` : ''}`;
      if (failure instanceof Error) {
        // The check's own error (an AssertionError keeps its actual/expected), prefixed with what was awaited.
        failure.message = `${waited}: ${failure.message}`;
        throw failure;
      }
      throw new Error(`${waited}: ${failure === undefined ? 'the check still returned false' : String(failure)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
