// Exact linear algebra over the rationals for the disclosure attacker model. Rows are kept as integer vectors in
// echelon form, divided by their gcd after every step (fraction-free elimination), so nothing is ever rounded: a
// vector lies in the row space exactly when it reduces to zero. Arithmetic is done in doubles while every
// intermediate is a safe integer (the usual case for 0/1 sum-membership rows) and switches to bigint for good
// the first time one is not.

type Num = number | bigint;

function gcdNumber(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}
function gcdBig(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

class Overflow extends Error {}

/** v ← v·lead − row·factor over the first n entries (and the tracked tails), then divide by the gcd. */
function eliminateNumber(v: number[], row: readonly number[], lead: number, factor: number): void {
  let g = 0;
  for (let i = 0; i < v.length; i++) {
    const a = v[i] * lead;
    const b = (row[i] ?? 0) * factor;
    const x = a - b;
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(x))
      throw new Overflow();
    v[i] = x;
    if (x !== 0) g = gcdNumber(g, x);
  }
  if (g > 1) for (let i = 0; i < v.length; i++) v[i] /= g;
}
function eliminateBig(v: bigint[], row: readonly bigint[], lead: bigint, factor: bigint): void {
  let g = 0n;
  for (let i = 0; i < v.length; i++) {
    v[i] = v[i] * lead - (row[i] ?? 0n) * factor;
    if (v[i] !== 0n) g = gcdBig(g, v[i]);
  }
  if (g > 1n) for (let i = 0; i < v.length; i++) v[i] /= g;
}

interface EchelonRow<T extends Num> {
  readonly pivot: number;
  /** width coefficients, then (when tracking) the combination of basis inputs this row equals. */
  readonly entries: T[];
}

/**
 * The span of a set of vectors of a fixed width. Invariant: each row is zero at the pivot columns of every
 * earlier row, so reducing a vector by the rows in order leaves it zero at all pivots. With `track`, each row also
 * carries which independent inputs it combines, so `explain` can say which inputs a determined vector needs.
 */
export class RowSpace {
  private small: EchelonRow<number>[] | null = [];
  private big: EchelonRow<bigint>[] = [];
  private readonly labels: number[] = [];

  constructor(
    readonly width: number,
    private readonly track = false,
  ) {}

  get rank(): number {
    return this.labels.length;
  }

  /** Adds a vector; returns true when it was independent of the rows already held. */
  add(vector: readonly Num[], label = this.labels.length): boolean {
    const k = this.labels.length;
    const residue = this.reduce(vector, 1);
    const pivot = residue.findIndex((x, i) => i < this.width && x !== 0 && x !== 0n);
    if (pivot < 0) return false;
    this.labels.push(label);
    residue.length = this.width + (this.track ? k + 1 : 0);
    if (this.small && residue.every((x) => typeof x === 'number')) {
      this.small.push({ pivot, entries: residue });
    } else {
      this.toBig();
      this.big.push({ pivot, entries: residue.map((x) => BigInt(x)) });
    }
    return true;
  }

  /** True when the vector is a rational linear combination of the rows. */
  contains(vector: readonly Num[]): boolean {
    return this.explain(vector) !== undefined;
  }

  /**
   * When the vector is in the span: the labels of the inputs with a non-zero weight in one combination giving it,
   * with weights proportional to theirs (only the ratios matter). Needs `track` for the weights; without it
   * the map is empty.
   */
  explain(vector: readonly Num[]): Map<number, bigint> | undefined {
    const residue = this.reduce(vector, 0);
    for (let i = 0; i < this.width; i++) if (residue[i] !== 0 && residue[i] !== 0n) return undefined;
    const weights = new Map<number, bigint>();
    if (this.track) {
      this.labels.forEach((label, j) => {
        const w = BigInt(residue[this.width + j]);
        if (w !== 0n) weights.set(label, w);
      });
    }
    return weights;
  }

  private toBig(): void {
    if (!this.small) return;
    this.big = this.small.map(({ pivot, entries }) => ({ pivot, entries: entries.map((x) => BigInt(x)) }));
    this.small = null;
  }

  /**
   * Reduces vector (with a tracked tail: its weights on the basis so far, then `self` as its own weight in the
   * last slot) by every row in order.
   */
  private reduce(vector: readonly Num[], self: number): Num[] {
    if (vector.length !== this.width) {
      throw new RangeError(`vector of width ${vector.length} in a row space of width ${this.width}`);
    }
    const tail = this.track ? this.rank + 1 : 0;
    if (this.small) {
      const v: number[] = [...vector.map(Number), ...new Array<number>(tail).fill(0)];
      if (this.track) v[this.width + this.rank] = self;
      try {
        for (const { pivot, entries } of this.small) {
          if (v[pivot] !== 0) eliminateNumber(v, entries, entries[pivot], v[pivot]);
        }
        return v;
      } catch (e) {
        if (!(e instanceof Overflow)) throw e;
        this.toBig();
      }
    }
    const v: bigint[] = [...vector.map((x) => BigInt(x)), ...new Array<bigint>(tail).fill(0n)];
    if (this.track) v[this.width + this.rank] = BigInt(self);
    for (const { pivot, entries } of this.big) {
      if (v[pivot] !== 0n) eliminateBig(v, entries, entries[pivot], v[pivot]);
    }
    return v;
  }
}
