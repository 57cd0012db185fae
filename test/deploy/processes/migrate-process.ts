/**
 * One instance's start-up migration, as a process: waits for "go" (so two start together),
 * opens the PostgreSQL store at the URL given (which migrates it) and exits 0, or 1 with the error.
 *
 *   node --import tsx migrate-process.ts <database-url>
 */
import { openPostgresStore } from '../../../src/storage/postgres.js';

const [url = ''] = process.argv.slice(2);
process.on('message', (message) => {
  if (message !== 'go') return;
  try {
    openPostgresStore(url).close();
    process.exit(0);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
});
process.send?.('ready');
