/**
 * Writes 32-bit integers out in chunks of 64 Ki (256 KB): a stored graph has millions, and is
 * never held whole while it is written. `emit` gets each full chunk (reused afterwards: write it
 * out before returning) and, on `flush`, the rest.
 */
export class Int32Chunks {
  private readonly chunk = new Int32Array(1 << 16);
  private length = 0;

  constructor(private readonly emit: (chunk: Int32Array) => void) {}

  push(value: number): void {
    this.chunk[this.length++] = value;
    if (this.length === this.chunk.length) this.flush();
  }

  flush(): void {
    if (this.length > 0) this.emit(this.chunk.subarray(0, this.length));
    this.length = 0;
  }
}
