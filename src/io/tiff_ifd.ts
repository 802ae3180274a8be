// TIFF container parsing: header and image file directories (IFDs) of classic TIFF and BigTIFF.
// Spec: TIFF 6.0 (Adobe, 1992) and BigTIFF (https://www.awaresystems.be/imaging/tiff/bigtiff.html).
// Hand-written because the `tiff` npm package (v7) reads no BigTIFF, no uint32/int16/int32 samples, no
// PackBits, mis-reads multi-sample tiles, and gives no way to check the declared size before it allocates;
// the directory format itself is ~150 lines, and owning it lets us validate every offset against the file.
import { ImageFileError } from './errors.ts';

/** Tag numbers the readers use (TIFF 6.0 names). */
export const TAG = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  Photometric: 262,
  FillOrder: 266,
  ImageDescription: 270,
  StripOffsets: 273,
  Orientation: 274,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  XResolution: 282,
  YResolution: 283,
  PlanarConfiguration: 284,
  ResolutionUnit: 296,
  Software: 305,
  Predictor: 317,
  ColorMap: 320,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  ExtraSamples: 338,
  SampleFormat: 339,
} as const;

/** Byte size of each TIFF field type (1..18). */
const TYPE_SIZE: Readonly<Record<number, number>> = {
  1: 1, // BYTE
  2: 1, // ASCII
  3: 2, // SHORT
  4: 4, // LONG
  5: 8, // RATIONAL
  6: 1, // SBYTE
  7: 1, // UNDEFINED
  8: 2, // SSHORT
  9: 4, // SLONG
  10: 8, // SRATIONAL
  11: 4, // FLOAT
  12: 8, // DOUBLE
  13: 4, // IFD
  16: 8, // LONG8
  17: 8, // SLONG8
  18: 8, // IFD8
};

/** A tag value: numbers for numeric types, a string for ASCII, raw bytes for UNDEFINED. */
export type TagValue = number[] | string | Uint8Array;

/** One image file directory: its tags and where it was found. */
export interface TiffIfd {
  /** Byte offset of the IFD in the file. */
  readonly offset: number;
  readonly tags: ReadonlyMap<number, TagValue>;
}

export interface TiffHeader {
  readonly littleEndian: boolean;
  readonly bigTiff: boolean;
  readonly ifds: readonly TiffIfd[];
}

/** Most IFDs (pages) a file may have; protects against offset loops built to hang the reader. */
export const MAX_IFDS = 1_000_000;

/** Whether `bytes` start with a TIFF or BigTIFF signature. */
export function isTiff(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const ii = bytes[0] === 0x49 && bytes[1] === 0x49;
  const mm = bytes[0] === 0x4d && bytes[1] === 0x4d;
  if (ii) return (bytes[2] === 42 || bytes[2] === 43) && bytes[3] === 0;
  if (mm) return bytes[2] === 0 && (bytes[3] === 42 || bytes[3] === 43);
  return false;
}

