/**
 * Cleaning: splits a scraped page into paragraphs and sets aside the page furniture
 * (headline line, advertising, donation appeals, video teasers, photo credits, comment
 * widgets, repeated teasers) with a reason each, so an editor can review what was dropped.
 *
 * The rules are patterns, not the exact strings of the seed pages, because articles from
 * other outlets are added without a code change. Nothing of the report itself is dropped:
 * a rule only matches lines that carry no sentence of the report, or text repeated elsewhere.
 */
import type { Citation, SourceId } from './model.js';
import { fold } from './text.js';

/** A line of the page, as a span of the raw text (trimmed). */
export interface Paragraph {
  start: number;
  end: number;
  text: string;
}

/** A paragraph kept for the knowledge base; captions have their photo credit cut off. */
export interface BodyParagraph extends Paragraph {
  caption: boolean;
}

export interface CleanedArticle {
  body: BodyParagraph[];
  removed: Array<Citation & { reason: string }>;
}

/**
 * Splits raw text into paragraphs: every non-blank line is one (scraped pages put
 * paragraphs on lines; widgets often sit on consecutive lines without a blank between).
 */
export function splitParagraphs(raw: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  const line = /[^\r\n]+/gu;
  for (let m = line.exec(raw); m; m = line.exec(raw)) {
    const lead = m[0].length - m[0].trimStart().length;
    const text = m[0].trim();
    if (text.length === 0) continue;
    const start = m.index + lead;
    paragraphs.push({ start, end: start + text.length, text });
  }
  return paragraphs;
}

const ADVERTISEMENT = /^(advertisement|advertising|sponsored( content)?|promoted( content)?|ad)$/iu;

/** Phrases only a publisher's appeal for money uses, never a news report's sentences. */
const DONATION_CUES = [
  /\bwe need your (help|support)\b/iu,
  /\breaders like you\b/iu,
  /\bplease (contribute|donate|subscribe|support us)\b/iu,
  /\b(contribute|donate|give) what you can\b/iu,
  /\badvertising revenue\b/iu,
  /\bsupport (our|independent|quality) journalism\b/iu,
  /\bsubscribe (now|today)\b/iu,
  /\bbecome a (member|supporter|subscriber)\b/iu,
];

const VIDEO_TEASER = /^(videos?|watch( video)?|listen|podcast|gallery|read (more|also)|see also|related( articles?)?|more on this)\s*[:|]/iu;

const CREDIT_ONLY = /^(photo(graph)?s?|images?|pictures?|credits?|fotos?)\s*:/iu;

const COMMENT_WIDGET = [
  /^(view|show|load|hide|read)\s+(\d+\s+|all\s+|more\s+)?(comments?|replies)$/iu,
  /^\d+\s+(comments?|replies)$/iu,
  /^(leave|post|add|write) a (comment|reply)\w*$/iu,
  /^(submit|send) a report$/iu,
  /\b(comments? (community|policy|section))\b/iu,
  /\bcommunity (guidelines|standards)\b/iu,
  /^thank you for (the|your) feedback\b/iu,
  /^your (feedback|report) has been (sent|received)\b/iu,
  /^(close|cancel|reply|share|report|author|print|email|sign in|log in|subscribe|menu|comments?)$/iu,
];

/** A trailing photo credit after a caption: "— Photo: Name/Agency", "Photograph: X/Y". */
const CREDIT_LABEL_TAIL = /\s+(?:[—–-]\s*)?(?:photo(?:graph)?|foto|image|picture)s?\s*:\s*\S[^.!?]*$/iu;
/** "(Photo: Reuters)" at the end of a caption. */
const CREDIT_PAREN_TAIL = /\s*\((?:photo(?:graph)?|image|picture|credit)s?\b[^)]*\)\s*$/iu;
/** Agency names photo credits end with ("SIPA USA/PA Images", "AFP via Getty Images"). */
const PHOTO_AGENCY = /\b(images|photos?|pictures|getty|afp|reuters|ap|epa|alamy|shutterstock)\s*$/iu;

/**
 * Finds a photo credit at the end of a paragraph; returns the caption length without it,
 * or `undefined` when the paragraph has no credit (and so is not a caption).
 */
