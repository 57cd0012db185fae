/**
 * PostgreSQL for tests: the server named by `TEST_DATABASE_URL` (default the local one, trust
 * auth, database `test`), and a private, randomly named database per test file, dropped after,
 * so test files and other people's work on the same server never see each other's rows.
 *
 * Without a reachable server the PostgreSQL tests are skipped on a developer's machine, with a
 * note; under `CI=true` they run anyway and fail, so a CI run never passes without them.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';

/** The server the tests use. `.ci/run` exports it. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const inCi = process.env.CI === 'true';

async function probe(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why PostgreSQL cannot be used, or `undefined` when it can. */
export const postgresProblem = await probe();

if (postgresProblem !== undefined && !inCi) {
  process.stderr.write(`PostgreSQL tests skipped: ${TEST_DATABASE_URL} is not reachable (${postgresProblem}). Under CI=true they fail instead.\n`);
}

/** `describe` for PostgreSQL tests: skipped without a server, except under CI=true (they fail there). */
export const describePostgres: typeof describe = (postgresProblem === undefined || inCi ? describe : describe.skip) as typeof describe;

/** A database of one's own on the test server. */
export interface TestDatabase {
  /** Its connection string. */
  url: string;
  name: string;
  /** Drop it (disconnecting anyone still on it). */
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/**
 * Create a fresh, empty database with a random name.
 *
 * @throws when the server cannot be reached (the message names `TEST_DATABASE_URL`).
 */
export async function createTestDatabase(prefix = 'dossier_test'): Promise<TestDatabase> {
  if (postgresProblem !== undefined) {
    throw new Error(`PostgreSQL is needed for this test but ${TEST_DATABASE_URL} is not reachable: ${postgresProblem}. Start it or set TEST_DATABASE_URL.`);
  }
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(TEST_DATABASE_URL, name),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Run one query on `url` with a short-lived connection (test setup and checks). */
export async function queryOnce<R extends pg.QueryResultRow = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