/** Parse the header and every IFD of a TIFF file (tags only; no pixel data is read). */
export function parseTiff(bytes: Uint8Array, name: string): TiffHeader {
  if (bytes.length === 0) throw new ImageFileError(name, 'file is empty (0 bytes)');
  if (bytes.length < 8) throw new ImageFileError(name, `TIFF is truncated: only ${bytes.length} bytes`);
  if (!isTiff(bytes)) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ImageFileError(name, `not a TIFF file (wrong magic bytes ${magic})`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[0] === 0x49;
  const bigTiff = view.getUint16(2, le) === 43;
  const size = bytes.length;
  const u64 = (at: number): number => {
    const v = view.getBigUint64(at, le);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
    return Number(v);
  };
  let next: number;
  if (bigTiff) {
    if (size < 16) throw new ImageFileError(name, 'BigTIFF header is truncated');
    if (view.getUint16(4, le) !== 8) throw new ImageFileError(name, 'BigTIFF header: offset size is not 8');
    next = u64(8);
  } else {
    next = view.getUint32(4, le);
  }
  const ifds: TiffIfd[] = [];
  const seen = new Set<number>();
  const entrySize = bigTiff ? 20 : 12;
  while (next !== 0) {
    if (seen.has(next)) throw new ImageFileError(name, `TIFF IFD chain loops back to offset ${next}`);
    if (ifds.length >= MAX_IFDS) throw new ImageFileError(name, `more than ${MAX_IFDS} IFDs`);
    seen.add(next);
    const countSize = bigTiff ? 8 : 2;
    if (next + countSize > size) {
      if (ifds.length > 0) break; // a dangling next-IFD offset after valid pages: keep what we have
      throw new ImageFileError(
        name,
        `TIFF is truncated: IFD offset ${next} is beyond the end (${size} bytes)`,
      );
    }
    const count = bigTiff ? u64(next) : view.getUint16(next, le);
    const start = next + countSize;
    const end = start + count * entrySize + (bigTiff ? 8 : 4);
    if (end > size) {
      throw new ImageFileError(
        name,
        `TIFF is truncated: IFD at ${next} with ${count} entries ends past ${size}`,
      );
    }
    const tags = new Map<number, TagValue>();
    for (let i = 0; i < count; i++) {
      const at = start + i * entrySize;
      const tag = view.getUint16(at, le);
      const type = view.getUint16(at + 2, le);
      const n = bigTiff ? u64(at + 4) : view.getUint32(at + 4, le);
      const typeSize = TYPE_SIZE[type];
      if (typeSize === undefined) continue; // unknown field type: ignore the tag, as TIFF 6.0 asks
      const byteLength = n * typeSize;
      const inline = byteLength <= (bigTiff ? 8 : 4);
      const valueAt = inline ? at + (bigTiff ? 12 : 8) : bigTiff ? u64(at + 12) : view.getUint32(at + 8, le);
      if (valueAt + byteLength > size) {
        throw new ImageFileError(
          name,
          `TIFF is truncated or corrupt: tag ${tag} has ${n} values at offset ${valueAt}, past the end (${size} bytes)`,
        );
      }
      tags.set(tag, readValues(view, bytes, valueAt, type, n, le));
    }
    ifds.push({ offset: next, tags });
    next = bigTiff ? u64(end - 8) : view.getUint32(end - 4, le);
  }
  if (ifds.length === 0) throw new ImageFileError(name, 'TIFF has no image directory (IFD)');
  return { littleEndian: le, bigTiff, ifds };
}

function readValues(
  view: DataView,
  bytes: Uint8Array,
  at: number,
  type: number,
  n: number,
  le: boolean,
): TagValue {
  if (type === 2) {
    let end = at + n;
    while (end > at && bytes[end - 1] === 0) end--;
    return new TextDecoder('utf-8').decode(bytes.subarray(at, end));
  }
  if (type === 7) return bytes.slice(at, at + n);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    switch (type) {
      case 1:
        out[i] = view.getUint8(at + i);
        break;
      case 6:
        out[i] = view.getInt8(at + i);
        break;
      case 3:
        out[i] = view.getUint16(at + 2 * i, le);
        break;
      case 8:
        out[i] = view.getInt16(at + 2 * i, le);
        break;
      case 4:
      case 13:
        out[i] = view.getUint32(at + 4 * i, le);
        break;
      case 9:
        out[i] = view.getInt32(at + 4 * i, le);
        break;
      case 5:
        out[i] = view.getUint32(at + 8 * i, le) / view.getUint32(at + 8 * i + 4, le);
        break;
      case 10:
        out[i] = view.getInt32(at + 8 * i, le) / view.getInt32(at + 8 * i + 4, le);
        break;
      case 11:
        out[i] = view.getFloat32(at + 4 * i, le);
        break;
      case 12:
        out[i] = view.getFloat64(at + 8 * i, le);
        break;
      case 16:
      case 18:
        out[i] = Number(view.getBigUint64(at + 8 * i, le));
        break;
      case 17:
        out[i] = Number(view.getBigInt64(at + 8 * i, le));
        break;
    }
  }
  return out;
}

/** Numeric values of a tag, or undefined when absent or not numeric. */
export function tagNumbers(ifd: TiffIfd, tag: number): number[] | undefined {
  const v = ifd.tags.get(tag);
  return Array.isArray(v) ? v : undefined;
}

/** First numeric value of a tag, or `fallback`. */
export function tagNumber(ifd: TiffIfd, tag: number, fallback: number): number {
  return tagNumbers(ifd, tag)?.[0] ?? fallback;
}

/** A string tag (ImageDescription, Software), or undefined. */
export function tagString(ifd: TiffIfd, tag: number): string | undefined {
  const v = ifd.tags.get(tag);
  return typeof v === 'string' ? v : undefined;
}
