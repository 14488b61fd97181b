// The apps and tokens every bench run adds to the emulator's default world: 20 workspace apps with two
// tokens each, one app that no workspace names (for a "cold" create), and a bulk-token helper.
import type { World } from '../emulator';

export const APP_COUNT = 20;
export const COLD_APP = 'bench-cold';
export const BENCH_ORG = 'personal';
const DAY = 86_400_000;

export function benchAppName(i: number): string {
  return `bench-app-${String(i).padStart(2, '0')}`;
}

export function seedBenchWorld(world: World, now = Date.now()): void {
  for (let i = 1; i <= APP_COUNT; i++) {
    const app = benchAppName(i);
    world.addApp({ name: app, org: BENCH_ORG });
    world.addToken({ app, name: 'github actions', createdAt: new Date(now - 10 * DAY) });
    world.addToken({ app, name: 'staging deploy', createdAt: new Date(now - 3 * DAY), expiresAt: new Date(now + 60 * DAY) });
  }
  world.addApp({ name: COLD_APP, org: BENCH_ORG });
}

/** `count` live tokens on one app, with spread-out dates so the tree sorts and words them differently. */
export function addManyTokens(world: World, app: string, count: number, now = Date.now()): void {
  for (let i = 0; i < count; i++) {
    world.addToken({
      app,
      name: `ci runner ${i + 1}`,
      createdAt: new Date(now - (i % 400) * DAY),
      expiresAt: new Date(now + ((i * 7) % 730) * DAY + DAY),
    });
  }
}
