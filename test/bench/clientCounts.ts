// Request counts of the same user actions at the client level (plain Node, no VS Code): FlyClient against the
// emulator. Run by scripts/bench.mjs with tsx; prints one JSON object on stdout.
import { FlyClient } from '../../src/fly/client';
import { startEmulator } from '../emulator';
import { APP_COUNT, COLD_APP, benchAppName, seedBenchWorld } from './world';

async function main(): Promise<void> {
  const emu = await startEmulator({ port: 0 });
  try {
    seedBenchWorld(emu.world);
    const client = new FlyClient({ baseUrl: emu.url, getToken: () => emu.demoToken, userAgent: 'fly-deploy-tokens-bench' });
    const count = async (action: () => Promise<unknown>): Promise<number> => {
      emu.clearRequests();
      await action();
      return emu.graphqlRequests().length;
    };
    const names = (n: number) => Array.from({ length: n }, (_, i) => benchAppName(i + 1));
    const list: Record<string, number> = {};
    for (const n of [1, 5, APP_COUNT]) {
      list[n] = await count(async () => {
        const results = await client.listAppTokens(names(n));
        if (results.length !== n || results.some((r) => !r.ok)) throw new Error(`listAppTokens(${n} apps) did not list every app`);
      });
    }
    const [first] = await client.listAppTokens([benchAppName(1)]);
    if (!first.ok) throw new Error('bench-app-01 is not listed');
    const createWarm = await count(() => client.createDeployToken({ app: first.app, name: 'bench warm', expiry: '2160h0m0s' }));
    const createCold = await count(async () => {
      const app = await client.getApp(COLD_APP);
      await client.createDeployToken({ app, name: 'bench cold', expiry: '2160h0m0s' });
    });
    const all = await client.listAppTokens(names(APP_COUNT));
    const ids = all.flatMap((r) => (r.ok ? r.tokens.filter((t) => !t.revokedAt).map((t) => t.id) : []));
    const revoke = async (k: number) =>
      count(async () => {
        const outcomes = await client.revokeTokens(ids.splice(0, k));
        if (outcomes.length !== k || outcomes.some((o) => !o.ok)) throw new Error(`revokeTokens(${k}) did not revoke all`);
      });
    const revoke1 = await revoke(1);
    const revoke10 = await revoke(10);
    process.stdout.write(`${JSON.stringify({ list, createWarm, createCold, revoke1, revoke10 })}\n`);
  } finally {
    await emu.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`client counts failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
