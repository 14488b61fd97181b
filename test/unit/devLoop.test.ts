// The developer's loop: F5 windows never see the developer's Fly account, and new in-VS-Code suites are found by name.
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
  const configs = launchConfigs();
  const hosts = configs.filter((c) => c.type === 'extensionHost');

  // Only what keeps a developer's real Fly account out of a test window; the rest of launch.json speaks for itself.
  it('give flyctl an empty config dir of their own and drop the developer’s Fly variables', () => {
    assert.ok(hosts.length > 0, 'no extension host launch configuration');
    for (const c of hosts) {
      assert.match(c.env?.FLY_CONFIG_DIR ?? '', /^\$\{workspaceFolder\}\/\.cache\/f5\/[\w/-]*fly-config$/, `${c.name}: FLY_CONFIG_DIR`);
      assert.equal(c.env?.FLY_API_TOKEN, null, `${c.name}: FLY_API_TOKEN removed`);
      assert.equal(c.env?.FLY_ACCESS_TOKEN, null, `${c.name}: FLY_ACCESS_TOKEN removed`);
      const base = c.env?.FLY_API_BASE_URL;
      assert.ok(base === null || /^http:\/\/127\.0\.0\.1:\d+$/.test(base ?? ''), `${c.name}: FLY_API_BASE_URL is removed or loopback`);
    }
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
