// Small fetch helpers for tests that talk to an emulator over real HTTP.

export interface GqlAnswer {
  status: number;
  headers: Headers;
  json: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; locations?: unknown[]; extensions?: Record<string, unknown> }[];
  } & Record<string, unknown>;
}

/** POSTs like fly-go does by default; pass `operationName` to post like genqlient. */
export async function postGraphql(
  url: string,
  authorization: string | null,
  query: string,
  variables: Record<string, unknown> | null = null,
  operationName?: string,
): Promise<GqlAnswer> {
  const body: Record<string, unknown> = { query, variables };
  if (operationName !== undefined) body.operationName = operationName;
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', accept: 'application/json; charset=utf-8' };
  if (authorization !== null) headers.authorization = authorization;
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, json: (await res.json()) as GqlAnswer['json'] };
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
