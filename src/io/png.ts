// PNG to and from the Image model: decoding by png_decode.ts, encoding by png_encode.ts (both node:zlib);
// interleaved samples to planar channels, and the pHYs pixel size.
import { fromData, type Image } from '../image/image.ts';
import { ImageFileError } from './errors.ts';
import { decodePng } from './png_decode.ts';
import { encodePng } from './png_encode.ts';
import { unitMicrons } from './units.ts';

/** What a PNG file holds, as stored. */
export interface PngInfo {
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA (palette images report their expanded channels). */
  readonly channels: number;
  readonly depth: number;
  readonly palette: boolean;
}

export { isPng } from './png_decode.ts';

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
 * size in a unit the TIFF writer also knows (µm, nm, mm; `unitMicrons`) is written as pHYs.
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
  const microns = size ? unitMicrons(size.unit) : undefined;
  const pixelsPerMetre =
    size && microns ? { x: 1e6 / (size.x * microns), y: 1e6 / (size.y * microns) } : undefined;
  return encodePng(data, width, height, channels, { pixelsPerMetre });
}
