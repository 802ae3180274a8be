// Image file reading and writing: one entry point that picks the format from the file's magic bytes (and, for
// writing, its extension). Formats, pixel types, options and limits are documented in docs/formats.md.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { convert, crop, type DType, type Image, minMax, stackChannels } from '../image/image.ts';
import { colourToGrey } from './colour.ts';
import { ImageFileError, wrapFileError } from './errors.ts';
import { imageJPage, parseImageJ } from './imagej.ts';
import { decodeOmeTiff } from './ome_tiff.ts';
import { isOmeXml, omeXmlFor, parseOmeXml } from './ome_xml.ts';
import { isUrl, isZarrDirectory, type Region, readOmeZarr } from './ome_zarr.ts';
import { writeOmeZarr } from './ome_zarr_write.ts';
import { decodePngImage, encodePngImage, isPng } from './png.ts';
import { decodeTiffPage, tiffPageInfo } from './tiff.ts';
import { isTiff, parseTiff } from './tiff_ifd.ts';
import { encodeTiff } from './tiff_write.ts';

export { ImageFileError } from './errors.ts';
export { type ImageSummary, type InspectOptions, inspectImage } from './inspect.ts';
export type { OmeZarrInfo, OmeZarrPlate, ReadOmeZarrOptions, Region } from './ome_zarr.ts';
export {
  inspectOmeZarr,
  isOmeZarrPlate,
  listOmeZarrLabels,
  readOmeZarr,
  readOmeZarrPlate,
} from './ome_zarr.ts';
export type { WriteOmeZarrOptions } from './ome_zarr_write.ts';
export { writeOmeZarr } from './ome_zarr_write.ts';

/** Formats the readers recognise by their magic bytes. */
export type ImageFormat = 'tiff' | 'png';

export interface ReadImageOptions {
  /** Page (IFD) of a multi-page TIFF to read. @default 0 */
  page?: number | undefined;
  /** Pages of a multi-page TIFF to read, stacked as channels in this order; overrides `page`. @default undefined */
  pages?: readonly number[] | undefined;
  /**
   * Colour (RGB/RGBA, grey + alpha, palette PNG) handling: `'grey'` gives one channel by the rule in
   * docs/formats.md (R when R = G = B everywhere, else the rounded mean of R, G, B; alpha dropped); `'all'`
   * keeps every stored sample as a channel. Multi-sample TIFFs that are not RGB always keep all samples.
   * @default 'grey'
   */
  color?: 'grey' | 'all' | undefined;
  /** OME-Zarr: multiscale level (0 = full resolution). @default 0 */
  level?: number | undefined;
  /**
   * Rectangle `{ x, y, width, height }` to read: of the page (TIFF, OME-TIFF: only the strips or tiles it
   * touches are decompressed), of the image (PNG: cropped after decoding), or of the level (OME-Zarr).
   * @default the whole plane
   */
  region?: Region | undefined;
  /** OME-Zarr: read the label image of this name (under `labels/`). @default undefined */
  label?: string | undefined;
  /** OME-TIFF: which OME Image (series) to read. @default 0 */
  series?: number | undefined;
  /**
   * OME-TIFF, OME-Zarr, ImageJ hyperstack: one channel, by index or name (ImageJ: index only); by default every
   * channel at (`z`, `t`) is read as one multi-channel image. @default undefined (all channels)
   */
  channel?: number | string | undefined;
  /** OME-TIFF, OME-Zarr, ImageJ hyperstack: focal plane index. @default 0 */
  z?: number | undefined;
  /** OME-TIFF, OME-Zarr, ImageJ hyperstack: time point index. @default 0 */
  t?: number | undefined;
}

/** Which format `bytes` hold, from their magic bytes, or undefined. */
export function detectFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (isTiff(bytes)) return 'tiff';
  if (isPng(bytes)) return 'png';
  return undefined;
}

/**
 * The whole file in one fresh buffer. Synchronous reads on purpose: one pread of an 8 MB TIFF takes ~1 ms,
 * while each asynchronous step (open, stat, read, close) waits for the thread pool and, on a loaded machine,
 * made reading 4-8x slower than tifffile. The buffer is not zero-filled first (every byte is overwritten).
 */
