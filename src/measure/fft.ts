// Discrete Fourier transform of any length: iterative radix-2 Cooley-Tukey for powers of two, mixed-radix
// Cooley-Tukey (radix 4, 2 and generic odd radices, after KISS FFT's kf_work) for lengths whose prime factors are at
// most 7, Bluestein's chirp-z (1970) otherwise (as pocketfft does for large primes). Hand-written: the npm FFT packages
// handle powers of two only, and camera sizes such as 1000, 1006, 2160 or 2560 are common.

/** Mixed-radix decimation-in-time plan for 7-smooth lengths (KISS FFT's recursion and butterflies). */
class MixedRadixPlan {
  private readonly n: number;
  private readonly factors: number[] = [];
  private readonly twRe: Float64Array;
  private readonly twIm: Float64Array;
  private readonly inRe: Float64Array;
  private readonly inIm: Float64Array;
  private readonly scratchRe = new Float64Array(7);
  private readonly scratchIm = new Float64Array(7);

  constructor(n: number) {
    this.n = n;
    let rest = n;
    for (const p of [4, 2, 3, 5, 7]) {
      while (rest % p === 0) {
        rest /= p;
        this.factors.push(p, rest);
      }
    }
    if (rest !== 1) throw new RangeError(`MixedRadixPlan: ${n} is not 7-smooth`);
    this.twRe = new Float64Array(n);
    this.twIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      this.twRe[k] = Math.cos((2 * Math.PI * k) / n);
      this.twIm[k] = -Math.sin((2 * Math.PI * k) / n);
    }
    this.inRe = new Float64Array(n);
    this.inIm = new Float64Array(n);
  }

  static supports(n: number): boolean {
    let rest = n;
    for (const p of [2, 3, 5, 7]) while (rest % p === 0) rest /= p;
    return rest === 1;
  }

  forward(re: Float64Array, im: Float64Array): void {
    this.inRe.set(re.subarray(0, this.n));
    this.inIm.set(im.subarray(0, this.n));
    this.work(re, im, 0, 0, 1, 0);
  }

  /** Output block [out, out + p m) from input samples in, in + fstride, ...; factors from index f. */
  private work(
    oRe: Float64Array,
    oIm: Float64Array,
    out: number,
    input: number,
    fstride: number,
    f: number,
  ): void {
    const p = this.factors[f]!;
    const m = this.factors[f + 1]!;
    const end = out + p * m;
    if (m === 1) {
      for (let o = out, i = input; o < end; o++, i += fstride) {
        oRe[o] = this.inRe[i]!;
        oIm[o] = this.inIm[i]!;
      }
    } else {
      for (let o = out, i = input; o < end; o += m, i += fstride)
        this.work(oRe, oIm, o, i, fstride * p, f + 2);
    }
    if (p === 2) this.butterfly2(oRe, oIm, out, fstride, m);
    else if (p === 4) this.butterfly4(oRe, oIm, out, fstride, m);
    else this.butterflyGeneric(oRe, oIm, out, fstride, m, p);
  }

  private butterfly2(re: Float64Array, im: Float64Array, out: number, fstride: number, m: number): void {
    const twRe = this.twRe;
    const twIm = this.twIm;
    for (let k = 0, tw = 0; k < m; k++, tw += fstride) {
      const a = out + k;
      const b = a + m;
      const tr = re[b]! * twRe[tw]! - im[b]! * twIm[tw]!;
      const ti = re[b]! * twIm[tw]! + im[b]! * twRe[tw]!;
      re[b] = re[a]! - tr;
      im[b] = im[a]! - ti;
      re[a] = re[a]! + tr;
      im[a] = im[a]! + ti;
    }
  }

  private butterfly4(re: Float64Array, im: Float64Array, out: number, fstride: number, m: number): void {
    const twRe = this.twRe;
    const twIm = this.twIm;
    for (let k = 0; k < m; k++) {
      const i0 = out + k;
      const i1 = i0 + m;
      const i2 = i1 + m;
      const i3 = i2 + m;
      const t1 = k * fstride;
      const t2 = 2 * t1;
      const t3 = 3 * t1;
      const s0r = re[i1]! * twRe[t1]! - im[i1]! * twIm[t1]!;
      const s0i = re[i1]! * twIm[t1]! + im[i1]! * twRe[t1]!;
      const s1r = re[i2]! * twRe[t2]! - im[i2]! * twIm[t2]!;
      const s1i = re[i2]! * twIm[t2]! + im[i2]! * twRe[t2]!;
      const s2r = re[i3]! * twRe[t3]! - im[i3]! * twIm[t3]!;
      const s2i = re[i3]! * twIm[t3]! + im[i3]! * twRe[t3]!;
      const s5r = re[i0]! - s1r;
      const s5i = im[i0]! - s1i;
      const f0r = re[i0]! + s1r;
      const f0i = im[i0]! + s1i;
      const s3r = s0r + s2r;
      const s3i = s0i + s2i;
      const s4r = s0r - s2r;
      const s4i = s0i - s2i;
      re[i2] = f0r - s3r;
      im[i2] = f0i - s3i;
      re[i0] = f0r + s3r;
      im[i0] = f0i + s3i;
      re[i1] = s5r + s4i;
      im[i1] = s5i - s4r;
      re[i3] = s5r - s4i;
      im[i3] = s5i + s4r;
    }
  }

  private butterflyGeneric(
    re: Float64Array,
    im: Float64Array,
    out: number,
    fstride: number,
    m: number,
    p: number,
  ): void {
    const n = this.n;
    const twRe = this.twRe;
    const twIm = this.twIm;
    const sr = this.scratchRe;
    const si = this.scratchIm;
    for (let u = 0; u < m; u++) {
      for (let q = 0, k = out + u; q < p; q++, k += m) {
        sr[q] = re[k]!;
        si[q] = im[k]!;
      }
      for (let q1 = 0, k = u; q1 < p; q1++, k += m) {
        let accR = sr[0]!;
        let accI = si[0]!;
        let tw = 0;
        for (let q = 1; q < p; q++) {
          tw += fstride * k;
          if (tw >= n) tw %= n;
          accR += sr[q]! * twRe[tw]! - si[q]! * twIm[tw]!;
          accI += sr[q]! * twIm[tw]! + si[q]! * twRe[tw]!;
        }
        re[out + k] = accR;
        im[out + k] = accI;
      }
    }
  }
}

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
  private readonly mixed?: MixedRadixPlan;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1)
      throw new RangeError(`FftPlan: length must be a positive integer, got ${n}`);
    this.n = n;
    const pow2 = (n & (n - 1)) === 0;
    if (!pow2 && MixedRadixPlan.supports(n)) {
      this.mixed = new MixedRadixPlan(n);
      this.m = n;
      this.cos = this.sin = new Float64Array(0);
      this.rev = new Uint32Array(0);
      return;
    }
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
    if (this.mixed) {
      this.mixed.forward(re, im);
      return;
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
