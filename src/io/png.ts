// PNG to and from the Image model: decoding by png_decode.ts, encoding by png_encode.ts (both node:zlib);
// interleaved samples to planar channels, and the pHYs pixel size.
import { fromData, type Image } from '../image/image.ts';
import { ImageFileError } from './errors.ts';
import { decodePng, PNG_SIGNATURE } from './png_decode.ts';
import { encodePng } from './png_encode.ts';

/** Metres per unit of the pixel sizes a PNG can state (pHYs counts pixels per metre). */
const METRES: Readonly<Record<string, number>> = { m: 1, mm: 1e-3, µm: 1e-6, um: 1e-6, nm: 1e-9 };

/** What a PNG file holds, as stored. */
export interface PngInfo {
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA (palette images report their expanded channels). */
  readonly channels: number;
  readonly depth: number;
  readonly palette: boolean;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Decode a PNG into a planar image with every stored channel (palette expanded to RGB or RGBA). */
export function decodePngImage(bytes: Uint8Array, name: string): { image: Image; info: PngInfo } {
  const png = decodePng(bytes, name);
  const { width, height, channels, data } = png;
  const n = width * height;
  const planar = png.depth === 16 ? new Uint16Array(n * channels) : new Uint8Array(n * channels);
  if (channels === 1) planar.set(data);
  else {
    for (let c = 0; c < channels; c++) {
      const base = c * n;
      for (let i = 0; i < n; i++) planar[base + i] = data[i * channels + c]!;
    }
  }
  const ppm = png.pixelsPerMetre;
  const pixelSize =
    ppm && ppm.x > 0 && ppm.y > 0 ? { x: 1e6 / ppm.x, y: 1e6 / ppm.y, unit: 'µm' } : undefined;
  const image = fromData(planar, width, height, { channels, pixelSize });
  return { image, info: { channels, depth: png.depth, palette: png.palette } };
}

/**
 * Encode a uint8 or uint16 image with 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA) channels as PNG; a pixel
 * size in m, mm, µm or nm is written as pHYs.
 */
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
  const size = image.pixelSize;
  const metres = size ? METRES[size.unit] : undefined;
  const pixelsPerMetre = size && metres ? { x: 1 / (size.x * metres), y: 1 / (size.y * metres) } : undefined;
  return encodePng(data, width, height, channels, { pixelsPerMetre });
}
