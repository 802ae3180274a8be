// Grey-level erosion, dilation, opening, closing and top-hats with disk/square footprints, equal to
// skimage.morphology.erosion/dilation/opening/closing/white_tophat/black_tophat (scipy.ndimage grey_* with
// mode 'reflect'). For these symmetric convex footprints a reflected outside pixel is always also inside the
// clipped window, so 'reflect' equals "min/max over the footprint pixels that lie inside the image", which is
// what we compute. Fast path: the footprint is a stack of centred row runs; each distinct run width gets one
// van Herk / Gil-Werman running min per image row (3 comparisons per pixel, M. van Herk, Pattern Recognit.
// Lett. 13, 1992; J. Gil & M. Werman, IEEE PAMI 15, 1993), then rows are combined. Every pixel type; results keep
// the input's type; multi-channel images are filtered per channel; a NaN pixel makes every window holding it NaN.
// Hand-written: image-js morphology handles 8/16-bit only, with a generic (slow) kernel loop.
import { allocate, type Image } from '../image/image.ts';
import { type Footprint, type FootprintSpec, makeFootprint } from './footprint.ts';
import { checkImage } from './util.ts';

/**
 * Running minimum over windows [x - a, x + a] of a row of n values, clipped to the row, written to `dst`, using
 * van Herk / Gil-Werman blocks. The row lies in `line` at [pad, pad + n) with `inf` on both sides (pad >= a,
 * length >= pad + n + 3a + 1); `g` and `h` are scratch arrays of length >= n + 3a + 1.
 */
function runningMin(
  line: Buffer64Or32,
  pad: number,
  n: number,
  a: number,
  dst: Buffer64Or32,
  g: Buffer64Or32,
  h: Buffer64Or32,
): void {
  if (a === 0) {
    dst.set(line.subarray(pad, pad + n));
    return;
  }
  const w = 2 * a + 1;
  // padded coordinates: p[i] = line[base + i] = row[i - a], length rounded up to whole blocks
  const base = pad - a;
  const len = Math.ceil((n + 2 * a) / w) * w;
  for (let b = 0; b < len; b += w) {
    // forward prefix minima and backward suffix minima within the block
    let m = line[base + b]!;
    g[b] = m;
    for (let i = b + 1; i < b + w; i++) {
      m = Math.min(m, line[base + i]!);
      g[i] = m;
    }
    m = line[base + b + w - 1]!;
    h[b + w - 1] = m;
    for (let i = b + w - 2; i >= b; i--) {
      m = Math.min(m, line[base + i]!);
      h[i] = m;
    }
  }
  // window [x, x + w - 1] in padded coordinates = [x - a, x + a] in the row
  for (let x = 0; x < n; x++) dst[x] = Math.min(h[x]!, g[x + w - 1]!);
}

/**
 * Row buffers: Int32Array for 8/16-bit pixels (negated values fit; integer min is the cheapest), Float32Array for
 * float32 pixels, Float64Array otherwise (exact for every pixel type).
 */
type Buffer64Or32 = Float64Array | Float32Array | Int32Array;

