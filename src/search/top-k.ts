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

  /** The kept ids and keys, best first, written into the given arrays (no objects allocated). */
  drainInto(ids: number[], keys: number[]): void {
    const order = this.sortedOrder();
    for (const i of order) {
      ids.push(this.ids[i] as number);
      keys.push(this.keys[i] as number);
    }
  }

  private sortedOrder(): number[] {
    const order: number[] = [];
    for (let i = 0; i < this.count; i++) order.push(i);
    order.sort((a, b) => (this.keys[b] as number) - (this.keys[a] as number) || (this.ids[a] as number) - (this.ids[b] as number));
    return order;
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
