/**
 * Plain questions ("who is massoud?", "where is bazarak", "what did saleh say") mapped to the
 * command that answers them, so private chats need no slash syntax.
 */

interface QuestionPattern {
  pattern: RegExp;
  command: (subject: string) => string;
}

const SUBJECT = '(.+?)';
const END = '\\s*[?.!]*$';

const PATTERNS: QuestionPattern[] = [
  { pattern: new RegExp(`^(?:who\\s+is|who's|whos|who\\s+was|who\\s+are|tell\\s+me\\s+about|info\\s+on)\\s+${SUBJECT}${END}`, 'i'), command: (s) => `/who ${s}` },
  { pattern: new RegExp(`^(?:where\\s+is|where's|wheres|where\\s+are|where\\s+was)\\s+${SUBJECT}${END}`, 'i'), command: (s) => `/where ${s}` },
  {
    pattern: new RegExp(`^(?:what\\s+(?:did|has|have|does)\\s+${SUBJECT}\\s+(?:say|said|tweet|tweeted|tell|told)(?:\\s+.*)?|quotes?\\s+(?:from|by|of)\\s+${SUBJECT})${END}`, 'i'),
    command: (s) => `/quote ${s}`,
  },
  { pattern: /^(?:what\s+happened|timeline|what\s+is\s+the\s+timeline)(?:\s+(?:in|to|at|with)\s+(.+?))?\s*[?.!]*$/i, command: (s) => (s === '' ? '/timeline' : `/timeline ${s}`) },
  { pattern: /^(?:what(?:'s|\s+is)\s+(?:disputed|contested)|claims|what\s+are\s+the\s+claims)\s*[?.!]*$/i, command: () => '/claims' },
  { pattern: /^(?:what(?:'s|\s+is)\s+new|news|digest)\s*[?.!]*$/i, command: () => '/digest' },
  { pattern: /^(?:sources|what\s+are\s+your\s+sources|which\s+sources)\s*[?.!]*$/i, command: () => '/sources' },
  { pattern: /^(?:help|start|what\s+can\s+you\s+do|hi|hello)\s*[?.!]*$/i, command: () => '/help' },
];

/**
 * Map a plain question to a command line; anything else becomes a `/search`.
 * Returns `null` for text with no letters or digits at all.
 *
 * @example
 * questionToCommand('Who is Massoud?') // → '/who Massoud'
 * questionToCommand('panjshir valley') // → '/search panjshir valley'
 */
export function questionToCommand(text: string): string | null {
  const trimmed = text.trim();
  if (!/[\p{L}\p{N}]/u.test(trimmed)) return null;
  for (const { pattern, command } of PATTERNS) {
    const match = pattern.exec(trimmed);
    if (match !== null) {
      const subject = (match.slice(1).find((g) => g !== undefined) ?? '').trim();
      return command(subject);
    }
  }
  return `/search ${trimmed.replace(/[?!.]+$/, '')}`;
}
