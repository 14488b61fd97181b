// Instant first paint: a new window shows the last listing at once (metadata only, per workspace), marked as not
// yet confirmed, and no command acts on those rows; Fly's answer then replaces it.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { Command } from '../../src/commandIds';
import { appTokens, type Listing } from '../../src/model/listing';
import type { TokensModel } from '../../src/model/tokensModel';
import { TokenNode } from '../../src/tree/nodes';
import { viewMessage } from '../../src/tree/viewMessage';
import { eventually, setUp, signIn, signOut, type Harness } from './support/harness';

const CACHE_KEY = 'flyTokens.lastListing';

describe('first paint from the last session’s listing', () => {
  let h: Harness;
  let second: TokensModel | undefined;
  before(async () => {
    h = await setUp();
    await signIn(h);
    await h.api.model.refresh({ rescan: true });
  });
  afterEach(() => {
    h.emu.faults.clear();
    second?.dispose();
    second = undefined;
    h.prompter.assertDone();
  });

  /** A second model over the same workspace state, as the next window builds it; records every listing it shows. */
  function nextWindow(): { model: TokensModel; seen: Listing[] } {
    second = h.api.makeModel();
    const seen: Listing[] = [];
    second.onDidChange((l) => seen.push(l));
    return { model: second, seen };
  }

  it('keeps token metadata for this account and API, and never a token', () => {
    type Kept = { key: { account: string; api: string }; apps: { name: string; tokens: { name: string }[] }[] };
    const kept = h.api.context.workspaceState.get<Kept>(CACHE_KEY);
    assert.ok(kept, 'nothing kept');
    assert.strictEqual(kept.key.account, 'demo@example.com');
    assert.strictEqual(kept.key.api, h.emu.url);
    const demo = kept.apps.find((a) => a.name === 'demo-app');
    assert.ok(demo?.tokens.some((t) => t.name === 'github actions'), 'token names kept');
    const text = JSON.stringify(kept);
    assert.doesNotMatch(text, /FlyV1|fm[12][ar]?_|fo1_/, 'no token or token part');
    for (const header of h.emu.world.mintedHeaders()) assert.ok(!text.includes(header.slice(6, 40)));
  });

  it('shows the last listing before Fly answers, then replaces it with the answer', async () => {
    const target = h.emu.world.tokens().find((t) => t.name === 'github actions' && !t.revokedAt);
    assert.ok(target);
    // Revoked elsewhere since the last window: the cache still lists it as active.
    h.emu.world.revoke(target, 'someone@example.com');
    h.emu.faults.latency(1500);
    const { model, seen } = nextWindow();
    let answered = false;
    const refreshed = model.refresh().then(() => (answered = true));

    const first = await eventually(() => {
      const l = seen.find((x) => x.stale);
      assert.ok(l, 'no stale listing shown');
      return l;
    }, 1400);
    assert.strictEqual(answered, false, 'painted before Fly answered');
    const stale = appTokens(first, 'demo-app', Date.now(), 14);
    const cached = stale.find((r) => r.token.id === target.id);
    assert.ok(cached, 'the cached row is shown at once');
    assert.deepStrictEqual([cached.state, cached.stale], ['active', true]);
    assert.strictEqual(viewMessage(first), 'Last session’s tokens · refreshing…');
    assert.match(new TokenNode(cached, Date.now()).contextValue ?? '', /^staleToken;/, 'no row action on a stale row');

    await refreshed;
    const fresh = model.listing;
    assert.strictEqual(fresh.stale, false);
    assert.strictEqual(viewMessage(fresh), undefined);
    const now = appTokens(fresh, 'demo-app', Date.now(), 14).find((r) => r.token.id === target.id);
    assert.deepStrictEqual([now?.state, now?.stale], ['revoked', false], "Fly's answer replaced the cached row");
  });

  it('commands never act on a cached row: Revoke given one asks again, from fresh data', async () => {
    h.emu.faults.latency(800);
    const { model, seen } = nextWindow();
    const refreshed = model.refresh();
    const first = await eventually(() => {
      const l = seen.find((x) => x.stale);
      assert.ok(l);
      return l;
    }, 700);
    const staleRow = new TokenNode(appTokens(first, 'demo-app', Date.now(), 14)[0], Date.now());
    h.emu.faults.clear();
    await refreshed;
    h.emu.clearRequests();
    h.prompter.answer('revoke.pick', undefined);
    const askedBefore = h.prompter.asked.length;
    await vscode.commands.executeCommand(Command.revokeToken, staleRow);
    assert.deepStrictEqual(
      h.prompter.asked.slice(askedBefore).map((a) => a.id),
      ['revoke.pick'],
      'the stale row was not confirmed for revoking; the picker asked instead',
    );
    assert.ok(!h.emu.graphqlRequests().some((r) => /^\s*mutation\b/.test(r.query ?? '')), 'nothing revoked');
  });

  it('when the refresh fails, the cached rows stay, marked, and commands get no tokens from them', async () => {
    h.emu.faults.next(20, { status: 503 });
    const { model } = nextWindow();
    await model.refresh();
    assert.strictEqual(model.listing.stale, true);
    assert.ok(model.listing.error, 'the failure is shown');
    assert.strictEqual(viewMessage(model.listing), 'Last session’s tokens · not refreshed');
    assert.ok(appTokens(model.listing, 'demo-app', Date.now(), 14).length > 0, 'nothing lost');
    assert.deepStrictEqual(await model.freshTokens(), []);
  });

  it('signing out forgets it', async () => {
    const kept = h.api.context.workspaceState.get(CACHE_KEY);
    assert.ok(kept);
    await signOut(h);
    assert.strictEqual(h.api.context.workspaceState.get(CACHE_KEY), undefined);
    await signIn(h);
  });
});
