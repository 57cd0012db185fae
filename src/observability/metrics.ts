/**
 * Prometheus metrics with prom-client, on a registry of their own (never prom-client's global
 * one), so two bots or two tests in one process never share counters.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Platform } from '../commands/types.js';
import type { KnowledgeBase } from '../knowledge/model.js';

/** What `dossier_knowledge_items{kind}` counts. */
export const KNOWLEDGE_ITEM_KINDS = ['entities', 'facts', 'quotes', 'events', 'claims', 'sources'] as const;
export type KnowledgeItemKind = (typeof KNOWLEDGE_ITEM_KINDS)[number];
export type KnowledgeCounts = Record<KnowledgeItemKind, number>;

/** Anything that can render Prometheus text: a {@link DossierMetrics} or a prom-client `Registry`. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** Reply latency buckets in seconds: most answers take milliseconds; a slow platform takes seconds. */
export const REPLY_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface DossierMetrics extends MetricsSource {
  readonly registry: Registry;
  /** `dossier_commands_total{platform,command,outcome}` */
  readonly commands: Counter<'platform' | 'command' | 'outcome'>;
  /** `dossier_reply_latency_seconds{platform}` */
  readonly replyLatency: Histogram<'platform'>;
  /** `dossier_digests_total{platform,outcome}` */
  readonly digests: Counter<'platform' | 'outcome'>;
  /** `dossier_digests_given_up_total{platform,reason}` */
  readonly digestsGivenUp: Counter<'platform' | 'reason'>;
  /** `dossier_platform_errors_total{platform,kind}` */
  readonly platformErrors: Counter<'platform' | 'kind'>;
  /** `dossier_knowledge_items{kind}` */
  readonly knowledgeItems: Gauge<'kind'>;
  /** Set the knowledge base size; the app calls it after every (re)load. */
  setKnowledgeItems(counts: Partial<KnowledgeCounts>): void;
}

export interface MetricsOptions {
  /** Also collect prom-client's process and Node.js metrics (CPU, memory, event loop, GC). Default true. */
  defaultMetrics?: boolean;
  /** Platforms to show with zero counts before their first event. */
  platforms?: readonly Platform[];
}

/**
 * Create the bot's metrics on a fresh registry.
 *
 * @example
 * const metrics = createMetrics({ platforms: ['telegram'] });
 * metrics.setKnowledgeItems(countKnowledge(kb));
 * const text = await metrics.metrics(); // Prometheus exposition format
 */
export function createMetrics(options: MetricsOptions = {}): DossierMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const commands = new Counter({
    name: 'dossier_commands_total',
    help: 'Commands handled, by platform, command and outcome (answer, not-found, usage, error, notice, failed, rate-limited).',
    labelNames: ['platform', 'command', 'outcome'] as const,
    registers: [registry],
  });
  const replyLatency = new Histogram({
    name: 'dossier_reply_latency_seconds',
    help: 'Time from receiving a command to having its reply, in seconds.',
    labelNames: ['platform'] as const,
    buckets: REPLY_LATENCY_BUCKETS,
    registers: [registry],
  });
  const digests = new Counter({
    name: 'dossier_digests_total',
    help: 'Scheduled digests, by platform and outcome (sent, failed, skipped).',
    labelNames: ['platform', 'outcome'] as const,
    registers: [registry],
  });
  const digestsGivenUp = new Counter({
    name: 'dossier_digests_given_up_total',
    help: 'Scheduled digests given up after repeated failures (the chat kept failing), by platform and the last failure kind.',
    labelNames: ['platform', 'reason'] as const,
    registers: [registry],
  });
  const platformErrors = new Counter({
    name: 'dossier_platform_errors_total',
    help: 'Failed platform calls, by platform and kind (rate-limited, forbidden, not-found, migrated, transient, invalid, …).',
    labelNames: ['platform', 'kind'] as const,
    registers: [registry],
  });
  const knowledgeItems = new Gauge({
    name: 'dossier_knowledge_items',
    help: 'Items in the loaded knowledge base, by kind (entities, facts, quotes, events, claims, sources).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });

  for (const kind of KNOWLEDGE_ITEM_KINDS) knowledgeItems.set({ kind }, 0);
  for (const platform of options.platforms ?? []) {
    replyLatency.zero({ platform });
    for (const outcome of ['sent', 'failed', 'skipped']) digests.inc({ platform, outcome }, 0);
  }

  return {
    registry,
    commands,
    replyLatency,
    digests,
    digestsGivenUp,
    platformErrors,
    knowledgeItems,
    get contentType() {
      return registry.contentType;
    },
    metrics: () => registry.metrics(),
    setKnowledgeItems(counts) {
      for (const kind of KNOWLEDGE_ITEM_KINDS) {
        const value = counts[kind];
        if (value !== undefined) knowledgeItems.set({ kind }, value);
      }
    },
  };
}

/**
 * Count the items of a knowledge base, for {@link DossierMetrics.setKnowledgeItems} and health.
 *
 * @example
 * metrics.setKnowledgeItems(countKnowledge(kb));
 */
export function countKnowledge(kb: Pick<KnowledgeBase, 'entities' | 'facts' | 'quotes' | 'events' | 'claims' | 'sources'>): KnowledgeCounts {
  return {
    entities: kb.entities.length,
    facts: kb.facts.length,
    quotes: kb.quotes.length,
    events: kb.events.length,
    claims: kb.claims.length,
    sources: kb.sources.length,
  };
}
