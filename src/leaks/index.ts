// The leak finder's commands and its start, as activation sees them: a few registrations, nothing read. The finder
// itself (dist/leakFinder.js) and the workspace scan (dist/workspaceScan.js) load on demand, the finder only after
// start-up, so activation costs what it did.
import * as vscode from 'vscode';
import { Command } from '../commandIds';
import type { Deps } from '../deps';
import { credentialOf, parsePastedToken, sharesPartWith } from '../fly/pastedToken';
import type { LeakFinder, ScanStats } from './leakFinder';

type FinderModule = typeof import('./leakFinder');

/** After activation, before the finder starts: activation itself reads no document. */
const START_DELAY_MS = 500;

/** What the Revoke quick fix hands the leaked-token command: a getter, so the value never sits in a plain object. */
export interface PrefilledToken {
  readonly leakedToken: () => string;
}

export function isPrefilledToken(arg: unknown): arg is PrefilledToken {
  return typeof arg === 'object' && arg !== null && typeof (arg as PrefilledToken).leakedToken === 'function';
}

export interface LeakFinderHandle {
  /** resolves with the running finder (starts it now if start-up has not yet) */
  finder(): Promise<LeakFinder>;
  /** the last workspace scan's figures */
  lastScan(): ScanStats | undefined;
}

/** A code action's target: where the token is, never the token. */
type At = [uri: vscode.Uri, range: vscode.Range];

export function registerLeakFinder(deps: Deps): { disposables: vscode.Disposable[]; handle: LeakFinderHandle } {
  let module: Promise<FinderModule> | undefined;
  let running: Promise<LeakFinder> | undefined;
  let lastScan: ScanStats | undefined;
  const load = () => (module ??= import('./leakFinder'));
  const finder = () =>
    (running ??= load().then((m) => {
      const f = new m.LeakFinder(deps.context.workspaceState);
      disposables.push(f, registerCodeActions(f, m.DIAGNOSTIC_SOURCE));
      f.start();
      return f;
    }));
  const timer = setTimeout(() => void finder(), START_DELAY_MS);

  const disposables: vscode.Disposable[] = [
    { dispose: () => clearTimeout(timer) },
    vscode.commands.registerCommand(Command.inspectToken, () => inspect(deps, load)),
    vscode.commands.registerCommand(Command.findTokensInWorkspace, async () => {
      lastScan = await findInWorkspace(deps, await finder());
    }),
    vscode.commands.registerCommand(Command.revokeFoundToken, async (...[uri, range]: At) => {
      const text = await (await finder()).tokenTextAt(uri, range);
      if (!text) {
        await deps.prompter().notify('info', vscode.l10n.t('The token is no longer there.'));
        return;
      }
      const prefilled: PrefilledToken = { leakedToken: () => text };
      await vscode.commands.executeCommand(Command.revokeLeakedToken, prefilled);
    }),
    vscode.commands.registerCommand(Command.ignoreFoundToken, async (...[uri, range]: At) => {
      await (await finder()).ignore(uri, range);
    }),
  ];
  return { disposables: [{ dispose: () => disposables.forEach((d) => d.dispose()) }], handle: { finder, lastScan: () => lastScan } };
}

/** Quick fixes for the finder's findings under the cursor or selection (Problems need not have caught up yet). */
function registerCodeActions(finder: LeakFinder, source: string): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    { pattern: '**' },
    {
      provideCodeActions(document, range, context) {
        return finder.findingsIn(document.uri, range).flatMap((range) => {
          const at: At = [document.uri, range];
          const diagnostics = context.diagnostics.filter((d) => d.source === source && d.range.isEqual(range));
          const revoke = new vscode.CodeAction(vscode.l10n.t('Revoke this token…'), vscode.CodeActionKind.QuickFix);
          revoke.command = { command: Command.revokeFoundToken, title: revoke.title, arguments: at };
          revoke.diagnostics = diagnostics;
          revoke.isPreferred = true;
          const skip = new vscode.CodeAction(vscode.l10n.t('Ignore in this file'), vscode.CodeActionKind.QuickFix);
          skip.command = { command: Command.ignoreFoundToken, title: skip.title, arguments: at };
          skip.diagnostics = diagnostics;
          return [revoke, skip];
        });
      },
    },
    { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
  );
}

