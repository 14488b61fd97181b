import * as assert from 'assert';
import { parse } from 'yaml';
import { isFlyWorkflowName, workflowProblem } from '../../src/github/workflow';
import { deployWorkflow } from '../../src/github/workflowYaml';
import { describeHours, lifetimeHours, rotatedName } from '../../src/github/rotation';

/** The parts of a generated workflow these tests read. */
interface Workflow {
  on: { push: { branches: string[] } };
  jobs: { deploy: { environment?: string; steps: { uses?: string; run?: string; env?: Record<string, string> }[] } };
}

describe('deploy workflow text', () => {
  it('deploys on push to the default branch with the secret, and --config when fly.toml is not at the root', () => {
    const text = deployWorkflow({ branch: 'trunk', secretName: 'FLY_TOKEN_WEB', configPath: 'web/fly.staging.toml' });
    const doc = parse(text) as Workflow;
    assert.deepStrictEqual(doc.on, { push: { branches: ['trunk'] } });
    const steps = doc.jobs.deploy.steps;
    assert.deepStrictEqual(steps.map((s) => s.uses ?? s.run), [
      'actions/checkout@v4',
      'superfly/flyctl-actions/setup-flyctl@master',
      'flyctl deploy --remote-only --config web/fly.staging.toml',
    ]);
    assert.deepStrictEqual(steps[2].env, { FLY_API_TOKEN: '${{ secrets.FLY_TOKEN_WEB }}' });
    assert.strictEqual(doc.jobs.deploy.environment, undefined);
  });

  it('has no --config for a root fly.toml, quotes odd names, and names the environment of an environment secret', () => {
    const text = deployWorkflow({ branch: 'on', secretName: 'FLY_API_TOKEN', configPath: 'fly.toml', environment: 'prod env' });
    const doc = parse(text) as Workflow;
    assert.deepStrictEqual(doc.on.push.branches, ['on']);
    assert.strictEqual(doc.jobs.deploy.environment, 'prod env');
    assert.strictEqual(doc.jobs.deploy.steps[2].run, 'flyctl deploy --remote-only');
    const quoted = parse(deployWorkflow({ branch: 'main', secretName: 'X', configPath: 'my app/fly.toml' })) as Workflow;
    assert.strictEqual(quoted.jobs.deploy.steps[2].run, "flyctl deploy --remote-only --config 'my app/fly.toml'");
  });

  it('cannot be injected: a value with a line break, control or hidden character, or "${{" is refused', () => {
    const ok = { branch: 'main', secretName: 'FLY_API_TOKEN', configPath: 'web/fly.toml', environment: 'production' };
    assert.strictEqual(workflowProblem(ok), undefined);
    const cases: [Partial<typeof ok>, string][] = [
      [{ branch: 'main\n  pull_request:' }, 'branch'],
      [{ branch: 'main # x' }, 'branch'],
      [{ branch: 'ma\u2028in' }, 'branch'],
      [{ secretName: 'X }}\n        run: curl evil' }, 'secretName'],
      [{ secretName: 'GITHUB_TOKEN' }, 'secretName'],
      [{ configPath: "a'\n      - run: curl evil #/fly.toml" }, 'configPath'],
      [{ configPath: '${{ secrets.OTHER }}/fly.toml' }, 'configPath'],
      [{ configPath: 'a\u202Eb/fly.toml' }, 'configPath'],
      [{ environment: 'prod\r\n    permissions: write-all' }, 'environment'],
    ];
    for (const [change, field] of cases) {
      assert.strictEqual(workflowProblem({ ...ok, ...change }), field, JSON.stringify(change));
      assert.throws(() => deployWorkflow({ ...ok, ...change }), RangeError);
    }
  });

  it('writes every value as a quoted scalar: odd but allowed values keep the structure', () => {
    const text = deployWorkflow({ branch: "feat/it's-#1:yes", secretName: 'FLY_API_TOKEN', configPath: 'my "app"/fly.toml', environment: 'prod: env #2' });
    const doc = parse(text) as Workflow;
    assert.deepStrictEqual(Object.keys(doc), ['name', 'on', 'jobs']);
    assert.deepStrictEqual(doc.on.push.branches, ["feat/it's-#1:yes"]);
    assert.strictEqual(doc.jobs.deploy.environment, 'prod: env #2');
    assert.strictEqual(doc.jobs.deploy.steps[2].run, `flyctl deploy --remote-only --config 'my "app"/fly.toml'`);
    assert.deepStrictEqual(Object.keys(doc.jobs.deploy.steps[2]), ['run', 'env']);
    assert.match(text, /^ {6}- "feat\/it's-#1:yes"$/m);
    assert.match(text, /^ {10}FLY_API_TOKEN: "\$\{\{ secrets\.FLY_API_TOKEN \}\}"$/m);
  });

  it('recognises Fly workflows by name', () => {
    assert.deepStrictEqual(['fly-deploy.yml', 'Fly.yaml', 'deploy.yml', 'fly.txt'].map(isFlyWorkflowName), [true, true, false, false]);
  });
});

describe('rotation helpers', () => {
  const now = new Date(2031, 4, 6, 12);
  it('replaces the date in the name, or appends one', () => {
    assert.strictEqual(rotatedName('demo-app-deploy-2030-01-02', now), 'demo-app-deploy-2031-05-06');
    assert.strictEqual(rotatedName('2029-01-01 ci 2030-01-02', now), '2029-01-01 ci 2031-05-06');
    assert.strictEqual(rotatedName('github actions', now), 'github actions-2031-05-06');
    assert.strictEqual(rotatedName('  ', now), 'deploy-2031-05-06');
  });
  it('measures the old lifetime in hours', () => {
    assert.strictEqual(lifetimeHours('2030-01-01T00:00:00Z', '2030-03-31T23:59:40Z'), 90 * 24);
    assert.strictEqual(lifetimeHours('2030-01-01T00:00:00Z', '2030-01-01T00:10:00Z'), 1);
    assert.strictEqual(lifetimeHours('bad', '2030-01-01T00:00:00Z'), undefined);
    assert.strictEqual(lifetimeHours('2030-01-02T00:00:00Z', '2030-01-01T00:00:00Z'), undefined);
    assert.deepStrictEqual([describeHours(2160), describeHours(8760), describeHours(24), describeHours(36)], ['90 days', '1 year', '1 day', '36 hours']);
  });
});
