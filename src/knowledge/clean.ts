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

const CREDIT_ONLY = /^(?:(photo(graph)?s?|images?|pictures?|credits?|fotos?)\s*:|©)/iu;

/**
 * Furniture every news site has, by what it says rather than by any one site's words; each
 * rule matches a whole line that carries no sentence of the report.
 */
const SITE_FURNITURE: Array<[RegExp, string]> = [
  // "Also Read - …", "Related Posts", "Read more: …", "Recommended", "Most read"
  [/^(also read|read also|read more|see also|related( posts| stories| articles| news| coverage)?|recommended( for you)?|you may also like|more from|most (read|popular)|trending( now)?|top stories|latest news|must read)\b\s*(?:[:\-–—|»]|$)/iu, 'related-story link'],
  // Breadcrumbs: "Home » international news » …"
  [/^(home|news)\s*[»>›/]\s|\s[»›]\s.*\s[»›]\s/iu, 'navigation breadcrumb'],
  // "Follow the latest updates on Afghanistan here", "Join our Telegram channel", newsletters
  [/^follow (the latest|our|us|live)\b|\b(join|follow|subscribe to) (us|our) (on|channel|telegram|whatsapp|newsletter)|\b(telegram|whatsapp) channel\b|\bnewsletter\b|\bdownload (the|our) app\b|\b(click|tap) here\b/iu, 'promotion of the outlet (newsletter, channel, app, live updates)'],
  // Pay-from-home and similar adverts.
  [/\b(work|earn|pay|money)[- ]from[- ]home\b|\bearn (up to )?(\$|us\s?\$|usd|\d)|\b(register|sign up|apply) (now|today)\b|\bper (day|week|month) from\b/iu, 'advertisement'],
  // Editorial notes and credits: "Based on reporting by …", "This story is from …"
  [/^(based on (reporting|reports) (by|from)|(reporting|writing|editing|additional reporting|with (additional )?(reporting|inputs?)) (by|from)|this is a developing story|this (story|article) (is from|was (first )?published|first appeared)|powered by (automated|machine) translation|(translated|compiled) by\b)/iu, 'editorial note or credit'],
  // "— Name (@handle) September 5, 2021": the credit line of an embedded post.
  [/^[—–-]\s*.{1,80}\(@\w+\)\s*\p{L}+\.? \d{1,2},? \d{4}$/u, 'credit line of an embedded post'],
  // Shortcodes the scraper kept: "[the_ad id=\"209\"]"
  [/^\[[a-z_]+(\s[^\]]*)?\]$/u, 'advertisement placeholder'],
  // Icon-font widget text: "icon bookmark icon camera icon check …"
  [/(icon[\s\w-]*){4,}/iu, 'page widget (icon labels)'],
  // Fact boxes of other stories: three or more "Label: value" fields, or list lines led by a time or score.
  [/(^|\s)\d{1,2}:\d{2}(:\d{2})?:\s|^(?:[^:.]{1,40}:\s[^:]+){3,}$/u, 'fact box or list of another story'],
  // Share and comment buttons with counts, bylines "By X", "Author: X".
  [/^(author|by|written by|posted by|edited by)\s*:?\s+\p{Lu}[^.!?]{0,60}$/u, 'byline'],
];

/** A date or time stamp: what is left of a line without its dates, times and labels. */
const DATE_WORDS =
  /\b(?:\d{1,4}(?:[:/.-]\d{1,4})*|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*|am|pm|ist|gmt|utc|bst|cet|est|pkt|published|updated|issued|posted|last|modified|first|on|at|date|this story is from)\b/giu;

function isTimestamp(text: string): boolean {
  if (!/\d/u.test(text) && !/^(issued|published|updated|posted)( on)?\s*:?$/iu.test(text)) return false;
  const rest = text.replace(DATE_WORDS, ' ').replace(/[\s,|:;.()–—-]+/gu, ' ').trim();
  return rest.split(/\s+/u).filter(Boolean).length <= 3 && !/[.!?]\s/u.test(text) && text.split(/\s+/u).length <= 14;
}

/**
 * A label the scraper put before the first paragraph ("date 2021-09-06 Kabul: …",
 * "date 2021-08-23 (@handle)"): its length, or 0.
 */
export function leadingDateLabel(text: string): number {
  const m = /^date \d{4}-\d{2}-\d{2}\b(?:\s*\(@\w+\))?\s*/u.exec(text);
  return m ? m[0].length : 0;
}

