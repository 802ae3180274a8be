// PNG encoding: IHDR, optional pHYs, one IDAT deflated with node:zlib, IEND. Spec: PNG (Third Edition), W3C
// 2025, https://www.w3.org/TR/png-3/. Hand-written for the reason png_decode.ts is: fast-png deflates with a
// JavaScript zlib (fflate), 170 ms for a 1024 x 1024 RGB overlay here, against about 20 ms with native zlib.
// Every row uses the Sub filter (difference to the pixel on the left), which suits both smooth microscopy
// images and flat label or overlay images, and costs one pass.
import { deflateSync } from 'node:zlib';
import { crc32, PNG_SIGNATURE } from './png_decode.ts';

export interface PngEncodeOptions {
  /**
   * zlib compression level, 0 (store) to 9 (smallest, slowest). 4 gives files within 3% of level 6's on
   * 1024 x 1024 outline overlays at half its time (50 vs 110 ms), and the same size on noisy 16-bit fields.
   * @default 4
   */
  level?: number;
  /** Pixels per metre written as pHYs (unit: metre), when known. @default none */
  pixelsPerMetre?: { x: number; y: number } | undefined;
}

const COLOUR_TYPE: Readonly<Record<number, number>> = { 1: 0, 2: 4, 3: 2, 4: 6 };

/**
 * Encode interleaved samples (row-major, `channels` per pixel: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA) as a PNG
 * of bit depth 8 (Uint8Array) or 16 (Uint16Array, stored big-endian).
 */
export function encodePng(
  data: Uint8Array | Uint16Array,
  width: number,
  height: number,
  channels: number,
  options: PngEncodeOptions = {},
): Uint8Array {
  const colourType = COLOUR_TYPE[channels];
  if (colourType === undefined) throw new RangeError(`PNG holds 1 to 4 channels, got ${channels}`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new RangeError(`PNG dimensions must be positive integers, got ${width}x${height}`);
  if (data.length !== width * height * channels)
    throw new RangeError(`expected ${width}x${height}x${channels} samples, got ${data.length}`);
  const depth = data instanceof Uint16Array ? 16 : 8;
  const bpp = channels * (depth / 8); // bytes per pixel: the Sub filter's distance
  const rowBytes = width * bpp;
  const raw = new Uint8Array(height * (rowBytes + 1));
  const row = new Uint8Array(rowBytes);
  for (let y = 0; y < height; y++) {
    if (depth === 16) {
      for (let i = 0, s = y * width * channels; i < rowBytes; i += 2, s++) {
        const v = data[s]!;
        row[i] = v >>> 8;
        row[i + 1] = v & 0xff;
      }
    } else row.set(data.subarray(y * rowBytes, (y + 1) * rowBytes));
    const o = y * (rowBytes + 1);
    raw[o] = 1; // Sub
    for (let i = 0; i < bpp; i++) raw[o + 1 + i] = row[i]!;
    for (let i = bpp; i < rowBytes; i++) raw[o + 1 + i] = row[i]! - row[i - bpp]!; // wraps mod 256
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([depth, colourType, 0, 0, 0], 8); // deflate, adaptive filtering, no interlace
  const chunks = [chunk('IHDR', ihdr)];
  const ppm = options.pixelsPerMetre;
  if (ppm && ppm.x > 0 && ppm.y > 0) {
    const phys = new Uint8Array(9);
    const p = new DataView(phys.buffer);
    p.setUint32(0, Math.round(ppm.x));
    p.setUint32(4, Math.round(ppm.y));
    phys[8] = 1; // unit: metre
    chunks.push(chunk('pHYs', phys));
  }
  chunks.push(
    chunk('IDAT', deflateSync(raw, { level: options.level ?? 4 })),
    chunk('IEND', new Uint8Array(0)),
  );
  const out = new Uint8Array(8 + chunks.reduce((s, c) => s + c.length, 0));
  out.set(PNG_SIGNATURE);
  let pos = 8;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/** Length, type, data and CRC of one chunk. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}
