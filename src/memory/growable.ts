type Typed = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;
type TypedConstructor<T extends Typed> = new (length: number) => T;

/** An append-only typed array that doubles when full: no boxed numbers, no per-item allocation. */
export class Growable<T extends Typed> {
  data: T;
  length = 0;

  constructor(
    private readonly make: TypedConstructor<T>,
    capacity = 1024,
  ) {
    this.data = new make(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = value;
  }

  append(values: T, count = values.length): void {
    this.reserve(this.length + count);
    this.data.set(values.length === count ? values : (values.subarray(0, count) as T), this.length);
    this.length += count;
  }

  reserve(capacity: number): void {
    if (capacity <= this.data.length) return;
    const bigger = new this.make(Math.max(capacity, this.data.length * 2));
    bigger.set(this.data.subarray(0, this.length));
    this.data = bigger;
  }

  /** The filled part, shared with the buffer (valid until the next push). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }

  get byteLength(): number {
    return this.data.byteLength;
  }
}