/** "….Also Read - …" / ". Read more: …" after a sentence's end, running to the paragraph's end. */
const GLUED_RELATED_LINK = /([.!?]["”’)]?)\s*(?:also read|read also|read more|see also)\s*[:\-–—|»][^\n]*$/iu;

/** A credit at the end of a paragraph: "(Mohammad Asif Khan/AP)", "(Reuters)", "(dpa/tn)". */
const AGENCY_CREDIT_TAIL =
  /\s*\((?:[^()]{0,60}\/\s*)?(?:AP|AFP|Reuters|Getty(?: Images)?|EPA|dpa|Xinhua|ANI|PTI|IANS|AA|Anadolu|Sputnik|TASS|UNI)(?:\s*\/[^()]{0,30})?\)\s*$/u;
/** "… Zabihullah Mujahid AP Photo/Rahmat Gul": an agency photo credit without a full stop. */
const AGENCY_DASH_TAIL =
  /\s+[—–|]\s*(?:[\p{L}. ]{0,30}\/\s*)?(?:AP|AFP|Reuters|REUTERS|PTI|ANI|IANS|Getty Images|EPA|Xinhua|dpa)(?:\/[\p{L}]+)?(?:\s+(?:Photo|Images?|Pictures?))?\s*$/u;
const AGENCY_PHOTO_TAIL = /\s+(?:AP|AFP|Reuters|EPA|Getty|Xinhua|Anadolu)\s+(?:Photo|Images|Pictures)\s*\/[^.!?]*$/u;

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
  const labelled = CREDIT_LABEL_TAIL.exec(text) ?? CREDIT_PAREN_TAIL.exec(text) ?? AGENCY_PHOTO_TAIL.exec(text) ?? AGENCY_DASH_TAIL.exec(text);
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

/**
 * A line too short to be a sentence and without sentence punctuation: a heading, a label, or
 * the headline of a linked story ("Inside Kabul airport as first commercial flights land").
 * Scraped report paragraphs cut off mid-sentence are longer, or open with a dateline ("KABUL:").
 */
function isHeadingOrLabel(text: string): boolean {
  const words = text.split(/\s+/u).length;
  if (/[.!?:;"“”«»…]$/u.test(text) || /[.!?]\s/u.test(text)) return false;
  // A quotation opened and never closed is the report's words cut off by the page, not a heading.
  if (/^["“«„]/u.test(text) && !/["”»“]/u.test(text.slice(1))) return false;
  return words <= 6 || (words <= 14 && !/[:"“”«»]/u.test(text));
}

/** Why a paragraph is page furniture, or `undefined` if it belongs to the report. */
function furnitureReason(text: string, headline: string): string | undefined {
  if (isHeadlineLine(text, headline)) return 'page title (the headline is in the metadata)';
  if (ADVERTISEMENT.test(text)) return 'advertisement label';
  if (DONATION_CUES.some((cue) => cue.test(text))) return 'donation appeal';
  if (VIDEO_TEASER.test(text)) return 'video or related-content teaser';
  if (CREDIT_ONLY.test(text)) return 'photo credit';
  if (COMMENT_WIDGET.some((rule) => rule.test(text))) return 'comment widget';
  for (const [rule, reason] of SITE_FURNITURE) if (rule.test(text) && !hasReportedSpeech(text)) return reason;
  if (isTimestamp(text)) return 'date or time stamp';
  return undefined;
}

/** A line with words in quotation marks and a reporting verb is the report's, whatever else it has. */
function hasReportedSpeech(text: string): boolean {
  return /["“”«]/u.test(text) && /\b(said|says|told|added|according to|tweeted|wrote)\b/iu.test(text);
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

  for (const line of splitParagraphs(raw)) {
    let p = line;
    const label = leadingDateLabel(p.text);
    if (label > 0) {
      const labelText = p.text.slice(0, label).trimEnd();
      removed.push({ sourceId, start: p.start, end: p.start + labelText.length, text: labelText, reason: 'date label of the scraped page' });
      if (label >= p.text.length) continue;
      p = { start: p.start + label, end: p.end, text: p.text.slice(label) };
    }
    const reason = furnitureReason(p.text, meta.headline);
    if (reason) {
      remove(p, reason);
      continue;
    }
    // "… Afghan Journalists.Also Read - <headline of another story>": a related-story link the
    // page glued to the end of a paragraph; the report's sentences before it stay.
    const glued = GLUED_RELATED_LINK.exec(p.text);
    if (glued && glued.index > 0) {
      const cut = glued.index + (glued[1]?.length ?? 0);
      const link = p.text.slice(cut);
      removed.push({ sourceId, start: p.start + cut, end: p.end, text: link, reason: 'related-story link' });
      p = { start: p.start, end: p.start + cut, text: p.text.slice(0, cut) };
    }
    const agency = AGENCY_CREDIT_TAIL.exec(p.text);
    if (agency && agency.index > 0) {
      // "… in Panjshir province (Mohammad Asif Khan/AP)": a caption when it is a short
      // description; a report paragraph that ends with the agency's credit stays the report's.
      const text = p.text.slice(0, agency.index).trimEnd();
      const credit = p.text.slice(agency.index).trim();
      removed.push({ sourceId, start: p.end - credit.length, end: p.end, text: credit, reason: 'agency or photo credit' });
      const quoted = /["“”«»]/u.test(text);
      const sentences = text.split(/[.!?]\s+\p{Lu}/u).length;
      // A credit that names a photo ("(AP/PTI Photo)") makes the paragraph its caption, however long.
      const photo = /\b(?:photo(?:graph)?s?|pictures?|images?|pics?)\b/iu.test(credit);
      kept.push({ start: p.start, end: p.start + text.length, text, caption: photo || (!quoted && sentences <= 2 && !/\b(said|says|told)\b/u.test(text)) });
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
