// Ways the emulator can answer where Fly's real behaviour is unknown (issue 10). Each mode is one plausible
// answer; the defaults are our best guesses, listed with their sources in README.md ("Facts and guesses").
import { getOperationAST, Kind, type DocumentNode, type SelectionSetNode } from 'graphql';

export interface EmulatorModes {
  /**
   * How a token that fails verification is refused. 'graphql' (default): HTTP 200, `data: null`,
   * `errors[0].extensions.code = "UNAUTHORIZED"`, "You must be authenticated to view this.".
   * 'http401': HTTP 401 `{"errors":[{"message":"unauthorized"}]}` before the document is read.
   */
  unauthorized: 'graphql' | 'http401';
  /**
   * Refuse a document whose complexity (here: root fields, i.e. aliases, + nested connections) exceeds this, with
   * graphql-ruby's message and no data, as `max_complexity` does. 0 = no limit.
   */
  maxComplexity: number;
  /**
   * Nested fields that fail, as graphql-ruby reports them: null in place, an error with the full `path`.
   * 'tokenUser': `LimitedAccessToken.user` fails for tokens the teammate (alex@example.com) created; `user` is
   * non-null, so the token's node becomes null. 'orgName': `Organization.name` fails for `acme`.
   */
  partialErrors: ('tokenUser' | 'orgName')[];
  /** `profileParams` sent as JSON text (`"{\"app_id\":\"…\"}"`) instead of an object. */
  profileParamsAsText: boolean;
  /**
   * A header that bundles a user token with a macaroon that is expired, revoked or unknown: 'strict' (default)
   * refuses the whole header; 'lenient' lets the user token speak for the caller.
   */
  bundles: 'strict' | 'lenient';
  /**
   * A hostile or hijacked API, for tests: the browser sign-in's `auth_url` is this (e.g. `file:///etc/passwd`)
   * instead of the emulator's own approval page. null (default): the emulator's page.
   */
  hostileAuthUrl: string | null;
}

export const DEFAULT_MODES: EmulatorModes = {
  unauthorized: 'graphql',
  maxComplexity: 0,
  partialErrors: [],
  profileParamsAsText: false,
  bundles: 'strict',
  hostileAuthUrl: null,
};

export const UNAUTHORIZED_MESSAGE = 'You must be authenticated to view this.';

/** graphql-ruby's `max_complexity` refusal (GraphQL::Analysis::AST::MaxQueryComplexity). */
export function complexityMessage(complexity: number, max: number): string {
  return `Query has complexity of ${complexity}, which exceeds max complexity of ${max}`;
}

/** Parses `--partial-errors tokenUser,orgName`. */
export function parsePartialErrors(text: string): EmulatorModes['partialErrors'] {
  const out: EmulatorModes['partialErrors'] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    if (part !== 'tokenUser' && part !== 'orgName') throw new Error(`--partial-errors takes tokenUser and/or orgName, not "${part}"`);
    out.push(part);
  }
  return out;
}

/**
 * Complexity as graphql-ruby counts it with every field's complexity left at its default of 1 (a simplification:
 * Fly's own weights are unknown): one per field selected, fragments included.
 */
export function documentComplexity(document: DocumentNode, operationName: string | null): number {
  const op = getOperationAST(document, operationName);
  const count = (set: SelectionSetNode | undefined): number => {
    let total = 0;
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) total += 1 + count(sel.selectionSet);
      else if (sel.kind === Kind.INLINE_FRAGMENT) total += count(sel.selectionSet);
    }
    return total;
  };
  return op ? count(op.selectionSet) : 0;
}
