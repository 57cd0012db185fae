/**
 * Answering Discord interactions: slash commands, autocomplete and button presses, through the
 * command router. No business logic here: the router decides what to say, `render.ts` how it
 * looks; this module only meets Discord's deadlines and rules.
 *
 * Deadlines: an interaction must be answered within 3 s. A command whose answer is not ready
 * after `deferAfterMs` is deferred ("thinking…") and edited when ready (within 15 min).
 * Autocomplete cannot be deferred, so it answers at once and never throws.
 */
import {
  MessageFlags,
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type RepliableInteraction,
} from 'discord.js';
import type { CommandRouter } from '../../commands/router.js';
import { apologyReply } from '../../commands/router.js';
import type { CommandContext } from '../../commands/types.js';
import type { Logger } from '../../observability/logger.js';
import type { Telemetry } from '../../observability/telemetry.js';
import { reply as buildReply, type Reply } from '../../replies/reply.js';
import { expiredFollowUpReply } from '../../commands/follow-ups.js';
import { FOLLOW_UP_KEY_PREFIX, type FollowUpKeys } from '../follow-up-keys.js';
import { toDeliveryError } from './errors.js';
import type { PageStore } from './pages.js';
import { DISCORD_LIMITS, MORE_PREFIX, pageMessage, renderReply, type DiscordMessageBody, type RenderedReply, type RenderOptions } from './render.js';
import { shorten } from './text.js';

export interface InteractionDeps {
  router: CommandRouter;
  logger: Logger;
  telemetry: Telemetry;
  now: () => Date;
  pages: PageStore;
  /** Follow-ups too long for a custom id, under keys. */
  followUpKeys: FollowUpKeys;
  render: RenderOptions;
  /** Defer a command whose answer is not ready after this long (ms); well under Discord's 3 s. */
  deferAfterMs: number;
  /** `true` once the runtime is stopping: new commands get a short "restarting" notice. */
  isStopping: () => boolean;
}

/** What a command gets while the bot stops. */
export const RESTARTING = buildReply({
  kind: 'notice',
  title: 'Dossier is restarting.',
  summary: 'Please try again in a minute.',
  private: true,
});

/** What a "More" button gets once its pages are gone. */
export const EXPIRED = buildReply({
  kind: 'notice',
  title: 'Those extra pages have expired.',
  summary: 'Run the command again to see the whole answer.',
  private: true,
});

/**
 * Handle one interaction; never throws (failures are logged with the interaction id and the user
 * gets a short ephemeral apology).
 */
export async function handleInteraction(interaction: Interaction, deps: InteractionDeps): Promise<void> {
  try {
    if (interaction.isAutocomplete()) return await onAutocomplete(interaction, deps);
    if (interaction.isChatInputCommand()) return await onCommand(interaction, deps);
    if (interaction.isButton()) return await onButton(interaction, deps);
    deps.logger.debug({ interactionId: interaction.id, type: interaction.type }, 'discord interaction ignored');
  } catch (error) {
    deps.logger.error({ err: error, interactionId: interaction.id, platform: 'discord' }, 'discord interaction failed');
    deps.telemetry.platformError('discord', toDeliveryError(error, interaction.channelId ?? '').kind);
    if (interaction.isRepliable()) await apologise(interaction, deps);
  }
}

/** Who and where, in the router's neutral terms. Moderator = Manage Channels (anyone in a DM). */
function commandContext(interaction: Interaction, now: Date): CommandContext {
  const inGuild = interaction.guildId !== null;
  return {
    chat: { platform: 'discord', id: interaction.channelId ?? interaction.user.id, type: inGuild ? 'group' : 'private' },
    user: {
      id: interaction.user.id,
      name: interaction.user.globalName ?? interaction.user.username,
      isModerator: !inGuild || (interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false),
    },
    now,
  };
}

/** The command line the router reads: `/name` plus the option values in declared order. */
function commandLine(interaction: ChatInputCommandInteraction, router: CommandRouter): string {
  const definition = router.find(interaction.commandName);
  const names = definition?.options.map((o) => o.name) ?? interaction.options.data.map((o) => o.name);
  const values = names
    .map((name) => interaction.options.get(name)?.value)
    .filter((value) => value !== undefined && value !== null)
    .map((value) => String(value).trim())
    .filter((value) => value !== '');
  return values.length === 0 ? `/${interaction.commandName}` : `/${interaction.commandName} ${values.join(' ')}`;
}

/** Run `work`; if it is not done after `afterMs`, call `defer` meanwhile. Reports whether it did. */
async function withDeferral<T>(work: Promise<T>, afterMs: number, defer: () => Promise<unknown>): Promise<{ value: T; deferred: Promise<unknown> | null }> {
  let deferred: Promise<unknown> | null = null;
  const timer = setTimeout(() => {
    deferred = defer();
    // The outcome is awaited by the caller; keep an early rejection from being "unhandled".
    deferred.catch(() => undefined);
  }, afterMs);
  try {
    const value = await work;
    return { value, deferred };
  } finally {
    clearTimeout(timer);
  }
}

/** What {@link prepare} needs: the follow-up keys, the page store and the render options. */
export type PrepareDeps = Pick<InteractionDeps, 'followUpKeys' | 'pages' | 'render'>;

/** Whether a command line can be a button's custom id as it is (else it is kept under a key). */
function commandFitsCustomId(command: string): boolean {
  return command.startsWith('/') && command.length <= DISCORD_LIMITS.customId;
}

