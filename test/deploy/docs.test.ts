import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../../src/config/config.js';
import { createMetrics } from '../../src/observability/metrics.js';

/** The operators' guide. */
const guide = readFileSync(new URL('../../docs/deploying.md', import.meta.url), 'utf8');

describe('the deploying guide (docs/deploying.md)', () => {
  it('exists', () => {
    expect(guide).toMatch(/^# Deploying Dossier\n/);
    expect(guide.length).toBeGreaterThan(2000);
  });

  it('has a row in the settings table for every setting the bot reads', () => {
    for (const name of [...SETTING_NAMES, 'DOTENV_PATH']) expect(guide, name).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
  });

  it('describes every Dossier metric the bot exports', async () => {
    const names = (await createMetrics({ defaultMetrics: false }).registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names.length).toBe(6);
    for (const name of names) expect(guide, name).toContain(`| \`${name}\` |`);
  });

  it('says the image was checked by a parsing test because there is no Docker engine here', () => {
    expect(guide).toContain('no Docker engine');
    expect(guide).toContain('test/deploy/container.test.ts');
  });
});
