/**
 * The console chat: one message per line in, one plain-text (or JSON) reply per message out,
 * numbered follow-ups that run like buttons, and a clean end on /quit, end of input or a stop.
 */
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { consoleContext, replyAsJsonLine, runConsoleChat } from '../../../src/adapters/console/console-chat.js';
import { createConsoleSender } from '../../../src/adapters/console/sender.js';
import { renderPlainText } from '../../../src/adapters/console/render.js';
import { createCommandSet } from '../../../src/commands/index.js';
import { createRouter } from '../../../src/commands/router.js';
import { loadStory } from '../../../src/knowledge/load.js';
import { silentLogger } from '../../../src/observability/logger.js';
import { reply } from '../../../src/replies/reply.js';
import { createKnowledgeSearch } from '../../../src/search/knowledge-search.js';
import type { KnowledgeSnapshot } from '../../../src/search/types.js';

const NOW = new Date('2021-08-24T09:00:00Z');
const kb = loadStory('data/stories/panjshir');
const snapshot: KnowledgeSnapshot = { kb, search: createKnowledgeSearch(kb), version: 'test', loadedAt: NOW };
const router = createRouter({ commands: createCommandSet({ knowledge: () => snapshot }), logger: silentLogger() });

/** Run a scripted (non-interactive) chat over these lines and return everything it printed. */
async function chat(lines: string[], options: { json?: boolean; interactive?: boolean } = {}): Promise<{ output: string; answered: number }> {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const answered = await runConsoleChat({
    router,
    input: Readable.from(lines.map((l) => `${l}\n`)),
    output,
    interactive: options.interactive ?? false,
    ...(options.json === undefined ? {} : { json: options.json }),
    now: () => NOW,
  });
  return { output: text, answered };
}

