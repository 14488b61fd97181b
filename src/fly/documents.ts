// The GraphQL documents FlyClient sends, verbatim. User input (app names, slugs, ids) only ever travels in variables.

/** Organizations and members per page: the most Fly's connections hand out in one go. */
export const PAGE_SIZE = 100;

/**
 * Tokens per page of a token list. Fly's token lists are slow on its side: fly-go dropped `limitedAccessTokens`
 * from its app and org queries because "the query fails sometimes" (flyctl 66432ff2e), and flyctl fixed
 * "Timeout on LimitedAccessToken.revokedAt" (08a141633), a per-token field. Half of Fly's maximum halves the worst
 * case a page can cost; an app with more tokens than this (rare: most have a handful) takes one more request.
 * A guess, not a measurement of Fly (test/emulator/README.md).
 */
export const TOKEN_PAGE_SIZE = 50;

const ORGANIZATION_FIELDS = 'id slug name';
/** Only what the client reads: `totalCount` is left out (it costs Fly a count query, and nothing reads it). */
const TOKEN_CONNECTION_FIELDS =
  'pageInfo { hasNextPage endCursor } ' +
  'nodes { id name profile profileParams createdAt expiresAt revokedAt revokedBy user { email } }';

export const VIEWER_OPERATION = 'Viewer';
export const VIEWER_DOCUMENT =
  'query Viewer { viewer { __typename ... on User { id email } ... on Macaroon { email } } }';

export const APP_OPERATION = 'App';
export const APP_DOCUMENT =
  `query App($name: String!) { app(name: $name) { id name organization { ${ORGANIZATION_FIELDS} } } }`;

export const ORGANIZATIONS_OPERATION = 'Organizations';
export const ORGANIZATIONS_DOCUMENT =
  `query Organizations($cursor: String) { organizations(admin: false, first: ${PAGE_SIZE}, after: $cursor) ` +
  `{ pageInfo { hasNextPage endCursor } nodes { ${ORGANIZATION_FIELDS} } } }`;

export const ORG_TOKENS_OPERATION = 'OrgTokens';
export const ORG_TOKENS_DOCUMENT =
  'query OrgTokens($slug: String!, $cursor: String) { organization(slug: $slug) ' +
  `{ ${ORGANIZATION_FIELDS} limitedAccessTokens(first: ${TOKEN_PAGE_SIZE}, after: $cursor) { ${TOKEN_CONNECTION_FIELDS} } } }`;

export const APP_TOKENS_OPERATION = 'AppTokens';

/** Alias of the i-th app in an AppTokens document; the errors' `path[0]` names it. */
export function appAlias(index: number): string {
  return `a${index}`;
}

/**
 * All apps' tokens in one request: `a0: app(name: $n0) {…}` for each app, with its page cursor in `$c<i>`.
 * Variables: n<i> (app name), c<i> (cursor or null).
 */
export function appTokensDocument(count: number): string {
  assertCount(count);
  const params: string[] = [];
  const fields: string[] = [];
  for (let i = 0; i < count; i++) {
    params.push(`$n${i}: String!`, `$c${i}: String`);
    fields.push(
      `${appAlias(i)}: app(name: $n${i}) { id name organization { ${ORGANIZATION_FIELDS} } ` +
        `limitedAccessTokens(first: ${TOKEN_PAGE_SIZE}, after: $c${i}) { ${TOKEN_CONNECTION_FIELDS} } }`,
    );
  }
  return `query ${APP_TOKENS_OPERATION}(${params.join(', ')}) { ${fields.join(' ')} }`;
}

export const CREATE_TOKEN_OPERATION = 'CreateLimitedAccessToken';
/** Same operation name and variables as flyctl's, so the server sees a familiar request. */
export const CREATE_TOKEN_DOCUMENT =
  'mutation CreateLimitedAccessToken($name: String!, $organizationId: ID!, $profile: String!, $profileParams: JSON, $expiry: String!) ' +
  '{ createLimitedAccessToken(input: { name: $name, organizationId: $organizationId, profile: $profile, profileParams: $profileParams, expiry: $expiry }) ' +
  '{ limitedAccessToken { id name createdAt expiresAt tokenHeader } } }';

export const REVOKE_TOKENS_OPERATION = 'RevokeTokens';

