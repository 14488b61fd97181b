// The GitHub Actions workflows contributors see (they cannot run here): each parses, every `uses:` is pinned to a
// full commit SHA with its version in a comment (or at least an exact version tag), every npm script a `run:`
// names exists in package.json, CI runs what the README promises, and a release's registry tokens reach only the
// step that publishes with them.
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const DIR = path.join(ROOT, '.github', 'workflows');
const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on'?: string;
  uses?: string;
  env?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  on: unknown;
  jobs: Record<string, Job>;
}

/** What is wrong with one `uses:` value and the comment after it on its line; undefined when it is pinned. */
export function pinProblem(uses: string, comment = ''): string | undefined {
  if (uses.startsWith('./')) return undefined; // an action or workflow of this repository
  if (uses.startsWith('docker://')) return /@sha256:[0-9a-f]{64}$/.test(uses) ? undefined : `${uses}: pin the image by digest`;
  const at = uses.lastIndexOf('@');
  if (at < 0) return `${uses}: no version`;
  const ref = uses.slice(at + 1);
  if (/^[0-9a-f]{40}$/.test(ref)) {
    return /^#\s*v?\d+\.\d+\.\d+\b/.test(comment.trim()) ? undefined : `${uses}: a SHA needs its version in a comment (# vX.Y.Z)`;
  }
  if (/^v?\d+\.\d+\.\d+$/.test(ref)) return undefined; // an exact tag
  return `${uses}: "${ref}" moves; pin a full commit SHA (# vX.Y.Z) or an exact version tag`;
}

/** Every npm command in a `run:` script, with what is wrong with it (a script package.json lacks, …). */
export function npmProblems(run: string, known: Record<string, string>): string[] {
  const problems: string[] = [];
  // npm's own commands a workflow may use; `npm test`/`npm start` run package.json scripts.
  const builtins = new Set(['ci', 'install', 'i', 'exec', 'pack', 'version', 'config', 'ls', 'view', 'whoami']);
  const lifecycle = new Set(['test', 't', 'start', 'stop', 'restart']);
  for (const m of run.matchAll(/(?<![\w./-])npm[ \t]+((?:-{1,2}[\w-]+(?:=\S+)?[ \t]+)*)([\w:.-]+)(?:[ \t]+((?:-{1,2}[\w-]+(?:=\S+)?[ \t]+)*)([\w:.-]+))?/g)) {
    const command = m[2];
    if (command === 'run' || command === 'run-script') {
      const name = m[4];
      if (!name) problems.push(`"${m[0].trim()}": which script?`);
      else if (!(name in known)) problems.push(`npm run ${name}: no such script in package.json`);
    } else if (lifecycle.has(command)) {
      const name = command === 't' ? 'test' : command;
      if (!(name in known)) problems.push(`npm ${command}: no "${name}" script in package.json`);
    } else if (!builtins.has(command)) {
      problems.push(`npm ${command}: not a script runner this check knows (use npm run <script>)`);
    }
  }
  return problems;
}

function load(file: string): { text: string; workflow: Workflow } {
  const text = readFileSync(path.join(DIR, file), 'utf8');
  const doc = parseDocument(text);
  assert.deepEqual(doc.errors.map((e) => e.message), [], `${file} does not parse`);
  return { text, workflow: doc.toJS() as Workflow };
}

const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps ?? []);

