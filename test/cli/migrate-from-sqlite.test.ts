/**
 * `npm run db:migrate-from-sqlite`, run as a process: a SQLite database's subscriptions, ledger,
 * chat state and sources-seen arrive in PostgreSQL unchanged (read back through the PostgreSQL
 * store), new subscriptions continue after the copied ids, and a second run refuses to copy into
 * a database that already holds data.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/storage/postgres.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import { compiled } from '../support/compiled.js';
import { createTestDatabase, describePostgres, type TestDatabase } from '../support/postgres.js';

const T0 = new Date('2021-08-22T08:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [compiled('src/cli/migrate-from-sqlite.ts'), ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describePostgres('npm run db:migrate-from-sqlite', () => {
  let database: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'dossier-copy-'));
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });

  it('copies everything the SQLite database holds into an empty PostgreSQL database, once', async () => {
    const path = join(dir, 'dossier.sqlite');
    const sqlite = openSqliteStore(path);
    const daily = sqlite.addSubscription({ platform: 'telegram', chatId: '-1', chatType: 'group', schedule: 'daily 08:00', timeZone: 'Asia/Kabul', quiet: 'notice', createdAt: T0, createdBy: 'u1', topic: { entityId: 'ahmad-massoud', label: 'Ahmad Massoud' } });
    const gone = sqlite.addSubscription({ platform: 'discord', chatId: '300', chatType: 'channel', schedule: 'every 6h', timeZone: 'UTC', quiet: 'skip', createdAt: T0 });
    sqlite.removeSubscription(gone.id, at(1));
    sqlite.claimSlot(daily.id, at(0), 'old-process', at(0), 60_000);
    sqlite.startSending(daily.id, at(0), 'old-process', { parts: [{ text: 'digest' }], contentUntil: at(0.5), chatId: '-1' }, at(0));
    sqlite.markPartAccepted(daily.id, at(0), 'old-process', 0, '-1');
    sqlite.finishSlot(daily.id, at(0), 'old-process', { status: 'delivered', contentUntil: at(0.5), chatId: '-1' }, at(0.5));
    sqlite.markChatBlocked('telegram', '42', 'Forbidden: bot was blocked by the user', at(2));
    sqlite.recordChatMigration('telegram', '-1', '-1001', at(3));
    sqlite.recordSourcesSeen(['000_a', '003_b'], at(4));
    const expected = {
      subscriptions: [sqlite.subscription(daily.id), sqlite.subscription(gone.id)],
      deliveries: sqlite.deliveries(daily.id),
      blocked: sqlite.blockedChat('telegram', '42'),
      seen: sqlite.sourcesSeen(),
    };
    sqlite.close();

    const first = await run(['--from', path], { DATABASE_URL: database.url });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('subscriptions: 2 rows');

    const pg = openPostgresStore(database.url);
    try {
      expect([pg.subscription(daily.id), pg.subscription(gone.id)]).toEqual(expected.subscriptions);
      expect(pg.deliveries(daily.id)).toEqual(expected.deliveries);
      expect(pg.blockedChat('telegram', '42')).toEqual(expected.blocked);
      expect(pg.currentChatId('telegram', '-1')).toBe('-1001');
      expect(pg.sourcesSeen()).toEqual(expected.seen);
      expect(pg.lastCompleted(daily.id)?.contentUntil).toEqual(at(0.5));
      // The next subscription continues after the copied ids.
      expect(pg.addSubscription({ platform: 'telegram', chatId: '7', chatType: 'private', schedule: 'daily 09:00', timeZone: 'UTC', quiet: 'notice', createdAt: at(5) }).id).toBe(gone.id + 1);
    } finally {
      pg.close();
    }

    const again = await run(['--from', path], { DATABASE_URL: database.url });
    expect(again.code).toBe(65);
    expect(again.stderr).toMatch(/already holds data/);
    expect(again.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);

  it('says what is missing, without a stack trace', async () => {
    const noUrl = await run(['--from', join(dir, 'x.sqlite')], {});
    expect(noUrl.code).toBe(64);
    expect(noUrl.stderr).toContain('DATABASE_URL is not set');
    const noFile = await run(['--from', join(dir, 'missing.sqlite')], { DATABASE_URL: database.url });
    expect(noFile.code).toBe(66);
    expect(noFile.stderr).toContain('no such SQLite file');
  }, 30_000);
});