describe('the console chat', () => {
  it('answers each line in order, as plain text with numbered sources', async () => {
    const { output, answered } = await chat(['/where panjshir', '/sources']);
    expect(answered).toBe(2);
    const where = output.indexOf('Panjshir —');
    const sources = output.indexOf('G1 (Globo)', where);
    expect(where).toBeGreaterThanOrEqual(0);
    expect(sources).toBeGreaterThan(where);
    expect(output).toMatch(/\[1\] G1 \(Globo\) — .+\(2021-08-23\)/);
    expect(output).not.toMatch(/<\/?[a-z]+>/); // no markup in plain text
  });

  it('understands plain questions as well as commands', async () => {
    const { output } = await chat(['who is saleh?']);
    expect(output).toContain('Amrullah Saleh');
  });

  it('runs a listed follow-up when its number is typed, like pressing a button', async () => {
    const first = await router.handle('/who massoud', consoleContext(NOW), { questions: true });
    const actions = [...(first?.reply.suggestions ?? []), ...(first?.reply.actions ?? [])];
    const other = actions.findIndex((a) => a.command.includes('ahmad-shah-massoud'));
    expect(other).toBeGreaterThanOrEqual(0);

    const { output } = await chat(['/who massoud', String(other + 1)]);
    const second = output.slice(output.lastIndexOf('Ahmad Shah Massoud —'));
    expect(second.startsWith('Ahmad Shah Massoud —')).toBe(true);
  });

  it('answers a line with no words in it with a hint instead of silence', async () => {
    const { output, answered } = await chat(['🙂 !!']);
    expect(answered).toBe(1);
    expect(output).toContain('I did not catch a question there.');
  });

  it('a number with no such follow-up says so and lists the ones there are, under the same numbers', async () => {
    const { output } = await chat(['/help', '7', '2']);
    const [, noSuch = '', picked = ''] = output.split(/\n(?=There is no follow-up|Panjshir —)/);
    expect(noSuch).toMatch(/^There is no follow-up 7\.\nThe last answer listed 3: type a number from 1 to 3\./);
    expect(noSuch).toContain('1) /who massoud');
    expect(noSuch).not.toContain('Nothing in the story matches');
    // The list shown again keeps its numbers: 2 is still /where panjshir.
    expect(picked.startsWith('Panjshir —')).toBe(true);

    const first = await chat(['7']);
    expect(first.output).toMatch(/^There is no follow-up 7\.\nThe last answer listed no follow-ups\./);
  });

  it('/help offers examples to try, not "Did you mean", each shown once', async () => {
    const { output } = await chat(['/help']);
    expect(output).not.toContain('Did you mean');
    expect(output).toMatch(/Follow-ups\n {2}1\) \/who massoud\n/);
    expect(output).not.toMatch(/\/who massoud → \/who massoud/);
  });

  it('shows follow-ups by name, not by internal id', async () => {
    const { output } = await chat(['/who massoud']);
    const followUps = output.slice(output.lastIndexOf('\nFollow-ups\n'));
    expect(followUps).toMatch(/Ahmad Shah Massoud/);
    expect(output).not.toMatch(/id:[a-z]/);
  });

  it('a message carrying a carriage return stays one message; a CRLF line ending is no part of it', async () => {
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    await runConsoleChat({ router, input: Readable.from(['/who\rmassoud\r\n/sources\r\n']), output, interactive: false, json: true, now: () => NOW });
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { input: string });
    expect(lines.map((l) => l.input)).toEqual(['/who\rmassoud', '/sources']);
  });

  it('skips blank lines and stops at /quit without reading further', async () => {
    const { answered, output } = await chat(['', '   ', '/help', '/quit', '/who saleh']);
    expect(answered).toBe(1);
    expect(output).not.toContain('Amrullah Saleh —');
  });

  it('greets and prompts only when interactive', async () => {
    const scripted = await chat(['/help']);
    expect(scripted.output).not.toMatch(/^> /m);
    const interactive = await chat(['/help'], { interactive: true });
    expect(interactive.output).toMatch(/^Dossier console chat\./);
    expect(interactive.output).toMatch(/^> /m);
  });

  it('prints one JSON line per message read, naming it, blank lines and /quit included', async () => {
    const { output } = await chat(['/who masood', '', '   ', '/nonsense', '/quit', '/sources'], { json: true });
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(5);
    const parsed = lines.map((l) => JSON.parse(l) as { input: string; title: string; text: string; reply: { kind: string; title: string } });
    expect(parsed.map((p) => p.input)).toEqual(['/who masood', '', '   ', '/nonsense', '/quit']);
    expect(parsed[1]?.title).toBe('I did not catch a question there.');
    expect(parsed[4]?.reply.kind).toBe('notice');
    const [who, , , unknown] = parsed;
    expect(who?.title).toMatch(/Massoud/);
    expect(who?.text.startsWith(who.title)).toBe(true);
    expect(who?.reply.kind).toBe('answer');
    expect(unknown?.reply.kind).toBe('not-found');
    expect(unknown?.title).toBe(unknown?.reply.title);
  });

  it('stops reading when its stop signal fires, finishing nothing it has not started', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const stop = new AbortController();
    const done = runConsoleChat({ router, input, output, interactive: false, now: () => NOW, signal: stop.signal });
    input.write('/who saleh\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop.abort();
    input.write('/where bazarak\n');
    expect(await done).toBe(1);
    expect(text).toContain('Amrullah Saleh');
    expect(text).not.toContain('Bazarak —');
  });

  it('cleans hostile input before answering and never prints control characters back', async () => {
    const { output, answered } = await chat(['/who \u202Emassoud\u0007\u0000', `/who ${'x'.repeat(5000)}`]);
    expect(answered).toBe(2);
    // eslint-disable-next-line no-control-regex
    expect(output).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u202E]/);
    expect(output).toContain('Massoud');
  });
});

describe('digests in the console', () => {
  it('prints a digest under a separator line', async () => {
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const sender = createConsoleSender(output);
    const digest = reply({ kind: 'answer', title: 'Digest: 2 new sources', summary: 'What is new since 22 Aug 2021' });
    await sender.send('console', digest);
    expect(sender.platform).toBe('console');
    expect(text).toBe(`\n── scheduled digest ──\n${renderPlainText(digest)}\n\n`);
  });

  it('the JSON line of a reply is the message it answers, its title, its text and the reply itself', () => {
    const r = reply({ kind: 'notice', title: 'Hello', summary: 'World' });
    expect(JSON.parse(replyAsJsonLine(r, 'hi'))).toEqual({ input: 'hi', title: 'Hello', text: 'Hello\nWorld', reply: JSON.parse(JSON.stringify(r)) });
  });
});
