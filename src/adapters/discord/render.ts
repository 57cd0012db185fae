/**
 * Rendering the reply model as Discord embeds and buttons, within every Discord limit.
 *
 * A reply becomes one embed per page: the title, the summary as the description, one field per
 * section (continued in further fields when long), one per quote, and the numbered sources that
 * the page's lines cite, as links. Whatever does not fit one message (25 fields, 6000 characters)
 * goes to further pages, reached with a "More" button; text is cut on sentence or word boundaries,
 * never mid-word, and nothing is dropped. Text from articles and users is escaped so it cannot
 * format, look like a mention or ping anyone.
 *
 * Pure functions: no client, no network.
 */
import type { APIActionRowComponent, APIButtonComponentWithCustomId, APIEmbed, APIEmbedField } from 'discord.js';
import type { Reply, ReplyAction, ReplyCitation, ReplyKind } from '../../replies/reply.js';
import { httpUrl } from '../../replies/format.js';
import { chunkEscaped, escapeAndShorten, escapeDiscordText, shorten } from './text.js';

/** Discord's limits on one message (see docs/platforms.md). */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  choices: 25,
  choiceText: 100,
} as const;

/** Embed colours by reply kind, so an error never looks like an answer. */
export const KIND_COLOURS: Record<ReplyKind, number> = {
  answer: 0x2b6cb0,
  'not-found': 0xd69e2e,
  usage: 0x718096,
  error: 0xc53030,
  notice: 0x2f855a,
};

/** `custom_id` prefix of the "More" button; action buttons carry a command line (starting with "/"). */
export const MORE_PREFIX = 'more:';

export interface RenderOptions {
  /** Shown in every footer, e.g. "Panjshir Valley resistance, 2021". */
  storyName?: string;
}

/** A reply rendered for Discord: one embed per page, the buttons, and whether it is ephemeral. */
export interface RenderedReply {
  pages: APIEmbed[];
  /** Buttons for the reply's suggestions and actions (deduplicated, within Discord's limits). */
  buttons: APIButtonComponentWithCustomId[];
  ephemeral: boolean;
}

/** The body of one Discord message (interaction reply, edit or channel message). */
export interface DiscordMessageBody {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
}

interface Block {
  field: APIEmbedField;
  /** Citation numbers its lines cite. */
  cites: number[];
}

const CONTINUED = ' (continued)';
/** Room kept in the footer for " · page 12/34". */
const PAGE_MARK_ROOM = 16;

function citeMarks(cites: number[] | undefined): string {
  return cites === undefined || cites.length === 0 ? '' : ` ${cites.map((n) => `[${n}]`).join('')}`;
}

function noteMark(note: string | undefined): string {
  return note === undefined || note === '' ? '' : ` — *${escapeDiscordText(note)}*`;
}

/**
 * Lay out lines (already escaped) into fields of at most 1024 characters: the first field is
 * named `name`, the others `name (continued)`. A line longer than a field is cut into pieces.
 */
function linesToBlocks(label: string, lines: Array<{ text: string; cites: number[] }>): Block[] {
  const name = escapeAndShorten(label, DISCORD_LIMITS.fieldName);
  const continued = `${escapeAndShorten(label, DISCORD_LIMITS.fieldName - CONTINUED.length)}${CONTINUED}`;
  const blocks: Block[] = [];
  let value = '';
  let cites: number[] = [];
  const flush = () => {
    if (value === '') return;
    blocks.push({ field: { name: blocks.length === 0 ? name : continued, value }, cites });
    value = '';
    cites = [];
  };
  for (const line of lines) {
    const pieces = line.text.length <= DISCORD_LIMITS.fieldValue ? [line.text] : splitEscaped(line.text, DISCORD_LIMITS.fieldValue);
    for (const piece of pieces) {
      const joined = value === '' ? piece : `${value}\n${piece}`;
      if (joined.length > DISCORD_LIMITS.fieldValue) {
        flush();
        value = piece;
      } else value = joined;
      cites.push(...line.cites);
    }
  }
  flush();
  return blocks;
}

/** Cut already-escaped text into pieces ≤ max, at spaces where possible, never after a lone backslash. */
function splitEscaped(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(' ', max);
    if (cut < max * 0.3) cut = max;
    while (cut > 1 && rest[cut - 1] === '\\') cut -= 1;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '') pieces.push(rest);
  return pieces;
}

/** One line of a section: escaped text, citation marks, note; long text split into pieces. */
function lineText(text: string, cites: number[], note: string | undefined, bullet: string, after = '', escaped = false): Array<{ text: string; cites: number[] }> {
  const suffix = `${after}${citeMarks(cites)}${noteMark(note)}`;
  const room = DISCORD_LIMITS.fieldValue - bullet.length - suffix.length;
  const pieces = escaped ? [text] : chunkEscaped(text, Math.max(room, 100));
  return pieces.map((piece, i) => ({
    text: `${i === 0 ? bullet : ''}${piece}${i === pieces.length - 1 ? suffix : ''}`,
    cites: i === pieces.length - 1 ? cites : [],
  }));
}