/** Render a reply, its too-long follow-ups kept under keys first. */
async function renderWithKeys(answer: Reply, deps: PrepareDeps): Promise<RenderedReply> {
  return renderReply(await deps.followUpKeys.keyed(answer, commandFitsCustomId), deps.render);
}

async function firstPage(rendered: RenderedReply, pages: PageStore): Promise<DiscordMessageBody> {
  const more = rendered.pages.length > 1 ? `${MORE_PREFIX}${await pages.save(rendered)}:1` : undefined;
  return pageMessage(rendered, 0, more);
}

/**
 * An answer made ready to send: rendered, with its keys and pages saved. Part of the work the
 * 3-second deadline covers, since saving may wait for the database.
 */
export async function prepare(answer: Reply, deps: PrepareDeps): Promise<{ rendered: RenderedReply; body: DiscordMessageBody }> {
  const rendered = await renderWithKeys(answer, deps);
  return { rendered, body: await firstPage(rendered, deps.pages) };
}

async function onCommand(interaction: ChatInputCommandInteraction, deps: InteractionDeps): Promise<void> {
  if (deps.isStopping()) {
    await interaction.reply({ ...pageMessage(renderReply(RESTARTING, deps.render), 0), flags: MessageFlags.Ephemeral });
    return;
  }
  const line = commandLine(interaction, deps.router);
  const work = deps.router.handle(line, commandContext(interaction, deps.now()), { updateId: interaction.id }).then((result) => prepare(result?.reply ?? apologyReply(), deps));
  const { value: prepared, deferred } = await withDeferral(work, deps.deferAfterMs, () => interaction.deferReply());
  const { rendered, body } = prepared;
  if (deferred === null) {
    await interaction.reply({ ...body, ...(rendered.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
    return;
  }
  await deferred;
  if (rendered.ephemeral) {
    // A deferral is public; an ephemeral answer replaces it with a message only the asker sees.
    await interaction.deleteReply();
    await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
  } else {
    await interaction.editReply(body);
  }
}

async function onAutocomplete(interaction: AutocompleteInteraction, deps: InteractionDeps): Promise<void> {
  let choices: Array<{ name: string; value: string }> = [];
  if (!deps.isStopping()) {
    try {
      const focused = interaction.options.getFocused(true);
      choices = deps.router
        .autocomplete(interaction.commandName, focused.name, String(focused.value))
        .map((c) => ({ name: shorten(c.name.trim(), DISCORD_LIMITS.choiceText), value: shorten(c.value.trim(), DISCORD_LIMITS.choiceText) }))
        .filter((c) => c.name !== '' && c.value !== '')
        .slice(0, DISCORD_LIMITS.choices);
    } catch (error) {
      deps.logger.error({ err: error, interactionId: interaction.id, command: interaction.commandName }, 'discord autocomplete failed');
      choices = [];
    }
  }
  try {
    await interaction.respond(choices);
  } catch (error) {
    // Too late (3 s passed) or Discord refused: nothing to tell the user, who keeps typing.
    deps.logger.warn({ err: error, interactionId: interaction.id }, 'discord autocomplete answer failed');
    deps.telemetry.platformError('discord', toDeliveryError(error, interaction.channelId ?? '').kind);
  }
}

async function onButton(interaction: ButtonInteraction, deps: InteractionDeps): Promise<void> {
  const id = interaction.customId;
  if (id.startsWith(MORE_PREFIX)) return showPage(interaction, deps);
  if (deps.isStopping()) return privateAnswer(interaction, RESTARTING, deps);
  const command = id.startsWith('/') || id.startsWith(FOLLOW_UP_KEY_PREFIX) ? await deps.followUpKeys.commandOf(id) : undefined;
  if (command === undefined) return privateAnswer(interaction, expiredFollowUpReply(), deps);
  const work = deps.router
    .handle(command, commandContext(interaction, deps.now()), { updateId: interaction.id, followUp: true })
    .then((result) => prepare(result?.reply ?? apologyReply(), deps));
  const { value: prepared, deferred } = await withDeferral(work, deps.deferAfterMs, () => interaction.deferUpdate());
  if (deferred !== null) await deferred;
  const { rendered, body } = prepared;
  if (rendered.ephemeral) {
    // An error or hint for the presser only: the message everyone sees stays as it was.
    if (deferred === null) await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
    else await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
    return;
  }
  // The pressed message is updated in place; an ephemeral message stays ephemeral.
  if (deferred === null) await interaction.update(body);
  else await interaction.editReply(body);
}

async function showPage(interaction: ButtonInteraction, deps: InteractionDeps): Promise<void> {
  const [key = '', pageText = ''] = interaction.customId.slice(MORE_PREFIX.length).split(':');
  const rendered = await deps.pages.get(key);
  const page = Number(pageText);
  if (rendered === undefined || !Number.isInteger(page) || page < 0 || page >= rendered.pages.length) {
    return privateAnswer(interaction, EXPIRED, deps);
  }
  const more = page + 1 < rendered.pages.length ? `${MORE_PREFIX}${key}:${page + 1}` : undefined;
  await interaction.update(pageMessage(rendered, page, more));
}

async function privateAnswer(interaction: RepliableInteraction, answer: Reply, deps: InteractionDeps): Promise<void> {
  const body = pageMessage(renderReply(answer, deps.render), 0);
  if (interaction.replied || interaction.deferred) await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
  else await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
}

async function apologise(interaction: RepliableInteraction, deps: InteractionDeps): Promise<void> {
  try {
    await privateAnswer(interaction, apologyReply(), deps);
  } catch (error) {
    deps.logger.warn({ err: error, interactionId: interaction.id }, 'discord apology could not be sent');
  }
}
