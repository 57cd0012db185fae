/**
 * A compact inverted index with BM25 ranking, behind `/search` and `/quote <topic>`.
 *
 * Sized for a million sentences: the postings of the documents present at build time live in
 * two typed arrays (compressed-sparse-row: `offsets[word]..offsets[word+1]` into `docs`), so the
 * index holds no object per document. Documents added later (a new article) go to a small
 * per-word delta that every query also reads, so an addition is visible at once without a
 * rebuild. Words are matched as written, by transliteration skeleton ("masood" finds
 * "massoud"), and, for a word the corpus does not contain, within a typo allowance found through
 * a trigram index over the vocabulary.
 */
import { boundedEditDistance, typoAllowance } from './edit-distance.js';
import { queryText, skeletonToken, STOPWORDS, tokenize, trigrams } from './normalise.js';
import { TopK } from './top-k.js';

/** BM25 parameters (the usual defaults). */
const K1 = 1.2;
const B = 0.75;
const MAX_QUERY_WORDS = 16;
/** Variants of one query word searched at most (skeleton and typo expansions). */
const MAX_EXPANSIONS = 24;
const SKELETON_WEIGHT = 0.9;
const TYPO_WEIGHT_PER_EDIT = 0.2;

/** One ranked document: its index and a score in [0, 1], 0 best (fuse.js convention). */
export interface TextMatch {
  doc: number;
  score: number;
}

export interface TextSearchParams {
  limit: number;
  /** Only documents this accepts. */
  accept?: (doc: number) => boolean;
  /** A relevance multiplier per document (e.g. 0.9 for photo captions). */
  weight?: (doc: number) => number;
  /** Among equally relevant documents, the lower tie-break wins (e.g. body before caption). */
  tieBreak?: (doc: number) => number;
  /**
   * The largest value `weight` ever returns (1 when there is no `weight`). With it, a document
   * whose relevance times this bound cannot beat the candidates already kept is passed over
   * without calling `accept` or `weight` — the same result, for less work on common words.
   */
  weightBound?: number;
}

export class TextIndex {
  private readonly vocabulary = new Map<string, number>();
  private readonly words: string[] = [];
  private readonly wordsBySkeleton = new Map<string, number[]>();
  private readonly wordsByGram = new Map<string, number[]>();
  /** Postings of the documents indexed at build time (CSR). */
  private baseOffsets = new Uint32Array(1);
  private baseDocs = new Uint32Array(0);
  /** Postings of documents added after the build. */
  private readonly delta = new Map<number, number[]>();
  private docLength = new Uint16Array(1024);
  private removed = new Uint8Array(1024);
  private docCount = 0;
  private totalLength = 0;
  // Per-query scratch, one slot per document.
  private scores = new Float64Array(1024);
  private matched = new Uint8Array(1024);
  private stamp = new Uint32Array(1024);
  private stampValue = 0;
  /** Per-query scratch: the documents a query's words reach, in the order first reached. */
  private touched = new Uint32Array(1024);
  /** BM25's length normalisation by document length, for the average length it was computed with. */
  private norms = { avgLength: NaN, table: new Float64Array(256) };

  /** Indexes `count` documents whose text `textOf(i)` gives. */
  constructor(count: number, textOf: (doc: number) => string) {
    this.ensureCapacity(count);
    let flat = new Uint32Array(Math.max(1024, count * 12));
    const starts = new Uint32Array(count + 1);
    let used = 0;
    for (let doc = 0; doc < count; doc++) {
      const tokens = tokenize(textOf(doc));
      this.recordLength(doc, tokens.length);
      starts[doc] = used;
      const seen = new Set<number>();
      for (const token of tokens) {
        const word = this.wordId(token);
        if (seen.has(word)) continue;
        seen.add(word);
        if (used === flat.length) {
          const bigger = new Uint32Array(flat.length * 2);
          bigger.set(flat);
          flat = bigger;
        }
        flat[used++] = word;
      }
    }
    starts[count] = used;
    this.docCount = count;
    const df = new Uint32Array(this.words.length + 1);
    for (let i = 0; i < used; i++) {
      const slot = (flat[i] as number) + 1;
      df[slot] = (df[slot] as number) + 1;
    }
    for (let w = 1; w < df.length; w++) df[w] = (df[w] as number) + (df[w - 1] as number);
    const offsets = Uint32Array.from(df);
    const docs = new Uint32Array(used);
    const cursor = Uint32Array.from(df);
    for (let doc = 0; doc < count; doc++) {
      for (let i = starts[doc] as number; i < (starts[doc + 1] as number); i++) {
        const word = flat[i] as number;
        docs[cursor[word] as number] = doc;
        cursor[word] = (cursor[word] as number) + 1;
      }
    }
    this.baseOffsets = offsets;
    this.baseDocs = docs;
  }

