// The manifest against the code that ships: every command the bundle registers, runs or links to is declared,
// every declared command is registered, menus and welcome views point at real commands, context keys in `when`
// clauses are ones the code sets, and the trust and settings rules that keep the auth token safe hold.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { Command } from '../../src/commandIds';
import { EXTENSION_ID } from './support/harness';

interface CommandDecl {
  command: string;
}
interface MenuItem {
  command?: string;
  submenu?: string;
  when?: string;
}
interface Manifest {
  main: string;
  activationEvents?: string[];
  contributes: {
    commands: CommandDecl[];
    menus: Record<string, MenuItem[]>;
    viewsWelcome: { view: string; contents: string; when?: string }[];
    views: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, { scope?: string }> };
  };
  capabilities: { untrustedWorkspaces: { supported: boolean | string; restrictedConfigurations?: string[] } };
}

const ID = /flyTokens\.[a-zA-Z]+/;

describe('manifest (package.json) and the shipped bundle agree', () => {
  let ext: vscode.Extension<unknown>;
  let raw: Manifest;
  let bundle: string;
  let declared: Set<string>;
  let nls: Record<string, string>;
  /** A welcome view's text as VS Code shows it: a whole-value %placeholder% replaced from package.nls.json. */
  const contents = (w: { contents: string }) => w.contents.replace(/^%([\w.-]+)%$/, (_, k: string) => nls[k] ?? w.contents);

  before(async () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not installed`);
    ext = found;
    await ext.activate();
    // The file itself, not ext.packageJSON: VS Code replaces the %placeholders% in the latter.
    raw = JSON.parse(await fs.readFile(path.join(ext.extensionPath, 'package.json'), 'utf8')) as Manifest;
    bundle = await fs.readFile(path.join(ext.extensionPath, raw.main), 'utf8');
    declared = new Set(raw.contributes.commands.map((c) => c.command));
    nls = JSON.parse(await fs.readFile(path.join(ext.extensionPath, 'package.nls.json'), 'utf8')) as Record<string, string>;
  });

  it('every contributed command is registered after activation, and no undeclared flyTokens command is', async () => {
    assert.ok(declared.size >= 10, `only ${declared.size} commands declared`);
    // VS Code adds commands of its own for each view ("flyTokens.tokens.focus", …): those are not ours to declare.
    const viewIds = Object.values(raw.contributes.views).flatMap((v) => v.map((x) => `${x.id}.`));
    const registered = new Set(
      (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('flyTokens.') && !viewIds.some((v) => c.startsWith(v))),
    );
    assert.deepStrictEqual([...declared].filter((c) => !registered.has(c)), [], 'declared but not registered');
    assert.deepStrictEqual([...registered].filter((c) => !declared.has(c)), [], 'registered but not declared');
  });

  it('every command id lives in src/commandIds.ts, exactly as declared, and nowhere else in the bundle', () => {
    const ids = Object.values(Command) as string[];
    assert.deepStrictEqual([...ids].sort(), [...declared].sort(), 'src/commandIds.ts and contributes.commands differ');
    // With the ids in one table, the shipped bundle holds each command id's text once: a literal elsewhere would be a
    // second place to forget on a rename. (Settings, context keys and storage keys are other names.)
    const literals = new Map<string, number>();
    for (const m of bundle.matchAll(/["'`](flyTokens\.[a-zA-Z]+)["'`]/g)) if (declared.has(m[1])) literals.set(m[1], (literals.get(m[1]) ?? 0) + 1);
    assert.deepStrictEqual(
      [...literals].filter(([, n]) => n !== 1),
      [],
      'command ids written out more than once in the bundle',
    );
    assert.strictEqual(literals.size, declared.size, 'the extraction found every id once, or it proves nothing');
    for (const w of raw.contributes.viewsWelcome) {
      for (const m of contents(w).matchAll(/\(command:([\w.]+)\)/g)) {
        if (ID.test(m[1])) assert.ok(declared.has(m[1]), `welcome view links to undeclared ${m[1]}`);
      }
    }
    for (const items of Object.values(raw.contributes.menus)) {
      for (const item of items) if (item.command) assert.ok(declared.has(item.command), `menu names undeclared ${item.command}`);
    }
  });

  it('welcome-view links to other extensions’ commands name commands that exist', async () => {
    const all = new Set(await vscode.commands.getCommands(false));
    const links = raw.contributes.viewsWelcome.flatMap((w) => [...contents(w).matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]));
    assert.ok(links.includes('flyTokens.signIn') && links.includes('workbench.trust.manage'), `welcome links not found: ${links.join(', ')}`);
    assert.ok(links.length >= 6, `only ${links.length} command links in the welcome views`);
    assert.deepStrictEqual(links.filter((c) => !all.has(c)), [], 'welcome links to unknown commands');
  });

  it('every menu entry names a declared command, in a view that exists, behind context keys the code sets', () => {
    const views = new Set(Object.values(raw.contributes.views).flatMap((v) => v.map((x) => x.id)));
    const settings = new Set(Object.keys(raw.contributes.configuration.properties));
    // Context keys the bundle sets: setContext calls with a literal key.
    const contextKeys = new Set([...bundle.matchAll(/["'`]setContext["'`]\s*,\s*["'`](flyTokens\.[a-zA-Z]+)["'`]/g)].map((m) => m[1]));
    assert.ok(contextKeys.has('flyTokens.signedIn') && contextKeys.has('flyTokens.scope'), `setContext keys found: ${[...contextKeys].join(', ')}`);

    const problems: string[] = [];
    const whens = [
      ...Object.entries(raw.contributes.menus).flatMap(([menu, items]) =>
        items.map((i) => {
          if (!i.command || !declared.has(i.command)) problems.push(`${menu}: ${i.command ?? i.submenu} is not a declared command`);
          return { where: `${menu} ${i.command}`, when: i.when ?? '' };
        }),
      ),
      ...raw.contributes.viewsWelcome.map((w) => {
        if (!views.has(w.view)) problems.push(`viewsWelcome names unknown view ${w.view}`);
        return { where: `viewsWelcome ${w.view}`, when: w.when ?? '' };
      }),
    ];
    for (const { where, when } of whens) {
      for (const m of when.matchAll(/\bview\s*==\s*([\w.]+)/g)) if (!views.has(m[1])) problems.push(`${where}: unknown view ${m[1]}`);
      for (const m of when.matchAll(/\bconfig\.(flyTokens\.[a-zA-Z]+)/g)) if (!settings.has(m[1])) problems.push(`${where}: unknown setting ${m[1]}`);
      // Bare flyTokens.* keys (not after "config." nor a view id) must be context keys the code sets.
      for (const m of when.matchAll(/(?<![.\w])(flyTokens\.[a-zA-Z]+)/g)) {
        if (views.has(m[1])) continue;
        if (!contextKeys.has(m[1])) problems.push(`${where}: context key ${m[1]} is never set`);
      }
    }
    assert.deepStrictEqual(problems, []);
  });

  it('every %placeholder% in package.json has a text in package.nls.json', async () => {
    const text = await fs.readFile(path.join(ext.extensionPath, 'package.json'), 'utf8');
    const nls = JSON.parse(await fs.readFile(path.join(ext.extensionPath, 'package.nls.json'), 'utf8')) as Record<string, unknown>;
    const keys = [...new Set([...text.matchAll(/"%([\w.-]+)%"|%([\w.-]+)%/g)].map((m) => m[1] ?? m[2]))];
    assert.ok(keys.length > 10, `only ${keys.length} placeholders`);
    assert.deepStrictEqual(keys.filter((k) => typeof nls[k] !== 'string'), []);
    // VS Code replaces a placeholder only when it is a whole string value: one inside other text stays as it is.
    const embedded = [...text.matchAll(/"([^"]*%[\w.-]+%[^"]*)"/g)].map((m) => m[1]).filter((v) => !/^%[\w.-]+%$/.test(v));
    assert.deepStrictEqual(embedded, [], 'placeholders inside other text are shown to users verbatim');
  });

  it('activates on demand only: no "*" and no onStartupFinished', () => {
    const events = raw.activationEvents ?? [];
    assert.deepStrictEqual(events.filter((e) => e === '*' || e === 'onStartupFinished'), []);
  });

  it('supports untrusted workspaces in a limited way, with the API URL restricted', () => {
    const u = raw.capabilities.untrustedWorkspaces;
    assert.strictEqual(u.supported, 'limited');
    assert.ok(u.restrictedConfigurations?.includes('flyTokens.apiBaseUrl'), JSON.stringify(u.restrictedConfigurations));
  });

  it('the API URL is an application setting: declared so, and VS Code refuses a workspace value', async () => {
    assert.strictEqual(raw.contributes.configuration.properties['flyTokens.apiBaseUrl']?.scope, 'application');
    const config = vscode.workspace.getConfiguration('flyTokens');
    const before = config.inspect<string>('apiBaseUrl');
    let refused: unknown;
    try {
      await config.update('apiBaseUrl', 'https://evil.example', vscode.ConfigurationTarget.Workspace);
    } catch (e) {
      refused = e;
    } finally {
      // Should it have been written after all, take it back before anything reads it.
      if (!refused) await config.update('apiBaseUrl', undefined, vscode.ConfigurationTarget.Workspace);
    }
    assert.ok(refused, 'a workspace value for flyTokens.apiBaseUrl was accepted');
    assert.deepStrictEqual(vscode.workspace.getConfiguration('flyTokens').inspect<string>('apiBaseUrl')?.workspaceValue, before?.workspaceValue);
  });
});
