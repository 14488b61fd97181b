import * as assert from 'node:assert/strict';
import { GraphQLSchema, OperationTypeNode, buildSchema, parse, validate } from 'graphql';
import * as docs from '../../src/fly/documents';
import { flySchemaSdl, flyctlOperationsText } from '../support/flyApi';
import { LOG_OUT } from '../emulator/flyctlDocuments';

const fixed: [string, string, string][] = [
  [docs.VIEWER_OPERATION, docs.VIEWER_DOCUMENT, 'query'],
  [docs.APP_OPERATION, docs.APP_DOCUMENT, 'query'],
  [docs.ORGANIZATIONS_OPERATION, docs.ORGANIZATIONS_DOCUMENT, 'query'],
  [docs.ORG_TOKENS_OPERATION, docs.ORG_TOKENS_DOCUMENT, 'query'],
  [docs.CREATE_TOKEN_OPERATION, docs.CREATE_TOKEN_DOCUMENT, 'mutation'],
  [docs.LOG_OUT_OPERATION, docs.LOG_OUT_DOCUMENT, 'mutation'],
  [docs.TOKEN_PROBE_OPERATION, docs.TOKEN_PROBE_DOCUMENT, 'query'],
  [`${docs.ORG_REVIEW_OPERATION} tokens+members`, docs.orgReviewDocument([{ index: 0, what: 'tokens' }, { index: 0, what: 'members' }]), 'query'],
  [
    `${docs.ORG_REVIEW_OPERATION} mixed rounds`,
    docs.orgReviewDocument([{ index: 1, what: 'members' }, { index: 3, what: 'tokens' }, { index: 4, what: 'tokens' }, { index: 4, what: 'members' }]),
    'query',
  ],
];
const aliasCounts = [1, 2, 3, 5, 17, 100];
const built: [string, string, string][] = aliasCounts.flatMap((n): [string, string, string][] => [
  [`${docs.APP_TOKENS_OPERATION} ×${n}`, docs.appTokensDocument(n), 'query'],
  [`${docs.REVOKE_TOKENS_OPERATION} ×${n}`, docs.revokeTokensDocument(n), 'mutation'],
]);

describe('GraphQL documents', () => {
  describe('validate against Fly’s published schema', () => {
    let schema: GraphQLSchema;
    before(() => {
      schema = buildSchema(flySchemaSdl());
    });
    for (const [what, text] of [...fixed, ...built]) {
      it(what, () => {
        const errors = validate(schema, parse(text));
        assert.deepEqual(errors.map((e) => e.message), []);
      });
    }
  });

  it('each document holds exactly one named operation of the right kind', () => {
    for (const [what, text, kind] of [...fixed, ...built]) {
      const ops = parse(text).definitions;
      assert.equal(ops.length, 1, what);
      const op = ops[0];
      assert.ok(op && op.kind === 'OperationDefinition', what);
      assert.equal(op.operation, kind === 'query' ? OperationTypeNode.QUERY : OperationTypeNode.MUTATION, what);
      assert.ok(op.name?.value, `${what} is named`);
    }
  });

  it('aliased documents carry app names and ids only as variables', () => {
    const text = docs.appTokensDocument(3);
    assert.match(text, /a0: app\(name: \$n0\)/);
    assert.match(text, /a2: app\(name: \$n2\)/);
    assert.match(text, /limitedAccessTokens\(first: 50, after: \$c1\)/);
    assert.doesNotMatch(text, /"/, 'no string literal in the document');
    const revoke = docs.revokeTokensDocument(2);
    assert.match(revoke, /r1: deleteLimitedAccessToken\(input: \$i1\) \{ token \}/);
    assert.doesNotMatch(revoke, /"/);
  });

  it("LogOut is flyctl's document, byte for byte as genqlient sends it", () => {
    const lines = flyctlOperationsText().split('\n');
    const start = lines.indexOf('#   mutation LogOut {');
    assert.ok(start > 0, 'operations.graphql has LogOut');
    const body = lines.slice(start, start + 5).map((l) => l.replace(/^# {3}/, ''));
    assert.equal(LOG_OUT, `\n${body.join('\n')}\n`);
    assert.equal(docs.LOG_OUT_DOCUMENT, LOG_OUT);
  });

  it('refuses alias counts below one', () => {
    assert.throws(() => docs.appTokensDocument(0), RangeError);
    assert.throws(() => docs.revokeTokensDocument(-1), RangeError);
  });

  it('token lists read every field TokenInfo needs', () => {
    for (const text of [docs.ORG_TOKENS_DOCUMENT, docs.appTokensDocument(1)]) {
      for (const field of ['id', 'name', 'profile', 'profileParams', 'createdAt', 'expiresAt', 'revokedAt', 'revokedBy', 'user { email }', 'pageInfo { hasNextPage endCursor }']) {
        assert.ok(text.includes(field), `${field} in ${text.slice(0, 30)}…`);
      }
    }
  });

  it('token lists ask for nothing the client does not read, in pages smaller than Fly allows', () => {
    for (const text of [docs.ORG_TOKENS_DOCUMENT, docs.appTokensDocument(2), docs.orgReviewDocument([{ index: 0, what: 'tokens' }])]) {
      assert.doesNotMatch(text, /totalCount/, text.slice(0, 30));
      assert.match(text, new RegExp(`limitedAccessTokens\\(first: ${docs.TOKEN_PAGE_SIZE},`));
    }
    assert.ok(docs.TOKEN_PAGE_SIZE < 100);
  });
});