export const TOKENS_BY_ID_OPERATION = 'TokensById';
/** Reads tokens back by id after a revocation whose answer was lost (never re-sends the mutation). */
export const TOKENS_BY_ID_DOCUMENT =
  'query TokensById($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on LimitedAccessToken { id revokedAt } } }';

/** Alias of the i-th revocation in a RevokeTokens document. */
export function revokeAlias(index: number): string {
  return `r${index}`;
}

/** Every revocation in one mutation: `r0: deleteLimitedAccessToken(input: $i0) { token }` … Variables: i<i> = {id}. */
export function revokeTokensDocument(count: number): string {
  assertCount(count);
  const params: string[] = [];
  const fields: string[] = [];
  for (let i = 0; i < count; i++) {
    params.push(`$i${i}: DeleteLimitedAccessTokenInput!`);
    fields.push(`${revokeAlias(i)}: deleteLimitedAccessToken(input: $i${i}) { token }`);
  }
  return `mutation ${REVOKE_TOKENS_OPERATION}(${params.join(', ')}) { ${fields.join(' ')} }`;
}

function assertCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`alias count must be a positive integer, got ${count}`);
}

export const LOG_OUT_OPERATION = 'LogOut';
/**
 * flyctl's LogOut exactly as genqlient sends it (gql/genqclient.graphql): revokes the credential the request is
 * authenticated with — every token of a bundle; an auth token ends that login everywhere.
 */
export const LOG_OUT_DOCUMENT = '\nmutation LogOut {\n\tlogOut(input: {}) {\n\t\tok\n\t}\n}\n';

export const TOKEN_PROBE_OPERATION = 'TokenProbe';
/**
 * Asked with a pasted token itself, read-only, and alone: whom it acts for. Only a refusal of this says the token is
 * dead; it is asked on its own because a refusal of any non-null root field beside it would null the whole answer.
 */
export const TOKEN_PROBE_DOCUMENT = 'query TokenProbe { viewer { __typename ... on User { email } ... on Macaroon { email } } }';

export const TOKEN_APPS_OPERATION = 'TokenApps';
/** Which apps a pasted deploy or organization token reaches (a deploy token sees its own app only). Extra: may be refused. */
export const TOKEN_APPS_DOCUMENT =
  `query TokenApps { apps(first: 2) { totalCount nodes { name organization { ${ORGANIZATION_FIELDS} } } } }`;

export const ORG_REVIEW_OPERATION = 'OrgReview';

/** One field of an OrgReview document: an organization's tokens (`t<i>`) or its members (`m<i>`). */
export interface OrgReviewPart {
  index: number;
  what: 'tokens' | 'members';
}

export function orgReviewAlias(part: OrgReviewPart): string {
  return `${part.what === 'tokens' ? 't' : 'm'}${part.index}`;
}

/**
 * Several organizations' tokens and members in one request. Tokens and members are separate aliases of the same
 * organization, so a refusal to show members (a non-null field: its error nulls its alias) leaves the tokens readable.
 * Variables: s<i> (slug), tc<i> / mc<i> (page cursors, or null).
 */
export function orgReviewDocument(parts: readonly OrgReviewPart[]): string {
  assertCount(parts.length);
  const params = new Set<string>();
  const fields: string[] = [];
  for (const part of parts) {
    const i = part.index;
    params.add(`$s${i}: String!`);
    if (part.what === 'tokens') {
      params.add(`$tc${i}: String`);
      fields.push(
        `${orgReviewAlias(part)}: organization(slug: $s${i}) { ${ORGANIZATION_FIELDS} ` +
          `limitedAccessTokens(first: ${TOKEN_PAGE_SIZE}, after: $tc${i}) { ${TOKEN_CONNECTION_FIELDS} } }`,
      );
    } else {
      params.add(`$mc${i}: String`);
      fields.push(
        `${orgReviewAlias(part)}: organization(slug: $s${i}) { members(first: ${PAGE_SIZE}, after: $mc${i}) ` +
          '{ pageInfo { hasNextPage endCursor } edges { node { email } } } }',
      );
    }
  }
  return `query ${ORG_REVIEW_OPERATION}(${[...params].join(', ')}) { ${fields.join(' ')} }`;
}
