// The house's floors, measured from the code's own imports: each room of src/ may import its own floor and the
// floors below, never above; no file imports itself back through a circle; the API rooms import no `vscode`.
import * as assert from 'assert';
import { readFileSync, readdirSync } from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', '..', 'src');

/** Lowest first. A room is a folder of src/ or a file directly in it (without .ts). */
const FLOORS: readonly (readonly string[])[] = [
  ['http'],
  ['fly', 'github'],
  ['commandIds', 'ui', 'settings', 'log', 'workspace', 'flyClients'],
  ['auth', 'model'],
  ['deps'],
  ['tree', 'minting'],
  ['commands', 'leaks'],
  ['extension'],
];
/** Imports allowed to run upward, with the reason. Keep it empty or say why. */
const ALLOWED_UPWARD: readonly string[] = [];
const NO_VSCODE = ['http', 'fly', 'github'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

const rel = (file: string) => path.relative(SRC, file).split(path.sep).join('/').replace(/\.ts$/, '');
const roomOf = (module: string) => module.split('/')[0];
const floorOf = (room: string) => FLOORS.findIndex((f) => f.includes(room));

interface Edge {
  from: string;
  to: string;
}

function imports(): { modules: string[]; edges: Edge[]; external: Map<string, string[]> } {
  const files = sources(SRC);
  const edges: Edge[] = [];
  const external = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const from = rel(file);
    for (const m of text.matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)) {
      const spec = m[1];
      if (spec.startsWith('.')) edges.push({ from, to: rel(path.resolve(path.dirname(file), spec) + '.ts') });
      else external.set(from, [...(external.get(from) ?? []), spec]);
    }
  }
  return { modules: files.map(rel), edges, external };
}

describe('the house: rooms, floors and imports of src/', () => {
  const { modules, edges, external } = imports();

  it('finds the code it measures', () => {
    assert.ok(modules.length >= 40, `only ${modules.length} modules found`);
    assert.ok(edges.length >= 100, `only ${edges.length} imports found`);
  });

  it('places every room on a floor', () => {
    const unplaced = [...new Set(modules.map(roomOf))].filter((r) => floorOf(r) < 0);
    assert.deepStrictEqual(unplaced, [], 'a new room: add it to FLOORS (and to STYLE/README)');
  });

  it('imports run downward (or within a floor)', () => {
    const upward = edges
      .filter((e) => floorOf(roomOf(e.to)) > floorOf(roomOf(e.from)))
      .map((e) => `${e.from} → ${e.to}`)
      .filter((e) => !ALLOWED_UPWARD.includes(e));
    assert.deepStrictEqual(upward, []);
    assert.ok(ALLOWED_UPWARD.length <= 1, 'at most one import may run back up');
  });

  it('has no circle of imports', () => {
    const next = new Map<string, string[]>();
    for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (m: string, trail: string[]) => {
      if (state.get(m) === 'done') return;
      if (state.get(m) === 'open') {
        circles.push([...trail.slice(trail.indexOf(m)), m].join(' → '));
        return;
      }
      state.set(m, 'open');
      for (const n of next.get(m) ?? []) visit(n, [...trail, m]);
      state.set(m, 'done');
    };
    for (const m of modules) visit(m, []);
    assert.deepStrictEqual(circles, []);
  });

  it('keeps vscode out of the API rooms, so they run (and are tested) in plain Node', () => {
    const offenders = [...external].filter(([m, specs]) => NO_VSCODE.includes(roomOf(m)) && specs.includes('vscode')).map(([m]) => m);
    assert.deepStrictEqual(offenders, []);
  });
});