/** Min filter (sign 1) or max filter (sign -1, by negation) of one plane over `fp`, clipped at the borders. */
function minFilterPlane(
  src: ArrayLike<number>,
  width: number,
  height: number,
  fp: Footprint,
  sign: 1 | -1,
  dst: { [i: number]: number },
  dtype: Image['dtype'],
): void {
  const small = dtype === 'uint8' || dtype === 'uint16';
  const Buffer = small ? Int32Array : dtype === 'float32' ? Float32Array : Float64Array;
  const inf = small ? 2147483647 : Number.POSITIVE_INFINITY;
  const r = fp.radius;
  const rows = 2 * r + 1;
  // distinct half-widths, and for each footprint row which of them it uses
  const widths = [...new Set(fp.halfWidths)].sort((p, q) => p - q);
  const widthIndex = Int32Array.from(fp.halfWidths, (a) => widths.indexOf(a));
  // ring of the last 2r + 1 image rows, each filtered horizontally with every distinct width
  const ring: Buffer64Or32[][] = [];
  for (let i = 0; i < rows; i++) ring.push(widths.map(() => new Buffer(width)));
  const maxA = widths[widths.length - 1]!;
  const scratchLen = width + 4 * maxA + 2;
  const g = new Buffer(scratchLen);
  const h = new Buffer(scratchLen);
  // the current row at [maxA, maxA + width), `inf` elsewhere (never overwritten)
  const line = new Buffer(scratchLen).fill(inf);
  const acc = new Buffer(width);
  const active: Buffer64Or32[] = new Array(rows);
  let loaded = 0; // image rows filtered so far
  for (let y = 0; y < height; y++) {
    const last = Math.min(height - 1, y + r);
    while (loaded <= last) {
      const o = loaded * width;
      for (let x = 0; x < width; x++) line[maxA + x] = sign * src[o + x]!;
      const slot = ring[loaded % rows]!;
      for (let k = 0; k < widths.length; k++) runningMin(line, maxA, width, widths[k]!, slot[k]!, g, h);
      loaded++;
    }
    // the filtered rows inside the image, combined up to four per sweep
    let count = 0;
    for (let dy = -r; dy <= r; dy++) {
      const yy = y + dy;
      if (yy >= 0 && yy < height) active[count++] = ring[yy % rows]![widthIndex[dy + r]!]!;
    }
    acc.set(active[0]!);
    let q = 1;
    for (; q + 4 <= count; q += 4) {
      const r1 = active[q]!;
      const r2 = active[q + 1]!;
      const r3 = active[q + 2]!;
      const r4 = active[q + 3]!;
      for (let x = 0; x < width; x++) {
        acc[x] = Math.min(Math.min(acc[x]!, r1[x]!), Math.min(Math.min(r2[x]!, r3[x]!), r4[x]!));
      }
    }
    for (; q < count; q++) {
      const row = active[q]!;
      for (let x = 0; x < width; x++) acc[x] = Math.min(acc[x]!, row[x]!);
    }
    const o = y * width;
    for (let x = 0; x < width; x++) dst[o + x] = sign * acc[x]!;
  }
}

function morph<D extends Image['dtype']>(
  image: Image<D>,
  footprint: FootprintSpec,
  sign: 1 | -1,
  what: string,
): Image<D> {
  checkImage(image, what);
  const fp = makeFootprint(footprint, what);
  const { width, height, channels } = image;
  const n = width * height;
  const out = allocate(image.dtype, n * channels);
  for (let c = 0; c < channels; c++) {
    minFilterPlane(
      image.data.subarray(c * n, (c + 1) * n),
      width,
      height,
      fp,
      sign,
      out.subarray(c * n),
      image.dtype,
    );
  }
  return { ...image, data: out };
}

/** Grey erosion: each pixel becomes the minimum over the footprint (skimage.morphology.erosion). Same dtype. */
export function erode<D extends Image['dtype']>(image: Image<D>, footprint: FootprintSpec): Image<D> {
  return morph(image, footprint, 1, 'erode');
}

/** Grey dilation: each pixel becomes the maximum over the footprint (skimage.morphology.dilation). */
export function dilate<D extends Image['dtype']>(image: Image<D>, footprint: FootprintSpec): Image<D> {
  return morph(image, footprint, -1, 'dilate');
}

/** Opening = dilate(erode(image)): removes bright details smaller than the footprint. */
export function open<D extends Image['dtype']>(image: Image<D>, footprint: FootprintSpec): Image<D> {
  return dilate(erode(image, footprint), footprint);
}

/** Closing = erode(dilate(image)): removes dark details smaller than the footprint. */
export function close<D extends Image['dtype']>(image: Image<D>, footprint: FootprintSpec): Image<D> {
  return erode(dilate(image, footprint), footprint);
}

/** White top-hat = image - opening: bright spots smaller than the footprint (never negative). */
export function whiteTopHat<D extends Image['dtype']>(image: Image<D>, footprint: FootprintSpec): Image<D> {
  const opened = open(image, footprint);
  const out = opened.data;
  const src = image.data;
  for (let i = 0; i < out.length; i++) out[i] = src[i]! - out[i]!;
  return opened;
}

/** Black top-hat = closing - image: dark spots smaller than the footprint (never negative). */
export function blackTopHat<D extends Image['dtype']>(image: Image<D>, footprint: FootprintSpec): Image<D> {
  const closed = close(image, footprint);
  const out = closed.data;
  const src = image.data;
  for (let i = 0; i < out.length; i++) out[i] = out[i]! - src[i]!;
  return closed;
}
