// NumPy .npy reader and writer (format 1.0-3.0, C or Fortran order). Written by hand because the format is a
// 10-line header plus raw little-endian data and no maintained npm package reads all of its dtypes; spec:
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
import { readFile, writeFile } from 'node:fs/promises';

export type NpyArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export interface Npy {
  /** NumPy dtype descriptor without byte order, e.g. 'f4', 'u2', 'b1'. */
  dtype: string;
  shape: number[];
  /** Row-major (C order) data; Fortran-order files are transposed on read. Booleans read as Uint8Array. */
  data: NpyArray;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const TYPES: Record<string, [new (buffer: ArrayBuffer) => NpyArray, number]> = {
  b1: [Uint8Array, 1],
  u1: [Uint8Array, 1],
  i1: [Int8Array, 1],
  u2: [Uint16Array, 2],
  i2: [Int16Array, 2],
  u4: [Uint32Array, 4],
  i4: [Int32Array, 4],
  f4: [Float32Array, 4],
  f8: [Float64Array, 8],
  i8: [BigInt64Array, 8],
  u8: [BigUint64Array, 8],
};

/** Parse the bytes of a .npy file; `name` is used in error messages. */
export function parseNpy(bytes: Uint8Array, name = '.npy data'): Npy {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw new Error(`${name}: not a .npy file (wrong magic bytes)`);
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (headerStart + headerLength > bytes.length) throw new Error(`${name}: .npy header is truncated`);
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr'\s*:\s*'([<>|=])([a-z]\d+)'/.exec(header);
  const order = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeMatch = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !order || !shapeMatch) throw new Error(`${name}: malformed .npy header: ${header.trim()}`);
  const [, byteOrder, dtype] = descr as unknown as [string, string, string];
  const type = TYPES[dtype];
  if (!type) throw new Error(`${name}: unsupported .npy dtype '${dtype}'`);
  const [Ctor, size] = type;
  if (byteOrder === '>' && size > 1) throw new Error(`${name}: big-endian .npy data is not supported`);
  const shape = shapeMatch[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const start = headerStart + headerLength;
  if (bytes.length - start < count * size) {
    throw new Error(`${name}: .npy data is truncated (${bytes.length - start} of ${count * size} bytes)`);
  }
  const copy = new Uint8Array(bytes.subarray(start, start + count * size)); // a copy, aligned for any dtype
  let data = new Ctor(copy.buffer);
  if (order[1] === 'True' && shape.length > 1) data = fortranToC(data, shape);
  return { dtype, shape, data };
}

function fortranToC(data: NpyArray, shape: number[]): NpyArray {
  const out = new (data.constructor as new (n: number) => NpyArray)(data.length);
  const n = shape.length;
  const idx = new Array<number>(n).fill(0);
  for (let c = 0; c < data.length; c++) {
    let f = 0;
    let stride = 1;
    for (let d = 0; d < n; d++) {
      f += idx[d]! * stride;
      stride *= shape[d]!;
    }
    (out as Float64Array)[c] = (data as Float64Array)[f]!;
    for (let d = n - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

export async function readNpy(path: string): Promise<Npy> {
  return parseNpy(await readFile(path), path);
}

const DESCR = new Map<unknown, string>([
  [Uint8Array, '|u1'],
  [Int8Array, '|i1'],
  [Uint16Array, '<u2'],
  [Int16Array, '<i2'],
  [Uint32Array, '<u4'],
  [Int32Array, '<i4'],
  [Float32Array, '<f4'],
  [Float64Array, '<f8'],
  [BigInt64Array, '<i8'],
  [BigUint64Array, '<u8'],
]);

/** Encode a C-order array as .npy version 1.0 bytes. */
export function encodeNpy(data: NpyArray, shape: readonly number[]): Uint8Array {
  const descr = DESCR.get(data.constructor);
  if (!descr) throw new TypeError('encodeNpy: unsupported typed array');
  if (shape.reduce((a, b) => a * b, 1) !== data.length)
    throw new RangeError('encodeNpy: shape does not match data');
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += `${' '.repeat(pad % 64)}\n`;
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

export async function writeNpy(path: string, data: NpyArray, shape: readonly number[]): Promise<void> {
  await writeFile(path, encodeNpy(data, shape));
}
