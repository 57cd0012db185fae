/**
 * The one command definition, as Discord application commands (slash commands).
 *
 * Every option is a string: the router reads the argument text, so the adapter joins the values
 * in declared order. Options that declare entity types get autocomplete. Moderator-only commands
 * default to members with Manage Channels (server admins can change that per server), and the
 * router checks the permission again on every use.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandDefinition } from '../../commands/types.js';
import { shorten } from './text.js';

const NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

/** A definition that cannot become a Discord command, with the reason. */
export class CommandDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandDefinitionError';
  }
}

function checkName(name: string, what: string): string {
  if (!NAME.test(name)) throw new CommandDefinitionError(`${what} "${name}" must be 1–32 lower-case letters, digits, - or _ to be a Discord command.`);
  return name;
}

function description(text: string): string {
  const trimmed = text.trim();
  return trimmed === '' ? '…' : shorten(trimmed, 100);
}

/**
 * Turn command definitions into the body of a bulk overwrite (`PUT /applications/{id}/commands`).
 * Hidden commands (only reached through buttons) are left out.
 *
 * @example
 * const body = toApplicationCommands(router.definitions);
 * await rest.put(Routes.applicationCommands(appId), { body });
 * @throws {CommandDefinitionError} when a name is not a valid Discord command name.
 */
export function toApplicationCommands(definitions: readonly CommandDefinition[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return definitions
    .filter((definition) => definition.hidden !== true)
    .map((definition) => {
      // Discord requires required options before optional ones; the declared order is kept
      // otherwise, and the values are joined back in declared order when the command runs.
      const options = [...definition.options].sort((a, b) => Number(b.required) - Number(a.required));
      return {
        type: ApplicationCommandType.ChatInput,
        name: checkName(definition.name, 'Command'),
        description: description(definition.description),
        options: options.map((option) => ({
          type: ApplicationCommandOptionType.String,
          name: checkName(option.name, `Option of /${definition.name}`),
          description: description(option.description),
          required: option.required,
          ...(option.autocomplete !== undefined && option.autocomplete.length > 0 ? { autocomplete: true } : {}),
          max_length: 500,
        })),
        default_member_permissions: definition.moderatorOnly === true ? PermissionFlagsBits.ManageChannels.toString() : null,
        // Guild channels and DMs with the bot (moderator-only commands are for anyone in a DM).
        contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
        integration_types: [ApplicationIntegrationType.GuildInstall],
      } satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
    });
}
