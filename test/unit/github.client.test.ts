import * as assert from 'assert';
import { GitHubClient } from '../../src/github/client';
import { GitHubError } from '../../src/github/errors';
import { sealSecret } from '../../src/github/seal';
import { startFakeGitHub, type FakeGitHub } from '../github/fakeGitHub';

const repo = { host: 'github.com', owner: 'acme', repo: 'web' };
const VALUE = 'FlyV1 fm2_lJPECAAAAAAAtestvalue,fm2_lJPEsecond';

describe('GitHub client against the fake GitHub API', () => {
  let fake: FakeGitHub;
  let client: GitHubClient;
  before(async () => {
    fake = await startFakeGitHub();
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.reset();
    fake.addRepo('acme/web', { environments: ['production', 'staging'], defaultBranch: 'trunk' });
    client = new GitHubClient({ token: fake.token, baseUrl: fake.url, userAgent: 'fly-deploy-tokens-test/1' });
  });

  async function put(name: string, environment?: string): Promise<'created' | 'updated'> {
    const key = await client.publicKey({ repo, environment });
    return client.putSecret({ repo, environment }, name, sealSecret(VALUE, key.key), key.keyId);
  }

  it('sends the GitHub headers and a Bearer token', async () => {
    assert.deepStrictEqual(await client.user(), { login: 'octo-dev' });
    const r = fake.requests[0];
    assert.deepStrictEqual([r.method, r.path, r.status, r.authorized, r.accept, r.apiVersion, r.userAgent], [
      'GET', '/user', 200, true, 'application/vnd.github+json', '2022-11-28', 'fly-deploy-tokens-test/1',
    ]);
  });

  it('creates (201) then updates (204) a repository secret; the fake opens exactly the value', async () => {
    assert.strictEqual(await put('FLY_API_TOKEN'), 'created');
    assert.strictEqual(fake.secret('acme/web', 'FLY_API_TOKEN'), VALUE);
    assert.strictEqual(await put('FLY_API_TOKEN'), 'updated');
    assert.deepStrictEqual(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`), [
      'GET /repos/acme/web/actions/secrets/public-key 200',
      'PUT /repos/acme/web/actions/secrets/FLY_API_TOKEN 201',
      'GET /repos/acme/web/actions/secrets/public-key 200',
      'PUT /repos/acme/web/actions/secrets/FLY_API_TOKEN 204',
    ]);
  });

  it('lists environments and sets an environment secret (its own key pair)', async () => {
    assert.deepStrictEqual(await client.environments(repo), ['production', 'staging']);
    const repoKey = await client.publicKey({ repo });
    const envKey = await client.publicKey({ repo, environment: 'production' });
    assert.notStrictEqual(repoKey.key, envKey.key);
    assert.strictEqual(await put('FLY_API_TOKEN', 'production'), 'created');
    assert.strictEqual(fake.secret('acme/web', 'FLY_API_TOKEN', 'production'), VALUE);
    assert.strictEqual(fake.secret('acme/web', 'FLY_API_TOKEN'), undefined);
    assert.deepStrictEqual(await client.repository(repo), { defaultBranch: 'trunk' });
  });

  it('a value sealed to another key is refused (422), naming the secret', async () => {
    const key = await client.publicKey({ repo });
    const otherKey = await client.publicKey({ repo, environment: 'staging' });
    await assert.rejects(client.putSecret({ repo }, 'FLY_API_TOKEN', sealSecret(VALUE, otherKey.key), key.keyId), (e: GitHubError) => {
      assert.strictEqual(e.kind, 'invalid');
      assert.match(e.message, /GitHub rejected the secret "FLY_API_TOKEN": Bad request - the encrypted value could not be decrypted/);
      return true;
    });
    assert.strictEqual(fake.secret('acme/web', 'FLY_API_TOKEN'), undefined);
  });

  const cases: [string, () => Promise<unknown>, RegExp, string][] = [
    ['401 bad token', () => new GitHubClient({ token: 'gho_wrong', baseUrl: fake.url, userAgent: 't' }).user(), /did not accept your GitHub sign-in/, 'unauthorized'],
    ['403 missing repo scope', () => new GitHubClient({ token: fake.addToken(['read:user']), baseUrl: fake.url, userAgent: 't' }).publicKey({ repo }), /write \(collaborator\) access to the repository and a token with the "repo" scope/, 'forbidden'],
    ['404 unknown repository', () => client.publicKey({ repo: { ...repo, repo: 'nope' } }), /no repository acme\/nope that this account can see/, 'notFound'],
    ['404 unknown environment', () => client.publicKey({ repo, environment: 'qa' }), /no environment "qa" in acme\/web/, 'notFound'],
    ['422 bad name', () => put('GITHUB_TOKEN'), /GitHub rejected the secret "GITHUB_TOKEN"/, 'invalid'],
  ];
  for (const [title, call, message, kind] of cases) {
    it(`${title} → a clear error without the token`, async () => {
      await assert.rejects(call(), (e: GitHubError) => {
        assert.ok(e instanceof GitHubError);
        assert.strictEqual(e.kind, kind);
        assert.match(e.message, message);
        assert.ok(!e.message.includes(fake.token) && !/gho_/.test(e.message), e.message);
        return true;
      });
    });
  }

  it('write (collaborator) access is enough to set a secret; admin is not needed (GitHub docs)', async () => {
    fake.addRepo('acme/team', { permission: 'write' });
    const team = { ...repo, repo: 'team' };
    const key = await client.publicKey({ repo: team });
    assert.strictEqual(await client.putSecret({ repo: team }, 'FLY_API_TOKEN', sealSecret(VALUE, key.key), key.keyId), 'created');
    assert.strictEqual(fake.secret('acme/team', 'FLY_API_TOKEN'), VALUE);
  });

  it('403 for read access, saying write access is needed', async () => {
    fake.addRepo('acme/other', { permission: 'read' });
    await assert.rejects(client.publicKey({ repo: { ...repo, repo: 'other' } }), (e: GitHubError) => {
      assert.strictEqual(e.kind, 'forbidden');
      assert.match(e.message, /needs write \(collaborator\) access/);
      return true;
    });
  });

  it('a 403 with retry-after is GitHub’s secondary rate limit, not a permission problem', async () => {
    fake.failNext(1, 403, { method: 'GET' }, { 'retry-after': '30' });
    await assert.rejects(client.publicKey({ repo }), (e: GitHubError) => {
      assert.strictEqual(e.kind, 'rateLimited');
      assert.strictEqual(e.message, 'GitHub is limiting how fast requests may be made. Try again in 30 s.');
      return true;
    });
  });

  it('a 429, or a 403 with x-ratelimit-remaining 0 (primary limit), is a rate limit; a plain 403 is not', async () => {
    fake.failNext(1, 429, { method: 'GET' });
    await assert.rejects(client.publicKey({ repo }), (e: GitHubError) => e.kind === 'rateLimited');
    fake.failNext(1, 403, { method: 'GET' }, { 'x-ratelimit-remaining': '0' });
    await assert.rejects(client.publicKey({ repo }), (e: GitHubError) => e.kind === 'rateLimited');
    fake.failNext(1, 403, { method: 'GET' });
    await assert.rejects(client.publicKey({ repo }), (e: GitHubError) => e.kind === 'forbidden');
  });

  it('a PUT answered 500 is not retried and may have succeeded; a 422 certainly did not', async () => {
    const key = await client.publicKey({ repo });
    fake.failNext(1, 500, { method: 'PUT' });
    await assert.rejects(client.putSecret({ repo }, 'FLY_API_TOKEN', sealSecret(VALUE, key.key), key.keyId), (e: GitHubError) => {
      assert.deepStrictEqual([e.kind, e.mayHaveSucceeded], ['server', true]);
      assert.match(e.message, /may or may not have been written/);
      return true;
    });
    assert.strictEqual(fake.requests.filter((r) => r.method === 'PUT').length, 1, 'exactly one PUT');
    fake.failNext(1, 422, { method: 'PUT' });
    await assert.rejects(client.putSecret({ repo }, 'FLY_API_TOKEN', sealSecret(VALUE, key.key), key.keyId), (e: GitHubError) => !e.mayHaveSucceeded);
  });

  it('an unreachable GitHub → network error naming the host, PUT flagged as maybe written', async () => {
    const closed = await startFakeGitHub();
    const url = closed.url;
    await closed.close();
    const c = new GitHubClient({ token: fake.token, baseUrl: url, userAgent: 't' });
    await assert.rejects(c.putSecret({ repo }, 'X', 'AAAA', '1'), (e: GitHubError) => {
      assert.deepStrictEqual([e.kind, e.mayHaveSucceeded], ['network', true]);
      assert.match(e.message, /Could not reach GitHub at 127\.0\.0\.1:\d+/);
      return true;
    });
  });

  it('a rate limit 403 says so', async () => {
    fake.failNext(1, 403, { path: '/user' }, { 'x-ratelimit-remaining': '0' });
    await assert.rejects(client.user(), (e: GitHubError) => e.kind === 'rateLimited' && /limiting how fast/.test(e.message));
  });
});
