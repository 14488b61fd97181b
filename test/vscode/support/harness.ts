// Shared set-up of the in-VS-Code suite: the emulator in this same extension host, the extension pointed at it
// through FLY_API_BASE_URL in this process (no user setting needed), a scripted prompter, and a readable snapshot of
// the tree. The suites run only in a VS Code of their own (see index.ts).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator';
import type { TestApi } from '../../../src/extension';
import { ScriptedPrompter } from './scriptedPrompter';

/** Polls until a check stops throwing (for effects VS Code applies asynchronously). */
export { eventually } from '../../support/eventually';

export const EXTENSION_ID = 'fly-deploy-tokens.fly-deploy-tokens';

export interface Row {
  label: string;
  description?: string;
  contextValue?: string;
  icon?: string;
  tooltip?: string;
  children?: Row[];
}

export interface Harness {
  emu: Emulator;
  api: TestApi;
  prompter: ScriptedPrompter;
}

let shared: { emu: Emulator; api: TestApi } | undefined;

/** Starts (once) the emulator and the extension; each call gets a fresh prompter and a reset world. */
export async function setUp(): Promise<Harness> {
  if (!shared) {
    const emu = await startEmulator({ port: 0 });
    // The extension host runs the suites and the extension in one process: the client reads this on every call.
    process.env.FLY_API_BASE_URL = emu.url;
    const ext = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
    assert.ok(ext, 'extension not found');
    const api = await ext.activate();
    assert.ok(api, 'activate() returned no test API: is the extension host in Test mode?');
    // In a remote window (code-server is one) the extension asks before using FLY_API_BASE_URL: the suite set it.
    api.allowApiFromEnvironment(emu.url);
    shared = { emu, api };
  }
  const prompter = new ScriptedPrompter();
  shared.api.setPrompter(prompter);
  shared.emu.reset();
  shared.api.forgetClientMemory();
  return { ...shared, prompter };
}

/** The emulator and extension a suite already set up, without resetting anything (for hooks that only look). */
export function current(): { emu: Emulator; api: TestApi } | undefined {
  return shared;
}

/** Signs in by pasting the emulator's demo token, through the real command. */
export async function signIn(h: Harness, token = h.emu.demoToken): Promise<void> {
  h.prompter.answer('signIn.method', 'Paste an auth token').answer('signIn.token', token);
  await vscode.commands.executeCommand('flyTokens.signIn');
  await h.prompter.waitForNotification(/Signed in to Fly\.io as/);
  await h.api.model.refresh();
}

export async function signOut(h: Harness): Promise<void> {
  await vscode.commands.executeCommand('flyTokens.signOut');
  await h.api.model.refresh();
}

/** The tree as a user sees it: labels, descriptions, states; children of expandable rows included. */
export async function snapshot(api: TestApi, depth = 2): Promise<Row[]> {
  const walk = async (node: unknown, level: number): Promise<Row[]> => {
    const children = api.tree.getChildren(node as never) ?? [];
    const rows: Row[] = [];
    for (const child of children) {
      const item = api.tree.getTreeItem(child);
      const row: Row = {
        label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
        description: typeof item.description === 'string' ? item.description : undefined,
        contextValue: item.contextValue,
        icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
        tooltip: typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value,
      };
      if (level < depth && item.collapsibleState !== vscode.TreeItemCollapsibleState.None) row.children = await walk(child, level + 1);
      rows.push(row);
    }
    return rows;
  };
  return walk(undefined, 1);
}

export function find(rows: Row[], label: string): Row {
  const r = rows.find((x) => x.label === label);
  assert.ok(r, `no row "${label}" among ${JSON.stringify(rows.map((x) => x.label))}`);
  return r;
}
