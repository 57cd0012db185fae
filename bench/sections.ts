/**
 * The benchmark's section registry: each section measures one part of Dossier and returns
 * rows; `bench/run.ts` prints them as a table or JSON lines. Add a section by exporting a
 * {@link BenchSection} and listing it in `run.ts` (optional sections are imported if present).
 */

/** One measured row. The search section fills the named fields; other sections add their own. */
export interface BenchRow {
  section: string;
  operation: string;
  entities?: number;
  facts?: number;
  /** Which queries: exact, typo1, typo2, translit, prefix… */
  variant?: string;
  queries?: number;
  p50Ms?: number;
  p99Ms?: number;
  hit1?: number;
  hit10?: number;
  baselineP50Ms?: number;
  baselineP99Ms?: number;
  baselineHit1?: number;
  baselineHit10?: number;
  /** How many queries the baseline ran (fewer than `queries` when plain fuse.js is too slow). */
  baselineQueries?: number;
  buildMs?: number;
  heapMb?: number;
  rssMb?: number;
  note?: string;
  [extra: string]: string | number | boolean | undefined;
}

export interface BenchOptions {
  /** Only the mid size (5,000 entities / 100,000 facts). */
  quick: boolean;
  /** Smallest sizes and few queries: proves the script works (used by the test). */
  tiny?: boolean;
  seed: number;
  /** Search section: only these entity counts. */
  sizes?: number[];
  /** Feeds section: story sizes in articles. */
  articles?: number[];
  /** Search section: only these operations (who, where, autocomplete, search). */
  ops?: string[];
  /** Search section: skip the plain fuse.js baseline. */
  noBaseline?: boolean;
  /** Progress lines go here (stderr by default), never into the table or JSON. */
  log: (line: string) => void;
}

export interface BenchSection {
  name: string;
  run(options: BenchOptions): Promise<BenchRow[]>;
}
