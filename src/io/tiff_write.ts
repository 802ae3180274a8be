// Baseline TIFF writer: one grey page per channel, uncompressed or Deflate (node:zlib) strips, any Phenoscope
// pixel type (uint8/16/32, int32, float32/64), pixel size as resolution tags. Spec: TIFF 6.0 (Adobe, 1992).
// Hand-written because the `tiff` npm package only decodes, and sharp cannot write uint32/int32/float64 pages.
import { deflateSync } from 'node:zlib';
import { DTYPE_BITS, type Image } from '../image/image.ts';
import { ImageFileError } from './errors.ts';
import { TAG } from './tiff_ifd.ts';
import { unitMicrons } from './units.ts';

export interface EncodeTiffOptions {
  /** Strip compression. @default 'none' */
  compression?: 'none' | 'deflate';
  /**
   * ImageDescription of the first page (e.g. OME-XML).
   * @default an ImageJ header for uint8/uint16/float32 images, else none
   */
  description?: string | undefined;
}

/** Bytes per strip we aim for (tifffile and libtiff use similar sizes). */
const STRIP_BYTES = 256 * 1024;

const SAMPLE_FORMAT: Readonly<Record<Image['dtype'], number>> = {
  uint8: 1,
  uint16: 1,
  uint32: 1,
  int32: 2,
  float32: 3,
  float64: 3,
};

type Entry = { tag: number; type: 2 | 3 | 4 | 5; values: number[] | string };

/** Encode every channel of `image` as one page of a little-endian classic TIFF. */
export function encodeTiff(image: Image, name: string, options: EncodeTiffOptions = {}): Uint8Array {
  const compression = options.compression ?? 'none';
  const { width, height, channels, dtype } = image;
  const bytesPerSample = DTYPE_BITS[dtype] / 8;
  const plane = width * height;
  const rowBytes = width * bytesPerSample;
  const rowsPerStrip = Math.max(1, Math.min(height, Math.floor(STRIP_BYTES / rowBytes)));
  const strips = Math.ceil(height / rowsPerStrip);
  const description = options.description ?? imageJDescription(image);
  const all = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);

  const parts: Uint8Array[] = [];
  let offset = 8;
  const push = (b: Uint8Array): number => {
    const at = offset;
    parts.push(b);
    offset += b.length;
    if (offset % 2) {
      parts.push(new Uint8Array(1)); // keep word alignment
      offset++;
    }
    return at;
  };
  const header = new Uint8Array(8);
  const hv = new DataView(header.buffer);
  header[0] = 0x49;
  header[1] = 0x49;
  hv.setUint16(2, 42, true);
  let previousNextOffsetAt = 4; // where to patch the offset of the next IFD
  const patches: [number, number][] = [];

  for (let c = 0; c < channels; c++) {
    const stripOffsets: number[] = [];
    const stripCounts: number[] = [];
    for (let s = 0; s < strips; s++) {
      const rows = Math.min(rowsPerStrip, height - s * rowsPerStrip);
      const start = (c * plane + s * rowsPerStrip * width) * bytesPerSample;
      let data = all.subarray(start, start + rows * rowBytes);
      if (compression === 'deflate') {
        const z = deflateSync(data, { level: 6 });
        data = new Uint8Array(z.buffer, z.byteOffset, z.length);
      }
      stripOffsets.push(push(data));
      stripCounts.push(data.length);
    }
    const entries: Entry[] = [
      { tag: TAG.NewSubfileType, type: 4, values: [0] },
      { tag: TAG.ImageWidth, type: 4, values: [width] },
      { tag: TAG.ImageLength, type: 4, values: [height] },
      { tag: TAG.BitsPerSample, type: 3, values: [DTYPE_BITS[dtype]] },
      { tag: TAG.Compression, type: 3, values: [compression === 'deflate' ? 8 : 1] },
      { tag: TAG.Photometric, type: 3, values: [1] },
      { tag: TAG.StripOffsets, type: 4, values: stripOffsets },
      { tag: TAG.SamplesPerPixel, type: 3, values: [1] },
      { tag: TAG.RowsPerStrip, type: 4, values: [rowsPerStrip] },
      { tag: TAG.StripByteCounts, type: 4, values: stripCounts },
      { tag: TAG.PlanarConfiguration, type: 3, values: [1] },
      { tag: TAG.Software, type: 2, values: 'phenoscope' },
      { tag: TAG.SampleFormat, type: 3, values: [SAMPLE_FORMAT[dtype]] },
    ];
    if (c === 0 && description) entries.push({ tag: TAG.ImageDescription, type: 2, values: description });
    if (image.pixelSize && image.pixelSize.x > 0 && image.pixelSize.y > 0) {
      const ij = description?.startsWith('ImageJ=');
      const micronsPer = unitMicrons(image.pixelSize.unit);
      if (ij) {
        // ImageJ: pixels per unit named in the description, no resolution unit
        entries.push(
          { tag: TAG.XResolution, type: 5, values: [1 / image.pixelSize.x] },
          { tag: TAG.YResolution, type: 5, values: [1 / image.pixelSize.y] },
          { tag: TAG.ResolutionUnit, type: 3, values: [1] },
        );
      } else if (micronsPer !== undefined) {
        entries.push(
          { tag: TAG.XResolution, type: 5, values: [10_000 / (image.pixelSize.x * micronsPer)] },
          { tag: TAG.YResolution, type: 5, values: [10_000 / (image.pixelSize.y * micronsPer)] },
          { tag: TAG.ResolutionUnit, type: 3, values: [3] },
        );
      }
    }
    entries.sort((a, b) => a.tag - b.tag);
    const ifdAt = offset;
    patches.push([previousNextOffsetAt, ifdAt]);
    const { bytes, nextOffsetAt } = encodeIfd(entries, ifdAt);
    push(bytes);
    previousNextOffsetAt = nextOffsetAt;
  }
  if (offset > 0xffff_ffff) {
    throw new ImageFileError(name, `TIFF would be ${offset} bytes, over the 4 GiB limit of classic TIFF`);
  }
  const out = new Uint8Array(offset);
  out.set(header, 0);
  let at = 8;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  const view = new DataView(out.buffer);
  for (const [where, value] of patches) view.setUint32(where, value, true);
  return out;
}

