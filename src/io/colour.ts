// Colour samples to one grey channel, the rule shared by the PNG and TIFF readers.
//
// Rule (documented in docs/formats.md): alpha is dropped; when R, G and B are equal at every pixel (grey images
// stored as RGB, as in the DSB 2018 set) the result is R exactly; otherwise it is the mean (R + G + B) / 3,
// rounded to the nearest integer for integer types, which is how CellProfiler's NamesAndTypes loads a colour
// image as greyscale (it averages the channels).
import { allocate, fromData, type Image } from '../image/image.ts';

/**
 * One grey channel from the first `colourChannels` channels of `image` (1: take channel 0, 3: RGB rule above);
 * the remaining channels (alpha) are dropped.
 */
export function colourToGrey(image: Image, colourChannels: 1 | 3): Image {
  const n = image.width * image.height;
  const meta = { pixelSize: image.pixelSize, bitDepth: image.bitDepth };
  if (colourChannels === 1 || image.channels < 3) {
    return fromData(image.data.slice(0, n), image.width, image.height, meta);
  }
  const d = image.data;
  let equal = true;
  for (let i = 0; i < n; i++) {
    const r = d[i]!;
    if (d[n + i] !== r || d[2 * n + i] !== r) {
      equal = false;
      break;
    }
  }
  if (equal) return fromData(d.slice(0, n), image.width, image.height, meta);
  const out = allocate(image.dtype, n);
  const isFloat = image.dtype === 'float32' || image.dtype === 'float64';
  for (let i = 0; i < n; i++) {
    const mean = (d[i]! + d[n + i]! + d[2 * n + i]!) / 3;
    out[i] = isFloat ? mean : Math.round(mean);
  }
  return fromData(out, image.width, image.height, meta);
}
