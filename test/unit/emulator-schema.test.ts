// The embedded SDL is a faithful subset of Fly's published schema, flyctl's documents are copied verbatim, and the
// emulator answers them the same way when it serves Fly's full schema.
import * as assert from 'node:assert/strict';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  parse,
  validate,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { startEmulator, type Emulator } from '../emulator';
import {
  CREATE_LIMITED_ACCESS_TOKEN,
  FLYCTL_DOCUMENTS,
  GET_APP_COMPACT,
  GET_APP_HOST_ISSUES,
  GET_APP_LIMITED_ACCESS_TOKENS,
  GET_CURRENT_USER,
  GET_ORG_LIMITED_ACCESS_TOKENS,
  GET_ORGANIZATION_BY_SLUG,
  GET_ORGANIZATIONS,
  REVOKE_LIMITED_ACCESS_TOKEN,
} from '../emulator/flyctlDocuments';
import { SUBSET_SDL } from '../emulator/schema';
import { postGraphql } from '../emulator/testRequests';
import { FLY_SCHEMA_PATH, flySchemaSdl, flyctlOperationsText } from '../support/flyApi';


function kind(t: GraphQLNamedType): string {
  if (isObjectType(t)) return 'object';
  if (isInterfaceType(t)) return 'interface';
  if (isInputObjectType(t)) return 'input';
  if (isEnumType(t)) return 'enum';
  if (isUnionType(t)) return 'union';
  return isScalarType(t) ? 'scalar' : 'other';
}

/** Every difference that would make a document valid against `ours` but not against `theirs`, or answered differently. */
function subsetProblems(ours: GraphQLSchema, theirs: GraphQLSchema): string[] {
  const problems: string[] = [];
  for (const root of ['getQueryType', 'getMutationType'] as const) {
    if (ours[root]()?.name !== theirs[root]()?.name) problems.push(`root ${root}: ${ours[root]()?.name} vs ${theirs[root]()?.name}`);
  }
  for (const type of Object.values(ours.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const other = theirs.getType(type.name);
    if (!other) {
      problems.push(`type ${type.name} missing`);
      continue;
    }
    if (kind(type) !== kind(other)) {
      problems.push(`type ${type.name}: ${kind(type)} vs ${kind(other)}`);
      continue;
    }
    if ((isObjectType(type) || isInterfaceType(type)) && (isObjectType(other) || isInterfaceType(other))) {
      const theirFields = other.getFields();
      const theirInterfaces = new Set(other.getInterfaces().map((i) => i.name));
      for (const i of type.getInterfaces()) {
        if (!theirInterfaces.has(i.name)) problems.push(`${type.name} implements ${i.name}: not in Fly's`);
      }
      for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
        const theirs = theirFields[field.name];
        if (!theirs) {
          problems.push(`${type.name}.${field.name} missing`);
          continue;
        }
        if (String(field.type) !== String(theirs.type)) {
          problems.push(`${type.name}.${field.name}: ${String(field.type)} vs ${String(theirs.type)}`);
        }
        const theirArgs = new Map(theirs.args.map((a) => [a.name, a]));
        for (const arg of field.args) {
          const t = theirArgs.get(arg.name);
          if (!t) problems.push(`${type.name}.${field.name}(${arg.name}) missing`);
          else if (String(arg.type) !== String(t.type) || arg.defaultValue !== t.defaultValue) {
            problems.push(`${type.name}.${field.name}(${arg.name}) differs`);
          }
        }
        for (const t of theirs.args) {
          if (!field.args.some((a) => a.name === t.name)) problems.push(`${type.name}.${field.name}(${t.name}) not in ours`);
        }
      }
    }
    if (isInputObjectType(type) && isInputObjectType(other)) {
      const a = Object.values(type.getFields()).map((f) => `${f.name}: ${String(f.type)}`).sort();
      const b = Object.values(other.getFields()).map((f) => `${f.name}: ${String(f.type)}`).sort();
      if (a.join() !== b.join()) problems.push(`input ${type.name} differs`);
    }
    if (isEnumType(type) && isEnumType(other)) {
      const a = type.getValues().map((v) => v.name).sort();
      const b = other.getValues().map((v) => v.name).sort();
      if (a.join() !== b.join()) problems.push(`enum ${type.name} differs`);
    }
  }
  return problems;
}

