// Everything measured through the real extension in VS Code: requests per user action, create → clipboard time,
// building the tree for 1,000 tokens, and listing them over a slow link.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { appTokens } from '../../src/model/listing';
import { TokenNode } from '../../src/tree/nodes';
import { setUp, signIn, type Harness } from '../vscode/support/harness';
import { ScriptedPrompter } from '../vscode/support/scriptedPrompter';
import { attempt, cpuMsSince, median, type RequestCount, type Step } from './results';
import { emulatorQuiet, showApps } from './workspaceApps';
import { APP_COUNT, COLD_APP, addManyTokens, benchAppName, seedBenchWorld } from './world';

const BULK_TOKENS = 1000;
const SLOW_LINK_MS = 50;
const TREE_RUNS = 9;
const CLIPBOARD_RUNS = 5;
const MANY_FILES = 2000;
const DISCOVERY_RUNS = 3;
const LEAK_SCAN_FILES = 10_000;
const LEAK_SCAN_TOKENS = 10;
const LEAK_SCAN_RUNS = 3;
const FIRST_PAINT_LATENCY_MS = 100;
const FIRST_PAINT_RUNS = 5;
const CACHE_KEY = 'flyTokens.lastListing';
const SIGN_IN_LATENCY_MS = 100;
/** one app with two pages of tokens, as in issue 10 (item 8): one sign-in should list them once */
const SIGN_IN_TOKENS = 150;

type Node = vscode.TreeItem;

function freshPrompter(h: Harness): ScriptedPrompter {
  const p = new ScriptedPrompter();
  h.api.setPrompter(p);
  h.prompter = p;
  return p;
}

/** Requests the action causes, including any it starts in the background (counted until the emulator is quiet). */
async function requestsFor(h: Harness, action: () => PromiseLike<unknown>): Promise<RequestCount> {
  await emulatorQuiet(h, 300);
  h.emu.clearRequests();
  await action();
  await emulatorQuiet(h, 500);
  h.prompter.assertDone();
  const requests = h.emu.graphqlRequests();
  const failed = requests.filter((r) => r.status !== 200);
  if (failed.length) throw new Error(`requests failed: ${failed.map((r) => `${r.operationName} ${r.status}`).join(', ')}`);
  return { count: requests.length, operations: requests.map((r) => r.operationName ?? '(none)') };
}

function roots(h: Harness): Node[] {
  return h.api.tree.getChildren() ?? [];
}

function appRow(h: Harness, app: string): Node {
  const row = roots(h).find((n) => n.label === app);
  if (!row) throw new Error(`the tree has no row for ${app}`);
  return row;
}

function tokenRows(h: Harness, app: string): Node[] {
  const rows = (h.api.tree.getChildren(appRow(h, app) as never) ?? []) as Node[];
  return rows.filter((n) => n.contextValue?.startsWith('token;active'));
}

async function listWith(h: Harness, n: number): Promise<RequestCount> {
  const counted = await requestsFor(h, () => vscode.commands.executeCommand('flyTokens.refresh'));
  const apps = roots(h).filter((r) => r.contextValue === 'app;ok');
  if (apps.length !== n) throw new Error(`the tree shows ${apps.length} apps, expected ${n}`);
  for (const app of apps) if (tokenRows(h, String(app.label)).length === 0) throw new Error(`${String(app.label)} shows no tokens`);
  return counted;
}

async function create(h: Harness, target: Node | string, name: string): Promise<RequestCount> {
  freshPrompter(h).answer('create.name', name).answer('create.expiry', '90 days');
  const counted = await requestsFor(h, () => vscode.commands.executeCommand('flyTokens.createDeployToken', target));
  if (!h.emu.world.tokens().some((t) => t.name === name)) throw new Error(`the emulator has no token "${name}"`);
  return counted;
}

