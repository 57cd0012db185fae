/**
 * Keeps the `k` best (highest-keyed) ids seen so far in a binary min-heap, so choosing the top
 * candidates out of a large set costs O(n log k) and no sort of the whole set.
 */
export class TopK {
  private readonly keys: Float64Array;
  private readonly ids: Uint32Array;
  private count = 0;

  constructor(private readonly k: number) {
    this.keys = new Float64Array(Math.max(1, k));
    this.ids = new Uint32Array(Math.max(1, k));
  }

  /** Empties the heap so one instance can serve many queries without allocating. */
  reset(): this {
    this.count = 0;
    return this;
  }

  /** The key an offer must beat to be kept: the worst kept key once `k` are kept, else -Infinity. */
  floor(): number {
    return this.count < this.k || this.k <= 0 ? -Infinity : (this.keys[0] as number);
  }

  /** Offers `id` with `key`; kept when it beats the worst of the current best `k`. */
  offer(id: number, key: number): void {
    if (this.k <= 0) return;
    if (this.count < this.k) {
      let i = this.count++;
      this.keys[i] = key;
      this.ids[i] = id;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if ((this.keys[parent] as number) <= key) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    if (key <= (this.keys[0] as number)) return;
    this.keys[0] = key;
    this.ids[0] = id;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.count && (this.keys[left] as number) < (this.keys[smallest] as number)) smallest = left;
      if (right < this.count && (this.keys[right] as number) < (this.keys[smallest] as number)) smallest = right;
      if (smallest === i) break;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  /** The kept ids, best first. */
  drain(): Array<{ id: number; key: number }> {
    const out: Array<{ id: number; key: number }> = [];
    for (let i = 0; i < this.count; i++) out.push({ id: this.ids[i] as number, key: this.keys[i] as number });
    out.sort((a, b) => b.key - a.key || a.id - b.id);
    return out;
  }

  /**
   * Sorts the kept items best first (equal keys: smaller id first) in place (heapsort, no
   * allocation) and returns how many there are; read them with {@link idAt} / {@link keyAt}.
   * No more offers until the next {@link reset}.
   */
  sortBestFirst(): number {
    // Rebuild as a heap with the worst (lowest key, then highest id) on top, then move the top
    // to the end repeatedly: the array ends up best first.
    const n = this.count;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i, n);
    for (let end = n - 1; end > 0; end--) {
      this.swap(0, end);
      this.siftDown(0, end);
    }
    return n;
  }

  /** The id in slot `i` (after {@link sortBestFirst}: the i-th best). */
  idAt(i: number): number {
    return this.ids[i] as number;
  }

  /** The key in slot `i`. */
  keyAt(i: number): number {
    return this.keys[i] as number;
  }

  /** Whether slot a holds a worse item than slot b: lower key, or the same key and a higher id. */
  private worse(a: number, b: number): boolean {
    const ka = this.keys[a] as number;
    const kb = this.keys[b] as number;
    return ka < kb || (ka === kb && (this.ids[a] as number) > (this.ids[b] as number));
  }

  private siftDown(start: number, size: number): void {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < size && this.worse(left, worst)) worst = left;
      if (right < size && this.worse(right, worst)) worst = right;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }

  private swap(a: number, b: number): void {
    const key = this.keys[a] as number;
    this.keys[a] = this.keys[b] as number;
    this.keys[b] = key;
    const id = this.ids[a] as number;
    this.ids[a] = this.ids[b] as number;
    this.ids[b] = id;
  }
}