/** An http(s) URL made safe inside Markdown's `[label](url)`: its parentheses are escaped. */
function safeUrl(url: string | undefined): string | undefined {
  return httpUrl(url)?.replace(/\(/g, '%28').replace(/\)/g, '%29');
}

/** `**3.** [Reuters: Headline](url) · 2021-08-22`, escaped, within one field value. */
function sourceLine(n: number, citation: ReplyCitation): string {
  const label = `${citation.outlet}: ${citation.headline}`.replace(/\[/g, '(').replace(/\]/g, ')');
  // The cited passage on the web dossier when PUBLIC_URL is set, else the original article.
  const url = safeUrl(citation.link ?? citation.url);
  const date = ` · ${escapeDiscordText(citation.date)}`;
  const room = DISCORD_LIMITS.fieldValue - 12 - date.length - (url?.length ?? 0);
  const text = escapeAndShorten(label, Math.max(40, Math.min(room, 300)));
  const line = url === undefined ? `**${n}.** ${text}${date}` : `**${n}.** [${text}](${url})${date}`;
  return line.length <= DISCORD_LIMITS.fieldValue ? line : `**${n}.** ${text}${date}`;
}

function sourceBlocks(citations: ReplyCitation[], numbers: number[], label = 'Sources'): Block[] {
  const lines = numbers
    .filter((n) => citations[n - 1] !== undefined)
    .map((n) => ({ text: sourceLine(n, citations[n - 1] as ReplyCitation), cites: [n] }));
  return lines.length === 0 ? [] : linesToBlocks(label, lines);
}

function fieldSize(field: APIEmbedField): number {
  return field.name.length + field.value.length;
}

/** The content of a reply as fields, in reading order, each with the citations it uses. */
function contentBlocks(reply: Reply, summaryRest: string[]): Block[] {
  const blocks: Block[] = [];
  if (summaryRest.length > 0) {
    blocks.push(...linesToBlocks('Summary', summaryRest.map((text) => ({ text, cites: [] }))));
  }
  for (const section of reply.sections) {
    const lines = section.lines.flatMap((line) => {
      const url = safeUrl(line.url);
      // A linked line stays whole when it fits a field; otherwise it is shown unlinked.
      const linked = url === undefined ? undefined : `[${escapeDiscordText(line.text.replace(/\[/g, '(').replace(/\]/g, ')'))}](${url})`;
      if (linked !== undefined && linked.length + 200 <= DISCORD_LIMITS.fieldValue) return lineText(linked, line.cites, line.note, '• ', '', true);
      return lineText(line.text, line.cites, line.note, '• ');
    });
    if (lines.length > 0) blocks.push(...linesToBlocks(section.label, lines));
  }
  for (const quote of reply.quotes) {
    const name = [quote.speaker, quote.date].filter((p) => p !== undefined && p !== '').join(', ');
    const how = quote.how === undefined || quote.how === '' ? '' : ` — ${escapeDiscordText(quote.how)}`;
    const lines = lineText(`“${quote.text}”`, quote.cites, quote.note, '', how);
    blocks.push(...linesToBlocks(name === '' ? 'Quote' : name, lines));
  }
  // Sources nobody cites (e.g. /sources lists articles) are content of their own.
  const cited = new Set([...(reply.summaryCites ?? []), ...blocks.flatMap((b) => b.cites)]);
  const uncited = reply.citations.map((_, i) => i + 1).filter((n) => !cited.has(n));
  if (uncited.length > 0) blocks.push(...sourceBlocks(reply.citations, uncited, cited.size === 0 ? 'Sources' : 'More sources'));
  return blocks;
}

/**
 * Render a reply as Discord embeds (one per page) and buttons, within every limit.
 *
 * @example
 * const rendered = renderReply(reply({ kind: 'answer', title: 'Ahmad Massoud' }), { storyName: 'Panjshir 2021' });
 * rendered.pages[0]?.title // → 'Ahmad Massoud'
 */