describe('GitHub Actions workflows', () => {
  for (const file of files) {
    describe(file, () => {
      const { text, workflow } = load(file);

      it('pins every action to a commit SHA with its version in a comment, or to an exact tag', () => {
        // Comments are gone once parsed: pins are read from the lines, and their count checked against the parse.
        const lines = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*['"]?([^\s'"#]+)['"]?\s*(#.*)?$/gm)];
        const parsed = [
          ...Object.values(workflow.jobs).flatMap((j) => (j.uses ? [j.uses] : [])),
          ...steps(workflow).flatMap((s) => (s.uses ? [s.uses] : [])),
        ];
        assert.deepEqual(lines.map((m) => m[1]).sort(), [...parsed].sort(), 'a `uses:` line the scan did not read');
        const problems = lines.map((m) => pinProblem(m[1], m[2] ?? '')).filter(Boolean);
        assert.deepEqual(problems, []);
      });

      it('names only npm scripts that package.json has', () => {
        const runs = steps(workflow).flatMap((s) => (s.run ? [s.run] : []));
        assert.deepEqual(runs.flatMap((r) => npmProblems(r, scripts)), []);
      });
    });
  }

  describe('ci.yml', () => {
    const { workflow } = load('ci.yml');
    const all = steps(workflow);
    const runs = all.map((s) => s.run ?? '').join('\n');

    // Not restated here: triggers, Node version, install and test commands (the workflow file says them itself).
    it('keeps a piped step\'s exit status, and lets desktop VS Code start its sandbox', () => {
      // Desktop VS Code (Electron) cannot start its sandbox on Ubuntu 24.04 unless user namespaces are allowed.
      const images = Object.values(workflow.jobs).map((j) => j['runs-on'] ?? '');
      if (images.some((i) => /ubuntu-(24|latest)/.test(i))) assert.match(runs, /kernel\.apparmor_restrict_unprivileged_userns=0/);
      // Their exit status must survive the `| tee`: bash as GitHub starts it has pipefail on.
      for (const s of all.filter((x) => x.run?.includes('| tee'))) assert.equal(s.shell, 'bash', `${s.name}: tee without shell: bash`);
    });
  });

  describe('release.yml', () => {
    const { text, workflow } = load('release.yml');
    const all = steps(workflow);

    it('publishes to the Marketplace and Open VSX only when their secrets are set', () => {
      for (const [script, secret] of [['publish:vsce', 'VSCE_PAT'], ['publish:ovsx', 'OVSX_PAT']] as const) {
        const step = all.find((s) => s.run?.includes(`npm run ${script}`));
        assert.ok(step, `no step runs npm run ${script}`);
        assert.equal(step.env?.[secret], `\${{ secrets.${secret} }}`, `${script} gets ${secret} from the secrets`);
        // The condition reads a job-level flag made from the secret (steps' `if:` cannot read secrets).
        const flag = /env\.(\w+) == 'true'/.exec(step.if ?? '')?.[1];
        assert.ok(flag, `${script} runs unconditionally: ${step.if}`);
        const jobEnv = Object.values(workflow.jobs).find((j) => j.steps?.includes(step))?.env ?? {};
        assert.equal(jobEnv[flag], `\${{ secrets.${secret} != '' }}`);
      }
    });

    it('hands a registry token to the step that publishes with it and to no other', () => {
      for (const secret of ['VSCE_PAT', 'OVSX_PAT']) {
        const uses = [...text.matchAll(new RegExp(`secrets\\.${secret}\\b[^}]*`, 'g'))].map((m) => m[0].trim());
        // One comparison for the job's flag, one value in the publishing step's env.
        assert.deepEqual(uses.sort(), [`secrets.${secret}`, `secrets.${secret} != ''`].sort(), `${secret}: ${uses.join(' | ')}`);
        const holders = all.filter((s) => Object.values(s.env ?? {}).some((v) => v.includes(`secrets.${secret}`)));
        assert.equal(holders.length, 1, `${secret} reaches ${holders.length} steps`);
      }
    });
  });
});

describe('the workflow checks themselves', () => {
  it('reject moving refs and SHAs without a version, accept SHAs with one and exact tags', () => {
    const sha = 'a'.repeat(40);
    assert.match(pinProblem('actions/checkout@v4') ?? '', /moves/);
    assert.match(pinProblem('actions/checkout@main') ?? '', /moves/);
    assert.match(pinProblem('actions/checkout') ?? '', /no version/);
    assert.match(pinProblem(`actions/checkout@${sha}`) ?? '', /comment/);
    assert.equal(pinProblem(`actions/checkout@${sha}`, '# v4.2.2'), undefined);
    assert.equal(pinProblem('actions/checkout@v4.2.2'), undefined);
    assert.equal(pinProblem('./.github/actions/setup'), undefined);
    assert.match(pinProblem('docker://node:20') ?? '', /digest/);
  });

  it('find npm scripts package.json lacks, and accept npm ci / npm test', () => {
    const known = { test: 'x', package: 'y', 'test:electron': 'z' };
    assert.deepEqual(npmProblems('npm ci\nnpm test\nxvfb-run -a npm run test:electron', known), []);
    assert.deepEqual(npmProblems('npm run --silent package && npm run nope', known), ['npm run nope: no such script in package.json']);
    assert.deepEqual(npmProblems('npm start', known), ['npm start: no "start" script in package.json']);
    assert.equal(npmProblems('npm frobnicate', known).length, 1);
    assert.deepEqual(npmProblems('npx ovsx publish; pnpm run nope', known), []);
  });
});
