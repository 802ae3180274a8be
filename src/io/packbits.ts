// PackBits run-length decoder (TIFF 6.0 section 9, compression 32773). Hand-written: the format is a dozen
// lines and the `tiff` package rejects it ("Unsupported Compression: PackBits").

/** Decompress PackBits data into exactly `size` bytes (missing bytes stay 0; surplus input is ignored). */
export function decodePackBits(input: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let i = 0;
  let o = 0;
  while (i < input.length && o < size) {
    const n = input[i++]!;
    if (n < 128) {
      const count = Math.min(n + 1, size - o, input.length - i);
      out.set(input.subarray(i, i + count), o);
      i += n + 1;
      o += count;
    } else if (n > 128) {
      const count = Math.min(257 - n, size - o);
      out.fill(input[i++] ?? 0, o, o + count);
      o += count;
    } // n === 128: no-op
  }
  return out;
}
