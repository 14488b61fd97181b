import { strict as assert } from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findFlyctlToken, flyctlConfigPath } from '../../src/fly/flyctlConfig';

const FILE_TOKEN = 'fo1_filetoken_abcdefghijklmnopqrstuvwxyz0123456789';
const DAY = 24 * 60 * 60 * 1000;

function recent(daysAgo = 1): string {
  return new Date(Date.now() - daysAgo * DAY).toISOString();
}

describe('findFlyctlToken', () => {
  let home: string;

  beforeEach(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'flyctl-home-'));
  });

  afterEach(async () => {
    await fs.rm(home, { recursive: true, force: true });
  });

  async function writeConfig(dir: string, text: string): Promise<string> {
    await fs.mkdir(dir, { recursive: true });
    const file = path.join(dir, 'config.yml');
    await fs.writeFile(file, text, { mode: 0o600 });
    return file;
  }

  function assertNoToken(result: unknown): string {
    assert.ok(result && typeof result === 'object' && 'error' in result, `expected an error, got ${JSON.stringify(result)}`);
    const message = (result as { error: string }).error;
    assert.ok(!message.includes(FILE_TOKEN), 'the error must not contain the token');
    assert.match(message, /fly auth login/);
    return message;
  }

  describe('environment precedence (as flyctl)', () => {
    const table: { env: NodeJS.ProcessEnv; expect: { token: string; source: string } | 'file' }[] = [
      { env: { FLY_ACCESS_TOKEN: 'access', FLY_API_TOKEN: 'api' }, expect: { token: 'access', source: 'FLY_ACCESS_TOKEN' } },
      { env: { FLY_API_TOKEN: 'api' }, expect: { token: 'api', source: 'FLY_API_TOKEN' } },
      { env: { FLY_ACCESS_TOKEN: 'access' }, expect: { token: 'access', source: 'FLY_ACCESS_TOKEN' } },
      // Set-but-empty FLY_ACCESS_TOKEN wins the lookup, hides FLY_API_TOKEN, and then means "no env token".
      { env: { FLY_ACCESS_TOKEN: '', FLY_API_TOKEN: 'api' }, expect: 'file' },
      { env: { FLY_API_TOKEN: '' }, expect: 'file' },
      { env: {}, expect: 'file' },
      {
        env: { FLY_API_TOKEN: 'FlyV1 fm2_abc,fm2_def' },
        expect: { token: 'FlyV1 fm2_abc,fm2_def', source: 'FLY_API_TOKEN' },
      },
    ];
    for (const row of table) {
      it(`${JSON.stringify(row.env)} → ${row.expect === 'file' ? 'config file' : row.expect.source}`, async () => {
        await writeConfig(path.join(home, '.fly'), `access_token: ${FILE_TOKEN}\nlast_login: ${recent()}\n`);
        const result = await findFlyctlToken(row.env, home);
        if (row.expect === 'file') {
          assert.deepEqual(result, { token: FILE_TOKEN, source: 'config', path: path.join(home, '.fly', 'config.yml') });
        } else {
          assert.deepEqual(result, row.expect);
        }
      });
    }
  });

  it('reads $FLY_CONFIG_DIR/config.yml instead of ~/.fly when FLY_CONFIG_DIR is set', async () => {
    await writeConfig(path.join(home, '.fly'), `access_token: wrong_one\nlast_login: ${recent()}\n`);
    const custom = path.join(home, 'elsewhere', 'fly');
    const file = await writeConfig(custom, `access_token: ${FILE_TOKEN}\nlast_login: ${recent()}\n`);
    const result = await findFlyctlToken({ FLY_CONFIG_DIR: custom }, home);
    assert.deepEqual(result, { token: FILE_TOKEN, source: 'config', path: file });
    assert.equal(flyctlConfigPath({ FLY_CONFIG_DIR: custom }, home), file);
  });

  it('treats an empty FLY_CONFIG_DIR as unset', () => {
    assert.equal(flyctlConfigPath({ FLY_CONFIG_DIR: '' }, home), path.join(home, '.fly', 'config.yml'));
  });

  it('reads a file written the way flyctl writes it (other keys, Go timestamp with nanoseconds)', async () => {
    const goTime = recent(2).replace(/\.(\d{3})Z$/, '.$1456789+00:00');
    await writeConfig(
      path.join(home, '.fly'),
      [
        `access_token: ${FILE_TOKEN}`,
        'metrics_token: fm2_metrics',
        'send_metrics: true',
        'auto_update: true',
        `last_login: ${goTime}`,
        'wire_guard_state: {}',
        '',
      ].join('\n'),
    );
    const result = await findFlyctlToken({}, home);
    assert.deepEqual(result, { token: FILE_TOKEN, source: 'config', path: path.join(home, '.fly', 'config.yml') });
  });

  it('says where it looked when there is no config file', async () => {
    const message = assertNoToken(await findFlyctlToken({}, home));
    assert.match(message, /~\/\.fly\/config\.yml/);
    assert.match(message, /does not exist/);
  });

  it('names the FLY_CONFIG_DIR path in full when it is outside the home directory', async () => {
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'flyctl-cfg-'));
    try {
      const message = assertNoToken(await findFlyctlToken({ FLY_CONFIG_DIR: outside }, home));
      assert.ok(message.includes(path.join(outside, 'config.yml')), message);
    } finally {
      await fs.rm(outside, { recursive: true, force: true });
    }
  });

  it('reports a config file without access_token', async () => {
    await writeConfig(path.join(home, '.fly'), `send_metrics: false\nlast_login: ${recent()}\n`);
    assert.match(assertNoToken(await findFlyctlToken({}, home)), /no access_token/);
  });

  it('reports an empty access_token and an empty file as "no login"', async () => {
    await writeConfig(path.join(home, '.fly'), `access_token: ""\nlast_login: ${recent()}\n`);
    assert.match(assertNoToken(await findFlyctlToken({}, home)), /no access_token/);
    await writeConfig(path.join(home, '.fly'), '');
    assert.match(assertNoToken(await findFlyctlToken({}, home)), /no access_token/);
  });

  it('reports malformed YAML without quoting the file (it holds the token)', async () => {
    await writeConfig(path.join(home, '.fly'), `access_token: ${FILE_TOKEN}\n  bad: [unclosed\n: : :\n`);
    const message = assertNoToken(await findFlyctlToken({}, home));
    assert.match(message, /not valid YAML/);
  });

  it('reports a YAML document that is not a mapping', async () => {
    await writeConfig(path.join(home, '.fly'), `- ${FILE_TOKEN}\n`);
    assert.match(assertNoToken(await findFlyctlToken({}, home)), /not a flyctl config file/);
  });

  it('reports an unreadable config path (a directory) with its error code', async () => {
    await fs.mkdir(path.join(home, '.fly', 'config.yml'), { recursive: true });
    const result = await findFlyctlToken({}, home);
    assert.ok('error' in result);
    assert.match(result.error, /Could not read ~\/\.fly\/config\.yml \(EISDIR\)/);
  });

  describe('last_login (flyctl refuses file tokens older than 30 days)', () => {
    const cases: { name: string; lastLogin: string | null; stale: boolean }[] = [
      { name: 'yesterday', lastLogin: recent(1), stale: false },
      { name: '29 days ago', lastLogin: recent(29), stale: false },
      { name: '31 days ago', lastLogin: recent(31), stale: true },
      { name: 'missing', lastLogin: null, stale: true },
      { name: 'unreadable', lastLogin: 'not a date', stale: true },
    ];
    for (const c of cases) {
      it(`${c.name} → ${c.stale ? 'stale' : 'fresh'}`, async () => {
        const lines = [`access_token: ${FILE_TOKEN}`];
        if (c.lastLogin !== null) lines.push(`last_login: "${c.lastLogin}"`);
        await writeConfig(path.join(home, '.fly'), lines.join('\n') + '\n');
        const result = await findFlyctlToken({}, home);
        assert.ok('token' in result, JSON.stringify(result));
        assert.equal(result.token, FILE_TOKEN);
        assert.equal(result.stale === true, c.stale);
      });
    }

    it('measures age from the given clock', async () => {
      await writeConfig(path.join(home, '.fly'), `access_token: ${FILE_TOKEN}\nlast_login: 2025-01-01T00:00:00Z\n`);
      const fresh = await findFlyctlToken({}, home, new Date('2025-01-20T00:00:00Z'));
      const old = await findFlyctlToken({}, home, new Date('2025-03-01T00:00:00Z'));
      assert.ok('token' in fresh && 'token' in old);
      assert.equal(fresh.stale, undefined);
      assert.equal(old.stale, true);
    });

    it('never marks env tokens stale', async () => {
      const result = await findFlyctlToken({ FLY_API_TOKEN: 'api' }, home);
      assert.deepEqual(result, { token: 'api', source: 'FLY_API_TOKEN' });
    });
  });
});
