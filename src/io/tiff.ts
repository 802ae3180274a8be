// TIFF pixel decoding: strips and tiles, chunky and planar samples, 1/8/16/32/64-bit integer and float
// samples, no compression, LZW, Deflate (node:zlib), PackBits, horizontal and floating-point predictors,
// either byte order. Spec: TIFF 6.0 (Adobe, 1992), Adobe Photoshop TIFF technical note 3 (predictor 3).
// Hand-written glue around node:zlib and small codecs; see tiff_ifd.ts for why the `tiff` package is not used.
// Samples are returned as stored, like tifffile: no WhiteIsZero inversion, palette indices, no orientation flip.
import { inflateSync } from 'node:zlib';
import {
  allocate,
  checkDimensions,
  type DType,
  fromData,
  type Image,
  type PixelSize,
  type TypedArrayFor,
} from '../image/image.ts';
import { ImageFileError } from './errors.ts';
import { decodeLzw } from './lzw.ts';
import { decodePackBits } from './packbits.ts';
import { TAG, type TiffHeader, type TiffIfd, tagNumber, tagNumbers, tagString } from './tiff_ifd.ts';

/** Compression schemes this reader decodes, by TIFF code. */
export const TIFF_COMPRESSIONS: Readonly<Record<number, string>> = {
  1: 'none',
  5: 'LZW',
  8: 'Deflate',
  32946: 'Deflate (old code)',
  32773: 'PackBits',
};

/** Names of compression codes we recognise but cannot decode (for error messages). */
const UNSUPPORTED_COMPRESSIONS: Readonly<Record<number, string>> = {
  2: 'CCITT RLE',
  3: 'CCITT Group 3 fax',
  4: 'CCITT Group 4 fax',
  6: 'old-style JPEG',
  7: 'JPEG',
  34712: 'JPEG 2000',
  34887: 'LERC',
  34925: 'LZMA',
  50000: 'Zstandard',
  50001: 'WebP',
  50002: 'JPEG XL',
};

/** What a TIFF page holds, read from its tags without decoding pixels. */
export interface TiffPageInfo {
  readonly width: number;
  readonly height: number;
  readonly samplesPerPixel: number;
  readonly bitsPerSample: number;
  /** 1 unsigned integer, 2 signed integer, 3 IEEE float. */
  readonly sampleFormat: number;
  /** The Phenoscope pixel type the page decodes to (int8/int16 widen to int32, float16 to float32). */
  readonly dtype: DType;
  readonly compression: number;
  readonly photometric: number;
  /** 1 chunky (RGBRGB), 2 planar (RRGGBB). */
  readonly planarConfiguration: number;
  readonly predictor: number;
  readonly tiled: boolean;
  readonly description: string | undefined;
  readonly pixelSize: PixelSize | undefined;
}

/** Map (sample format, bits) to the pixel type we decode into. */
function dtypeFor(sampleFormat: number, bits: number): DType | undefined {
  if (sampleFormat === 1 || sampleFormat === 4) {
    if (bits === 1 || bits === 8) return 'uint8';
    if (bits === 16) return 'uint16';
    if (bits === 32) return 'uint32';
  } else if (sampleFormat === 2) {
    if (bits === 8 || bits === 16 || bits === 32) return 'int32';
  } else if (sampleFormat === 3) {
    if (bits === 16 || bits === 32) return 'float32';
    if (bits === 64) return 'float64';
  }
  return undefined;
}

const UNIT_MICRONS: Readonly<Record<number, number>> = { 2: 25_400, 3: 10_000 };

