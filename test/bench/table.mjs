// Turns what the bench sessions measured into the table `npm run bench` prints (Markdown, ready to paste) and
// lists every measurement that is missing. Goals and flyctl's counts (fly-api NOTES §4) live here.

const KB = 1000;

/** flyctl's requests for the same action: `fly tokens list -a` once per app, create = app lookup + mutation, revoke = one per id. */
const REQUEST_ROWS = [
  { id: 'list1', measure: 'Requests: list tokens, 1 app', goal: 1, flyctl: 1 },
  { id: 'list5', measure: 'Requests: list tokens, 5 apps', goal: 1, flyctl: 5 },
  { id: 'list20', measure: 'Requests: list tokens, 20 apps', goal: 1, flyctl: 20 },
  { id: 'createWarm', measure: 'Requests: create deploy token (app in the tree)', goal: 1, flyctl: 2 },
  { id: 'createCold', measure: 'Requests: create deploy token (app typed, not in the tree)', goal: 2, flyctl: 2 },
  { id: 'revoke1', measure: 'Requests: revoke 1 token', goal: 1, flyctl: 1 },
  { id: 'revoke10', measure: 'Requests: revoke 10 selected tokens', goal: 1, flyctl: 10 },
];

const ms = (/** @type {number} */ n) => `${n.toFixed(1)} ms`;
const count = (/** @type {number} */ n) => n.toLocaleString('en-US');
const kb = (/** @type {number} */ bytes) => `${(bytes / KB).toFixed(1)} KB`;

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** @param {number[]} values */
function spread(values, format = ms) {
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
}

const verdict = (/** @type {boolean} */ ok) => (ok ? 'pass' : 'FAIL');

/** @typedef {{measure: string, ours: string, goal: string, flyctl: string, result: string}} Row */
/**
 * What scripts/bench.mjs gathered. Sessions come as JSON from the extension host (test/bench/results.ts): a step's
 * value has the shape its measurement gave it, hence `any` there.
 * @typedef {{sizes?: {extensionJs: number, vsix: number, onDemand: Record<string, number>},
 *   client?: {list: Record<number, number>, createWarm: number, createCold: number, revoke1: number, revoke10: number},
 *   sessions?: {mode: string, error?: string, loadAverage?: number, steps?: Record<string, {value: any} | {error: string}>}[]}} BenchReport
 */

/**
 * @param {BenchReport} report what scripts/bench.mjs gathered: sizes, client, sessions[]
 * @param {number} sessions how many fresh hosts were asked for
 * @returns {{rows: Row[], missing: string[]}}
 */