export async function readBytes(path: string): Promise<Uint8Array> {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const { size } = fstatSync(fd);
    if (!Number.isSafeInteger(size) || size > 2 ** 32)
      throw new RangeError(`file is too large (${size} bytes)`);
    const buffer = Buffer.allocUnsafeSlow(size);
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, size);
    let filled = 0;
    while (filled < size) {
      const n = readSync(fd, bytes, filled, size - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return filled === size ? bytes : bytes.subarray(0, filled);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory, not an image file'
          : code === 'EACCES'
            ? 'permission denied'
            : `cannot read the file (${(error as Error).message})`;
    throw new ImageFileError(path, problem, { cause: error });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The bytes of a local file or an http(s) URL. */
export async function loadBytes(path: string): Promise<Uint8Array> {
  return isUrl(path) ? fetchBytes(path) : readBytes(path);
}

/** An image file over http(s): the whole body (TIFF, PNG). */
async function fetchBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new ImageFileError(url, `cannot fetch (${(error as Error).message})`, { cause: error });
  }
  if (!response.ok) throw new ImageFileError(url, `HTTP ${response.status} ${response.statusText}`.trim());
  return new Uint8Array(await response.arrayBuffer());
}

function formatOf(bytes: Uint8Array, path: string): ImageFormat {
  const format = detectFormat(bytes);
  if (format) return format;
  if (bytes.length === 0) throw new ImageFileError(path, 'file is empty (0 bytes)');
  const magic = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new ImageFileError(
    path,
    `unrecognised image format (magic bytes ${magic}); readable formats: TIFF, OME-TIFF, PNG`,
  );
}

/**
 * Decode bytes already in memory; `name` is used in error messages. With `ownsBytes`, uncompressed TIFF pixels
 * may be returned as a view of `bytes` instead of a copy (the caller must not reuse `bytes`).
 */
export function decodeImage(
  bytes: Uint8Array,
  name: string,
  options: ReadImageOptions = {},
  ownsBytes = false,
): Image {
  try {
    const format = formatOf(bytes, name);
    const color = options.color ?? 'grey';
    if (format === 'png') {
      const { image: decoded } = decodePngImage(bytes, name);
      const r = options.region;
      if (
        r &&
        (r.x < 0 ||
          r.y < 0 ||
          r.width < 1 ||
          r.height < 1 ||
          r.x + r.width > decoded.width ||
          r.y + r.height > decoded.height)
      ) {
        throw new ImageFileError(
          name,
          `region (${r.x}, ${r.y}, ${r.width} x ${r.height}) is outside the ${decoded.width} x ${decoded.height} PNG`,
        );
      }
      const image = r ? crop(decoded, r.x, r.y, r.width, r.height) : decoded;
      if (color === 'all' || image.channels === 1) return image;
      return colourToGrey(image, image.channels >= 3 ? 3 : 1);
    }
    const header = parseTiff(bytes, name);
    let pages = options.pages ?? [options.page ?? 0];
    if (options.page === undefined && options.pages === undefined) {
      const description = tiffPageInfo(header, 0, name).description;
      if (isOmeXml(description)) {
        return decodeOmeTiff(bytes, header, parseOmeXml(description, name), name, options);
      }
      // ImageJ hyperstack: all channels of (z, t), or the one asked for
      const stack = parseImageJ(description);
      if (stack && (stack.channels > 1 || options.channel !== undefined || options.z || options.t)) {
        if (typeof options.channel === 'string') {
          throw new ImageFileError(name, `ImageJ TIFFs have no channel names; pass a channel index`);
        }
        const channels =
          options.channel === undefined
            ? Array.from({ length: stack.channels }, (_, c) => c)
            : [options.channel];
        pages = channels.map((c) => imageJPage(stack, c, options.z ?? 0, options.t ?? 0, name));
        if (pages.some((p) => p >= header.ifds.length)) {
          throw new ImageFileError(
            name,
            `ImageJ header describes more planes than the ${header.ifds.length} pages`,
          );
        }
      }
    }
    if (pages.length === 0) throw new RangeError('options.pages is empty');
    const planes = pages.map((p) => {
      if (!Number.isInteger(p) || p < 0)
        throw new RangeError(`page must be a non-negative integer, got ${p}`);
      const info = tiffPageInfo(header, p, name);
      const image = decodeTiffPage(bytes, header, p, name, ownsBytes && pages.length === 1, options.region);
      if (color === 'all' || image.channels === 1 || info.photometric !== 2) return image;
      return colourToGrey(image, 3);
    });
    return planes.length === 1 ? planes[0]! : stackChannels(planes);
  } catch (error) {
    throw wrapFileError(name, error);
  }
}

/**
 * Read an image file (TIFF, OME-TIFF, PNG) or an OME-Zarr directory, locally or from an http(s) URL; see
 * `ReadImageOptions` for pages, channels, planes, levels, regions and colour handling.
 */
export async function readImage(path: string, options: ReadImageOptions = {}): Promise<Image> {
  if (await isZarrDirectory(path)) {
    try {
      return await readOmeZarr(path, options);
    } catch (error) {
      throw wrapFileError(path, error);
    }
  }
  return decodeImage(await loadBytes(path), path, options, true);
}