/** Pixel size from ImageJ's description (unit=micron) or the TIFF resolution tags (inch/cm). */
function pixelSizeOf(ifd: TiffIfd, description: string | undefined): PixelSize | undefined {
  const xr = tagNumber(ifd, TAG.XResolution, 0);
  const yr = tagNumber(ifd, TAG.YResolution, xr);
  if (!(xr > 0) || !(yr > 0) || !Number.isFinite(xr) || !Number.isFinite(yr)) return undefined;
  if (description?.startsWith('ImageJ=')) {
    const unit = /^unit=(.+)$/m.exec(description)?.[1]?.trim();
    if (unit && unit !== 'pixel' && unit !== 'pixels') {
      const u = unit === 'micron' || unit === 'um' || unit === '\\u00B5m' ? 'µm' : unit;
      return { x: 1 / xr, y: 1 / yr, unit: u };
    }
    return undefined;
  }
  const microns = UNIT_MICRONS[tagNumber(ifd, TAG.ResolutionUnit, 2)];
  // 72 dpi (and 1 pixel per unit) are placeholders that many writers put in, not a calibration
  if (microns === undefined || xr === 72 || xr === 1) return undefined;
  return { x: microns / xr, y: microns / yr, unit: 'µm' };
}

/** Describe page `index` of a parsed TIFF; validates its size and sample type before anything is allocated. */
export function tiffPageInfo(header: TiffHeader, index: number, name: string): TiffPageInfo {
  const ifd = header.ifds[index];
  if (!ifd) {
    throw new ImageFileError(
      name,
      `page ${index} does not exist: the TIFF has ${header.ifds.length} page(s)`,
    );
  }
  const width = tagNumber(ifd, TAG.ImageWidth, 0);
  const height = tagNumber(ifd, TAG.ImageLength, 0);
  const spp = tagNumber(ifd, TAG.SamplesPerPixel, 1);
  try {
    checkDimensions(width, height, spp, `page ${index}`);
  } catch (error) {
    throw new ImageFileError(name, (error as Error).message, { cause: error });
  }
  const bitsAll = tagNumbers(ifd, TAG.BitsPerSample) ?? [1];
  const bits = bitsAll[0]!;
  if (bitsAll.some((b) => b !== bits)) {
    throw new ImageFileError(
      name,
      `page ${index}: mixed bits per sample (${bitsAll.slice(0, 8).join(', ')}) is not supported`,
    );
  }
  const sampleFormat = tagNumber(ifd, TAG.SampleFormat, 1);
  const dtype = dtypeFor(sampleFormat, bits);
  if (!dtype) {
    const kind = sampleFormat === 3 ? 'float' : sampleFormat === 2 ? 'signed integer' : 'unsigned integer';
    throw new ImageFileError(name, `page ${index}: ${bits}-bit ${kind} samples are not supported`);
  }
  if (bits === 1 && spp !== 1) {
    throw new ImageFileError(
      name,
      `page ${index}: 1-bit images with ${spp} samples per pixel are not supported`,
    );
  }
  const compression = tagNumber(ifd, TAG.Compression, 1);
  if (!(compression in TIFF_COMPRESSIONS)) {
    const known = UNSUPPORTED_COMPRESSIONS[compression];
    throw new ImageFileError(
      name,
      `page ${index}: unsupported TIFF compression ${compression}${known ? ` (${known})` : ' (unknown)'}; ` +
        `supported: ${Object.entries(TIFF_COMPRESSIONS)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
    );
  }
  const predictor = tagNumber(ifd, TAG.Predictor, 1);
  if (predictor !== 1 && predictor !== 2 && predictor !== 3) {
    throw new ImageFileError(name, `page ${index}: unknown TIFF predictor ${predictor}`);
  }
  if (predictor === 3 && sampleFormat !== 3) {
    throw new ImageFileError(name, `page ${index}: floating-point predictor on integer samples`);
  }
  if (predictor === 2 && (sampleFormat === 3 || bits === 1)) {
    throw new ImageFileError(
      name,
      `page ${index}: horizontal predictor on ${bits}-bit samples is not supported`,
    );
  }
  const description = tagString(ifd, TAG.ImageDescription);
  return {
    width,
    height,
    samplesPerPixel: spp,
    bitsPerSample: bits,
    sampleFormat,
    dtype,
    compression,
    photometric: tagNumber(ifd, TAG.Photometric, 1),
    planarConfiguration: spp > 1 ? tagNumber(ifd, TAG.PlanarConfiguration, 1) : 1,
    predictor,
    tiled: ifd.tags.has(TAG.TileWidth) && ifd.tags.has(TAG.TileOffsets),
    description,
    pixelSize: pixelSizeOf(ifd, description),
  };
}

/** A strip or tile: where it is in the file and which pixels it covers. */
interface Chunk {
  offset: number;
  byteCount: number;
  x0: number;
  y0: number;
  /** Width and height of the chunk as stored (tiles are full-size even at the image edge). */
  width: number;
  height: number;
  /** First sample it holds (planar) and how many samples per pixel it holds. */
  sample: number;
  samples: number;
}

function chunksOf(ifd: TiffIfd, info: TiffPageInfo, name: string, index: number): Chunk[] {
  const { width, height, samplesPerPixel: spp } = info;
  const planar = info.planarConfiguration === 2;
  const planes = planar ? spp : 1;
  const samples = planar ? 1 : spp;
  const chunks: Chunk[] = [];
  if (info.tiled) {
    const tw = tagNumber(ifd, TAG.TileWidth, 0);
    const th = tagNumber(ifd, TAG.TileLength, 0);
    if (!(tw > 0) || !(th > 0))
      throw new ImageFileError(name, `page ${index}: invalid tile size ${tw} x ${th}`);
    const offsets = tagNumbers(ifd, TAG.TileOffsets) ?? [];
    const counts = tagNumbers(ifd, TAG.TileByteCounts) ?? [];
    const across = Math.ceil(width / tw);
    const down = Math.ceil(height / th);
    const needed = across * down * planes;
    if (offsets.length < needed || counts.length < needed) {
      throw new ImageFileError(
        name,
        `page ${index}: ${offsets.length} tile offsets and ${counts.length} byte counts for ${needed} tiles`,
      );
    }
    for (let p = 0; p < planes; p++) {
      for (let ty = 0; ty < down; ty++) {
        for (let tx = 0; tx < across; tx++) {
          const i = p * across * down + ty * across + tx;
          chunks.push({
            offset: offsets[i]!,
            byteCount: counts[i]!,
            x0: tx * tw,
            y0: ty * th,
            width: tw,
            height: th,
            sample: p,
            samples,
          });
        }
      }
    }
    return chunks;
  }
  const rps = Math.min(tagNumber(ifd, TAG.RowsPerStrip, height), height) || height;
  const offsets = tagNumbers(ifd, TAG.StripOffsets);
  if (!offsets) throw new ImageFileError(name, `page ${index}: no StripOffsets or TileOffsets tag`);
  const perPlane = Math.ceil(height / rps);
  const needed = perPlane * planes;
  if (offsets.length < needed) {
    throw new ImageFileError(name, `page ${index}: ${offsets.length} strip offsets for ${needed} strips`);
  }
  const rowBytes = Math.ceil((width * samples * info.bitsPerSample) / 8);
  let counts = tagNumbers(ifd, TAG.StripByteCounts);
  if (!counts) {
    if (info.compression !== 1) throw new ImageFileError(name, `page ${index}: no StripByteCounts tag`);
    counts = offsets.map((_, i) => rowBytes * Math.min(rps, height - (i % perPlane) * rps));
  }
  if (counts.length < needed) {
    throw new ImageFileError(name, `page ${index}: ${counts.length} strip byte counts for ${needed} strips`);
  }
  for (let p = 0; p < planes; p++) {
    for (let s = 0; s < perPlane; s++) {
      const i = p * perPlane + s;
      chunks.push({
        offset: offsets[i]!,
        byteCount: counts[i]!,
        x0: 0,
        y0: s * rps,
        width,
        height: Math.min(rps, height - s * rps),
        sample: p,
        samples,
      });
    }
  }
  return chunks;
}

const REVERSED_BITS = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let r = 0;
    for (let b = 0; b < 8; b++) if (i & (1 << b)) r |= 1 << (7 - b);
    t[i] = r;
  }
  return t;
})();

function decompress(raw: Uint8Array, compression: number, size: number): Uint8Array {
  switch (compression) {
    case 1:
      return raw;
    case 5:
      return decodeLzw(raw, size);
    case 8:
    case 32946:
      return new Uint8Array(inflateSync(raw));
    case 32773:
      return decodePackBits(raw, size);
    default:
      throw new Error(`compression ${compression} is not supported`);
  }
}

type SampleArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** Reinterpret little-endian (native) bytes as the stored sample type; copies when unaligned. */
function asSamples(bytes: Uint8Array, sampleFormat: number, bits: number): SampleArray {
  const aligned = bytes.byteOffset % (bits / 8) === 0 ? bytes : bytes.slice();
  const { buffer, byteOffset } = aligned;
  const n = bytes.length / (bits / 8);
  if (sampleFormat === 3) {
    if (bits === 32) return new Float32Array(buffer, byteOffset, n);
    if (bits === 64) return new Float64Array(buffer, byteOffset, n);
    return halfToFloat(new Uint16Array(buffer, byteOffset, n));
  }
  if (sampleFormat === 2) {
    if (bits === 8) return new Int8Array(buffer, byteOffset, n);
    if (bits === 16) return new Int16Array(buffer, byteOffset, n);
    return new Int32Array(buffer, byteOffset, n);
  }
  if (bits === 8) return aligned;
  if (bits === 16) return new Uint16Array(buffer, byteOffset, n);
  return new Uint32Array(buffer, byteOffset, n);
}

function halfToFloat(h: Uint16Array): Float32Array {
  const out = new Float32Array(h.length);
  for (let i = 0; i < h.length; i++) {
    const v = h[i]!;
    const sign = v & 0x8000 ? -1 : 1;
    const exp = (v >> 10) & 0x1f;
    const frac = v & 0x3ff;
    out[i] =
      exp === 0
        ? sign * 2 ** -14 * (frac / 1024)
        : exp === 31
          ? frac
            ? Number.NaN
            : sign * Number.POSITIVE_INFINITY
          : sign * 2 ** (exp - 15) * (1 + frac / 1024);
  }
  return out;
}

function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 2) {
    for (let i = 0; i + 1 < bytes.length; i += 2) {
      const a = bytes[i]!;
      bytes[i] = bytes[i + 1]!;
      bytes[i + 1] = a;
    }
  } else if (size === 4 || size === 8) {
    for (let i = 0; i + size <= bytes.length; i += size) bytes.subarray(i, i + size).reverse();
  }
}

/** Undo TIFF predictor 3 (floating point): per row, byte differences then big-endian byte planes. */
function undoFloatPredictor(bytes: Uint8Array, rowSamples: number, rows: number, bps: number, spp: number) {
  const rowBytes = rowSamples * bps;
  const tmp = new Uint8Array(rowBytes);
  for (let r = 0; r < rows; r++) {
    const row = bytes.subarray(r * rowBytes, (r + 1) * rowBytes);
    for (let i = spp; i < rowBytes; i++) row[i] = (row[i]! + row[i - spp]!) & 0xff;
    for (let k = 0; k < rowSamples; k++) {
      for (let j = 0; j < bps; j++) tmp[k * bps + (bps - 1 - j)] = row[j * rowSamples + k]!;
    }
    row.set(tmp);
  }
}

/** Undo TIFF predictor 2 (horizontal differencing) in the stored sample type, row by row. */
function undoHorizontalPredictor(samples: SampleArray, rowSamples: number, rows: number, spp: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * rowSamples;
    for (let i = base + spp; i < base + rowSamples; i++) samples[i] = samples[i]! + samples[i - spp]!;
  }
}

const VIEW_CONSTRUCTORS: Partial<
  Record<DType, new (b: ArrayBufferLike, o: number, n: number) => TypedArrayFor<DType>>
> = {
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

/** A rectangle of a page, in pixels. */
export interface TiffRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Decode page `index` into a planar `Image` with one channel per sample; with `region`, only that rectangle
 * (only the strips or tiles it touches are decompressed). With `share`, an uncompressed page whose strips lie
 * contiguous and aligned in `bytes` is returned as a view of `bytes` (no copy): pass it only when the caller
 * owns `bytes` and will not modify them.
 */
export function decodeTiffPage(
  bytes: Uint8Array,
  header: TiffHeader,
  index: number,
  name: string,
  share = false,
  region?: TiffRegion,
): Image {
  const info = tiffPageInfo(header, index, name);
  const win = region ?? { x: 0, y: 0, width: info.width, height: info.height };
  if (
    ![win.x, win.y, win.width, win.height].every(Number.isInteger) ||
    win.x < 0 ||
    win.y < 0 ||
    win.width < 1 ||
    win.height < 1 ||
    win.x + win.width > info.width ||
    win.y + win.height > info.height
  ) {
    throw new ImageFileError(
      name,
      `region (${win.x}, ${win.y}, ${win.width} x ${win.height}) is outside page ${index} (${info.width} x ${info.height})`,
    );
  }
  const full = win.width === info.width && win.height === info.height;
  const ifd = header.ifds[index]!;
  const { width, height, samplesPerPixel: spp, bitsPerSample: bits, sampleFormat, compression } = info;
  const chunks = chunksOf(ifd, info, name, index);
  const plane = width * height;
  const bps = bits / 8;
  const fillOrder = tagNumber(ifd, TAG.FillOrder, 1);
  const nativeOrder = header.littleEndian || bits <= 8;
  // Fast path: uncompressed samples already in native order and in output layout: copy the bytes straight in.
  const direct =
    full &&
    compression === 1 &&
    nativeOrder &&
    !info.tiled &&
    (spp === 1 || info.planarConfiguration === 2) &&
    bits >= 8 &&
    info.predictor === 1 &&
    !(sampleFormat === 2 && bits < 32) &&
    !(sampleFormat === 3 && bits === 16);
  if (direct && share) {
    const view = contiguousView(bytes, chunks, info, width * bps);
    if (view) return fromData(view, width, height, { channels: spp, pixelSize: info.pixelSize });
  }
  const out = allocate(info.dtype, win.width * win.height * spp) as TypedArrayFor<DType>;
  const outBytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  for (let ci = 0; ci < chunks.length; ci++) {
    const c = chunks[ci]!;
    const rows = Math.min(c.height, height - c.y0);
    if (
      c.y0 >= win.y + win.height ||
      c.y0 + rows <= win.y ||
      c.x0 >= win.x + win.width ||
      c.x0 + c.width <= win.x
    ) {
      continue; // outside the region: not decoded
    }
    const rowSamples = c.width * c.samples;
    const rowBytes = Math.ceil((rowSamples * bits) / 8);
    // tiles are full-size; a strip's expected size is its rows
    const expected = rowBytes * (info.tiled ? c.height : rows);
    if (c.offset + c.byteCount > bytes.length || c.offset < 0) {
      throw new ImageFileError(
        name,
        `TIFF is truncated: page ${index} ${info.tiled ? 'tile' : 'strip'} ${ci} at byte ${c.offset} ` +
          `(${c.byteCount} bytes) extends past the end of the file (${bytes.length} bytes)`,
      );
    }
    let raw = bytes.subarray(c.offset, c.offset + c.byteCount);
    if (direct) {
      const n = Math.min(raw.length, rows * rowBytes);
      if (n < rows * rowBytes) {
        throw new ImageFileError(
          name,
          `TIFF is truncated: page ${index} strip ${ci} has ${raw.length} of ${rows * rowBytes} bytes`,
        );
      }
      outBytes.set(raw.subarray(0, n), (c.sample * plane + c.y0 * width) * bps);
      continue;
    }
    if (fillOrder === 2) raw = raw.map((b) => REVERSED_BITS[b]!);
    let data: Uint8Array;
    try {
      data = decompress(raw, compression, expected);
    } catch (error) {
      throw new ImageFileError(
        name,
        `page ${index} ${info.tiled ? 'tile' : 'strip'} ${ci}: ` +
          ((error as Error).message.includes('corrupt')
            ? (error as Error).message
            : `${TIFF_COMPRESSIONS[compression]} data is corrupt (${(error as Error).message})`),
        { cause: error },
      );
    }
    const needRows = info.tiled ? rows : rows;
    if (data.length < needRows * rowBytes) {
      throw new ImageFileError(
        name,
        `TIFF is truncated or corrupt: page ${index} ${info.tiled ? 'tile' : 'strip'} ${ci} decodes to ` +
          `${data.length} of ${needRows * rowBytes} bytes`,
      );
    }
    data = data.subarray(0, needRows * rowBytes);
    if (data === raw || data.buffer === bytes.buffer) data = data.slice(); // never modify the file's bytes
    if (bits === 1) {
      const unpacked = new Uint8Array(rows * rowSamples);
      for (let r = 0; r < rows; r++) {
        for (let k = 0; k < rowSamples; k++) {
          unpacked[r * rowSamples + k] = (data[r * rowBytes + (k >> 3)]! >> (7 - (k & 7))) & 1;
        }
      }
      place(out, unpacked, c, rows, width, win);
      continue;
    }
    if (info.predictor === 3) undoFloatPredictor(data, rowSamples, rows, bps, c.samples);
    else if (!header.littleEndian) swapBytes(data, bps);
    const samples = asSamples(data, sampleFormat, bits);
    if (info.predictor === 2) undoHorizontalPredictor(samples, rowSamples, rows, c.samples);
    place(out, samples, c, rows, width, win);
  }
  return fromData(out, win.width, win.height, {
    channels: spp,
    pixelSize: info.pixelSize,
  });
}

/** The page's samples as a typed view of `bytes` when its strips follow each other, in order and aligned. */
function contiguousView(
  bytes: Uint8Array,
  chunks: readonly Chunk[],
  info: TiffPageInfo,
  rowBytes: number,
): TypedArrayFor<DType> | undefined {
  const Ctor = VIEW_CONSTRUCTORS[info.dtype];
  const first = chunks[0];
  if (!Ctor || !first) return undefined;
  let at = first.offset;
  for (const c of chunks) {
    const size = Math.min(c.height, info.height - c.y0) * rowBytes;
    if (c.offset !== at || c.byteCount < size) return undefined;
    at += size;
  }
  const start = bytes.byteOffset + first.offset;
  if (at > bytes.length || start % (info.bitsPerSample / 8) !== 0) return undefined;
  return new Ctor(bytes.buffer, start, info.width * info.height * info.samplesPerPixel);
}

/** Copy the part of a decoded chunk (rows x chunk.width x chunk.samples, interleaved) inside `win` into the
 * planar output (win.width x win.height per channel). */
function place(
  out: TypedArrayFor<DType>,
  samples: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> },
  c: Chunk,
  rows: number,
  width: number,
  win: TiffRegion,
): void {
  const plane = win.width * win.height;
  const stride = c.width * c.samples;
  if (
    c.samples === 1 &&
    c.width === width &&
    win.width === width &&
    win.y <= c.y0 &&
    c.y0 + rows <= win.y + win.height
  ) {
    // a strip spanning whole rows, all inside the window, lands in one piece
    (out as Float64Array).set(
      samples.subarray(0, rows * width) as Float64Array,
      c.sample * plane + (c.y0 - win.y) * width,
    );
    return;
  }
  const r0 = Math.max(0, win.y - c.y0);
  const r1 = Math.min(rows, win.y + win.height - c.y0);
  const x0 = Math.max(c.x0, win.x);
  const x1 = Math.min(c.x0 + c.width, width, win.x + win.width);
  if (r1 <= r0 || x1 <= x0) return;
  const cols = x1 - x0;
  for (let s = 0; s < c.samples; s++) {
    const base = (c.sample + s) * plane;
    for (let r = r0; r < r1; r++) {
      const dst = base + (c.y0 + r - win.y) * win.width + (x0 - win.x);
      const src = r * stride + (x0 - c.x0) * c.samples + s;
      if (c.samples === 1) {
        (out as Float64Array).set(samples.subarray(src, src + cols) as Float64Array, dst);
      } else {
        for (let x = 0; x < cols; x++) out[dst + x] = samples[src + x * c.samples]!;
      }
    }
  }
}
