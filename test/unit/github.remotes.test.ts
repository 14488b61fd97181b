import * as assert from 'assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseGitHubRemote, secretsPageUrl } from '../../src/github/remotes';
import { parseGitConfig, readCheckout, remoteDefaultBranch } from '../../src/github/gitConfig';
import { secretNameProblem } from '../../src/github/secretName';

describe('GitHub remotes', () => {
  const table: [string, string | undefined][] = [
    ['https://github.com/acme/web.git', 'github.com/acme/web'],
    ['https://github.com/acme/web', 'github.com/acme/web'],
    ['https://github.com/acme/web/', 'github.com/acme/web'],
    ['https://www.github.com/Acme/My.Repo.git', 'github.com/Acme/My.Repo'],
    ['https://x-access-token:secret123@github.com/acme/web.git', 'github.com/acme/web'],
    ['http://github.com/acme/web.git', 'github.com/acme/web'],
    ['git@github.com:acme/web.git', 'github.com/acme/web'],
    ['git@github.com:acme/web', 'github.com/acme/web'],
    ['github.com:acme/web.git', 'github.com/acme/web'],
    ['ssh://git@github.com/acme/web.git', 'github.com/acme/web'],
    ['ssh://git@github.com:22/acme/web.git', 'github.com/acme/web'],
    ['git+ssh://git@github.com/acme/web.git', 'github.com/acme/web'],
    ['git://github.com/acme/web.git', 'github.com/acme/web'],
    ['https://octo.ghe.com/team/svc.git', 'octo.ghe.com/team/svc'],
    ['git@GHE.example.com:team/svc.git', 'ghe.example.com/team/svc'],
    ['https://ghe.example.com/team/svc', 'ghe.example.com/team/svc'],
    ['https://gitlab.com/acme/web.git', undefined],
    ['git@bitbucket.org:acme/web.git', undefined],
    ['https://github.com/acme', undefined],
    ['https://github.com/acme/web/tree/main', undefined],
    ['https://github.com/-bad/web', undefined],
    ['/srv/git/web.git', undefined],
    ['file:///srv/git/web.git', undefined],
    ['../web', undefined],
    ['', undefined],
  ];
  for (const [remote, expected] of table) {
    it(`${remote || '(empty)'} → ${expected ?? 'not GitHub'}`, () => {
      const r = parseGitHubRemote(remote, ['ghe.example.com']);
      assert.strictEqual(r ? `${r.host}/${r.owner}/${r.repo}` : undefined, expected);
    });
  }

  it('never keeps user info from the URL', () => {
    const r = parseGitHubRemote('https://user:ghp_abcdef@github.com/acme/web.git');
    assert.ok(r);
    assert.doesNotMatch(JSON.stringify(r), /ghp_|user/);
  });

  it('links the secrets page on the repository host', () => {
    assert.strictEqual(secretsPageUrl({ host: 'github.com', owner: 'acme', repo: 'web' }), 'https://github.com/acme/web/settings/secrets/actions');
    assert.strictEqual(secretsPageUrl({ host: 'ghe.example.com', owner: 't', repo: 's' }), 'https://ghe.example.com/t/s/settings/secrets/actions');
  });
});

describe('git config', () => {
  it('reads remotes, comments, quoting and insteadOf rewrites', () => {
    const remotes = parseGitConfig(
      [
        '[core]',
        '\trepositoryformatversion = 0',
        '[remote "origin"]',
        '\turl = gh:acme/web.git ; comment',
        '\tfetch = +refs/heads/*:refs/remotes/origin/*',
        '# [remote "commented"]',
        '[remote "upstream"]',
        '\turl = "https://github.com/upstream/web.git"',
        '[url "git@github.com:"]',
        '\tinsteadOf = gh:',
      ].join('\n'),
    );
    assert.deepStrictEqual(remotes, [
      { name: 'origin', url: 'git@github.com:acme/web.git' },
      { name: 'upstream', url: 'https://github.com/upstream/web.git' },
    ]);
  });

  it('finds the checkout from a subfolder, follows a .git file, and reads origin/HEAD', async () => {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gitcfg-'));
    try {
      await fs.mkdir(path.join(tmp, 'repo', '.git', 'refs', 'remotes', 'origin'), { recursive: true });
      await fs.mkdir(path.join(tmp, 'repo', 'apps', 'web'), { recursive: true });
      await fs.writeFile(path.join(tmp, 'repo', '.git', 'config'), '[remote "origin"]\n  url = git@github.com:acme/mono.git\n');
      await fs.writeFile(path.join(tmp, 'repo', '.git', 'refs', 'remotes', 'origin', 'HEAD'), 'ref: refs/remotes/origin/trunk\n');
      const found = await readCheckout(path.join(tmp, 'repo', 'apps', 'web'));
      assert.deepStrictEqual(found, { root: path.join(tmp, 'repo'), remotes: [{ name: 'origin', url: 'git@github.com:acme/mono.git' }] });
      assert.strictEqual(await remoteDefaultBranch(path.join(tmp, 'repo')), 'trunk');

      // a worktree: .git is a file pointing at <common>/worktrees/x, whose commondir leads to the shared config
      await fs.mkdir(path.join(tmp, 'repo', '.git', 'worktrees', 'wt'), { recursive: true });
      await fs.writeFile(path.join(tmp, 'repo', '.git', 'worktrees', 'wt', 'commondir'), '../..\n');
      await fs.mkdir(path.join(tmp, 'wt'));
      await fs.writeFile(path.join(tmp, 'wt', '.git'), `gitdir: ${path.join(tmp, 'repo', '.git', 'worktrees', 'wt')}\n`);
      const wt = await readCheckout(path.join(tmp, 'wt'));
      assert.deepStrictEqual(wt?.remotes.map((r) => r.url), ['git@github.com:acme/mono.git']);
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  });
});

describe('secret names', () => {
  const table: [string, boolean][] = [
    ['FLY_API_TOKEN', true],
    ['fly_api_token', true],
    ['_X', true],
    ['A1', true],
    ['', false],
    ['FLY-API-TOKEN', false],
    ['FLY API TOKEN', false],
    ['1TOKEN', false],
    ['GITHUB_TOKEN', false],
    ['github_fly', false],
    ['ÄTOKEN', false],
  ];
  for (const [name, ok] of table) {
    it(`"${name}" is ${ok ? 'valid' : 'refused'}`, () => assert.strictEqual(secretNameProblem(name) === undefined, ok, secretNameProblem(name)));
  }
});
