/**
 * The platform-free heart of the bot, shared by `npm start` and `npm run ask`: the story's
 * knowledge (kept fresh), the database, the digest service and the command router.
 *
 * Data flows one way through it: story folder → knowledge service → search → commands →
 * router → (adapters, outside this module).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { inlineAnswers, type InlineAnswer } from '../commands/inline.js';
import { createRouter, type CommandRouter } from '../commands/router.js';
import type { Platform } from '../commands/types.js';
import type { Config } from '../config/config.js';
import { createSendLimiter, DEFAULT_PACING } from '../delivery/limiter.js';
import type { MessageSender, SendLimiter } from '../delivery/types.js';
import { createDigestService, type DigestService } from '../digests/service.js';
import { ArticleError } from '../knowledge/articles.js';
import { StoryError } from '../knowledge/load.js';
import { createReadingCache, loadStoryWithCache } from '../knowledge/reading-cache.js';
import { RegistryError } from '../knowledge/registry.js';
import type { Logger } from '../observability/logger.js';
import { countKnowledge, type DossierMetrics } from '../observability/metrics.js';
import { noTelemetry, type Telemetry } from '../observability/telemetry.js';
import { createKnowledgeSearch, type IndexedKnowledgeSearch } from '../search/knowledge-search.js';
import { updateKnowledgeSearch } from '../search/update.js';
import type { KnowledgeProvider } from '../search/types.js';
import type { DatabaseStore } from '../storage/types.js';
import { linkInlineAnswers, withDossierLinks } from '../web/reply-links.js';
import { createAppCommands } from './commands.js';
import { DatabaseOpenError, importFolderArticles, openDatabase, type OpenedDatabase } from './database.js';
import { createKnowledgeService, type KnowledgeService } from './knowledge-service.js';

/** Exit code for data the bot cannot read (`EX_DATAERR` from BSD sysexits.h). */
export const EX_DATAERR = 65;
/** Exit code for a file that cannot be opened or created (`EX_CANTCREAT`). */
export const EX_CANTCREAT = 73;

/** Start-up stopped for a reason the operator can fix; `message` says what and how. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StartupError';
  }
}

export interface CoreOptions {
  config: Config;
  logger: Logger;
  telemetry?: Telemetry;
  /** Told the knowledge base's size after every (re)load. */
  metrics?: Pick<DossierMetrics, 'setKnowledgeItems'>;
  now?: () => Date;
}

export interface Core {
  /** The story folder the knowledge comes from. */
  readonly storyDir: string;
  readonly knowledge: KnowledgeService;
  /** What commands read: the current knowledge snapshot. */
  readonly provider: KnowledgeProvider;
  readonly store: DatabaseStore;
  /** The database behind `store` (SQLite or PostgreSQL), with its health check. */
  readonly database: OpenedDatabase;
  readonly digests: DigestService;
  /** The platforms digests can be sent to; adapters add theirs as they are created. */
  readonly senders: Map<Platform, MessageSender>;
  /** The bot's one rate limiter for outgoing messages, paced through the database (shared by processes). */
  readonly limiter: SendLimiter;
  readonly router: CommandRouter;
  inlineAnswers(query: string): InlineAnswer[];
  /**
   * Stop watching the story folder, write the knowledge snapshot if it is behind, and close the
   * database (digests must be stopped first).
   */
  close(): Promise<void>;
}

/** Where the story folder is: `<DATA_DIR>/stories/<STORY>`, relative to the working directory. */
export function storyFolder(config: Pick<Config, 'DATA_DIR' | 'STORY'>): string {
  return resolve(config.DATA_DIR, 'stories', config.STORY);
}

/**
 * Units of other pipeline versions stay a day (instances of the previous release may still be
 * running during a rolling deploy), then go: every release would otherwise add a whole story's
 * worth of them to the database.
 */
const KEEP_OTHER_VERSIONS_MS = 24 * 3_600_000;

/** Delete per-article results no release of the last day built; a failure is logged, not fatal. */
function pruneOldKnowledgeUnits(store: DatabaseStore, version: string, now: Date, logger: Logger): void {
  try {
    const pruned = store.pruneKnowledgeUnits(version, new Date(now.getTime() - KEEP_OTHER_VERSIONS_MS));
    if (pruned > 0) logger.info({ pruned, pipelineVersion: version }, 'per-article results of older knowledge code deleted');
  } catch (error) {
    logger.warn({ err: error }, 'per-article results of older knowledge code could not be deleted; trying again at the next start');
  }
}

