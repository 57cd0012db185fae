import { describe, expect, it } from 'vitest';
import { countKnowledge, createMetrics, KNOWLEDGE_ITEM_KINDS } from '../../src/observability/metrics.js';

describe('createMetrics', () => {
  it('exposes the Dossier metrics and the process defaults in Prometheus text', async () => {
    const metrics = createMetrics();
    const text = await metrics.metrics();
    for (const name of ['dossier_commands_total', 'dossier_reply_latency_seconds', 'dossier_digests_total', 'dossier_platform_errors_total', 'dossier_knowledge_items']) {
      expect(text).toContain(`# HELP ${name} `);
    }
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('keeps each instance on its own registry, so counts never leak between bots or tests', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.commands.inc({ platform: 'console', command: 'who', outcome: 'answer' });
    expect(await a.metrics()).toContain('dossier_commands_total{platform="console",command="who",outcome="answer"} 1');
    expect(await b.metrics()).not.toContain('dossier_commands_total{');
  });

  it('sets the knowledge base size by kind, leaving unmentioned kinds as they were', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.setKnowledgeItems({ entities: 40, facts: 120, quotes: 12, events: 9, claims: 3, sources: 4 });
    metrics.setKnowledgeItems({ facts: 130 });
    const text = await metrics.metrics();
    expect(text).toContain('dossier_knowledge_items{kind="entities"} 40');
    expect(text).toContain('dossier_knowledge_items{kind="facts"} 130');
    expect(text).toContain('dossier_knowledge_items{kind="sources"} 4');
  });

  it('shows zero counts for configured platforms before their first event', async () => {
    const text = await createMetrics({ defaultMetrics: false, platforms: ['telegram'] }).metrics();
    expect(text).toContain('dossier_digests_total{platform="telegram",outcome="sent"} 0');
    expect(text).toContain('dossier_reply_latency_seconds_count{platform="telegram"} 0');
  });

  it('countKnowledge counts each kind of item', () => {
    const kb = { entities: [1, 2], facts: [1, 2, 3], quotes: [1], events: [], claims: [1], sources: [1, 2, 3, 4] };
    expect(countKnowledge(kb as never)).toEqual({ entities: 2, facts: 3, quotes: 1, events: 0, claims: 1, sources: 4 });
    expect(Object.keys(countKnowledge(kb as never))).toEqual([...KNOWLEDGE_ITEM_KINDS]);
  });
});
