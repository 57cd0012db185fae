import { afterEach, describe, expect, it } from 'vitest';
import { chatInputInteraction } from '../../fakes/discord-payloads.js';
import { startHarness, type Harness } from './harness.js';
import { suggestEntities, testCommands } from './test-commands.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('Discord runtime against the fake Discord', () => {
  it('logs in: fetches the gateway, identifies with only the Guilds intent, and is connected after READY', async () => {
    harness = await startHarness({ commands: testCommands(), suggestEntities });
    const { discord } = harness;
    expect(discord.requests.some((r) => r.method === 'GET' && r.path === '/gateway/bot')).toBe(true);
    const [identify] = discord.received(2);
    expect(identify?.d).toMatchObject({ token: discord.token, intents: 1, shard: [0, 1] });
    expect(discord.dispatched('READY')).toHaveLength(1);
    expect(harness.runtime.health()).toEqual({ status: 'connected' });
  });

  it('answers /who with an embed titled by the entity, with sources', async () => {
    harness = await startHarness({ commands: testCommands(), suggestEntities });
    const { discord } = harness;
    const id = discord.sendInteraction(chatInputInteraction(discord, { command: 'who', options: { name: 'massoud' } }));
    const [response] = await discord.waitForInteractionResponses(id);
    expect(response?.type).toBe(4);
    const embed = (response?.data?.embeds as Array<Record<string, unknown>>)[0];
    expect(embed?.title).toBe('Ahmad Massoud');
  });
});