export function captionWithoutCredit(text: string): number | undefined {
  const labelled = CREDIT_LABEL_TAIL.exec(text) ?? CREDIT_PAREN_TAIL.exec(text);
  if (labelled && labelled.index > 0) return labelled.index;
  // "… the border. SIPA USA/PA Images": a short run of capitalised words after the last full
  // stop, with an agency-like ending or a "Name/Agency" slash.
  const lastStop = /[.!?]["”’)]?\s+([^.!?]+)$/u.exec(text);
  if (lastStop?.[1]) {
    const tail = lastStop[1].trim();
    const words = tail.split(/\s+/u);
    const allCapitalised = words.every((w) => /^[\p{Lu}\d(]/u.test(w) || /^(via|and|for|\/)$/u.test(w));
    if (words.length <= 8 && allCapitalised && (tail.includes('/') || PHOTO_AGENCY.test(tail))) {
      return text.length - lastStop[1].length;
    }
  }
  return undefined;
}

/** The page's title line: the headline, possibly followed by "| Section" or "- Outlet". */
function isHeadlineLine(text: string, headline: string): boolean {
  const line = fold(text);
  const title = fold(headline);
  if (line === title) return true;
  if (!line.startsWith(title)) return false;
  // Folding turned dashes into spaces: "Headline - Outlet" and "Headline | World" both match.
  const rest = line.slice(title.length);
  return /^\s*[|:]?\s+[^.!?]{0,40}$/u.test(rest) && /^\s*[|:\-–—]/u.test(text.slice(headline.trim().length));
}

/** A line too short to be a sentence and without sentence punctuation: a heading or widget. */
function isHeadingOrLabel(text: string): boolean {
  const words = text.split(/\s+/u).length;
  return words <= 6 && !/[.!?:;"“”«»]$/u.test(text) && !/[.!?]\s/u.test(text);
}

/** Why a paragraph is page furniture, or `undefined` if it belongs to the report. */
function furnitureReason(text: string, headline: string): string | undefined {
  if (isHeadlineLine(text, headline)) return 'page title (the headline is in the metadata)';
  if (ADVERTISEMENT.test(text)) return 'advertisement label';
  if (DONATION_CUES.some((cue) => cue.test(text))) return 'donation appeal';
  if (VIDEO_TEASER.test(text)) return 'video or related-content teaser';
  if (CREDIT_ONLY.test(text)) return 'photo credit';
  if (COMMENT_WIDGET.some((rule) => rule.test(text))) return 'comment widget';
  return undefined;
}

/**
 * Cleans one article: every paragraph is either kept in `body` (captions flagged and their
 * credit cut off) or listed in `removed` with the reason.
 *
 * @example
 * const { body, removed } = cleanArticle('000_x', raw, { headline: 'Taliban says …' });
 */
export function cleanArticle(sourceId: SourceId, raw: string, meta: { headline: string }): CleanedArticle {
  const removed: CleanedArticle['removed'] = [];
  const kept: BodyParagraph[] = [];
  const remove = (p: Paragraph, reason: string): void => {
    removed.push({ sourceId, start: p.start, end: p.end, text: p.text, reason });
  };

  for (const p of splitParagraphs(raw)) {
    const reason = furnitureReason(p.text, meta.headline);
    if (reason) {
      remove(p, reason);
      continue;
    }
    const captionLength = captionWithoutCredit(p.text);
    if (captionLength !== undefined) {
      const text = p.text.slice(0, captionLength).trimEnd();
      kept.push({ start: p.start, end: p.start + text.length, text, caption: true });
      continue;
    }
    if (isHeadingOrLabel(p.text)) {
      remove(p, 'heading or page label (no sentence of the report)');
      continue;
    }
    kept.push({ ...p, caption: false });
  }

  // Teasers and standfirsts repeat the report's own words: drop the copy, keep the fuller text.
  const folded = kept.map((p) => fold(p.text).replace(/[.!?]+$/u, ''));
  const body = kept.filter((p, i) => {
    const mine = folded[i] ?? '';
    const repeatedAt = folded.findIndex((other, j) => j !== i && (other === mine ? j < i : other.includes(mine)));
    if (repeatedAt === -1) return true;
    remove(p, `repeats text of the report (paragraph at offset ${kept[repeatedAt]?.start ?? 0})`);
    return false;
  });
  removed.sort((a, b) => a.start - b.start);
  return { body, removed };
}
