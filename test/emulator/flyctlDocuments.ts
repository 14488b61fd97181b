// flyctl's GraphQL documents exactly as it puts them in the request body (test/fixtures/fly-api/operations.graphql):
// fly-go's are whitespace-compacted, genqlient's CreateLimitedAccessToken is sent verbatim with tabs and newlines.

export const GET_APP_COMPACT =
  'query ($appName: String!) { appcompact:app(name: $appName) { id internalNumericId name hostname cnameTarget deployed network status appUrl platformVersion organization { id internalNumericId slug paidPlan } postgresAppRole: role { name } } }';

export const GET_ORGANIZATION_BY_SLUG =
  'query($slug: String!) { organization(slug: $slug) { id internalNumericId slug rawSlug name type billable } }';

export const GET_ORGANIZATIONS =
  'query($admin: Boolean!) { organizations(admin: $admin) { nodes { id slug rawSlug name type paidPlan billable viewerRole internalNumericId } } }';

export const GET_APP_LIMITED_ACCESS_TOKENS =
  'query ($appName: String!) { appLimitedAccessTokens: app(name: $appName) { limitedAccessTokens { nodes { id name token expiresAt revokedAt user { email } } } } }';

export const GET_ORG_LIMITED_ACCESS_TOKENS =
  'query ($slug: String!) { orgLimitedAccessTokens: organization(slug: $slug) { limitedAccessTokens { nodes { id name expiresAt revokedAt user { email } } } } }';

export const REVOKE_LIMITED_ACCESS_TOKEN =
  'mutation($input:DeleteLimitedAccessTokenInput!) { deleteLimitedAccessToken(input: $input) { token } }';

export const CREATE_LIMITED_ACCESS_TOKEN =
  '\nmutation CreateLimitedAccessToken ($name: String!, $organizationId: ID!, $profile: String!, $profileParams: JSON, $expiry: String!) {\n' +
  '\tcreateLimitedAccessToken(input: {name:$name,organizationId:$organizationId,profile:$profile,profileParams:$profileParams,expiry:$expiry}) {\n' +
  '\t\tlimitedAccessToken {\n' +
  '\t\t\ttokenHeader\n' +
  '\t\t}\n' +
  '\t}\n' +
  '}\n';

export const GET_CURRENT_USER = 'query { viewer { ... on User { id email enablePaidHobby } ... on Macaroon { email } } }';

export const GET_APP_HOST_ISSUES =
  'query($appName: String!) { apphostissues:app(name: $appName) { hostIssues { nodes { internalId message createdAt updatedAt } } } }';

export const FLYCTL_DOCUMENTS = [
  GET_APP_COMPACT,
  GET_ORGANIZATION_BY_SLUG,
  GET_ORGANIZATIONS,
  GET_APP_LIMITED_ACCESS_TOKENS,
  GET_ORG_LIMITED_ACCESS_TOKENS,
  REVOKE_LIMITED_ACCESS_TOKEN,
  CREATE_LIMITED_ACCESS_TOKEN,
  GET_CURRENT_USER,
  GET_APP_HOST_ISSUES,
];

/**
 * flyctl's LogOut (gql/genqclient.graphql; genqlient sends it verbatim, operationName "LogOut"): `fly auth logout`,
 * and `fly tokens revoke supplied` in newer flyctl. Kept out of FLYCTL_DOCUMENTS: operations.graphql has it only as
 * comment lines.
 */
export const LOG_OUT = '\nmutation LogOut {\n\tlogOut(input: {}) {\n\t\tok\n\t}\n}\n';
