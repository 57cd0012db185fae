#!/usr/bin/env node
/**
 * `dossier`: the project's command (`npx dossier …` in a clone, `dossier …` once installed).
 *
 *   dossier ask [--json] [--] "/who massoud" …   answer from a shell; stdout is only the answers
 *   dossier ingest <file> --outlet … [options]    add an article to the story
 *   dossier start                                  the bot (console chat, Telegram, Discord)
 *   dossier discord:register [--guild ID] …        register the slash commands
 *
 * Unlike `npm run`, nothing but the program's own output reaches standard output, so
 * `npx dossier ask --json "/sources" | jq .` works. In a clone (tsx installed) the TypeScript
 * sources run directly: no build step, never a stale build. Where tsx is not installed (a
 * production install after `npm run build` and `npm prune --omit=dev`) the compiled `dist/` runs.
 */
import { existsSync } from 'node:fs';
import process from 'node:process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ENTRIES = {
  ask: 'cli/ask',
  ingest: 'cli/ingest',
  start: 'main',
  'discord:register': 'cli/discord-register',
};

const USAGE = `Usage: dossier <command> [arguments]

  ask [--json] [--] "/who massoud" …   answer messages from a shell (or one per line of stdin)
  ingest <file> --outlet … [options]    add an article to the story and report what it adds
  start                                 run the bot: console chat, Telegram, Discord
  discord:register [--guild ID] …       register the Discord slash commands

"dossier ask --help" and "dossier discord:register --help" explain those two; "dossier ingest" with no
file prints its usage.`;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [command, ...rest] = process.argv.slice(2);

if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(command === undefined ? 64 : 0);
}
const entry = ENTRIES[command];
if (entry === undefined) {
  process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
  process.exit(64); // EX_USAGE
}

/** Whether tsx can be loaded from here (a clone with dev dependencies). */
async function tsxRegister() {
  try {
    return (await import('tsx/esm/api')).register;
  } catch {
    return undefined;
  }
}

const register = await tsxRegister();
let target;
if (register !== undefined) {
  register();
  target = join(root, 'src', `${entry}.ts`);
} else {
  target = join(root, 'dist', `${entry}.js`);
  if (!existsSync(target)) {
    process.stderr.write('Dossier is neither built (no dist/) nor runnable from source (tsx is not installed). Run npm install, or npm run build.\n');
    process.exit(69); // EX_UNAVAILABLE
  }
}
// The entry reads its own arguments from process.argv, as when it is run directly.
process.argv = [process.argv[0], target, ...rest];
await import(pathToFileURL(target).href);
