// The Fly domain as the extension sees it. Shapes returned by FlyClient (src/fly/client.ts).
import type { FlyError } from './errors';

export interface Organization {
  id: string;
  slug: string;
  name: string;
}

/** An app as needed to mint a deploy token for it: its opaque id and its organization. */
export interface AppRef {
  id: string;
  name: string;
  organization: Organization;
}

export interface TokenInfo {
  id: string;
  name: string;
  profile: string;
  /** e.g. {app_id: "…"} for deploy tokens; null when the server sends none */
  profileParams: unknown;
  /** RFC 3339 */
  createdAt: string;
  /** RFC 3339 */
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  /** email of the user who created it (`user.email`) */
  createdBy: string;
  /**
   * Fly sent this token with an error inside it (e.g. `Timeout on LimitedAccessToken.revokedAt`) and reading it
   * again did not settle it: whether it is revoked is not known. Never shown or counted as an active token.
   */
  stateUnknown?: boolean;
}

/**
 * Fly answered part of a list: fields it could not resolve came back null with an error (graphql-ruby's partial
 * results). What could be read is kept; this says what was left out and why. Reasons are scrubbed server text.
 */
export interface PartialWarning {
  /** list entries (tokens, organizations) dropped because Fly sent them null or unreadable */
  omitted: number;
  /** the errors Fly gave for the missing parts, deduplicated */
  reasons: string[];
}

export type AppTokensResult =
  | { name: string; ok: true; app: AppRef; tokens: TokenInfo[]; warning?: PartialWarning }
  | { name: string; ok: false; error: FlyError };

export interface OrgTokens {
  organization: Organization;
  tokens: TokenInfo[];
  warning?: PartialWarning;
}

export interface OrganizationList {
  organizations: Organization[];
  warning?: PartialWarning;
}

/** The only place a deploy token's secret appears: hand it to the clipboard / GitHub, never store or log it. */
export interface CreatedToken {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string;
  /** `FlyV1 fm2_…,fm2_…` */
  tokenHeader: string;
  /**
   * Errors Fly sent along with the token (scrubbed). The token exists and works: hand it over, and show these
   * as a warning, never as a failure.
   */
  warnings?: string[];
}

/**
 * `confirmed`: the mutation's answer was lost, and reading the token back showed it revoked.
 * A failure with `error.mayHaveSucceeded` is a revocation whose outcome is still unknown after that read.
 */
export type RevokeOutcome = { id: string; ok: true; confirmed?: boolean } | { id: string; ok: false; error: FlyError };

export interface Viewer {
  email: string;
  id: string | null;
  /** 'macaroon' when the auth token is itself a limited (e.g. deploy) token */
  kind: 'user' | 'macaroon';
}

/** One line of the request log the extension shows; never carries a token. */
export interface RequestEvent {
  operation: string;
  method: string;
  path: string;
  status: number | null;
  durationMs: number;
  attempt: number;
  outcome: 'ok' | 'error';
  errorKind?: string;
}

/** An organization as a hygiene review reads it: all its tokens, and its members now (null: Fly would not say). */
export type OrgReview =
  | {
      slug: string;
      ok: true;
      organization: Organization;
      tokens: TokenInfo[];
      members: string[] | null;
      membersError?: FlyError;
      warning?: PartialWarning;
    }
  | { slug: string; ok: false; error: FlyError };

/** What Fly says about a token when asked with that token (read-only). */
export interface TokenProbe {
  principal: 'user' | 'macaroon';
  /** the user it acts for (a macaroon acts for its creator) */
  email: string;
  /** apps a macaroon reaches, up to two named; null when not asked (auth tokens) or Fly would not list them */
  apps: { totalCount: number; apps: { name: string; organization: Organization }[] } | null;
}
