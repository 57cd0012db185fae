/**
 * THE TEST ORACLE: src/search/text-index.ts as it was before its search was bounded (commit
 * 1078453), kept unchanged but for its import paths and name, so test/search/fact-search-bound
 * can check that the faster search ranks exactly as this one did. Do not optimise it.
 */
import { boundedEditDistance, typoAllowance } from '../../src/search/edit-distance.js';
import { queryText, skeletonToken, STOPWORDS, tokenize, trigrams } from '../../src/search/normalise.js';
import { TopK } from '../../src/search/top-k.js';

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
}

export class ReferenceTextIndex {
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
    const touched: number[] = [];
    const avgLength = this.totalLength / Math.max(1, this.docCount) || 1;
    let ideal = 0;
    for (const term of terms) {
      const expansions = this.expand(term);
      if (expansions.length === 0) continue;
      this.stampValue++;
      let termIdeal = 0;
      for (const { word, weight } of expansions) {
        const idf = this.idf(word);
        termIdeal = Math.max(termIdeal, weight * idf);
        this.forEachPosting(word, (doc) => {
          if (this.stamp[doc] === this.stampValue) return;
          this.stamp[doc] = this.stampValue;
          if (this.matched[doc] === 0) touched.push(doc);
          this.matched[doc] = (this.matched[doc] as number) + 1;
          const lengthNorm = (K1 + 1) / (1 + K1 * (1 - B + (B * (this.docLength[doc] as number)) / avgLength));
          this.scores[doc] = (this.scores[doc] as number) + weight * idf * lengthNorm;
        });
      }
      ideal += termIdeal * ((K1 + 1) / (1 + K1 * (1 - B)));
    }
    const pool = limit * 3 + 20;
    const top = new TopK(pool);
    for (const doc of touched) {
      const relevance = this.scores[doc] as number;
      this.scores[doc] = 0;
      this.matched[doc] = 0;
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
  }

  private documentFrequency(word: number): number {
    const base = word + 1 < this.baseOffsets.length ? (this.baseOffsets[word + 1] as number) - (this.baseOffsets[word] as number) : 0;
    return base + (this.delta.get(word)?.length ?? 0);
  }

  private idf(word: number): number {
    const df = this.documentFrequency(word);
    return Math.log(1 + (this.docCount - df + 0.5) / (df + 0.5));
  }

  private forEachPosting(word: number, visit: (doc: number) => void): void {
    if (word + 1 < this.baseOffsets.length) {
      const end = this.baseOffsets[word + 1] as number;
      for (let i = this.baseOffsets[word] as number; i < end; i++) visit(this.baseDocs[i] as number);
    }
    const extra = this.delta.get(word);
    if (extra) for (const doc of extra) visit(doc);
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
