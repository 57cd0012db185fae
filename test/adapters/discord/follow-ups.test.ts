/**
 * Follow-ups too long for a Discord custom id (100 characters) and the "More" pages of a long
 * answer are kept in the database: both buttons still work after the bot restarts (a new
 * runtime and store on the same database file, against the same fake Discord).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../fakes/discord-api.js';
import { buttonInteraction, chatInputInteraction } from '../../fakes/discord-payloads.js';
import { startHarness, type Harness } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'dossier-dc-follow-ups-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QUERY = 'taliban resistance panjshir valley forces fighters district province capital government leaders talks';

type Embed = { title?: string; footer?: { text: string }; fields?: Array<{ name: string; value: string }> };
type Row = { components: Array<{ custom_id: string; label: string }> };
const embedOf = (data: Record<string, unknown> | undefined) => ((data?.embeds ?? []) as Embed[])[0];
const buttonsOf = (data: Record<string, unknown> | undefined) => ((data?.components ?? []) as Row[]).flatMap((row) => row.components);

async function command(h: Harness, name: string, options: Record<string, string> = {}) {
  const id = h.discord.sendInteraction(chatInputInteraction(h.discord, { command: name, options }));
  await h.discord.waitForInteractionResponses(id);
  return h.discord.originalMessage(id) ?? {};
}

async function press(h: Harness, message: Record<string, unknown>, customId: string) {
  const id = h.discord.sendInteraction(buttonInteraction(h.discord, { customId, message }));
  const [response] = await h.discord.waitForInteractionResponses(id);
  return response;
}

describe('long follow-ups on Discord', () => {
  it('a long /search’s “More results” and a long answer’s “More” keep working across a restart', async () => {
    const databasePath = join(dir, 'bot.sqlite');
    const discord = await FakeDiscord.start();
    const before = await startHarness({ databasePath, discord });
    let stopped = false;
    try {
      const search = await command(before, 'search', { words: QUERY });
      const moreResults = buttonsOf(search).find((b) => b.label === 'More results');
      expect(`/search ${QUERY} page:2`.length).toBeGreaterThan(100);
      expect(moreResults?.custom_id).toMatch(/^k:[\w-]{1,16}$/);
      const pageOne = embedOf(search)?.fields?.find((f) => f.name === 'Results')?.value ?? '';

      const long = await command(before, 'long');
      const more = buttonsOf(long).find((b) => b.label === 'More');
      expect(more?.custom_id).toMatch(/^more:[\w-]{1,16}:1$/);

      await before.stop();
      stopped = true;
      const after = await startHarness({ databasePath, discord });
      try {
        const paged = await press(after, search, moreResults?.custom_id ?? '');
        expect(paged?.type).toBe(7);
        const pageTwo = embedOf(paged?.data)?.fields?.find((f) => f.name === 'Results, page 2')?.value;
        expect(pageTwo).toBeDefined();
        const one = pageOne.split('\n');
        expect((pageTwo ?? '').split('\n').filter((l) => one.includes(l))).toEqual([]);

        const next = await press(after, long, more?.custom_id ?? '');
        expect(next?.type).toBe(7);
        expect(embedOf(next?.data)?.footer?.text).toMatch(/page 2\/\d+$/);
      } finally {
        await after.stop();
      }
    } finally {
      if (!stopped) await before.stop();
      await discord.close();
    }
  });
});