async function revoke(h: Harness, nodes: Node[]): Promise<RequestCount> {
  const ids = nodes.map((n) => (n as TokenNode).record.token.id);
  freshPrompter(h).answer('revoke.confirm', true);
  const counted = await requestsFor(h, () => vscode.commands.executeCommand('flyTokens.revokeToken', nodes[0], nodes));
  const revoked = h.emu.world.tokens().filter((t) => ids.includes(t.id) && t.revokedAt);
  if (revoked.length !== ids.length) throw new Error(`${revoked.length} of ${ids.length} tokens were revoked`);
  return counted;
}

/** From the command to the clipboard holding the minted token (the notification follows the clipboard write). */
async function createToClipboard(h: Harness, run: number): Promise<number> {
  const name = `bench clipboard ${run}`;
  await vscode.env.clipboard.writeText('sentinel');
  const p = freshPrompter(h).answer('create.name', name).answer('create.expiry', '90 days');
  const copied = p.waitForNotification(/copied to the clipboard/);
  const start = performance.now();
  const command = vscode.commands.executeCommand('flyTokens.createDeployToken', appRow(h, benchAppName(1)));
  await copied;
  const ms = performance.now() - start;
  await command;
  p.assertDone();
  const minted = h.emu.world.tokens().find((t) => t.name === name);
  if (!minted) throw new Error(`the emulator has no token "${name}"`);
  if ((await vscode.env.clipboard.readText()) !== minted.header) throw new Error('the clipboard does not hold the minted token');
  return ms;
}

function buildAppRows(h: Harness, app: string): { ms: number; cpuMs: number; rows: number } {
  const row = appRow(h, app);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const children = h.api.tree.getChildren(row as never) ?? [];
  for (const child of children) h.api.tree.getTreeItem(child);
  return { ms: performance.now() - start, cpuMs: cpuMsSince(cpu), rows: children.length };
}

/**
 * A window opening: a new model over the workspace's state (as activate() builds it) refreshes; the time until its
 * listing first holds a token row of the app, with the last session's listing kept or not.
 */
async function firstPaint(h: Harness, app: string, cached: boolean): Promise<number> {
  if (!cached) await h.api.context.workspaceState.update(CACHE_KEY, undefined);
  else if (!h.api.context.workspaceState.get(CACHE_KEY)) throw new Error('no listing kept to paint from');
  const model = h.api.makeModel();
  try {
    let paintedMs: number | undefined;
    const start = performance.now();
    model.onDidChange((l) => {
      if (paintedMs === undefined && appTokens(l, app, Date.now(), 14).length > 0) paintedMs = performance.now() - start;
    });
    await model.refresh();
    if (paintedMs === undefined) throw new Error(`no token row of ${app} was ever shown`);
    return paintedMs;
  } finally {
    model.dispose();
  }
}

