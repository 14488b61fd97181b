// Fly.io credentials in open documents (and files the workspace scan read), shown in Problems, as squiggles and in a
// hover. Loaded on demand after start-up (see index.ts and esbuild.mjs). A finding keeps positions, the token's kind,
// its redacted form and a salted fingerprint; the token text is read from the document again only when the user
// asks for something that needs it (Revoke, Move), and is never logged, stored or put in a message.
import * as vscode from 'vscode';
import { credentialOfText, findTokens, fingerprint, redacted, type FoundToken } from '../fly/tokenFinder';
import { inspectToken, type TokenInspection } from '../fly/tokenInspect';
import { detailLines, isLogin, kindSentence, kindTitle, offlineNote, type IdNames } from './describe';
import { gitTracked, trackedText } from './gitTracked';

export const DIAGNOSTIC_SOURCE = 'Fly Tokens';
export const DIAGNOSTIC_CODE = 'fly-token';
const IGNORED_KEY = 'flyTokens.leaks.ignored';
/** The quiet time after typing before changed lines are read again. */
const DEBOUNCE_MS = 250;
const SCHEMES = new Set(['file', 'untitled', 'vscode-remote']);
/** Larger documents are left to the workspace scan's limits (VS Code does not sync huge files to extensions anyway). */
const MAX_DOCUMENT_CHARS = 5_000_000;

/** One token in a file, without its text. */
export interface Finding {
  line: number;
  startChar: number;
  endChar: number;
  fp: string;
  label: string;
  inspection: TokenInspection;
}

interface DocState {
  findings: Finding[];
  dirty: Set<number>;
  timer?: ReturnType<typeof setTimeout>;
}

export interface ScanStats {
  files: number;
  read: number;
  skippedBinary: number;
  skippedLarge: number;
  skippedOutside: number;
  found: number;
  filesWithTokens: number;
  cancelled: boolean;
  ms: number;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function position(starts: readonly number[], offset: number): { line: number; char: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, char: offset - starts[lo] };
}

