/**
 * A second bot process for the two-processes test: opens the same database file, waits for
 * "go", runs one digest tick at the given instant against the given platform, reports and exits.
 *
 *   node --import tsx tick-process.ts <database> <platform-url> <now-iso>
 */
import type { Platform } from '../../../src/commands/types.js';
import type { MessageSender } from '../../../src/delivery/types.js';
import { createDigestService } from '../../../src/digests/service.js';
import { silentLogger } from '../../../src/observability/logger.js';
import { openSqliteStore } from '../../../src/storage/sqlite.js';
import { seedSnapshot } from '../../support/seed-story.js';
import { httpSender } from '../support.js';

const [database = '', url = '', nowIso = ''] = process.argv.slice(2);
const store = openSqliteStore(database);
const snapshot = seedSnapshot();
const now = new Date(nowIso);
const service = createDigestService({
  store,
  knowledge: () => snapshot,
  senders: new Map<Platform, MessageSender>([['telegram', httpSender('telegram', url)]]),
  clock: () => now,
  logger: silentLogger(),
  missedSlots: 'latest',
  defaultTimeZone: 'Asia/Kabul',
  owner: `child-${process.pid}`,
});

process.on('message', (message) => {
  if (message !== 'go') return;
  void service.tick(now).then((report) => {
    store.close();
    process.send?.({ report }, () => process.exit(0));
  });
});
process.send?.('ready');