export function buildRows(report, sessions) {
  /** @type {Row[]} */
  const rows = [];
  /** @type {string[]} */
  const missing = [];
  /** @type {(measure: string, ours: string, goal: string, flyctl: string, result: string) => void} */
  const row = (measure, ours, goal, flyctl, result) => void rows.push({ measure, ours, goal, flyctl, result });
  /** @type {(measure: string, goal: string, flyctl: string, why: string) => void} */
  const notMeasured = (measure, goal, flyctl, why) => {
    missing.push(`${measure}: ${why}`);
    row(measure, 'not measured', goal, flyctl, 'n/a');
  };
  const full = (report.sessions ?? []).find((s) => s.mode === 'full');
  /** @returns {{value: any} | {error: string}} */
  const step = (/** @type {string} */ id) => {
    const s = full?.steps?.[id];
    if (s) return s;
    const setUp = full?.steps?.setUp;
    return { error: full ? `${(setUp && 'error' in setUp ? setUp.error : undefined) ?? full.error ?? 'not run'}` : 'no VS Code session ran' };
  };

  for (const r of REQUEST_ROWS) {
    const s = step(r.id);
    if ('error' in s) notMeasured(r.measure, String(r.goal), String(r.flyctl), s.error);
    else row(r.measure, String(s.value.count), String(r.goal), String(r.flyctl), verdict(s.value.count <= r.goal));
  }

  const c = report.client;
  if (c) {
    const list = [c.list[1], c.list[5], c.list[20]];
    row('Requests, FlyClient in plain Node: list 1 / 5 / 20 apps', list.join(' / '), '1 / 1 / 1', '1 / 5 / 20', verdict(list.every((n) => n <= 1)));
    row('Requests, FlyClient: create (app known / by name)', `${c.createWarm} / ${c.createCold}`, '1 / 2', '2 / 2', verdict(c.createWarm <= 1 && c.createCold <= 2));
    row('Requests, FlyClient: revoke 1 / 10 tokens', `${c.revoke1} / ${c.revoke10}`, '1 / 1', '1 / 10', verdict(c.revoke1 <= 1 && c.revoke10 <= 1));
  } else {
    notMeasured('Requests, FlyClient in plain Node', '1', '—', 'the client-level run failed');
  }

  /** @type {import('./results.ts').ActivationTiming[]} */
  const activations = (report.sessions ?? [])
    .map((s) => s.steps?.activation)
    .flatMap((s) => (s && 'value' in s ? [s.value] : []));
  const activationErrors = (report.sessions ?? [])
    .map((s) => {
      const a = s.steps?.activation;
      return (a && 'error' in a ? a.error : undefined) ?? s.error;
    })
    .filter(Boolean);
  const marked = activations.flatMap((a) => (a.codeLoadMs !== null && a.activateCallMs !== null ? [a.codeLoadMs + a.activateCallMs] : []));
  const hosts = `median of ${activations.length} fresh hosts`;
  if (activations.length < sessions || activations.length < 5) {
    const why = `${activations.length} of ${sessions} fresh activations measured${activationErrors.length ? `: ${activationErrors.join('; ')}` : ''}`;
    notMeasured('Activation in the extension host', '≤ 15 ms', '—', why);
  } else {
    const wall = activations.map((a) => a.wallMs);
    // The goal is the extension's own cost, as VS Code's Running Extensions view counts it (code loading + activate());
    // the wall-clock row adds what VS Code does around it (extension context, storage) and is shown for context.
    if (marked.length === activations.length) {
      row(`Activation as VS Code counts it: load + activate() (${hosts}, 1 ms marks)`, spread(marked), '≤ 15 ms', '—', verdict(median(marked) <= 15));
    } else {
      notMeasured('Activation as VS Code counts it', '≤ 15 ms', '—', "VS Code's performance marks were not found in the extension host");
    }
    row(`Activation, wall clock around extension.activate(), VS Code's set-up included (${hosts})`, spread(wall), '—', '—', '—');
    row(`Activation, CPU time of the extension host during extension.activate() (${hosts})`, spread(activations.map((a) => a.cpuMs)), '—', '—', '—');
  }

  const sz = report.sizes;
  if (sz) {
    row('Size: dist/extension.js (production, as shipped)', `${kb(sz.extensionJs)} (${sz.extensionJs} B)`, '≤ 150 KB', '—', verdict(sz.extensionJs <= 150 * KB));
    for (const [file, size] of Object.entries(sz.onDemand)) {
      // Only a module list that holds extension.js itself proves the check could see our files.
      const seen = activations.filter((a) => a.loadedFiles?.includes('dist/extension.js'));
      const loaded = seen.filter((a) => a.loadedFiles.includes(file)).length;
      const checked = seen.length;
      const note = checked ? (loaded ? `loaded at ${loaded} of ${checked} activations` : 'not loaded at activation') : 'activation not checked';
      row(`Size: ${file} (on demand; ${note})`, `${kb(size)} (${size} B)`, 'not loaded at activation', '—', checked ? verdict(loaded === 0) : 'n/a');
    }
    row('Size: .vsix from `npm run package`', `${kb(sz.vsix)} (${sz.vsix} B)`, '≤ 250 KB', '—', verdict(sz.vsix <= 250 * KB));
  } else {
    notMeasured('Sizes of the bundle and the .vsix', '≤ 150 KB / ≤ 250 KB', '—', 'the build or the packaging failed');
  }

  const tree = step('tree1000');
  if ('error' in tree) notMeasured('Tree rows for 1,000 tokens', '≤ 100 ms', '—', tree.error);
  else {
    const runs = tree.value.runsMs.length;
    row(`Tree: rows for ${count(tree.value.rows)} tokens of one app (median of ${runs})`, spread(tree.value.runsMs), '≤ 100 ms', '—', verdict(tree.value.medianMs <= 100));
    row(`Tree: the same, CPU time (median of ${runs})`, spread(tree.value.cpuRunsMs), '—', '—', '—');
  }

  const disc = step('discovery2000');
  if ('error' in disc) notMeasured('Discover 2,000 fly.toml files', '—', '—', disc.error);
  else row(`Discover ${count(disc.value.files)} fly.toml files in one folder tree (median of ${disc.value.runsMs.length})`, spread(disc.value.runsMs), '—', '—', '—');

  const leakScan = step('leakScan10k');
  if ('error' in leakScan) notMeasured('Find Fly Tokens in Workspace, 10,000 files', '≤ 5 s', '—', leakScan.error);
  else {
    const v = leakScan.value;
    row(
      `Find Fly Tokens in Workspace: ${count(v.files)} files, ${v.found} tokens ` +
        `(median of ${v.runsMs.length}; longest extension-host stall ${ms(v.maxStallMs)})`,
      spread(v.runsMs),
      '≤ 5 s',
      '—',
      verdict(median(v.runsMs) <= 5000),
    );
  }

  const signIn = step('signIn');
  if ('error' in signIn) notMeasured('Requests: sign in (paste), 2 apps, one of 2 pages', '1 + pages', '—', signIn.error);
  else {
    const pages = signIn.value.pages;
    const ok = signIn.value.count === 1 + Math.max(pages, 1) && signIn.value.operations.filter((/** @type {string} */ o) => o === 'Viewer').length === 1;
    row(
      `Requests: sign in (paste) with 2 apps, ${signIn.value.latencyMs} ms latency: viewer + one listing`,
      `${signIn.value.count} (${signIn.value.operations.join(', ')})`,
      '1 + pages',
      '—',
      verdict(ok && pages <= 2),
    );
    if (typeof signIn.value.firstRowMs === 'number') {
      row(
        `Sign-in → first token row, ${signIn.value.latencyMs} ms latency (paste, Enter to the row)`,
        ms(signIn.value.firstRowMs),
        '≤ 400 ms',
        '—',
        verdict(signIn.value.firstRowMs <= 400),
      );
    } else notMeasured('Sign-in → first token row at 100 ms latency', '≤ 400 ms', '—', 'not recorded by this bench suite');
  }

  const slow = step('list1000Slow');
  if ('error' in slow) notMeasured('List 1,000 tokens, 50 ms per request', '—', '—', slow.error);
  else row(`List ${count(slow.value.rows)} tokens of one app, ${slow.value.latencyMs} ms latency per request`, `${ms(slow.value.ms)}, ${slow.value.count} requests`, '—', '1 request, unpaged', '—');

  const paint = step('firstPaint');
  if ('error' in paint) notMeasured('First paint on a window reload, 100 ms latency', '—', '—', paint.error);
  else {
    const runs = paint.value.withCacheMs.length;
    const what = `First token row on a window reload, ${paint.value.latencyMs} ms latency (median of ${runs})`;
    row(`${what}: last listing kept`, spread(paint.value.withCacheMs), '< without', '—', verdict(paint.value.withCacheMedianMs < paint.value.withoutCacheMedianMs));
    row(`${what}: nothing kept`, spread(paint.value.withoutCacheMs), '—', '—', '—');
  }

  const clip = step('createToClipboard');
  if ('error' in clip) notMeasured('Create → token in the clipboard', '—', '—', clip.error);
  else row(`Create → token in the clipboard (median of ${clip.value.runsMs.length})`, spread(clip.value.runsMs), '—', '—', '—');

  return { rows, missing };
}

/**
 * A Markdown table with aligned columns.
 * @param {Row[]} rows
 */
export function formatTable(rows) {
  /** @type {Row} */
  const header = { measure: 'Measure', ours: 'Ours', goal: 'Goal', flyctl: 'flyctl', result: 'Result' };
  const keys = /** @type {(keyof Row)[]} */ (Object.keys(header));
  const width = Object.fromEntries(keys.map((k) => [k, Math.max(...[header, ...rows].map((r) => r[k].length))]));
  const line = (/** @type {Row} */ r) => `| ${keys.map((k) => r[k].padEnd(width[k])).join(' | ')} |`;
  return [line(header), `|${keys.map((k) => '-'.repeat(width[k] + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