export class LeakFinder implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('flyTokens');
  private readonly docs = new Map<string, DocState>();
  /** files read by the workspace scan and not open: their findings */
  private readonly files = new Map<string, Finding[]>();
  /** inspections by fingerprint: reading a token twice gives the same answer */
  private readonly inspections = new Map<string, TokenInspection>();
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** fires after the diagnostics of a file were published (tests and the bench wait on it) */
  readonly onDidUpdate = this.changed.event;
  scanned = false;
  names: IdNames = {};

  constructor(private readonly memento: vscode.Memento) {}

  start(): void {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidOpenTextDocument((d) => this.readWhole(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.workspace.onDidSaveTextDocument((d) => this.readWhole(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.onClose(d)),
      vscode.languages.registerHoverProvider({ pattern: '**' }, { provideHover: (d, p) => this.hover(d, p) }),
    );
    for (const d of vscode.workspace.textDocuments) this.readWhole(d);
  }

  dispose(): void {
    for (const s of this.docs.values()) clearTimeout(s.timer);
    for (const d of this.disposables) d.dispose();
  }

  // -- reading -------------------------------------------------------------------------------------------------

  private inspect(tokenText: string): { fp: string; inspection: TokenInspection } {
    const fp = fingerprint(tokenText);
    let inspection = this.inspections.get(fp);
    if (!inspection) {
      inspection = inspectToken(credentialOfText(tokenText));
      this.inspections.set(fp, inspection);
    }
    return { fp, inspection };
  }

  private findingsOfLine(line: number, text: string): Finding[] {
    return findTokens(text).map((f) => this.finding(line, f.start, f.end, text.slice(f.start, f.end)));
  }

  private finding(line: number, startChar: number, endChar: number, tokenText: string): Finding {
    return { line, startChar, endChar, label: redacted(tokenText), ...this.inspect(tokenText) };
  }

  /** Findings of a whole text (a file the scan read). */
  findingsOfText(text: string, found: readonly FoundToken[] = findTokens(text)): Finding[] {
    if (found.length === 0) return [];
    const starts = lineStarts(text);
    return found.map((f) => {
      const a = position(starts, f.start);
      const b = position(starts, f.end);
      // A token never spans lines (the finder stops at line breaks): the end is on the start's line.
      return this.finding(a.line, a.char, b.line === a.line ? b.char : a.char + (f.end - f.start), text.slice(f.start, f.end));
    });
  }

  private tracks(d: vscode.TextDocument): boolean {
    return SCHEMES.has(d.uri.scheme) && d.getText().length <= MAX_DOCUMENT_CHARS;
  }

  readWhole(d: vscode.TextDocument): void {
    if (!this.tracks(d)) return;
    const old = this.docs.get(d.uri.toString());
    if (old) clearTimeout(old.timer);
    this.docs.set(d.uri.toString(), { findings: this.findingsOfText(d.getText()), dirty: new Set() });
    this.publish(d.uri);
  }

  /** Only the lines an edit touched are read again, after a pause in typing; findings below shift with the edit. */
  private onChange(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const key = e.document.uri.toString();
    const state = this.docs.get(key);
    if (!state) return this.readWhole(e.document);
    // Bottom-up, each change's lines are still in the coordinates the event gives.
    const changes = [...e.contentChanges].sort((a, b) => b.range.start.compareTo(a.range.start));
    for (const c of changes) {
      const first = c.range.start.line;
      const last = c.range.end.line;
      let added = 0;
      for (let i = c.text.indexOf('\n'); i !== -1; i = c.text.indexOf('\n', i + 1)) added++;
      const delta = added - (last - first);
      const shift = (line: number) => (line > last ? line + delta : line);
      state.findings = state.findings.filter((f) => f.line < first || f.line > last).map((f) => ({ ...f, line: shift(f.line) }));
      const dirty = new Set<number>();
      for (const l of state.dirty) if (l < first || l > last) dirty.add(shift(l));
      for (let l = first; l <= first + added; l++) dirty.add(l);
      state.dirty = dirty;
    }
    clearTimeout(state.timer);
    state.timer = setTimeout(() => this.readDirty(e.document, state), DEBOUNCE_MS);
  }

  private readDirty(d: vscode.TextDocument, state: DocState): void {
    state.timer = undefined;
    if (d.isClosed || this.docs.get(d.uri.toString()) !== state) return;
    const lines = [...state.dirty].filter((l) => l < d.lineCount).sort((a, b) => a - b);
    state.dirty.clear();
    const fresh = lines.flatMap((l) => this.findingsOfLine(l, d.lineAt(l).text));
    const kept = state.findings.filter((f) => !lines.includes(f.line));
    state.findings = [...kept, ...fresh].sort((a, b) => a.line - b.line || a.startChar - b.startChar);
    this.publish(d.uri);
  }

  private onClose(d: vscode.TextDocument): void {
    const key = d.uri.toString();
    const state = this.docs.get(key);
    if (!state) return;
    clearTimeout(state.timer);
    this.docs.delete(key);
    // After a workspace scan, a closed file keeps what it holds on disk (its last save); otherwise it leaves Problems.
    if (this.scanned && d.uri.scheme === 'file' && !d.isDirty) this.files.set(key, state.findings);
    else this.files.delete(key);
    this.publish(d.uri);
  }

  /** The workspace scan's result for a file that is not open. */
  setFileFindings(uri: vscode.Uri, findings: Finding[]): void {
    const key = uri.toString();
    if (this.docs.has(key)) return; // the open document is the truth
    if (findings.length === 0) {
      if (!this.files.delete(key)) return;
    } else this.files.set(key, findings);
    this.publish(uri);
  }

  // -- showing -------------------------------------------------------------------------------------------------

  findingsOf(uri: vscode.Uri): Finding[] {
    const key = uri.toString();
    return this.docs.get(key)?.findings ?? this.files.get(key) ?? [];
  }

  /** Every file with a finding shown now, with its findings. */
  all(): [vscode.Uri, Finding[]][] {
    const out: [vscode.Uri, Finding[]][] = [];
    this.collection.forEach((uri) => out.push([uri, this.visible(uri)]));
    return out;
  }

  private ignoredIn(uri: vscode.Uri): Set<string> {
    const all = this.memento.get<Record<string, string[]>>(IGNORED_KEY, {});
    return new Set(all[uri.toString()] ?? []);
  }

  private visible(uri: vscode.Uri): Finding[] {
    const ignored = this.ignoredIn(uri);
    return this.findingsOf(uri).filter((f) => !ignored.has(f.fp));
  }

  private publish(uri: vscode.Uri): void {
    const shown = this.visible(uri);
    if (shown.length === 0) this.collection.delete(uri);
    else this.collection.set(uri, shown.map((f) => this.diagnostic(f)));
    this.changed.fire(uri);
  }

  private diagnostic(f: Finding): vscode.Diagnostic {
    const login = isLogin(f.inspection.kind);
    const message = login
      ? vscode.l10n.t('{0} in this file ({1}): a full login. Revoke it.', kindTitle(f.inspection.kind), f.label)
      : vscode.l10n.t('{0} in this file ({1}). Revoke it or move it to a secret.', kindTitle(f.inspection.kind), f.label);
    const d = new vscode.Diagnostic(
      new vscode.Range(f.line, f.startChar, f.line, f.endChar),
      message,
      login ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
    );
    d.source = DIAGNOSTIC_SOURCE;
    d.code = DIAGNOSTIC_CODE;
    return d;
  }

  findingAt(uri: vscode.Uri, pos: vscode.Position): Finding | undefined {
    return this.visible(uri).find((f) => f.line === pos.line && f.startChar <= pos.character && pos.character <= f.endChar);
  }

  /** The ranges of the (shown) findings that touch `range`. */
  findingsIn(uri: vscode.Uri, range: vscode.Range): vscode.Range[] {
    return this.visible(uri)
      .map((f) => new vscode.Range(f.line, f.startChar, f.line, f.endChar))
      .filter((r) => r.intersection(range) !== undefined);
  }

  private async hover(d: vscode.TextDocument, p: vscode.Position): Promise<vscode.Hover | undefined> {
    const f = this.findingAt(d.uri, p);
    if (!f) return undefined;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${kindTitle(f.inspection.kind)}** \`${f.label}\`\n\n`);
    md.appendText(kindSentence(f.inspection.kind));
    md.appendMarkdown('\n\n');
    for (const line of detailLines(f.inspection, this.names)) {
      md.appendMarkdown('- ');
      md.appendText(line);
      md.appendMarkdown('\n');
    }
    md.appendMarkdown('\n');
    md.appendText(trackedText(await gitTracked(d.uri)));
    md.appendMarkdown('\n\n_');
    md.appendText(offlineNote());
    md.appendMarkdown('_');
    return new vscode.Hover(md, new vscode.Range(f.line, f.startChar, f.line, f.endChar));
  }

  // -- acting ----------------------------------------------------------------------------------------------------

  /** The token's text at a finding, read from the document (or the file) now; undefined when it is gone. */
  async tokenTextAt(uri: vscode.Uri, range: vscode.Range): Promise<string | undefined> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const text = doc.getText(range);
    const found = findTokens(text);
    return found.length === 1 && found[0].start === 0 && found[0].end === text.length ? text : undefined;
  }

  async ignore(uri: vscode.Uri, range: vscode.Range): Promise<boolean> {
    const f = this.findingAt(uri, range.start);
    if (!f) return false;
    const all = { ...this.memento.get<Record<string, string[]>>(IGNORED_KEY, {}) };
    all[uri.toString()] = [...new Set([...(all[uri.toString()] ?? []), f.fp])];
    await this.memento.update(IGNORED_KEY, all);
    this.publish(uri);
    return true;
  }
}

/** What the Inspect command and the leaked-token flow show: title, then facts. Never the token. */
export function describeToken(tokenText: string, names: IdNames = {}): { title: string; detail: string; login: boolean } {
  const inspection = inspectToken(credentialOfText(tokenText));
  return {
    title: kindTitle(inspection.kind),
    detail: [kindSentence(inspection.kind), ...detailLines(inspection, names), offlineNote()].join('\n'),
    login: isLogin(inspection.kind),
  };
}
