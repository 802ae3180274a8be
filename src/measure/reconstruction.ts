// Grey-level morphological reconstruction by dilation with 4-connectivity (skimage.morphology.reconstruction with
// footprint disk(1), as MeasureGranularity calls it), by Vincent's hybrid algorithm: a raster and an anti-raster scan
// followed by FIFO propagation (L. Vincent, IEEE Trans. Image Process. 2(2):176-201, 1993). Hand-written: no npm
// package reconstructs float images.

/**
 * Reconstruction by dilation of `seed` under `mask` (both row-major `width` x `height`, seed <= mask pixelwise):
 * the largest image <= mask obtainable by 4-connected geodesic dilations of the seed. Returns a new array.
 */
export function reconstructByDilation(
  seed: Float64Array,
  mask: Float64Array,
  width: number,
  height: number,
): Float64Array {
  const n = width * height;
  if (seed.length !== n || mask.length !== n) {
    throw new RangeError(
      `reconstructByDilation: seed (${seed.length}) and mask (${mask.length}) must both have ${width} x ${height} = ${n} pixels`,
    );
  }
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = seed[i]!;
    const m = mask[i]!;
    if (s > m) throw new RangeError(`reconstructByDilation: seed ${s} exceeds mask ${m} at pixel ${i}`);
    r[i] = s;
  }
  // Raster scan: predecessors up and left.
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let v = r[i]!;
      if (x > 0 && r[i - 1]! > v) v = r[i - 1]!;
      if (y > 0 && r[i - width]! > v) v = r[i - width]!;
      const m = mask[i]!;
      r[i] = Math.min(v, m);
    }
  }
  // Anti-raster scan: successors down and right; queue pixels that can still raise a successor.
  let queue = new Int32Array(Math.max(16, n >> 2));
  let head = 0;
  let tail = 0;
  const push = (i: number) => {
    if (tail === queue.length) {
      if (head > 0) {
        queue.copyWithin(0, head, tail);
        tail -= head;
        head = 0;
      }
      if (tail === queue.length) {
        const bigger = new Int32Array(queue.length * 2);
        bigger.set(queue);
        queue = bigger;
      }
    }
    queue[tail++] = i;
  };
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      let v = r[i]!;
      if (x < width - 1 && r[i + 1]! > v) v = r[i + 1]!;
      if (y < height - 1 && r[i + width]! > v) v = r[i + width]!;
      const m = mask[i]!;
      v = Math.min(v, m);
      r[i] = v;
      if (
        (x < width - 1 && r[i + 1]! < v && r[i + 1]! < mask[i + 1]!) ||
        (y < height - 1 && r[i + width]! < v && r[i + width]! < mask[i + width]!)
      ) {
        push(i);
      }
    }
  }
  // Propagation.
  while (head < tail) {
    const i = queue[head++]!;
    const v = r[i]!;
    const y = (i / width) | 0;
    const x = i - y * width;
    for (let k = 0; k < 4; k++) {
      let q: number;
      if (k === 0) {
        if (x === 0) continue;
        q = i - 1;
      } else if (k === 1) {
        if (x === width - 1) continue;
        q = i + 1;
      } else if (k === 2) {
        if (y === 0) continue;
        q = i - width;
      } else {
        if (y === height - 1) continue;
        q = i + width;
      }
      const rq = r[q]!;
      const mq = mask[q]!;
      if (rq < v && rq !== mq) {
        r[q] = Math.min(v, mq);
        push(q);
      }
    }
  }
  return r;
}
