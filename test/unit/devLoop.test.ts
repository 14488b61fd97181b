// The developer's loop: F5 stays out of the developer's own profile, and new in-VS-Code suites are found by name.
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { suiteOrder } from '../vscode/suites';

const ROOT = join(__dirname, '..', '..');

interface LaunchConfig {
  name: string;
  type: string;
  args?: string[];
  env?: Record<string, string | null>;
}

/** launch.json is JSON with comments (whole-line `//` comments here). */
function launchConfigs(): LaunchConfig[] {
  const text = readFileSync(join(ROOT, '.vscode', 'launch.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  return (JSON.parse(text) as { configurations: LaunchConfig[] }).configurations;
}

describe('F5 launch configurations', () => {
  const configs = launchConfigs().filter((c) => c.type === 'extensionHost');

  it('are all extension hosts with a profile of their own under .cache/', () => {
    assert.ok(configs.length >= 3, configs.map((c) => c.name).join(', '));
    const dirs = new Set<string>();
    for (const c of configs) {
      const arg = (name: string) => c.args?.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
      const userData = arg('user-data-dir');
      assert.match(userData ?? '', /^\$\{workspaceFolder\}\/\.cache\/f5\/[\w-]+\/user-data$/, `${c.name}: --user-data-dir`);
      assert.match(arg('extensions-dir') ?? '', /^\$\{workspaceFolder\}\/\.cache\/f5\/[\w-]+\/extensions$/, `${c.name}: --extensions-dir`);
      assert.equal(arg('password-store'), 'basic', `${c.name}: keeps the secret storage key out of the keyring`);
      dirs.add(userData!);
    }
    assert.equal(dirs.size, configs.length, 'one profile per configuration');
  });

  it('give flyctl an empty config dir of their own and drop the developer’s Fly variables', () => {
    for (const c of configs) {
      assert.match(c.env?.FLY_CONFIG_DIR ?? '', /^\$\{workspaceFolder\}\/\.cache\/f5\/[\w-]+\/fly-config$/, `${c.name}: FLY_CONFIG_DIR`);
      assert.equal(c.env?.FLY_API_TOKEN, null, `${c.name}: FLY_API_TOKEN removed`);
      assert.equal(c.env?.FLY_ACCESS_TOKEN, null, `${c.name}: FLY_ACCESS_TOKEN removed`);
      const base = c.env?.FLY_API_BASE_URL;
      assert.ok(base === null || /^http:\/\/127\.0\.0\.1:\d+$/.test(base ?? ''), `${c.name}: FLY_API_BASE_URL is removed or loopback`);
    }
  });

  it('Extension Tests start from an emptied profile and run the suite there', () => {
    const tests = configs.find((c) => c.args?.some((a) => a.startsWith('--extensionTestsPath=')));
    assert.ok(tests, 'no configuration runs the suite');
    assert.ok(tests.args?.includes('--disable-extensions'));
    const tasks = JSON.parse(readFileSync(join(ROOT, '.vscode', 'tasks.json'), 'utf8')) as {
      tasks: { label: string; args?: string[]; dependsOn?: string[] }[];
    };
    const pre = tasks.tasks.find((t) => t.label === (tests as { preLaunchTask?: string }).preLaunchTask);
    assert.ok(pre?.dependsOn, 'its preLaunchTask empties the profile, then builds');
    const wipe = tasks.tasks.find((t) => t.label === pre.dependsOn![0]);
    assert.match(wipe?.args?.join(' ') ?? '', /rmSync\('\.cache\/f5\/tests'/);
  });
});

describe('in-VS-Code suites are found by name', () => {
  const files = readdirSync(join(ROOT, 'test', 'vscode'));

  it('every test/vscode/*.test.ts runs, smoke first and leaks last; untrusted only in Restricted Mode', () => {
    const order = suiteOrder(files, false);
    const all = files.filter((f) => f.endsWith('.test.ts')).map((f) => f.replace(/\.test\.ts$/, ''));
    assert.deepEqual([...order, 'untrusted'].sort(), [...all].sort());
    assert.equal(order[0], 'smoke');
    assert.equal(order.at(-1), 'leaks');
    assert.deepEqual(suiteOrder(files, true), ['untrusted']);
  });

  it('a new suite file is picked up without editing a list', () => {
    assert.deepEqual(suiteOrder(['smoke.test.ts', 'leaks.test.ts', 'zebra.test.ts', 'alpha.test.ts', 'helper.ts'], false), [
      'smoke',
      'alpha',
      'zebra',
      'leaks',
    ]);
  });
});
