// Reading a POST /graphql body in both shapes flyctl sends (fly-go: no operationName, `variables: null`;
// genqlient: operationName) and executing it.
import { execute, getOperationAST, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { RequestContext } from './resolvers';

export interface GraphqlBody {
  query: string;
  variables: Record<string, unknown> | null;
  operationName: string | null;
  document: DocumentNode | null;
  syntaxError: GraphQLError | null;
  /** 'query' | 'mutation' | 'subscription' when the document names a runnable operation */
  operationType: string | null;
}

export type BodyResult = { ok: true; body: GraphqlBody } | { ok: false; message: string };

export function readGraphqlBody(raw: string): BodyResult {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'Request body is not valid JSON' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { ok: false, message: 'Request body must be a JSON object' };
  const o = json as Record<string, unknown>;
  if (typeof o.query !== 'string' || o.query.trim() === '') return { ok: false, message: 'No query string was present' };
  const variables = o.variables ?? null;
  if (variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return { ok: false, message: '"variables" must be an object or null' };
  const operationName = o.operationName ?? null;
  if (operationName !== null && typeof operationName !== 'string') return { ok: false, message: '"operationName" must be a string or null' };
  let document: DocumentNode | null = null;
  let syntaxError: GraphQLError | null = null;
  try {
    document = parse(o.query);
  } catch (e) {
    syntaxError = e instanceof GraphQLError ? e : new GraphQLError(String(e));
  }
  const op = document ? getOperationAST(document, operationName) : null;
  return {
    ok: true,
    body: {
      query: o.query,
      variables: variables as Record<string, unknown> | null,
      operationName,
      document,
      syntaxError,
      operationType: op ? op.operation : null,
    },
  };
}

/** Always HTTP 200, like graphql-ruby behind Fly's API: syntax and validation problems come back in `errors`. */
export async function runGraphql(schema: GraphQLSchema, body: GraphqlBody, ctx: RequestContext): Promise<Record<string, unknown>> {
  if (!body.document) return { errors: [(body.syntaxError ?? new GraphQLError('Syntax error')).toJSON()] };
  const validationErrors = validate(schema, body.document);
  if (validationErrors.length > 0) return { errors: validationErrors.map((e) => e.toJSON()) };
  const result = await execute({
    schema,
    document: body.document,
    variableValues: body.variables ?? undefined,
    operationName: body.operationName ?? undefined,
    contextValue: ctx,
  });
  return JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
}
