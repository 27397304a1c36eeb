/**
 * 32-bit integers pushed one by one into a typed array that doubles when full: no boxed array,
 * no copy at the end (`values.subarray(0, length)` is the list).
 */
export class GrowingInts {
  values: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.values = new Int32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}
