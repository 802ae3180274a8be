// PNG reading and writing through fast-png (decoding, filtering, zlib); this file is the glue to the Image model:
// unpacking 1/2/4-bit rows, palettes, interleaved to planar, and the pHYs pixel size.
import { decode, encode, hasPngSignature, type ImageData } from 'fast-png';
import { fromData, type Image } from '../image/image.ts';
import { ImageFileError } from './errors.ts';

/** What a PNG file holds, as stored. */
export interface PngInfo {
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA (palette images report their expanded channels). */
  readonly channels: number;
  readonly depth: number;
  readonly palette: boolean;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && hasPngSignature(bytes);
}

/** Decode a PNG into a planar image with every stored channel (palette expanded to RGB or RGBA). */
export function decodePngImage(bytes: Uint8Array, name: string): { image: Image; info: PngInfo } {
  if (bytes.length === 0) throw new ImageFileError(name, 'file is empty (0 bytes)');
  if (!isPng(bytes)) throw new ImageFileError(name, 'not a PNG file (wrong magic bytes)');
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes, { checkCrc: true });
  } catch (error) {
    throw new ImageFileError(name, `PNG is truncated or corrupt (${(error as Error).message})`, {
      cause: error,
    });
  }
  const { width, height, depth } = png;
  const n = width * height;
  let channels = png.channels;
  let samples: Uint8Array | Uint16Array;
  const expected = n * channels;
  if (depth < 8) {
    samples = unpackBits(png.data as Uint8Array, width, height, channels, depth);
  } else if (depth === 16) {
    samples = png.data as Uint16Array;
  } else {
    samples = png.data instanceof Uint8Array ? png.data : new Uint8Array(png.data);
  }
  if (samples.length < expected) {
    throw new ImageFileError(name, `PNG is truncated: ${samples.length} of ${expected} samples decoded`);
  }
  const palette = png.palette;
  if (palette) {
    const pc = palette[0]?.length ?? 3;
    const rgb = new Uint8Array(n * pc);
    for (let i = 0; i < n; i++) {
      const entry = palette[samples[i]!];
      if (!entry) throw new ImageFileError(name, `PNG palette index ${samples[i]} is out of range`);
      for (let k = 0; k < pc; k++) rgb[i * pc + k] = entry[k]!;
    }
    samples = rgb;
    channels = pc;
  }
  const planar = depth === 16 ? new Uint16Array(n * channels) : new Uint8Array(n * channels);
  if (channels === 1) planar.set(samples.subarray(0, n));
  else {
    for (let c = 0; c < channels; c++) {
      const base = c * n;
      for (let i = 0; i < n; i++) planar[base + i] = samples[i * channels + c]!;
    }
  }
  const res = png.resolution;
  const pixelSize =
    res && res.unit === 1 && res.x > 0 && res.y > 0
      ? { x: 1e6 / res.x, y: 1e6 / res.y, unit: 'µm' }
      : undefined;
  const image = fromData(planar, width, height, { channels, pixelSize });
  return { image, info: { channels, depth, palette: palette !== undefined } };
}

function unpackBits(
  packed: Uint8Array,
  width: number,
  height: number,
  channels: number,
  depth: number,
): Uint8Array {
  const rowSamples = width * channels;
  const rowBytes = Math.ceil((rowSamples * depth) / 8);
  const out = new Uint8Array(rowSamples * height);
  const perByte = 8 / depth;
  const mask = (1 << depth) - 1;
  for (let r = 0; r < height; r++) {
    for (let k = 0; k < rowSamples; k++) {
      const byte = packed[r * rowBytes + Math.floor(k / perByte)] ?? 0;
      out[r * rowSamples + k] = (byte >> (8 - depth * ((k % perByte) + 1))) & mask;
    }
  }
  return out;
}

/** Encode a uint8 or uint16 image with 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA) channels as PNG. */
export function encodePngImage(image: Image, name: string): Uint8Array {
  if (image.dtype !== 'uint8' && image.dtype !== 'uint16') {
    throw new ImageFileError(
      name,
      `PNG holds only uint8 or uint16 pixels, got ${image.dtype}; write TIFF or pass { dtype: 'uint16' }`,
    );
  }
  if (image.channels < 1 || image.channels > 4) {
    throw new ImageFileError(name, `PNG holds 1 to 4 channels, got ${image.channels}; write TIFF instead`);
  }
  const { width, height, channels } = image;
  const n = width * height;
  const data = image.dtype === 'uint16' ? new Uint16Array(n * channels) : new Uint8Array(n * channels);
  if (channels === 1) data.set(image.data);
  else {
    for (let c = 0; c < channels; c++) {
      for (let i = 0; i < n; i++) data[i * channels + c] = image.data[c * n + i]!;
    }
  }
  const png: ImageData = { width, height, data, channels, depth: image.dtype === 'uint16' ? 16 : 8 };
  return encode(png);
}