export function renderReply(reply: Reply, options: RenderOptions = {}): RenderedReply {
  const colour = KIND_COLOURS[reply.kind];
  const title = escapeAndShorten(reply.title.trim() === '' ? '…' : reply.title, DISCORD_LIMITS.title);
  const continuedTitle = `${escapeAndShorten(reply.title.trim() === '' ? '…' : reply.title, DISCORD_LIMITS.title - CONTINUED.length)}${CONTINUED}`;
  const story = options.storyName === undefined ? '' : shorten(options.storyName, DISCORD_LIMITS.footer - PAGE_MARK_ROOM);

  let description: string | undefined;
  let summaryRest: string[] = [];
  if (reply.summary !== undefined && reply.summary.trim() !== '') {
    const marks = citeMarks(reply.summaryCites);
    const pieces = chunkEscaped(reply.summary, DISCORD_LIMITS.description - marks.length);
    description = `${pieces[0] ?? ''}${pieces.length === 1 ? marks : ''}`;
    summaryRest = pieces.slice(1).flatMap((p) => chunkEscaped(p, DISCORD_LIMITS.fieldValue));
    if (summaryRest.length > 0) summaryRest[summaryRest.length - 1] += marks;
  }

  const blocks = contentBlocks(reply, summaryRest);
  // The title opens the answer's page on the web dossier (only when PUBLIC_URL is set).
  const link = safeUrl(reply.link);
  const pages: APIEmbed[] = [];
  let next = 0;
  do {
    const first = pages.length === 0;
    const pageTitle = first ? title : continuedTitle;
    const pageDescription = first ? description : undefined;
    const fixed = pageTitle.length + (pageDescription?.length ?? 0) + story.length + PAGE_MARK_ROOM;
    const baseCites = first ? (reply.summaryCites ?? []) : [];
    let taken: Block[] = [];
    let sources: Block[] = sourceBlocks(reply.citations, sortedUnique(baseCites));
    while (next < blocks.length) {
      const candidate = [...taken, blocks[next] as Block];
      const candidateSources = sourceBlocks(reply.citations, sortedUnique([...baseCites, ...candidate.flatMap((b) => b.cites)]));
      const fields = candidate.length + candidateSources.length;
      const size = fixed + [...candidate, ...candidateSources].reduce((sum, b) => sum + fieldSize(b.field), 0);
      if (fields > DISCORD_LIMITS.fields || size > DISCORD_LIMITS.embedTotal) {
        const only = blocks[next] as Block;
        if (taken.length === 0) {
          // One block and its sources cannot share a page: keep the block, trim the sources.
          taken = [only];
          sources = trimToFit(candidateSources, DISCORD_LIMITS.fields - 1, DISCORD_LIMITS.embedTotal - fixed - fieldSize(only.field));
          next += 1;
        }
        break;
      }
      taken = candidate;
      sources = candidateSources;
      next += 1;
    }
    if (taken.length === 0 && !first) break;
    const fields = trimToFit([...taken, ...sources], DISCORD_LIMITS.fields, DISCORD_LIMITS.embedTotal - fixed).map((b) => b.field);
    pages.push({
      title: pageTitle,
      ...(link === undefined ? {} : { url: link }),
      ...(pageDescription === undefined ? {} : { description: pageDescription }),
      color: colour,
      ...(fields.length === 0 ? {} : { fields }),
    });
  } while (next < blocks.length);

  if (story !== '' || pages.length > 1) {
    pages.forEach((page, i) => {
      const mark = pages.length > 1 ? `page ${i + 1}/${pages.length}` : '';
      page.footer = { text: [story, mark].filter((p) => p !== '').join(' · ') };
    });
  }

  return { pages, buttons: buttonsFor([...reply.suggestions, ...reply.actions]), ephemeral: reply.private === true };
}

function sortedUnique(numbers: number[]): number[] {
  return [...new Set(numbers)].sort((a, b) => a - b);
}

/** Keep blocks from the front while they fit the field count and character budget. */
function trimToFit(blocks: Block[], maxFields: number, maxChars: number): Block[] {
  const kept: Block[] = [];
  let size = 0;
  for (const block of blocks) {
    if (kept.length >= maxFields || size + fieldSize(block.field) > maxChars) break;
    kept.push(block);
    size += fieldSize(block.field);
  }
  return kept;
}

/** Buttons for actions: one per distinct command that fits a custom id, at most 25. */
function buttonsFor(actions: ReplyAction[]): APIButtonComponentWithCustomId[] {
  const seen = new Set<string>();
  const buttons: APIButtonComponentWithCustomId[] = [];
  for (const action of actions) {
    const id = action.command.trim();
    if (id === '' || id.length > DISCORD_LIMITS.customId || seen.has(id) || id.startsWith(MORE_PREFIX)) continue;
    seen.add(id);
    // Button labels are plain text (no markdown), so they are shortened, not escaped.
    const label = shorten(action.label.trim() === '' ? id : action.label, DISCORD_LIMITS.buttonLabel);
    buttons.push({ type: 2, style: 2, custom_id: id, label });
  }
  return buttons.slice(0, DISCORD_LIMITS.rows * DISCORD_LIMITS.buttonsPerRow);
}

/**
 * The message for one page: its embed, and the buttons in rows of five, with a "More" button
 * (`moreCustomId`) when there is a next page.
 */
export function pageMessage(rendered: RenderedReply, pageIndex: number, moreCustomId?: string): DiscordMessageBody {
  const page = rendered.pages[pageIndex] ?? rendered.pages[0];
  const buttons = [...rendered.buttons];
  if (moreCustomId !== undefined) {
    const max = DISCORD_LIMITS.rows * DISCORD_LIMITS.buttonsPerRow;
    buttons.splice(max - 1);
    buttons.unshift({ type: 2, style: 1, custom_id: moreCustomId.slice(0, DISCORD_LIMITS.customId), label: 'More' });
  }
  const components: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  for (let i = 0; i < buttons.length && components.length < DISCORD_LIMITS.rows; i += DISCORD_LIMITS.buttonsPerRow) {
    components.push({ type: 1, components: buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow) });
  }
  return { embeds: page === undefined ? [] : [page], components };
}