/**
 * Load the story, open the database and wire the commands. Nothing is scheduled or connected
 * yet: the caller starts the digests and the platforms.
 *
 * @throws {StartupError} when the story folder is missing or unreadable, or the database cannot be opened.
 * @example
 * const core = await createCore({ config, logger });
 * const result = await core.router.handle('/who massoud', context);
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  const { config, logger } = options;
  const now = options.now ?? (() => new Date());
  const telemetry = options.telemetry ?? noTelemetry;
  const storyDir = storyFolder(config);
  if (!existsSync(storyDir)) {
    throw new StartupError(
      `The story folder ${storyDir} does not exist. Set DATA_DIR (now "${config.DATA_DIR}") and STORY (now "${config.STORY}") ` +
        'so that <DATA_DIR>/stories/<STORY> holds story.yaml, registry.yaml and articles/.',
      78,
    );
  }

  // The database first: in PostgreSQL mode the articles come from it.
  let database: OpenedDatabase;
  try {
    database = openDatabase(config, logger);
  } catch (error) {
    if (error instanceof DatabaseOpenError) throw new StartupError(error.message, error.exitCode, { cause: error });
    throw error;
  }
  const store = database.store;
  const sharedArticles = database.articles;
  // What each article gives is built once and kept in the database (shared by every instance in
  // PostgreSQL mode); the last built knowledge base is kept in a file for the next start-up.
  const reading = createReadingCache({
    store: { get: (keys) => store.knowledgeUnits(keys), put: (entries) => store.putKnowledgeUnits(entries, now(), reading.version) },
    ...(config.DATABASE_PATH === ':memory:' ? {} : { snapshotFile: resolve(dirname(resolve(config.DATABASE_PATH)), 'knowledge', `${config.STORY}.kb.json`) }),
  });

  let knowledge: KnowledgeService;
  let search: IndexedKnowledgeSearch | undefined;
  try {
    knowledge = await createKnowledgeService({
      storyDir,
      // Each article is read once; only the story-wide stages run again (docs/feeds.md).
      loadStory: async (dir, files) => {
        const before = { ...reading.stats };
        const kb = await loadStoryWithCache(dir, reading, sharedArticles, files);
        const read = reading.stats.misses - before.misses;
        // Every article read again at start-up means the knowledge code (its pipeline version) changed.
        if (read > 0) logger.info({ pipelineVersion: reading.version, read, kept: reading.stats.hits - before.hits }, 'articles read by the knowledge pipeline');
        return kb;
      },
      createSearch: (kb) => (search = createKnowledgeSearch(kb)),
      // A new article is searchable in milliseconds: the search is updated, not rebuilt.
      updateSearch: (current, kb) => (search = search !== undefined && current.search === search ? updateKnowledgeSearch(search, current.kb, kb) : createKnowledgeSearch(kb)),
      logger: logger.child({ component: 'knowledge' }),
      now,
      ...(sharedArticles === undefined
        ? {}
        : {
            articles: sharedArticles,
            beforeBuild: async () => {
              const added = await importFolderArticles(storyDir, sharedArticles);
              if (added.length > 0) logger.info({ articles: added }, 'story folder articles stored in the database');
            },
          }),
    });
  } catch (error) {
    await database.close().catch(() => undefined);
    if (error instanceof StoryError || error instanceof ArticleError || error instanceof RegistryError) {
      throw new StartupError(`The story in ${storyDir} cannot be read: ${error.message}`, EX_DATAERR, { cause: error });
    }
    throw error;
  }
  const provider: KnowledgeProvider = () => knowledge.current();
  logger.info({ database: database.where, backend: store.backend }, 'database open');
  pruneOldKnowledgeUnits(store, reading.version, now(), logger);

  const senders = new Map<Platform, MessageSender>();
  // One pace for the bot, kept in the database: every process sending as this bot shares it.
  const limiter = createSendLimiter({
    store,
    pacing: {
      telegram: { ...DEFAULT_PACING.telegram, perSecond: config.TELEGRAM_MESSAGES_PER_SECOND },
      discord: { ...DEFAULT_PACING.discord, perSecond: config.DISCORD_MESSAGES_PER_SECOND },
    },
  });
  const digests = createDigestService({
    store,
    knowledge: provider,
    senders,
    clock: now,
    logger,
    telemetry,
    missedSlots: config.DIGEST_MISSED_SLOTS,
    defaultTimeZone: config.DIGEST_TIMEZONE,
    leaseMs: config.DIGEST_LEASE_MS,
    ...(config.INSTANCE_ID === undefined ? {} : { instanceId: config.INSTANCE_ID }),
    // Instances sharing PostgreSQL each start claiming a due fan-out at a different place.
    claimOrder: store.backend === 'postgres' ? 'spread' : 'in-order',
  });

  const recordKnowledge = () => options.metrics?.setKnowledgeItems(countKnowledge(knowledge.current().kb));
  recordKnowledge();
  knowledge.onChange((snapshot) => {
    recordKnowledge();
    digests.onKnowledgeChanged(snapshot);
  });

  const commands = createAppCommands({ knowledge: provider, store, digests, defaultTimeZone: config.DIGEST_TIMEZONE });
  // Answers link into the web dossier when PUBLIC_URL is set (added here, once, for every platform).
  const router = withDossierLinks(
    createRouter({
      commands,
      logger,
      telemetry,
      suggestEntities: (partial, types) => provider().search.suggestEntities(partial, { types }),
    }),
    config.PUBLIC_URL,
    provider,
  );

  return {
    storyDir,
    knowledge,
    provider,
    store,
    digests,
    senders,
    limiter,
    router,
    inlineAnswers: (query) => linkInlineAnswers(inlineAnswers(provider, query), config.PUBLIC_URL, provider),
    database,
    async close() {
      knowledge.stop();
      // The knowledge base of the last minute's articles is written now, so that the next
      // start-up loads it rather than running the story-wide stages over the whole story.
      try {
        if (reading.flush()) logger.info('knowledge snapshot written for the next start-up');
      } catch (error) {
        logger.warn({ err: error }, 'knowledge snapshot could not be written; the next start-up builds the story-wide stages again');
      }
      await database.close();
    },
  };
}
