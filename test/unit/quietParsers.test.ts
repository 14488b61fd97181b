// Issue 11 item 10: reading flyctl's config.yml prints nothing. The YAML library's `parse` reports warnings through
// process.emitWarning, whose text quotes the line (here: the one with the token) into the extension host's log.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findFlyctlToken } from '../../src/fly/flyctlConfig';

const TOKEN = 'fo1_quietparsertestsecretvalue';

describe('quiet parsers: flyctl config.yml', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fly-quiet-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  async function read(text: string): Promise<{ result: Awaited<ReturnType<typeof findFlyctlToken>>; printed: string[] }> {
    await fs.writeFile(path.join(dir, 'config.yml'), text);
    const printed: string[] = [];
    const onWarning = (w: Error) => printed.push(w.message);
    const write = process.stderr.write.bind(process.stderr);
    process.on('warning', onWarning);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      printed.push(String(chunk));
      return write(chunk, ...rest);
    });
    try {
      const result = await findFlyctlToken({ FLY_CONFIG_DIR: dir }, os.homedir(), new Date());
      // process.emitWarning delivers on a later tick: give it one before looking.
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      return { result, printed };
    } finally {
      process.off('warning', onWarning);
      process.stderr.write = write;
    }
  }

  it('a tag the parser does not know (a warning, quoting the token line) prints nothing; the token is still read', async () => {
    const { result, printed } = await read(`access_token: !flyctl ${TOKEN}\nlast_login: 2030-01-01T00:00:00Z\n`);
    assert.deepEqual(printed, []);
    assert.ok('token' in result && result.token === TOKEN, JSON.stringify(Object.keys(result)));
  });

  it('a key that is a collection (toJS() warns, quoting the key) prints nothing; the token is still read', async () => {
    const { result, printed } = await read(`? [${TOKEN}x]\n: leaked\n{ k: ${TOKEN}y }: leaked\naccess_token: ${TOKEN}\n`);
    assert.deepEqual(printed, []);
    assert.ok('token' in result && result.token === TOKEN, JSON.stringify(Object.keys(result)));
  });

  it('an alias bomb prints nothing and is reported as a broken file', async () => {
    const bomb = ['a: &a [x, x]', ...Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)];
    const { result, printed } = await read(`${bomb.join('\n')}\naccess_token: ${TOKEN}\n`);
    assert.deepEqual(printed, []);
    assert.ok('error' in result && !result.error.includes(TOKEN), JSON.stringify(result));
  });

  it('a broken file prints nothing and its error names the file, never its contents', async () => {
    const { result, printed } = await read(`access_token: "${TOKEN}\n  : [\n`);
    assert.deepEqual(printed, []);
    assert.ok('error' in result);
    assert.match(result.error, /is not valid YAML/);
    assert.ok(!result.error.includes(TOKEN));
  });
});
