// Segmentation overlay for people: object outlines (pixels of an object with a 4-neighbour outside it, as
// skimage.segmentation.find_boundaries mode 'inner') drawn over the image contrast-stretched between two
// percentiles, as an 8-bit RGB image.

import { percentiles } from '../filter/rescale.ts';
import { fromData, type Image } from '../image/image.ts';
import { checkLabels, checkSameSize, checkSingleChannel } from './check.ts';

export interface OverlayOptions {
  /** Percentiles of the image mapped to black and white. @default [0.5, 99.8] */
  stretch?: readonly [number, number];
  /** Outline colour [r, g, b]. @default [255, 255, 0] */
  color?: readonly [number, number, number];
}

/** An RGB uint8 image (3 planar channels): the stretched image in grey, outlines in `color`. */
export function overlayOutlines(image: Image, labels: Image, options: OverlayOptions = {}): Image<'uint8'> {
  checkSingleChannel(image, 'overlayOutlines image');
  checkLabels(labels, 'overlayOutlines labels');
  checkSameSize(image, labels, 'overlayOutlines labels');
  const [pLo, pHi] = options.stretch ?? [0.5, 99.8];
  if (!(pLo >= 0 && pHi <= 100 && pLo < pHi)) {
    throw new RangeError(`overlayOutlines: stretch must be 0 <= low < high <= 100, got [${pLo}, ${pHi}]`);
  }
  const [r, g, b] = options.color ?? [255, 255, 0];
  const { width: w, height: h } = image;
  const n = w * h;
  const [lo, hi] = stretchRange(image, pLo, pHi);
  const span = hi > lo ? hi - lo : 1;
  const out = new Uint8Array(3 * n);
  const ld = labels.data;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const v = image.data[i]!;
      const grey = Number.isFinite(v) ? Math.max(0, Math.min(255, Math.round(((v - lo) / span) * 255))) : 0;
      const l = ld[i]!;
      const edge =
        l !== 0 &&
        ((x > 0 && ld[i - 1] !== l) ||
          (x < w - 1 && ld[i + 1] !== l) ||
          (y > 0 && ld[i - w] !== l) ||
          (y < h - 1 && ld[i + w] !== l));
      out[i] = edge ? r : grey;
      out[n + i] = edge ? g : grey;
      out[2 * n + i] = edge ? b : grey;
    }
  }
  return fromData(out, w, h, { channels: 3 });
}

/**
 * The two stretch percentiles: numpy's linear percentiles by a counting pass for 8/16-bit images (the common
 * case, ~10x faster than sorting a megapixel copy); for other types the finite pixels sorted, nearest rank.
 */
function stretchRange(image: Image, pLo: number, pHi: number): [number, number] {
  if (image.dtype === 'uint8' || image.dtype === 'uint16')
    return percentiles(image, [pLo, pHi]) as [number, number];
  const finite = Float64Array.from(image.data as ArrayLike<number>).filter((v) => Number.isFinite(v));
  finite.sort();
  const at = (p: number): number =>
    finite.length ? finite[Math.round((p / 100) * (finite.length - 1))]! : 0;
  return [at(pLo), at(pHi)];
}
