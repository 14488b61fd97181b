// `npm run test:live`: runs the contract test (contract.ts) when FLY_LIVE_TOKEN and FLY_LIVE_APP are set, and
// otherwise says in one line that it was skipped and why, and exits 0. Honours FLY_API_BASE_URL.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLive } from './contract';

const OUT = join(__dirname, '..', '..', 'test-results', 'live-observations.json');

async function main(): Promise<number> {
  const result = await runLive({ env: process.env, say: (line) => process.stdout.write(`test:live ${line}\n`) });
  if (result.kind === 'skipped') {
    process.stdout.write(`test:live skipped: ${result.reason} (set both to check the real Fly.io API; see README)\n`);
    return 0;
  }
  mkdirSync(join(OUT, '..'), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify({ result: result.kind, ...(result.kind === 'failed' ? { failure: result.failure } : {}), ...result.observations }, null, 2)}\n`);
  if (result.kind === 'failed') {
    process.stderr.write(`test:live FAILED: ${result.failure}\ntest:live observations: ${OUT}\n`);
    return 1;
  }
  process.stdout.write(`test:live passed against ${result.observations.baseUrl}; observations: ${OUT}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`test:live crashed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