export async function measureInEditor(workspace: string, steps: Record<string, Step<unknown>>): Promise<void> {
  const h = await setUp();
  seedBenchWorld(h.emu.world);
  await signIn(h);
  await showApps(h, workspace, 1);

  for (const n of [1, 5, APP_COUNT]) {
    await attempt(steps, `list${n}`, async () => {
      await showApps(h, workspace, n);
      return listWith(h, n);
    });
  }
  await attempt(steps, 'firstPaint', async () => {
    await showApps(h, workspace, 1);
    await h.api.model.refresh();
    h.emu.faults.latency(FIRST_PAINT_LATENCY_MS);
    try {
      const withCache: number[] = [];
      const withoutCache: number[] = [];
      for (let i = 0; i < FIRST_PAINT_RUNS; i++) {
        withoutCache.push(await firstPaint(h, benchAppName(1), false));
        await h.api.model.refresh(); // keeps the listing again for the next window
        withCache.push(await firstPaint(h, benchAppName(1), true));
      }
      return {
        latencyMs: FIRST_PAINT_LATENCY_MS,
        withCacheMs: withCache,
        withoutCacheMs: withoutCache,
        withCacheMedianMs: median(withCache),
        withoutCacheMedianMs: median(withoutCache),
      };
    } finally {
      h.emu.faults.latency(0);
      await showApps(h, workspace, APP_COUNT); // as the steps below expect
    }
  });
  await attempt(steps, 'createWarm', () => create(h, appRow(h, benchAppName(1)), 'bench warm'));
  await attempt(steps, 'createCold', async () => {
    if (h.api.model.knownApp(COLD_APP)) throw new Error(`${COLD_APP} is in the tree: not a cold create`);
    return create(h, COLD_APP, 'bench cold');
  });
  await attempt(steps, 'revoke1', () => revoke(h, tokenRows(h, benchAppName(2)).slice(0, 1)));
  await attempt(steps, 'revoke10', async () => {
    const nodes = Array.from({ length: 10 }, (_, i) => tokenRows(h, benchAppName(i + 3))[0]);
    if (nodes.some((n) => !n)) throw new Error('fewer than 10 token rows to select');
    return revoke(h, nodes);
  });
  await attempt(steps, 'createToClipboard', async () => {
    const runs: number[] = [];
    for (let i = 1; i <= CLIPBOARD_RUNS; i++) runs.push(await createToClipboard(h, i));
    return { runsMs: runs, medianMs: median(runs) };
  });

  await attempt(steps, 'discovery2000', async () => {
    // A monorepo of 2,000 services, each with its own fly.toml, 3 folders deep: the walk and the TOML reads.
    const root = path.join(workspace, 'monorepo');
    for (let i = 0; i < MANY_FILES; i++) {
      const dir = path.join(root, `team-${i % 20}`, `svc-${i}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'fly.toml'), `app = "svc-${i}"\nprimary_region = "ams"\n\n[http_service]\n  internal_port = 8080\n`);
    }
    try {
      const runs: number[] = [];
      let files = 0;
      for (let r = 0; r < DISCOVERY_RUNS; r++) {
        const start = performance.now();
        files = (await h.api.flyFiles.scan()).filter((f) => f.result.ok).length;
        runs.push(performance.now() - start);
      }
      if (files < MANY_FILES) throw new Error(`found ${files} fly.toml files, expected at least ${MANY_FILES}`);
      return { files, runsMs: runs, medianMs: median(runs) };
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      await emulatorQuiet(h, 800);
    }
  });

  await attempt(steps, 'leakScan10k', async () => {
    // "Find Fly Tokens in Workspace" over 10,000 ordinary source files (100 folders of 100, ~1.5 KB each), ten of
    // them holding a token; the longest stall of the extension host's event loop while it runs is measured too.
    const root = path.join(workspace, 'leakscan');
    const filler = 'export function handler(req, res) { return res.json({ ok: true, region: process.env.FLY_REGION }); }\n'.repeat(15);
    const fakeToken = (i: number) => `FlyV1 fm2_${Buffer.alloc(180, i).toString('base64')},fm2_${Buffer.alloc(120, i + 1).toString('base64')}`;
    for (let i = 0; i < LEAK_SCAN_FILES; i++) {
      const dir = path.join(root, `pkg-${i % 100}`);
      if (i < 100) fs.mkdirSync(dir, { recursive: true });
      const secret = i % (LEAK_SCAN_FILES / LEAK_SCAN_TOKENS) === 7 ? `FLY_API_TOKEN=${fakeToken(i)}\n` : '';
      fs.writeFileSync(path.join(dir, `file-${i}.${['js', 'ts', 'md', 'env'][i % 4]}`), `${filler}${secret}`);
    }
    try {
      const runs: number[] = [];
      const stalls: number[] = [];
      let stats = h.api.leaks.lastScan();
      for (let r = 0; r < LEAK_SCAN_RUNS; r++) {
        freshPrompter(h).answer('leaks.results', () => undefined);
        let last = performance.now();
        let stall = 0;
        const tick = setInterval(() => {
          const now = performance.now();
          stall = Math.max(stall, now - last);
          last = now;
        }, 5);
        const start = performance.now();
        try {
          await vscode.commands.executeCommand('flyTokens.findTokensInWorkspace');
        } finally {
          clearInterval(tick);
        }
        runs.push(performance.now() - start);
        stalls.push(stall);
        h.prompter.assertDone();
        stats = h.api.leaks.lastScan();
      }
      const listed = stats?.files ?? 0;
      if (!stats || listed < LEAK_SCAN_FILES) throw new Error(`the scan listed ${listed} files, expected at least ${LEAK_SCAN_FILES}`);
      if (stats.found < LEAK_SCAN_TOKENS) throw new Error(`the scan found ${stats.found} tokens, expected ${LEAK_SCAN_TOKENS}`);
      const maxStallMs = Math.max(...stalls);
      return { files: stats.files, found: stats.found, runsMs: runs, medianMs: median(runs), stallsMs: stalls, maxStallMs };
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  await attempt(steps, 'signIn', async () => {
    // A new user signing in, two apps in the workspace, one of them with two pages of tokens: every request of the sign-in path, counted.
    const app = benchAppName(2);
    const have = h.emu.world.tokens().filter((t) => t.app === app).length;
    if (have < SIGN_IN_TOKENS) addManyTokens(h.emu.world, app, SIGN_IN_TOKENS - have);
    await showApps(h, workspace, 2);
    await vscode.commands.executeCommand('flyTokens.signOut');
    await h.api.model.idle();
    h.emu.faults.latency(SIGN_IN_LATENCY_MS);
    try {
      // From Enter in the token box (the scripted answer is handed back) to the model first holding a token row.
      let enteredAt: number | undefined;
      let firstRowMs: number | undefined;
      const watching = h.api.model.onDidChange((l) => {
        if (enteredAt === undefined || firstRowMs !== undefined) return;
        if (appTokens(l, app, Date.now(), 14).length > 0) firstRowMs = performance.now() - enteredAt;
      });
      let counted: RequestCount;
      try {
        counted = await requestsFor(h, async () => {
          freshPrompter(h)
            .answer('signIn.method', 'Paste an auth token')
            .answer('signIn.token', () => {
              enteredAt = performance.now();
              return h.emu.demoToken;
            });
          await vscode.commands.executeCommand('flyTokens.signIn');
          await h.api.model.idle();
        });
      } finally {
        watching.dispose();
      }
      if (firstRowMs === undefined) throw new Error(`no token row of ${app} was shown after signing in`);
      const pages = counted.operations.filter((o) => o === 'AppTokens').length;
      return { ...counted, pages, latencyMs: SIGN_IN_LATENCY_MS, firstRowMs };
    } finally {
      h.emu.faults.latency(0);
      await showApps(h, workspace, APP_COUNT);
    }
  });
  await attempt(steps, 'tree1000', async () => {
    addManyTokens(h.emu.world, benchAppName(1), BULK_TOKENS);
    await showApps(h, workspace, 1);
    const runs = Array.from({ length: TREE_RUNS }, () => buildAppRows(h, benchAppName(1)));
    const rows = runs[0].rows;
    if (rows < BULK_TOKENS) throw new Error(`the app shows ${rows} rows, expected at least ${BULK_TOKENS}`);
    const cpuMs = runs.map((r) => r.cpuMs);
    return { rows, runsMs: runs.map((r) => r.ms), medianMs: median(runs.map((r) => r.ms)), cpuRunsMs: cpuMs, cpuMedianMs: median(cpuMs) };
  });
  await attempt(steps, 'list1000Slow', async () => {
    h.emu.faults.latency(SLOW_LINK_MS);
    try {
      let ms = 0;
      const counted = await requestsFor(h, async () => {
        const start = performance.now();
        await vscode.commands.executeCommand('flyTokens.refresh');
        ms = performance.now() - start;
      });
      const rows = buildAppRows(h, benchAppName(1)).rows;
      if (rows < BULK_TOKENS) throw new Error(`the app shows ${rows} rows after the refresh, expected at least ${BULK_TOKENS}`);
      return { ...counted, ms, latencyMs: SLOW_LINK_MS, rows };
    } finally {
      h.emu.faults.latency(0);
    }
  });
}
