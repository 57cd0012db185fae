/**
 * Moving from SQLite to PostgreSQL: copy every row of a Dossier SQLite database into an empty,
 * migrated PostgreSQL database, in one transaction (all or nothing), keeping subscription ids so
 * the delivery ledger still points at them.
 *
 * Tables are copied by name and shared columns, so the tables later migrations add (follow-up
 * state, feed state…) move too without this file knowing them. Subscriptions go first: other
 * tables refer to them.
 */
import Database from 'better-sqlite3';
import type { SyncPg } from './pg-sync.js';

/** Tables that are not data: the schema record, and per-process state that starts afresh. */
const SKIPPED = new Set(['schema_migrations', 'sqlite_sequence', 'leases', 'send_pacing']);
/** Copied before the others, in this order (others refer to them). */
const FIRST = ['subscriptions'];
const ROWS_PER_INSERT = 500;

/** Why the copy was refused (the target is not empty, the source is not a Dossier database…). */
export class CopyRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefusedError';
  }
}

/** Rows copied, per table. */
export type CopyReport = Record<string, number>;

/**
 * Copy the SQLite database at `sqlitePath` into `target` (already migrated by `openPostgresStore`).
 *
 * @throws {CopyRefusedError} when the target already holds data, or the source has no Dossier tables.
 * @example
 * const report = copySqliteToPostgres('var/dossier.sqlite', connectSyncPg(url));
 */
export function copySqliteToPostgres(sqlitePath: string, target: SyncPg): CopyReport {
  const source = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  try {
    const sourceTables = (source.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name);
    if (!sourceTables.includes('subscriptions')) throw new CopyRefusedError(`${sqlitePath} is not a Dossier database (it has no subscriptions table).`);
    const targetTables = new Set(target.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`).rows.map((r) => r.tablename));
    const tables = [...FIRST, ...sourceTables.filter((t) => !FIRST.includes(t)).sort()].filter((t) => sourceTables.includes(t) && targetTables.has(t) && !SKIPPED.has(t));
    const skippedTables = sourceTables.filter((t) => !targetTables.has(t) && !SKIPPED.has(t) && !t.startsWith('sqlite_'));
    if (skippedTables.length > 0) {
      throw new CopyRefusedError(`PostgreSQL has no table for ${skippedTables.join(', ')}: the SQLite database is newer than this Dossier. Upgrade Dossier first.`);
    }

    return target.transaction(() => {
      for (const table of tables) {
        const [row] = target.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`).rows;
        if ((row?.n ?? 0) > 0) throw new CopyRefusedError(`The PostgreSQL database already holds data (table ${table} has ${row?.n} rows). Copy into an empty database.`);
      }
      const report: CopyReport = {};
      for (const table of tables) {
        const targetColumns = new Set(
          target.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1', [table]).rows.map((r) => r.column_name),
        );
        const columns = (source.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((c) => c.name).filter((c) => targetColumns.has(c));
        const list = columns.map((c) => `"${c}"`).join(', ');
        const rows = source.prepare(`SELECT ${list} FROM "${table}"`).all() as Array<Record<string, unknown>>;
        for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
          // PostgreSQL converts each JSON field to its column's type.
          target.query(`INSERT INTO "${table}" (${list}) SELECT ${list} FROM json_populate_recordset(NULL::"${table}", $1::json)`, [JSON.stringify(rows.slice(i, i + ROWS_PER_INSERT))]);
        }
        report[table] = rows.length;
      }
      // New subscriptions continue after the copied ids.
      target.query(`SELECT setval(pg_get_serial_sequence('subscriptions', 'id'), GREATEST((SELECT MAX(id) FROM subscriptions), 1), (SELECT MAX(id) FROM subscriptions) IS NOT NULL)`);
      return report;
    });
  } finally {
    source.close();
  }
}
