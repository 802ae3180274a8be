// Discrete Fourier transform of any length: iterative radix-2 Cooley-Tukey for powers of two, Bluestein's chirp-z
// (1970) for other lengths (as numpy.fft/pocketfft do for large primes). Hand-written: the npm FFT packages handle
// powers of two only, and image sizes such as 1000 x 1006 are common.

/** Reusable plan for transforms of one length `n` (any positive integer). */
export class FftPlan {
  readonly n: number;
  private readonly m: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly rev: Uint32Array;
  // Bluestein only:
  private readonly chirpRe?: Float64Array;
  private readonly chirpIm?: Float64Array;
  private readonly kernelRe?: Float64Array;
  private readonly kernelIm?: Float64Array;
  private readonly workRe?: Float64Array;
  private readonly workIm?: Float64Array;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1)
      throw new RangeError(`FftPlan: length must be a positive integer, got ${n}`);
    this.n = n;
    const pow2 = (n & (n - 1)) === 0;
    let m = 1;
    while (m < (pow2 ? n : 2 * n - 1)) m *= 2;
    this.m = m;
    this.cos = new Float64Array(m / 2);
    this.sin = new Float64Array(m / 2);
    for (let k = 0; k < m / 2; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / m);
      this.sin[k] = -Math.sin((2 * Math.PI * k) / m);
    }
    this.rev = new Uint32Array(m);
    const bits = Math.round(Math.log2(m));
    for (let k = 0; k < m; k++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((k >>> b) & 1) << (bits - 1 - b);
      this.rev[k] = r >>> 0;
    }
    if (!pow2) {
      // w_k = exp(-i pi k^2 / n); X_k = conj(w_k)... written as x_j w_j convolved with conj(w).
      this.chirpRe = new Float64Array(n);
      this.chirpIm = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const angle = (Math.PI * ((k * k) % (2 * n))) / n;
        this.chirpRe[k] = Math.cos(angle);
        this.chirpIm[k] = -Math.sin(angle);
      }
      this.kernelRe = new Float64Array(m);
      this.kernelIm = new Float64Array(m);
      this.kernelRe[0] = this.chirpRe[0]!;
      this.kernelIm[0] = -this.chirpIm[0]!;
      for (let k = 1; k < n; k++) {
        this.kernelRe[k] = this.kernelRe[m - k] = this.chirpRe[k]!;
        this.kernelIm[k] = this.kernelIm[m - k] = -this.chirpIm[k]!;
      }
      this.radix2(this.kernelRe, this.kernelIm);
      this.workRe = new Float64Array(m);
      this.workIm = new Float64Array(m);
    }
  }

  /** In-place forward transform X_k = sum_j x_j exp(-2 pi i j k / n) of the first n entries of re/im. */
  forward(re: Float64Array, im: Float64Array): void {
    if (re.length < this.n || im.length < this.n) {
      throw new RangeError(
        `FftPlan.forward: arrays of length ${re.length}, ${im.length} shorter than ${this.n}`,
      );
    }
    if (this.m === this.n) {
      this.radix2(re, im);
      return;
    }
    const n = this.n;
    const m = this.m;
    const cr = this.chirpRe!;
    const ci = this.chirpIm!;
    const wr = this.workRe!;
    const wi = this.workIm!;
    for (let k = 0; k < n; k++) {
      const a = re[k]!;
      const b = im[k]!;
      wr[k] = a * cr[k]! - b * ci[k]!;
      wi[k] = a * ci[k]! + b * cr[k]!;
    }
    wr.fill(0, n, m);
    wi.fill(0, n, m);
    this.radix2(wr, wi);
    const kr = this.kernelRe!;
    const ki = this.kernelIm!;
    for (let k = 0; k < m; k++) {
      const a = wr[k]!;
      const b = wi[k]!;
      wr[k] = a * kr[k]! - b * ki[k]!;
      // conjugate for the inverse transform via the forward one
      wi[k] = -(a * ki[k]! + b * kr[k]!);
    }
    this.radix2(wr, wi);
    for (let k = 0; k < n; k++) {
      const a = wr[k]! / m;
      const b = -wi[k]! / m;
      re[k] = a * cr[k]! - b * ci[k]!;
      im[k] = a * ci[k]! + b * cr[k]!;
    }
  }

  private radix2(re: Float64Array, im: Float64Array): void {
    const m = this.m;
    const rev = this.rev;
    const cos = this.cos;
    const sin = this.sin;
    for (let k = 0; k < m; k++) {
      const r = rev[k]!;
      if (r > k) {
        const tr = re[k]!;
        re[k] = re[r]!;
        re[r] = tr;
        const ti = im[k]!;
        im[k] = im[r]!;
        im[r] = ti;
      }
    }
    for (let size = 2; size <= m; size *= 2) {
      const half = size / 2;
      const step = m / size;
      for (let start = 0; start < m; start += size) {
        for (let k = 0; k < half; k++) {
          const wr = cos[k * step]!;
          const wi = sin[k * step]!;
          const a = start + k;
          const b = a + half;
          const xr = re[b]! * wr - im[b]! * wi;
          const xi = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - xr;
          im[b] = im[a]! - xi;
          re[a] = re[a]! + xr;
          im[a] = im[a]! + xi;
        }
      }
    }
  }
}
