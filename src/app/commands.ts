/**
 * The command set the running bot offers: the story commands plus the digest subscriptions.
 * One function, so the bot, `npm run ask` and `npm run discord:register` always agree on it.
 */
import { createCommandSet } from '../commands/index.js';
import { subscriptionCommands } from '../commands/subscriptions.js';
import type { CommandDefinition } from '../commands/types.js';
import type { DigestService } from '../digests/service.js';
import type { KnowledgeProvider } from '../search/types.js';
import type { DigestStore } from '../storage/types.js';

export interface AppCommandDeps {
  knowledge: KnowledgeProvider;
  store: DigestStore;
  digests: Pick<DigestService, 'digestFor' | 'nextSlotFor' | 'scheduleOf'>;
  /** DIGEST_TIMEZONE: the zone of subscriptions that name none. */
  defaultTimeZone: string;
}

/**
 * Every command of the running bot, in menu order.
 *
 * @example
 * const commands = createAppCommands({ knowledge, store, digests, defaultTimeZone: 'Asia/Kabul' });
 * const router = createRouter({ commands, logger, telemetry });
 */
export function createAppCommands(deps: AppCommandDeps): CommandDefinition[] {
  return createCommandSet({ knowledge: deps.knowledge, extra: subscriptionCommands(deps) });
}

/**
 * The same commands for reading their names, descriptions and options only (registering slash
 * commands): nothing is loaded, and running one throws.
 *
 * @example
 * await registerCommands(rest, { applicationId, definitions: commandDefinitionsOnly('Asia/Kabul') });
 */
export function commandDefinitionsOnly(defaultTimeZone: string): CommandDefinition[] {
  const notLoaded = (): never => {
    throw new Error('Nothing is loaded: these command definitions are for registration only.');
  };
  return createAppCommands({
    knowledge: notLoaded,
    store: new Proxy({} as DigestStore, { get: notLoaded }),
    digests: { digestFor: notLoaded, nextSlotFor: notLoaded, scheduleOf: notLoaded },
    defaultTimeZone,
  });
}
