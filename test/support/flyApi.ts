// The one place that finds Fly's published GraphQL schema and flyctl's operation documents, vendored under
// test/fixtures/fly-api (see its README for their source and licence). Missing files are an error, never a skip.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FLY_API_FIXTURES = join(__dirname, '..', 'fixtures', 'fly-api');
/** Fly's GraphQL schema (SDL) as flyctl publishes it. */
export const FLY_SCHEMA_PATH = join(FLY_API_FIXTURES, 'schema.graphql');
/** flyctl's operation documents, one per line (fly-go) or between `# BEGIN` and `# END` (genqlient). */
export const FLYCTL_OPERATIONS_PATH = join(FLY_API_FIXTURES, 'operations.graphql');

function read(path: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: it is part of the repository (see test/fixtures/fly-api/README.md)`);
  return readFileSync(path, 'utf8');
}

export const flySchemaSdl = (): string => read(FLY_SCHEMA_PATH);
export const flyctlOperationsText = (): string => read(FLYCTL_OPERATIONS_PATH);
