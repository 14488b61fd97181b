// The request log: what it records, and that no token ever reaches it (in memory, over HTTP, or in the --log file).
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator';
import { CREATE_LIMITED_ACCESS_TOKEN, GET_APP_COMPACT, GET_CURRENT_USER, REVOKE_LIMITED_ACCESS_TOKEN } from '../emulator/flyctlDocuments';
import { postGraphql } from '../emulator/testRequests';

describe('emulator: request log', () => {
  let emu: Emulator;
  let dir: string;
  let logFile: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'emulator-log-'));
    logFile = join(dir, 'requests.jsonl');
    emu = await startEmulator({ logFile });
  });
  after(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records each request with operation, variables, redacted auth, status and fault', async () => {
    const auth = `Bearer ${emu.demoToken}`;
    await postGraphql(emu.url, auth, GET_CURRENT_USER);
    const app = await postGraphql(emu.url, auth, GET_APP_COMPACT, { appName: 'demo-app' });
    const compact = app.json.data?.appcompact as { id: string; organization: { id: string } };
    const created = await postGraphql(
      emu.url,
      auth,
      CREATE_LIMITED_ACCESS_TOKEN,
      { name: 'ci', organizationId: compact.organization.id, profile: 'deploy', profileParams: { app_id: compact.id }, expiry: '720h0m0s' },
      'CreateLimitedAccessToken',
    );
    const header = ((created.json.data?.createLimitedAccessToken as Record<string, Record<string, string>>).limitedAccessToken).tokenHeader;
    assert.ok(/^FlyV1 fm2_/.test(header), 'minted header');
    await postGraphql(emu.url, header, GET_CURRENT_USER);
    await postGraphql(emu.url, header.replace('FlyV1 ', ''), GET_CURRENT_USER);
    await postGraphql(emu.url, 'Bearer fo1_wrong-token-value', GET_CURRENT_USER);
    await postGraphql(emu.url, 'Bearer ', GET_CURRENT_USER);
    await postGraphql(emu.url, null, GET_CURRENT_USER);
    // Someone pasting a token into a document or a variable: scrubbed as well.
    await postGraphql(emu.url, auth, REVOKE_LIMITED_ACCESS_TOKEN, { input: { token: header, revokedBy: emu.demoToken } });
    await postGraphql(emu.url, auth, `query { app(name: "${emu.demoToken}") { id } }`);
    emu.faults.next(1, { status: 503 });
    await postGraphql(emu.url, auth, GET_CURRENT_USER);

    const log = emu.graphqlRequests();
    assert.equal(log.length, 11);
    assert.deepEqual(
      log.map((r) => [r.operationName, r.authorization, r.status, r.fault ?? null]),
      [
        [null, 'Bearer <redacted>', 200, null],
        [null, 'Bearer <redacted>', 200, null],
        ['CreateLimitedAccessToken', 'Bearer <redacted>', 200, null],
        [null, 'FlyV1 <redacted>', 200, null],
        [null, '<redacted>', 200, null],
        [null, 'Bearer <redacted>', 200, null],
        [null, 'Bearer', 200, null],
        [null, '', 200, null],
        [null, 'Bearer <redacted>', 200, null],
        [null, 'Bearer <redacted>', 200, null],
        [null, 'Bearer <redacted>', 503, '503'],
      ],
    );
    assert.equal(log[2].query, CREATE_LIMITED_ACCESS_TOKEN);
    assert.deepEqual(log[2].variables, { name: 'ci', organizationId: compact.organization.id, profile: 'deploy', profileParams: { app_id: compact.id }, expiry: '720h0m0s' });
    assert.deepEqual(log[1].variables, { appName: 'demo-app' });
    assert.equal(log[0].variables, null);
    assert.equal(log[0].method, 'POST');
    assert.ok(!Number.isNaN(Date.parse(log[0].time)));
    assert.deepEqual(log[8].variables, { input: { token: 'FlyV1 <redacted>,<redacted>', revokedBy: '<redacted>' } });

    const secrets = [emu.demoToken, ...emu.world.users().map((u) => u.token), ...emu.world.tokens().flatMap((t) => [t.header, ...t.header.slice(6).split(',')]), 'fo1_wrong-token-value'];
    const inMemory = JSON.stringify(emu.requests);
    const overHttp = await (await fetch(`${emu.url}/__emulator/requests`)).text();
    const file = readFileSync(logFile, 'utf8');
    assert.equal(file.trim().split('\n').length, 11);
    assert.deepEqual(JSON.parse(file.trim().split('\n')[2]), JSON.parse(JSON.stringify(log[2])));
    for (const secret of secrets) {
      for (const [where, text] of [['memory', inMemory], ['http', overHttp], ['file', file]]) {
        assert.equal(text.includes(secret), false, `a token leaked into the ${where} log`);
      }
    }
    assert.ok(!/fo1_|fm2_/.test(file));
  });

  it('clearRequests() empties the log in place', async () => {
    const ref = emu.requests;
    await postGraphql(emu.url, `Bearer ${emu.demoToken}`, GET_CURRENT_USER);
    assert.ok(ref.length > 0);
    emu.clearRequests();
    assert.equal(ref.length, 0);
    assert.equal(emu.requests, ref);
  });
});