  /** Distinct words indexed. */
  get vocabularySize(): number {
    return this.words.length;
  }

  /** Bytes held by the postings arrays (for the benchmark's memory report). */
  get postingBytes(): number {
    return this.baseDocs.byteLength + this.baseOffsets.byteLength;
  }

  /** Adds a document; it is searchable immediately. Returns its id. */
  add(text: string): number {
    const doc = this.docCount++;
    this.ensureCapacity(this.docCount);
    const tokens = tokenize(text);
    this.recordLength(doc, tokens.length);
    const seen = new Set<number>();
    for (const token of tokens) {
      const word = this.wordId(token);
      if (seen.has(word)) continue;
      seen.add(word);
      const list = this.delta.get(word);
      if (list) list.push(doc);
      else this.delta.set(word, [doc]);
    }
    return doc;
  }

  /** Hides a document from every later search (its text changed, or it was withdrawn). */
  remove(doc: number): void {
    if (doc >= 0 && doc < this.docCount) this.removed[doc] = 1;
  }

  /**
   * The documents that best match the query's words, best first, by BM25 over the words as
   * written, their transliteration variants and (for words the corpus lacks) typo'd forms.
   */
  search(query: string, params: TextSearchParams): TextMatch[] {
    const limit = Math.max(0, Math.floor(params.limit));
    if (limit === 0 || this.docCount === 0) return [];
    const terms = queryWords(query);
    if (terms.length === 0) return [];
    const touched = this.touched;
    let touchedCount = 0;
    const avgLength = this.totalLength / Math.max(1, this.docCount) || 1;
    const norms = this.lengthNorms(avgLength);
    const { stamp, matched, scores, docLength, baseOffsets, baseDocs } = this;
    let ideal = 0;
    for (const term of terms) {
      const expansions = this.expand(term);
      if (expansions.length === 0) continue;
      const stampValue = ++this.stampValue;
      let termIdeal = 0;
      for (const { word, weight } of expansions) {
        const idf = this.idf(word);
        termIdeal = Math.max(termIdeal, weight * idf);
        const weighted = weight * idf;
        // The word's postings: the built index's range, then the documents added since.
        const extra = this.delta.get(word);
        const ranges: Array<[ArrayLike<number>, number, number]> = [];
        if (word + 1 < baseOffsets.length) ranges.push([baseDocs, baseOffsets[word] as number, baseOffsets[word + 1] as number]);
        if (extra) ranges.push([extra, 0, extra.length]);
        for (const [docs, from, to] of ranges) {
          // The hot loop of a common word (tens of thousands of documents), kept free of calls.
          for (let i = from; i < to; i++) {
            const doc = docs[i] as number;
            if (stamp[doc] === stampValue) continue;
            stamp[doc] = stampValue;
            if (matched[doc] === 0) touched[touchedCount++] = doc;
            matched[doc] = (matched[doc] as number) + 1;
            const length = docLength[doc] as number;
            const lengthNorm = length < norms.length ? (norms[length] as number) : lengthNormOf(length, avgLength);
            scores[doc] = (scores[doc] as number) + weighted * lengthNorm;
          }
        }
      }
      ideal += termIdeal * ((K1 + 1) / (1 + K1 * (1 - B)));
    }
    const pool = limit * 3 + 20;
    const top = new TopK(pool);
    const bound = params.weightBound ?? (params.weight ? Infinity : 1);
    for (let t = 0; t < touchedCount; t++) {
      const doc = touched[t] as number;
      const relevance = scores[doc] as number;
      scores[doc] = 0;
      matched[doc] = 0;
      // Cannot enter the pool (an offer no better than its worst is refused): skip the callbacks.
      if (relevance * bound <= top.floor()) continue;
      if (this.removed[doc] === 1 || (params.accept && !params.accept(doc))) continue;
      top.offer(doc, params.weight ? relevance * params.weight(doc) : relevance);
    }
    const tieBreak = params.tieBreak;
    return top
      .drain()
      .sort((a, b) => {
        const diff = b.key - a.key;
        if (Math.abs(diff) > 1e-9) return diff;
        return (tieBreak ? tieBreak(a.id) - tieBreak(b.id) : 0) || a.id - b.id;
      })
      .slice(0, limit)
      .map(({ id, key }) => ({ doc: id, score: ideal > 0 ? Math.min(1, Math.max(0, 1 - key / ideal)) : 1 }));
  }

  // ---- internals ---------------------------------------------------------------------------