describe('emulator: schema', () => {
  const subset = buildSchema(SUBSET_SDL);

  it('every flyctl document validates against the embedded subset', () => {
    for (const doc of FLYCTL_DOCUMENTS) assert.deepEqual(validate(subset, parse(doc)).map(String), [], doc);
  });

  it('the subset check finds real differences (it can fail)', () => {
    const tampered = buildSchema(
      SUBSET_SDL.replace('expiresAt: ISO8601DateTime!', 'expiresAt: ISO8601DateTime').replace('viewer: Principal!', 'viewer: Principal!\n  bogus: Int'),
    );
    const problems = subsetProblems(tampered, subset);
    assert.ok(problems.some((p) => p.startsWith('LimitedAccessToken.expiresAt')));
    assert.ok(problems.includes('Queries.bogus missing'));
  });

  describe("against Fly's published schema", () => {
    it('the embedded SDL is a true subset: same types, fields, arguments and nullability', () => {
      const fly = buildSchema(flySchemaSdl());
      assert.deepEqual(subsetProblems(subset, fly), []);
    });

    it("the documents here are flyctl's, character for character", () => {
      const text = flyctlOperationsText();
      const lines = text.split('\n').filter((l) => /^(query|mutation)\b/.test(l) && !l.startsWith('mutation CreateLimitedAccessToken'));
      const block = /# BEGIN\n([\s\S]*?)# END/.exec(text)?.[1];
      assert.ok(block);
      const documents = [...lines, block];
      assert.equal(documents.length, FLYCTL_DOCUMENTS.length);
      assert.deepEqual([...documents].sort(), [...FLYCTL_DOCUMENTS].sort());
      assert.ok(CREATE_LIMITED_ACCESS_TOKEN.startsWith('\nmutation') && CREATE_LIMITED_ACCESS_TOKEN.endsWith('}\n'));
    });

    describe('an emulator serving the full schema (schemaPath)', () => {
      let full: Emulator;
      let small: Emulator;
      const token = 'fo1_same-token-for-both-emulators-0123456789';
      before(async () => {
        full = await startEmulator({ schemaPath: FLY_SCHEMA_PATH, token });
        small = await startEmulator({ token });
      });
      after(async () => {
        await full.close();
        await small.close();
      });

      /** Drops what is random or time-dependent: macaroon roots, secrets, timestamps. */
      function normalise(value: unknown): unknown {
        if (Array.isArray(value)) return value.map(normalise);
        if (value && typeof value === 'object') {
          return Object.fromEntries(
            Object.entries(value).map(([k, v]) => [k, k === 'token' || k === 'tokenHeader' ? typeof v : normalise(v)]),
          );
        }
        return typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value) ? 'timestamp' : value;
      }

      it('answers every flyctl document like the subset does', async () => {
        const auth = `Bearer ${token}`;
        const cases: [string, Record<string, unknown> | null, string?][] = [
          [GET_CURRENT_USER, null],
          [GET_APP_COMPACT, { appName: 'acme-web' }],
          [GET_APP_COMPACT, { appName: 'missing' }],
          [GET_ORGANIZATION_BY_SLUG, { slug: 'acme' }],
          [GET_ORGANIZATIONS, { admin: false }],
          [GET_APP_LIMITED_ACCESS_TOKENS, { appName: 'demo-app' }],
          [GET_ORG_LIMITED_ACCESS_TOKENS, { slug: 'acme' }],
          [GET_APP_HOST_ISSUES, { appName: 'demo-app' }],
          [
            CREATE_LIMITED_ACCESS_TOKEN,
            { name: 'n', organizationId: full.world.org('acme')?.id, profile: 'deploy', profileParams: { app_id: full.world.app('acme-api')?.id }, expiry: '720h0m0s' },
            'CreateLimitedAccessToken',
          ],
          [REVOKE_LIMITED_ACCESS_TOKEN, { input: { id: full.world.tokens()[0].id } }],
          [REVOKE_LIMITED_ACCESS_TOKEN, { input: { id: 'unknown' } }],
        ];
        for (const [query, variables, operationName] of cases) {
          const a = await postGraphql(full.url, auth, query, variables, operationName);
          const b = await postGraphql(small.url, auth, query, variables, operationName);
          assert.equal(a.status, 200);
          assert.deepEqual(normalise(a.json), normalise(b.json), query);
          assert.ok(a.json.data !== undefined, query);
        }
        const header = full.world.mintedHeaders()[0];
        assert.ok(/^FlyV1 fm2_/.test(header), 'minted header');
        const asMacaroon = await postGraphql(full.url, header, GET_CURRENT_USER);
        assert.deepEqual(asMacaroon.json, { data: { viewer: { email: 'demo@example.com' } } });
      });

      it('validates against the full schema (fields only Fly has validate; unserved ones resolve to errors, not crashes)', async () => {
        const r = await postGraphql(full.url, `Bearer ${token}`, 'query { app(name: "demo-app") { name currentRelease { version } } }');
        assert.equal(r.status, 200);
        assert.equal((r.json.data?.app as { name: string }).name, 'demo-app');
        const bad = await postGraphql(full.url, `Bearer ${token}`, 'query { app(name: "demo-app") { nope } }');
        assert.match(bad.json.errors?.[0].message ?? '', /Cannot query field "nope" on type "App"/);
      });
    });
  });
});
