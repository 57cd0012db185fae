/**
 * `npm run db:migrate-from-sqlite [-- --from var/dossier.sqlite]`: move a bot's state from its
 * SQLite file into the PostgreSQL database DATABASE_URL names (migrated first; it must be empty).
 * Stop the bot first, run this once, then start the bot with DATABASE_URL set.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/config.js';
import { copySqliteToPostgres, CopyRefusedError } from '../storage/copy-sqlite.js';
import { connectSyncPg } from '../storage/pg-sync.js';
import { openPostgresStore, redactDatabaseUrl } from '../storage/postgres.js';

const USAGE = 'Usage: DATABASE_URL=postgres://… npm run db:migrate-from-sqlite [-- --from <sqlite file>] (default: DATABASE_PATH)';

function main(argv: string[]): number {
  let from: string | undefined;
  try {
    ({ values: { from } } = parseArgs({ args: argv, options: { from: { type: 'string' } }, strict: true }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 64;
  }
  const config = loadConfigOrExit();
  if (config.DATABASE_URL === undefined) {
    process.stderr.write(`DATABASE_URL is not set: name the PostgreSQL database to copy into.\n${USAGE}\n`);
    return 64;
  }
  const source = resolve(from ?? config.DATABASE_PATH);
  if (!existsSync(source)) {
    process.stderr.write(`${source}: no such SQLite file. Pass --from <file> or set DATABASE_PATH.\n`);
    return 66;
  }
  const where = redactDatabaseUrl(config.DATABASE_URL);
  try {
    openPostgresStore(config.DATABASE_URL).close();
    const target = connectSyncPg(config.DATABASE_URL);
    try {
      const report = copySqliteToPostgres(source, target);
      process.stdout.write(`Copied ${source} into ${where}:\n${Object.entries(report).map(([table, rows]) => `  ${table}: ${rows} rows`).join('\n')}\n`);
      return 0;
    } finally {
      target.close();
    }
  } catch (error) {
    process.stderr.write(`${error instanceof CopyRefusedError ? '' : `Copying into ${where} failed: `}${(error as Error).message}\n`);
    return error instanceof CopyRefusedError ? 65 : 69;
  }
}

process.exitCode = main(process.argv.slice(2));