  /** The length-normalisation table for short documents (recomputed when the average length changes). */
  private lengthNorms(avgLength: number): Float64Array {
    if (this.norms.avgLength !== avgLength) {
      for (let length = 0; length < this.norms.table.length; length++) this.norms.table[length] = lengthNormOf(length, avgLength);
      this.norms.avgLength = avgLength;
    }
    return this.norms.table;
  }

  private wordId(token: string): number {
    let id = this.vocabulary.get(token);
    if (id === undefined) {
      id = this.words.length;
      this.words.push(token);
      this.vocabulary.set(token, id);
      const skeleton = skeletonToken(token);
      const bucket = this.wordsBySkeleton.get(skeleton);
      if (bucket) bucket.push(id);
      else this.wordsBySkeleton.set(skeleton, [id]);
      if (token.length > 3) {
        for (const gram of trigrams(token)) {
          const list = this.wordsByGram.get(gram);
          if (list) list.push(id);
          else this.wordsByGram.set(gram, [id]);
        }
      }
    }
    return id;
  }

  private recordLength(doc: number, length: number): void {
    this.docLength[doc] = Math.min(65535, length);
    this.totalLength += length;
  }

  private ensureCapacity(count: number): void {
    if (count <= this.docLength.length) return;
    let capacity = this.docLength.length;
    while (capacity < count) capacity *= 2;
    this.docLength = grow(this.docLength, new Uint16Array(capacity));
    this.removed = grow(this.removed, new Uint8Array(capacity));
    this.scores = grow(this.scores, new Float64Array(capacity));
    this.matched = grow(this.matched, new Uint8Array(capacity));
    this.stamp = grow(this.stamp, new Uint32Array(capacity));
    this.touched = new Uint32Array(capacity);
  }

  private documentFrequency(word: number): number {
    const base = word + 1 < this.baseOffsets.length ? (this.baseOffsets[word + 1] as number) - (this.baseOffsets[word] as number) : 0;
    return base + (this.delta.get(word)?.length ?? 0);
  }

  private idf(word: number): number {
    const df = this.documentFrequency(word);
    return Math.log(1 + (this.docCount - df + 0.5) / (df + 0.5));
  }

  /** The indexed words a query word stands for, with how much each counts (1 = as written). */
  private expand(term: string): Array<{ word: number; weight: number }> {
    const out = new Map<number, number>();
    const exact = this.vocabulary.get(term);
    if (exact !== undefined) out.set(exact, 1);
    for (const word of this.wordsBySkeleton.get(skeletonToken(term)) ?? []) {
      if (out.size >= MAX_EXPANSIONS) break;
      if (!out.has(word)) out.set(word, SKELETON_WEIGHT);
    }
    const allowance = typoAllowance(term.length);
    if (exact === undefined && allowance > 0) {
      for (const { word, distance } of this.nearWords(term, allowance)) {
        if (out.size >= MAX_EXPANSIONS) break;
        if (!out.has(word)) out.set(word, 1 - TYPO_WEIGHT_PER_EDIT * distance);
      }
    }
    return [...out].map(([word, weight]) => ({ word, weight })).sort((a, b) => b.weight - a.weight);
  }

  /** Vocabulary words within `allowance` edits of `term`, found through shared trigrams. */
  private nearWords(term: string, allowance: number): Array<{ word: number; distance: number }> {
    const grams = trigrams(term);
    const overlap = new Map<number, number>();
    for (const gram of grams) {
      for (const word of this.wordsByGram.get(gram) ?? []) overlap.set(word, (overlap.get(word) ?? 0) + 1);
    }
    // Each edit destroys at most three trigrams.
    const needed = Math.max(1, grams.length - 3 * allowance);
    const top = new TopK(200);
    for (const [word, count] of overlap) if (count >= needed) top.offer(word, count);
    const found: Array<{ word: number; distance: number }> = [];
    for (const { id } of top.drain()) {
      const distance = boundedEditDistance(term, this.words[id] as string, allowance);
      if (distance <= allowance) found.push({ word: id, distance });
    }
    return found.sort((a, b) => a.distance - b.distance || this.documentFrequency(b.word) - this.documentFrequency(a.word));
  }
}

/** BM25's term-frequency saturation with length normalisation, for a word found once. */
function lengthNormOf(length: number, avgLength: number): number {
  return (K1 + 1) / (1 + K1 * (1 - B + (B * length) / avgLength));
}

/** The distinct meaningful words of a query (stopwords dropped unless nothing else is left). */
function queryWords(query: string): string[] {
  const words = tokenize(queryText(query));
  const meaningful = words.filter((w) => !STOPWORDS.has(w));
  return [...new Set(meaningful.length > 0 ? meaningful : words)].slice(0, MAX_QUERY_WORDS);
}

function grow<T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
