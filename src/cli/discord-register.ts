/**
 * `npm run discord:register [-- --guild ID] [--dry-run] [--clear]`: register Dossier's slash commands with
 * Discord, globally or for one guild, and print what changed. Safe to run again: it compares
 * first and writes with one bulk overwrite only when something differs.
 *
 * Reads DISCORD_TOKEN, DISCORD_APPLICATION_ID and DISCORD_API_URL from the environment or `.env`.
 */
import { ConfigError, EX_CONFIG, loadConfig, readEnvironment } from '../config/config.js';

const USAGE = `Usage: npm run discord:register [-- --guild ID] [--dry-run] [--clear]

  --guild ID   register for one server only (changes show at once); default: globally
  --dry-run    show what would change, change nothing
  --clear      remove every command in that scope (e.g. a test server's copy)

Needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (environment or .env).`;

interface Arguments {
  guildId?: string;
  dryRun: boolean;
  clear: boolean;
  help: boolean;
}

/** Parse the command line; throws a message for the user on bad arguments. */
function parseArguments(argv: string[]): Arguments {
  const parsed: Arguments = { dryRun: false, clear: false, help: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--dry-run') parsed.dryRun = true;
    else if (arg === '--clear') parsed.clear = true;
    else if (arg === '--help' || arg === '-h') parsed.help = true;
    else if (arg === '--guild' || arg?.startsWith('--guild=')) {
      const value = arg === '--guild' ? argv[(i += 1)] : arg.slice('--guild='.length);
      // A Discord id (snowflake) is 17–20 digits today; anything else cannot be a server.
      if (value === undefined || !/^\d{17,20}$/.test(value)) {
        throw new Error(`--guild needs a server id of 17–20 digits${value === undefined ? '' : `, not "${value}"`} (Discord: turn on Developer Mode, then right-click the server → Copy Server ID).`);
      }
      parsed.guildId = value;
    } else throw new Error(`Unknown argument "${arg}".`);
  }
  return parsed;
}

async function main(argv: string[]): Promise<number> {
  let args: Arguments;
  try {
    args = parseArguments(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 64; // EX_USAGE
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let token: string | undefined;
  let applicationId: string | undefined;
  let apiUrl: string | undefined;
  let defaultTimeZone: string;
  try {
    const config = loadConfig(readEnvironment());
    token = config.DISCORD_TOKEN;
    applicationId = config.DISCORD_APPLICATION_ID;
    apiUrl = config.DISCORD_API_URL;
    defaultTimeZone = config.DIGEST_TIMEZONE;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return EX_CONFIG;
  }
  if (token === undefined || applicationId === undefined) {
    process.stderr.write('Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (Developer Portal → your application) to register commands.\n');
    return EX_CONFIG;
  }

  // discord.js and the command set load only now: usage and setting errors answer at once.
  const [{ REST }, { formatRegistrationReport, registerCommands }, { commandDefinitionsOnly }] = await Promise.all([
    import('discord.js'),
    import('../adapters/discord/register.js'),
    import('../app/commands.js'),
  ]);
  const rest = new REST(apiUrl === undefined ? {} : { api: apiUrl }).setToken(token);
  try {
    const report = await registerCommands(rest, {
      applicationId,
      definitions: args.clear ? [] : commandDefinitionsOnly(defaultTimeZone),
      dryRun: args.dryRun,
      ...(args.guildId === undefined ? {} : { guildId: args.guildId }),
    });
    process.stdout.write(`${formatRegistrationReport(report)}\n`);
    return 0;
  } catch (error) {
    const status = (error as { status?: number }).status;
    const hint =
      status === 401
        ? ' Check DISCORD_TOKEN (Developer Portal → Bot → Reset Token).'
        : status === 403
          ? ' Check DISCORD_APPLICATION_ID, and for --guild that the bot was invited with the applications.commands scope.'
          : '';
    process.stderr.write(`Could not register the commands: ${(error as Error).message}.${hint}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
