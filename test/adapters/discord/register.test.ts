/**
 * `npm run discord:register`: compare, then bulk-overwrite; idempotent; global or one guild.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatRegistrationReport, registerCommands } from '../../../src/adapters/discord/register.js';
import { FakeDiscord } from '../../fakes/discord-api.js';
import { compiled } from '../../support/compiled.js';
import { commandSet } from './harness.js';

const run = promisify(execFile);
let discord: FakeDiscord;
let rest: REST;

beforeEach(async () => {
  discord = await FakeDiscord.start();
  rest = new REST({ api: discord.apiUrl }).setToken(discord.token);
});
afterEach(async () => {
  await discord.close();
});

const puts = () => discord.requests.filter((r) => r.method === 'PUT');

describe('registerCommands', () => {
  it('adds every command on the first run, and changes nothing on the second', async () => {
    const definitions = commandSet();
    const first = await registerCommands(rest, { applicationId: discord.applicationId, definitions });
    expect(first.applied).toBe(true);
    expect(first.changes.every((c) => c.change === 'added')).toBe(true);
    expect(discord.commands.get('global')?.map((c) => c.name)).toEqual(first.changes.map((c) => c.name));
    expect(puts()).toHaveLength(1);

    const second = await registerCommands(rest, { applicationId: discord.applicationId, definitions });
    expect(second.applied).toBe(false);
    expect(second.changes.every((c) => c.change === 'unchanged')).toBe(true);
    expect(puts()).toHaveLength(1);
    expect(formatRegistrationReport(second)).toContain('Already up to date');
  });

  it('reports updated and removed commands, and overwrites them in one request', async () => {
    await registerCommands(rest, { applicationId: discord.applicationId, definitions: commandSet() });
    const changed = commandSet()
      .filter((c) => c.name !== 'boom')
      .map((c) => (c.name === 'who' ? { ...c, description: 'Who is someone, with sources' } : c));
    const report = await registerCommands(rest, { applicationId: discord.applicationId, definitions: changed });
    expect(report.changes).toEqual(
      expect.arrayContaining([
        { name: 'who', change: 'updated' },
        { name: 'boom', change: 'removed' },
        { name: 'echo', change: 'unchanged' },
      ]),
    );
    expect(puts()).toHaveLength(2);
    expect(discord.commands.get('global')?.map((c) => c.name)).not.toContain('boom');
  });

  it('registers for one guild only, leaving global commands alone', async () => {
    const report = await registerCommands(rest, { applicationId: discord.applicationId, guildId: '200000000000000001', definitions: commandSet() });
    expect(report.scope).toEqual({ kind: 'guild', guildId: '200000000000000001' });
    expect(puts()[0]?.path).toBe(`/applications/${discord.applicationId}/guilds/200000000000000001/commands`);
    expect(discord.commands.get('global')).toBeUndefined();
  });

  it('changes nothing on a dry run', async () => {
    const report = await registerCommands(rest, { applicationId: discord.applicationId, definitions: commandSet(), dryRun: true });
    expect(report.applied).toBe(false);
    expect(report.changes.every((c) => c.change === 'added')).toBe(true);
    expect(puts()).toHaveLength(0);
    expect(formatRegistrationReport(report)).toContain('Dry run: nothing was changed.');
  });
});

describe('npm run discord:register', () => {
  const cli = (args: string[], env: Record<string, string>) =>
    run(process.execPath, [compiled('src/cli/discord-register.ts'), ...args], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', DOTENV_PATH: '/dev/null', ...env },
    });

  it('registers the real command set for a guild, then reports it unchanged', async () => {
    const env = { DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl };
    const first = await cli(['--guild', '200000000000000001'], env);
    expect(first.stdout).toContain('for guild 200000000000000001');
    expect(first.stdout).toContain('+ /who (added)');
    expect(first.stdout).toMatch(/\d+ added\. Registered\./);
    const second = await cli(['--guild', '200000000000000001'], env);
    expect(second.stdout).toContain('= /who (unchanged)');
    expect(second.stdout).toContain('Already up to date');
    const cleared = await cli(['--guild', '200000000000000001', '--clear'], env);
    expect(cleared.stdout).toContain('- /who (removed)');
    expect(discord.commands.get('200000000000000001')).toEqual([]);
  }, 60_000); // three processes in a row: slow on a loaded two-core machine

  it('explains a missing token, a bad argument and a rejected token', async () => {
    const missing = await cli([], {}).catch((e: { code: number; stderr: string }) => e);
    expect(missing).toMatchObject({ code: 78 });
    expect((missing as { stderr: string }).stderr).toContain('Set DISCORD_TOKEN and DISCORD_APPLICATION_ID');
    // Numeric, but far too short for a Discord id: say what a server id looks like.
    const bad = await cli(['--guild', '999'], {}).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 64 });
    expect((bad as { stderr: string }).stderr).toContain('--guild needs a server id of 17–20 digits, not "999"');
    const rejected = await cli([], { DISCORD_TOKEN: 'wrong-token', DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(rejected).toMatchObject({ code: 1 });
    expect((rejected as { stderr: string }).stderr).toContain('Check DISCORD_TOKEN');
  }, 60_000); // three processes in a row: slow on a loaded two-core machine

  it('prints its usage on --help, names an unknown argument, and hints at the application id Discord refuses', async () => {
    const help = await cli(['--help'], {});
    expect(help.stdout).toContain('Usage: npm run discord:register');
    const unknown = await cli(['--force'], {}).catch((e: { code: number; stderr: string }) => e);
    expect(unknown).toMatchObject({ code: 64 });
    expect((unknown as { stderr: string }).stderr).toContain('Unknown argument "--force"');
    const wrongApp = await cli([], { DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: '199999999999999999', DISCORD_API_URL: discord.apiUrl }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(wrongApp).toMatchObject({ code: 1 });
    expect((wrongApp as { stderr: string }).stderr).toContain('Check DISCORD_APPLICATION_ID');
    expect(puts()).toHaveLength(0);
  }, 60_000); // three processes in a row: slow on a loaded two-core machine
});