/** Every page of a TIFF (one page for PNG), each as its own image, in file order. */
export async function readImagePlanes(
  path: string,
  options: Pick<ReadImageOptions, 'color'> = {},
): Promise<Image[]> {
  const bytes = await loadBytes(path);
  if (formatOfSafe(bytes) !== 'tiff') return [decodeImage(bytes, path, options)];
  let count: number;
  try {
    count = parseTiff(bytes, path).ifds.length;
  } catch (error) {
    throw wrapFileError(path, error);
  }
  return Array.from({ length: count }, (_, page) => decodeImage(bytes, path, { ...options, page }));
}

function formatOfSafe(bytes: Uint8Array): ImageFormat | undefined {
  return detectFormat(bytes);
}

export interface WriteImageOptions {
  /** Output format; by default from the extension (.tif/.tiff, .png). @default undefined */
  format?: ImageFormat | undefined;
  /**
   * Convert pixels to this type before writing (rounded and clamped, see `convert` in image.ts).
   * @default undefined (keep the image's type)
   */
  dtype?: DType | undefined;
  /**
   * Write a label image: integer values are kept exactly (an error, not clamping, if one does not fit).
   * `true` writes uint32; `'compact'` writes uint16 when the largest label is below 65,536, else uint32.
   * @default false
   */
  labels?: boolean | 'compact' | undefined;
  /** TIFF strip compression. @default 'none' */
  compression?: 'none' | 'deflate' | undefined;
  /**
   * TIFF: write OME-XML (channel names, pixel size) so the file is an OME-TIFF; otherwise an ImageJ header
   * (uint8/uint16/float32) carries the pixel size.
   * @default true when the path ends in .ome.tif/.ome.tiff, the image has several channels or channel names
   */
  ome?: boolean | undefined;
}

function formatFromExtension(path: string): ImageFormat | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.tif' || ext === '.tiff') return 'tiff';
  if (ext === '.png') return 'png';
  return undefined;
}

/** Encode an image to bytes; see `writeImage`. */
export function encodeImage(image: Image, name: string, options: WriteImageOptions = {}): Uint8Array {
  const format = options.format ?? formatFromExtension(name);
  if (!format) {
    throw new ImageFileError(name, `cannot tell the format from the extension; use .tif, .tiff or .png`);
  }
  let out = image;
  if (options.labels) {
    const { min, max } = minMax(image);
    if (image.data.length > 0 && (min < 0 || !Number.isInteger(max) || !Number.isInteger(min))) {
      throw new ImageFileError(
        name,
        `label image must hold non-negative integers, found min ${min} max ${max}`,
      );
    }
    if (max > 0xffff_ffff) throw new ImageFileError(name, `label ${max} does not fit in uint32`);
    const target: DType = options.labels === 'compact' && max < 65_536 ? 'uint16' : 'uint32';
    if (format === 'png' && max >= 65_536) {
      throw new ImageFileError(name, `label ${max} does not fit in a 16-bit PNG; write TIFF`);
    }
    const dtype =
      format === 'png' ? (max < 256 && options.labels === 'compact' ? 'uint8' : 'uint16') : target;
    out = image.dtype === dtype ? image : convert(image, dtype);
  } else if (options.dtype && options.dtype !== image.dtype) {
    out = convert(image, options.dtype);
  }
  if (format === 'png') return encodePngImage(out, name);
  const ome =
    options.ome ?? (/\.ome\.tiff?$/i.test(name) || out.channels > 1 || out.channelNames !== undefined);
  return encodeTiff(out, name, {
    compression: options.compression ?? 'none',
    description: ome ? omeXmlFor(out) : undefined,
  });
}

/**
 * Write an image as TIFF (every channel a page; any pixel type), PNG (uint8/uint16, 1-4 channels) or, for a
 * path ending in `.zarr`, OME-Zarr 0.4 (see `writeOmeZarr` for levels and labels), chosen by `options.format`
 * or the extension. Label images: pass `{ labels: true }` (uint32) or `'compact'`.
 */
export async function writeImage(path: string, image: Image, options: WriteImageOptions = {}): Promise<void> {
  if (options.format === undefined && /\.zarr\/?$/i.test(path)) {
    const out = options.dtype && options.dtype !== image.dtype ? convert(image, options.dtype) : image;
    await writeOmeZarr(path, out, { compression: options.compression === 'none' ? 'none' : 'zlib' });
    return;
  }
  const bytes = encodeImage(image, path, options);
  try {
    await writeFile(path, bytes);
  } catch (error) {
    throw new ImageFileError(path, `cannot write the file (${(error as Error).message})`, { cause: error });
  }
}
