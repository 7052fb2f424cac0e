// Per-channel mean and standard deviation in 0..1 units, for input normalisation. The writer sees
// images one at a time before the split exists, so it keeps each image's per-channel sum and sum of
// squares (2 × C doubles per image) and combines the train images' sums at commit; the builtin set,
// already in memory, goes through the same accumulator.

export class ChannelSums {
  private sums: Float64Array;
  private squares: Float64Array;
  private n = 0;

  constructor(
    readonly channels: number,
    readonly pixelsPerChannel: number,
    initialCapacity = 1024,
  ) {
    this.sums = new Float64Array(initialCapacity * channels);
    this.squares = new Float64Array(initialCapacity * channels);
  }

  get count(): number {
    return this.n;
  }

  /** Records one CHW uint8 image. */
  add(image: Uint8Array): void {
    const C = this.channels;
    if ((this.n + 1) * C > this.sums.length) this.grow();
    const P = this.pixelsPerChannel;
    for (let c = 0; c < C; c++) {
      let s = 0;
      let q = 0;
      const base = c * P;
      for (let p = 0; p < P; p++) {
        const v = image[base + p];
        s += v;
        q += v * v;
      }
      this.sums[this.n * C + c] = s;
      this.squares[this.n * C + c] = q;
    }
    this.n++;
  }

  /** Mean and population std per channel over the images whose flag equals `flag` (all images when
   *  `flags` is omitted). An empty selection gives mean 0, std 0 rather than NaN. */
  stats(flags?: Uint8Array, flag = 0): { mean: number[]; std: number[] } {
    const C = this.channels;
    const sum = new Float64Array(C);
    const sq = new Float64Array(C);
    let used = 0;
    for (let i = 0; i < this.n; i++) {
      if (flags !== undefined && flags[i] !== flag) continue;
      used++;
      for (let c = 0; c < C; c++) {
        sum[c] += this.sums[i * C + c];
        sq[c] += this.squares[i * C + c];
      }
    }
    const mean: number[] = [];
    const std: number[] = [];
    const N = used * this.pixelsPerChannel;
    for (let c = 0; c < C; c++) {
      if (N === 0) {
        mean.push(0);
        std.push(0);
        continue;
      }
      const m = sum[c] / N;
      // Clamp tiny negative variance from rounding before the square root.
      const variance = Math.max(0, sq[c] / N - m * m);
      mean.push(m / 255);
      std.push(Math.sqrt(variance) / 255);
    }
    return { mean, std };
  }

  private grow(): void {
    const bigger = (a: Float64Array): Float64Array => {
      const b = new Float64Array(Math.max(a.length * 2, this.channels * 16));
      b.set(a);
      return b;
    };
    this.sums = bigger(this.sums);
    this.squares = bigger(this.squares);
  }
}

/** Convenience for a whole NCHW uint8 tensor already in memory. */
export function channelStats(
  images: Uint8Array,
  shape: { channels: number; height: number; width: number },
  flags?: Uint8Array,
  flag = 0,
): { mean: number[]; std: number[] } {
  const P = shape.height * shape.width;
  const per = shape.channels * P;
  const count = images.length / per;
  const acc = new ChannelSums(shape.channels, P, count);
  for (let i = 0; i < count; i++) acc.add(images.subarray(i * per, (i + 1) * per));
  return acc.stats(flags, flag);
}
