/**
 * Bounded edit distance (optimal string alignment: insert, delete, substitute, swap two
 * neighbours), used to accept typo'd words without scanning a whole vocabulary.
 */

/**
 * The OSA distance between `a` and `b`, or `max + 1` as soon as it is known to exceed `max`.
 *
 * @example
 * boundedEditDistance('massod', 'massoud', 2) // → 1
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (lb + 1 > rowA.length) growRows(lb + 1);
  // Three reused rows: no allocation per call (this runs for many word pairs per query).
  let prevPrev = rowA;
  let prev = rowB;
  let current = rowC;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let value = Math.min((prev[j] as number) + 1, (current[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        value = Math.min(value, (prevPrev[j - 2] as number) + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    const recycled = prevPrev;
    prevPrev = prev;
    prev = current;
    current = recycled;
  }
  const result = prev[lb] as number;
  return result > max ? max + 1 : result;
}

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

function growRows(size: number): void {
  rowA = new Int32Array(size * 2);
  rowB = new Int32Array(size * 2);
  rowC = new Int32Array(size * 2);
}

/** How many typos a word of this length may carry and still count as the same word. */
export function typoAllowance(length: number): number {
  if (length <= 3) return 0;
  if (length <= 6) return 1;
  return 2;
}