/** ImageJ header so Fiji opens multi-channel files as channels (ImageJ reads uint8/uint16/float32 only). */
function imageJDescription(image: Image): string | undefined {
  if (image.dtype !== 'uint8' && image.dtype !== 'uint16' && image.dtype !== 'float32') return undefined;
  const lines = ['ImageJ=1.11a', `images=${image.channels}`];
  if (image.channels > 1) lines.push(`channels=${image.channels}`, 'mode=grayscale');
  if (image.pixelSize && unitMicrons(image.pixelSize.unit) === 1) lines.push('unit=micron');
  return `${lines.join('\n')}\n`;
}

/** An IFD (entries sorted by tag) placed at `at`, with its out-of-line values right after it. */
function encodeIfd(entries: Entry[], at: number): { bytes: Uint8Array; nextOffsetAt: number } {
  const headSize = 2 + entries.length * 12 + 4;
  const extra: Uint8Array[] = [];
  let extraAt = at + headSize;
  const head = new Uint8Array(headSize);
  const hv = new DataView(head.buffer);
  hv.setUint16(0, entries.length, true);
  entries.forEach((e, i) => {
    const value = encodeValue(e);
    const p = 2 + i * 12;
    hv.setUint16(p, e.tag, true);
    hv.setUint16(p + 2, e.type, true);
    hv.setUint32(p + 4, typeof e.values === 'string' ? value.length : e.values.length, true);
    if (value.length <= 4) head.set(value, p + 8);
    else {
      hv.setUint32(p + 8, extraAt, true);
      const padded = value.length % 2 ? concat([value, new Uint8Array(1)]) : value;
      extra.push(padded);
      extraAt += padded.length;
    }
  });
  return { bytes: concat([head, ...extra]), nextOffsetAt: at + headSize - 4 };
}

function encodeValue(e: Entry): Uint8Array {
  if (typeof e.values === 'string') return new TextEncoder().encode(`${e.values}\0`);
  const size = e.type === 3 ? 2 : e.type === 4 ? 4 : 8;
  const out = new Uint8Array(e.values.length * size);
  const v = new DataView(out.buffer);
  e.values.forEach((x, i) => {
    if (e.type === 3) v.setUint16(i * 2, x, true);
    else if (e.type === 4) v.setUint32(i * 4, x, true);
    else {
      const [num, den] = rational(x);
      v.setUint32(i * 8, num, true);
      v.setUint32(i * 8 + 4, den, true);
    }
  });
  return out;
}

/** A RATIONAL close to x (denominator up to 10^6, numerator within 32 bits). */
function rational(x: number): [number, number] {
  let den = 1_000_000;
  while (den > 1 && x * den > 0xffff_ffff) den = Math.floor(den / 10);
  return [Math.min(0xffff_ffff, Math.round(x * den)), den];
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
