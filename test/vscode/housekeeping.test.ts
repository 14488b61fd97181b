// What flyctl leaves behind is not the user's, and the hygiene review ranks danger before clutter: against the
// emulator's default world, which holds flyctl's short-lived tokens (some expired, some live), a year-long token
// that borrows one of their names, and the 999,999-hour token `fly launch` made for acme-ops.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { setUp, signIn, snapshot, type Harness, type Row } from './support/harness';

const FLYCTL_OWN = ['Flynthetics read-only token', 'FKS org deploy token', 'ScantronToken', 'flyctl-lfsc', 'flyctl'];

/** Every token row under an organization, folded groups of expired tokens opened. */
async function orgTokens(h: Harness, org: string): Promise<Row[]> {
  const rows = await snapshot(h.api, 3);
  const orgRow = rows.find((r) => r.label === org);
  assert.ok(orgRow, `no row "${org}" among ${JSON.stringify(rows.map((r) => r.label))}`);
  return (orgRow.children ?? []).flatMap((r) => (r.contextValue === 'group' ? (r.children ?? []) : [r]));
}

const named = (rows: Row[], name: string) => rows.filter((r) => r.label === name);
const idOf = (h: Harness, name: string, org = 'acme') => {
  const found = h.emu.world.tokens().filter((t) => t.name === name && t.org === org);
  assert.ok(found.length > 0, `no token "${name}" in ${org}`);
  return found.map((t) => t.id);
};

describe("flyctl's own tokens and the hygiene ranking", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await setUp();
    await signIn(h);
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('flyTokens.showAppTokens');
    await vscode.workspace.getConfiguration('flyTokens').update('showFlyctlTokens', undefined, vscode.ConfigurationTarget.Global);
    h.prompter.assertDone();
  });

  it("hides flyctl's short-lived tokens until asked, by profile and lifetime: a year-long token under their name stays", async () => {
    await vscode.commands.executeCommand('flyTokens.showOrgTokens');
    let acme = await orgTokens(h, 'Acme Corp');
    for (const name of FLYCTL_OWN) assert.deepStrictEqual(named(acme, name), [], `${name} is hidden`);
    assert.deepStrictEqual(named(await orgTokens(h, 'Demo User'), 'Flynthetics read-only token'), [], 'in every organization');
    const impostor = named(acme, 'Flyctl statics push token');
    assert.strictEqual(impostor.length, 1, 'the year-long one only');
    assert.match(impostor[0].description ?? '', /^org deploy · /);
    assert.doesNotMatch(impostor[0].tooltip ?? '', /made by flyctl for itself/);
    assert.strictEqual(named(acme, 'acme-ops').length, 1, "`fly launch`'s token is the user's");

    await vscode.commands.executeCommand('flyTokens.showFlyctlTokens');
    acme = await orgTokens(h, 'Acme Corp');
    assert.strictEqual(named(acme, 'Flynthetics read-only token').length, 2, 'one expired, one live');
    assert.strictEqual(named(acme, 'Flyctl statics push token').length, 2);
    const labelled: [string, RegExp][] = [
      ['Flynthetics read-only token', /^flyctl synthetics · /],
      ['FKS org deploy token', /^flyctl FKS · /],
      ['ScantronToken', /^flyctl image scan · /],
      ['flyctl-lfsc', /^flyctl LiteFS · /],
    ];
    for (const [name, label] of labelled) {
      const row = named(acme, name)[0];
      assert.match(row?.description ?? '', label, name);
      assert.match(row?.tooltip ?? '', /made by flyctl for itself/, name);
    }
    assert.strictEqual(named(await orgTokens(h, 'Demo User'), 'Flynthetics read-only token').length, 2);

    await vscode.commands.executeCommand('flyTokens.hideFlyctlTokens');
    acme = await orgTokens(h, 'Acme Corp');
    for (const name of FLYCTL_OWN) assert.deepStrictEqual(named(acme, name), [], `${name} is hidden again`);
  });

  it("the review puts live risks first, expired tokens last; `fly launch`'s token is a long lifetime, flyctl's are no finding", async () => {
    await vscode.commands.executeCommand('flyTokens.reviewTokenHygiene');
    const html = h.api.hygiene.html()!;
    const at = (marker: string) => {
      const i = html.indexOf(marker);
      assert.ok(i >= 0, `${marker} is in the report`);
      return i;
    };
    const order = ['id="tier-risk"', 'id="departedCreator"', 'id="longLived"', 'id="tier-tidying"', 'id="defaultName"', 'id="expiredNotRevoked"'].map(at);
    assert.deepStrictEqual(order, [...order].sort((a, b) => a - b), 'live risks, then tidying');
    assert.match(html, /<h2>Live risks<\/h2><p class="advice">These tokens still work\. Deal with them first\.<\/p>/);
    assert.match(html, /<h2>Tidying<\/h2><p class="advice">Not urgent: expired tokens can no longer be used/);
    assert.match(html, /are worth a second look\. \d+ still work and are risks\. \d+ only need tidying\./);

    const section = (id: string) => html.slice(at(`id="${id}"`), html.indexOf('</section>', at(`id="${id}"`)));
    const [launched] = idOf(h, 'acme-ops');
    assert.ok(section('longLived').includes(launched), "`fly launch`'s 999,999-hour token has a lifetime over one year");
    assert.ok(!section('expiredNotRevoked').includes(launched));
    for (const name of FLYCTL_OWN) {
      for (const id of [...idOf(h, name, 'acme'), ...(name === 'Flynthetics read-only token' ? idOf(h, name, 'personal') : [])]) {
        assert.ok(!html.includes(id), `${name} (${id}) is no finding`);
      }
    }
    assert.ok(!html.includes(idOf(h, 'Flyctl statics push token')[0]), 'nor the expired statics push token');
  });
});
