/**
 * Support for the delivery process tests: start bot processes on a database the test prepared,
 * and read what the fake platforms received.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import { compiled } from '../support/compiled.js';
import type { BotProcessSettings } from './processes/bot-process.js';

/** A running bot process. */
export interface BotProcess {
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once it ended. */
  exited: Promise<number | string>;
  /** Everything it logged (JSON lines). */
  logs(): Array<Record<string, unknown>>;
}

/** Start the bot process and wait until its digest service started. */
export async function startBotProcess(settings: BotProcessSettings): Promise<BotProcess> {
  const child = fork(compiled('test/digests/processes/bot-process.ts'), [], {
    execArgv: [],
    env: { ...process.env, DOSSIER_TEST_BOT: JSON.stringify(settings) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    void exited.then((code) => reject(new Error(`bot process exited (${code}) before it was ready:\n${stderr}`)));
  });
  return {
    child,
    exited,
    logs: () =>
      stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Create `count` daily 08:00 Kabul subscriptions on a new database; returns their chat ids. */
export function subscribeChats(database: string, platform: 'telegram' | 'discord', chatIds: readonly string[], createdAt: Date): void {
  const store = openSqliteStore(database);
  try {
    for (const chatId of chatIds) {
      store.addSubscription({ platform, chatId, chatType: chatId.startsWith('-') ? 'group' : 'private', schedule: 'daily 08:00', timeZone: 'Asia/Kabul', quiet: 'notice', createdAt });
    }
  } finally {
    store.close();
  }
}

/** The most events in any window of `windowMs` (times in ms, any order). */
export function busiestWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] ?? 0) - (sorted[j] ?? 0) >= windowMs) j++;
    busiest = Math.max(busiest, i - j + 1);
  }
  return busiest;
}

/** The ledger's rows for every subscription, as the test reads them back after the processes ended. */
export function ledger(database: string): Array<{ chatId: string; status: string; partsAccepted: number; parts: number; plan: unknown[]; detail?: string }> {
  const store = openSqliteStore(database);
  try {
    return store.activeSubscriptions().flatMap((s) =>
      store.deliveries(s.id).map((d) => ({
        chatId: s.chatId,
        status: d.status,
        partsAccepted: d.partsAccepted,
        parts: d.plan?.parts.length ?? 0,
        plan: d.plan?.parts ?? [],
        ...(d.detail === undefined ? {} : { detail: d.detail }),
      })),
    );
  } finally {
    store.close();
  }
}
