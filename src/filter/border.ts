// Border extension modes shared by the filters, with scipy.ndimage's names and definitions (ni_support.c
// `NI_ExtendLine`): positions outside [0, n) map back inside, repeating as often as needed for any kernel size.

/**
 * How a filter sees pixels outside the image (scipy.ndimage names):
 * - `reflect`: d c b a | a b c d | d c b a (half-sample symmetric)
 * - `mirror`: d c b | a b c d | c b a (whole-sample symmetric)
 * - `nearest`: a a a | a b c d | d d d
 * - `constant`: k k k | a b c d | k k k with k = `cval`
 * - `wrap`: a b c d | a b c d | a b c d
 */
export type BorderMode = 'reflect' | 'mirror' | 'nearest' | 'constant' | 'wrap';

export const BORDER_MODES: readonly BorderMode[] = ['reflect', 'mirror', 'nearest', 'constant', 'wrap'];

/** Throw a RangeError naming `what` unless `mode` is a known border mode. */
export function checkBorderMode(mode: unknown, what: string): BorderMode {
  if (typeof mode !== 'string' || !(BORDER_MODES as readonly string[]).includes(mode)) {
    throw new RangeError(`${what}: mode must be one of ${BORDER_MODES.join(', ')}, got ${String(mode)}`);
  }
  return mode as BorderMode;
}

/** Index inside [0, n) that position `i` reads under `mode`, or -1 for `constant` outside the image. */
export function borderIndex(i: number, n: number, mode: BorderMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'nearest':
      return i < 0 ? 0 : n - 1;
    case 'constant':
      return -1;
    case 'wrap': {
      const r = i % n;
      return r < 0 ? r + n : r;
    }
    case 'reflect': {
      const period = 2 * n;
      let r = i % period;
      if (r < 0) r += period;
      return r < n ? r : period - 1 - r;
    }
    case 'mirror': {
      if (n === 1) return 0;
      const period = 2 * n - 2;
      let r = i % period;
      if (r < 0) r += period;
      return r < n ? r : period - r;
    }
  }
}

/** The indices `borderIndex(i, n, mode)` for i in [-pad, n + pad), as an Int32Array of length n + 2 * pad. */
export function borderTable(n: number, pad: number, mode: BorderMode): Int32Array {
  const table = new Int32Array(n + 2 * pad);
  for (let i = -pad; i < n + pad; i++) table[i + pad] = borderIndex(i, n, mode);
  return table;
}
