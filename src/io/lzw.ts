// TIFF LZW decoder (TIFF 6.0 section 13: MSB-first codes of 9..12 bits, "early change", Clear = 256,
// EndOfInformation = 257). Hand-written because the `tiff` package does not export its decoder, and that one
// builds each string with Array.concat (slow); this one keeps the string table in typed arrays.

const CLEAR = 256;
const EOI = 257;

/**
 * Decompress TIFF LZW data. `expectedSize` (the strip or tile's decoded byte length) sizes the output; the
 * output grows if the stream holds more. Throws a RangeError on an invalid code (corrupt data).
 */
export function decodeLzw(input: Uint8Array, expectedSize: number): Uint8Array {
  let out: Uint8Array = new Uint8Array(Math.max(expectedSize, 16));
  const prefix = new Int32Array(4096);
  const first = new Uint8Array(4096);
  const last = new Uint8Array(4096);
  const length = new Int32Array(4096);
  for (let i = 0; i < 256; i++) {
    prefix[i] = -1;
    first[i] = i;
    last[i] = i;
    length[i] = 1;
  }
  const totalBits = input.length * 8;
  let bitPos = 0;
  let codeLen = 9;
  let next = 258;
  let old = -1;
  let pos = 0;
  while (bitPos + codeLen <= totalBits) {
    const byte = bitPos >>> 3;
    const word = (input[byte]! << 16) | ((input[byte + 1] ?? 0) << 8) | (input[byte + 2] ?? 0);
    const code = (word >>> (24 - (bitPos & 7) - codeLen)) & ((1 << codeLen) - 1);
    bitPos += codeLen;
    if (code === EOI) break;
    if (code === CLEAR) {
      next = 258;
      codeLen = 9;
      old = -1;
      continue;
    }
    if (old === -1) {
      if (code > 255) throw new RangeError(`LZW data is corrupt: code ${code} after Clear`);
      if (pos >= out.length) out = grow(out, pos + 1);
      out[pos++] = code;
      old = code;
      continue;
    }
    let entryFirst: number;
    if (code < next) entryFirst = first[code]!;
    else if (code === next) entryFirst = first[old]!;
    else throw new RangeError(`LZW data is corrupt: code ${code} is beyond the table (${next} entries)`);
    if (next < 4096) {
      prefix[next] = old;
      first[next] = first[old]!;
      last[next] = entryFirst;
      length[next] = length[old]! + 1;
      next++;
    }
    // write the string of `code`, last byte first
    const len = length[code]!;
    if (pos + len > out.length) out = grow(out, pos + len);
    let c = code;
    for (let i = pos + len - 1; i >= pos; i--) {
      out[i] = last[c]!;
      c = prefix[c]!;
    }
    pos += len;
    old = code;
    if (next === 511) codeLen = 10;
    else if (next === 1023) codeLen = 11;
    else if (next === 2047) codeLen = 12;
  }
  return pos === out.length ? out : out.subarray(0, pos);
}

function grow(out: Uint8Array, needed: number): Uint8Array {
  const bigger = new Uint8Array(Math.max(needed, out.length * 2));
  bigger.set(out);
  return bigger;
}
