/**
 * The command line of `dossier ask`: options first, then messages. A message may start with
 * "-" ("-h", "--who"): `--` ends the options, and nothing after the first message is an option.
 */

/** What the command line asks for. */
export interface AskArguments {
  json: boolean;
  help: boolean;
  messages: string[];
}

/**
 * Parse `ask`'s arguments: options until `--` or the first message, messages after.
 *
 * @returns the arguments, or the message for a user who gave an unknown option.
 * @example
 * parseAskArguments(['--json', '/who x', '-h']) // → { json: true, help: false, messages: ['/who x', '-h'] }
 */
export function parseAskArguments(argv: readonly string[]): AskArguments | { error: string } {
  const parsed: AskArguments = { json: false, help: false, messages: [] };
  let i = 0;
  for (; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      i += 1;
      break;
    }
    if (arg === '--json') parsed.json = true;
    else if (arg === '--help' || arg === '-h') parsed.help = true;
    else if (arg.startsWith('-') && arg !== '-') return { error: `Unknown option "${arg}". To send a message that starts with "-", put -- before it.` };
    else break;
  }
  parsed.messages = argv.slice(i);
  return parsed;
}