/** "Fly: Inspect Token…": masked paste, read here, nothing sent; Revoke… offered from there. */
async function inspect(deps: Deps, load: () => Promise<FinderModule>): Promise<void> {
  const prompter = deps.prompter();
  const pasted = await prompter.input({
    id: 'inspect.token',
    title: vscode.l10n.t('Inspect a Fly.io token'),
    password: true,
    prompt: vscode.l10n.t('Paste a token (FlyV1 …, fm2_… or fo1_…). It is read here and sent nowhere.'),
    validate: (v) => (parsePastedToken(v).ok ? undefined : vscode.l10n.t('That is not a Fly.io token: they start with FlyV1, fm2_ or fo1_.')),
  });
  if (pasted === undefined) return;
  const parsed = parsePastedToken(pasted);
  if (!parsed.ok) return;
  const credential = credentialOf(parsed);
  const { describeToken } = await load();
  const d = describeToken(credential);
  const own = sharesPartWith(parsed, (await deps.auth.credentials())?.token);
  const detail = own ? `${vscode.l10n.t('This is the login this extension uses.')}\n${d.detail}` : d.detail;
  if (await prompter.confirm('inspect.result', d.title, detail, vscode.l10n.t('Revoke…'))) {
    const prefilled: PrefilledToken = { leakedToken: () => credential };
    await vscode.commands.executeCommand(Command.revokeLeakedToken, prefilled);
  }
}

async function findInWorkspace(deps: Deps, finder: LeakFinder): Promise<ScanStats | undefined> {
  const prompter = deps.prompter();
  if (!vscode.workspace.workspaceFolders?.length) {
    await prompter.notify('info', vscode.l10n.t('Open a folder first: there is no workspace to search.'));
    return undefined;
  }
  const { scanWorkspace } = await import('./workspaceScan');
  const stats = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Looking for Fly.io tokens'), cancellable: true },
    (progress, token) => {
      let reported = 0;
      return scanWorkspace(finder, {
        token,
        progress: (done, total) => {
          const pct = (done / total) * 100;
          progress.report({ increment: pct - reported, message: vscode.l10n.t('{0} of {1} files', done, total) });
          reported = pct;
        },
      });
    },
  );
  const results = finder.all();
  const count = results.reduce((n, [, f]) => n + f.length, 0);
  const head = stats.cancelled ? vscode.l10n.t('Stopped after {0} files.', stats.read) + ' ' : '';
  if (count === 0) {
    await prompter.notify(
      'info',
      head + (stats.files === 1 ? vscode.l10n.t('No Fly.io token found in 1 file.') : vscode.l10n.t('No Fly.io token found in {0} files.', stats.files)),
    );
    return stats;
  }
  const items = results.flatMap(([uri, findings]) =>
    findings.map((f) => ({
      label: `${vscode.workspace.asRelativePath(uri)}:${f.line + 1}`,
      description: f.label,
      uri,
      range: new vscode.Range(f.line, f.startChar, f.line, f.endChar),
    })),
  );
  const title =
    head +
    (count === 1
      ? vscode.l10n.t('1 Fly.io token found')
      : results.length === 1
        ? vscode.l10n.t('{0} Fly.io tokens found in 1 file', count)
        : vscode.l10n.t('{0} Fly.io tokens found in {1} files', count, results.length));
  const picked = await prompter.pick(items, { id: 'leaks.results', title, placeholder: vscode.l10n.t('Open one; all are in Problems too') });
  if (picked) await vscode.window.showTextDocument(picked.uri, { selection: picked.range });
  return stats;
}
