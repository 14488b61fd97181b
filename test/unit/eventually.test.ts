// The waiting helper the tests use instead of fixed sleeps.
import * as assert from 'node:assert/strict';
import { eventually } from '../support/eventually';

describe('eventually', () => {
  it('resolves with the first value once the state is reached', async () => {
    let calls = 0;
    const value = await eventually(() => (++calls >= 3 ? `after ${calls}` : false), { intervalMs: 1 });
    assert.equal(value, 'after 3');
  });

  it('retries a check that throws until it passes', async () => {
    let calls = 0;
    await eventually(() => assert.ok(++calls >= 2, 'not yet'), { intervalMs: 1 });
    assert.equal(calls, 2);
  });

  it('fails at the deadline with what was awaited and the last assertion', async () => {
    const started = Date.now();
    await assert.rejects(
      eventually(() => assert.equal(1, 2), { timeoutMs: 60, intervalMs: 5, what: 'one to equal two' }),
      (err: Error) => err instanceof assert.AssertionError && /^waited 60 ms for one to equal two: /.test(err.message),
    );
    assert.ok(Date.now() - started >= 60);
    await assert.rejects(eventually(() => false, { timeoutMs: 20 }), /^Error: waited 20 ms: the check still returned false$/);
  });
});
