/**
 * Registering the slash commands with Discord: compare what is registered with what the command
 * definitions say, then bulk-overwrite (one idempotent `PUT`) globally or for one guild.
 *
 * Global commands reach every server the bot is in (Discord may take a while to show changes);
 * guild commands update at once, which suits a test server.
 */
import { Routes, type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { CommandDefinition } from '../../commands/types.js';
import { toApplicationCommands } from './commands.js';

export interface RegistrationOptions {
  applicationId: string;
  /** Register for this guild only (instant); unset: globally. */
  guildId?: string;
  definitions: readonly CommandDefinition[];
  /** Compare and report, but change nothing. */
  dryRun?: boolean;
}

export type ChangeKind = 'added' | 'updated' | 'removed' | 'unchanged';

export interface RegistrationReport {
  scope: { kind: 'global' } | { kind: 'guild'; guildId: string };
  changes: Array<{ name: string; change: ChangeKind }>;
  /** Whether the commands were written (false for a dry run or when nothing changed). */
  applied: boolean;
  dryRun: boolean;
}

/** The parts of a command that registration controls, in a form that compares equal when equal. */
function comparable(command: Record<string, unknown>): string {
  const options = ((command.options as Array<Record<string, unknown>> | undefined) ?? []).map((o) => ({
    type: o.type,
    name: o.name,
    description: o.description,
    required: o.required === true,
    autocomplete: o.autocomplete === true,
    max_length: o.max_length ?? null,
  }));
  const contexts = command.contexts as number[] | null | undefined;
  return JSON.stringify({
    type: command.type ?? 1,
    name: command.name,
    description: command.description,
    options,
    default_member_permissions: command.default_member_permissions ?? null,
    contexts: contexts === null || contexts === undefined ? null : [...contexts].sort(),
  });
}

/**
 * Bring Discord's registered commands in line with the definitions.
 *
 * @example
 * const rest = new REST().setToken(token);
 * const report = await registerCommands(rest, { applicationId, guildId: '123', definitions });
 * console.log(formatRegistrationReport(report));
 * @throws {DiscordAPIError} when Discord refuses (bad token, wrong application id, invalid command).
 */
export async function registerCommands(rest: REST, options: RegistrationOptions): Promise<RegistrationReport> {
  const route = options.guildId === undefined ? Routes.applicationCommands(options.applicationId) : Routes.applicationGuildCommands(options.applicationId, options.guildId);
  const desired: RESTPostAPIChatInputApplicationCommandsJSONBody[] = toApplicationCommands(options.definitions);
  const current = (await rest.get(route)) as Array<Record<string, unknown>>;

  const changes: RegistrationReport['changes'] = [];
  for (const command of desired) {
    const existing = current.find((c) => c.name === command.name);
    const change: ChangeKind = existing === undefined ? 'added' : comparable(existing) === comparable(command as unknown as Record<string, unknown>) ? 'unchanged' : 'updated';
    changes.push({ name: command.name, change });
  }
  for (const command of current) {
    if (!desired.some((d) => d.name === command.name)) changes.push({ name: String(command.name), change: 'removed' });
  }

  const needed = changes.some((c) => c.change !== 'unchanged');
  const dryRun = options.dryRun === true;
  if (needed && !dryRun) await rest.put(route, { body: desired });
  return {
    scope: options.guildId === undefined ? { kind: 'global' } : { kind: 'guild', guildId: options.guildId },
    changes,
    applied: needed && !dryRun,
    dryRun,
  };
}

/**
 * A report for people: one line per command and a summary.
 *
 * @example
 * formatRegistrationReport(report)
 * // → 'Slash commands for guild 123:\n  + who (added)\n  = help (unchanged)\n1 added, 1 unchanged. Registered.'
 */
export function formatRegistrationReport(report: RegistrationReport): string {
  const marks: Record<ChangeKind, string> = { added: '+', updated: '~', removed: '-', unchanged: '=' };
  const scope = report.scope.kind === 'global' ? 'globally (may take up to an hour to show everywhere)' : `for guild ${report.scope.guildId} (shows at once)`;
  const lines = report.changes.map((c) => `  ${marks[c.change]} /${c.name} (${c.change})`);
  const counts = (['added', 'updated', 'removed', 'unchanged'] as const)
    .map((kind) => [kind, report.changes.filter((c) => c.change === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  const outcome = report.dryRun
    ? 'Dry run: nothing was changed.'
    : report.applied
      ? 'Registered.'
      : 'Already up to date: nothing was changed.';
  return [`Slash commands ${scope}:`, ...lines, `${counts === '' ? 'No commands' : counts}. ${outcome}`].join('\n');
}
