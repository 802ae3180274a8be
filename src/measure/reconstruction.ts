// Grey-level morphological reconstruction by dilation with 4-connectivity (skimage.morphology.reconstruction with
// footprint disk(1), as MeasureGranularity calls it), by Vincent's hybrid algorithm (L. Vincent, IEEE Trans. Image Process.
// 2(2):176-201, 1993): a raster and an anti-raster scan, then propagation in decreasing grey value. Hand-written:
// no npm package reconstructs float images.

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
  // Anti-raster scan: successors down and right; pixels that can still raise a successor seed a max-priority
  // queue. Popping in decreasing value (a widest-path Dijkstra, stale entries skipped) propagates each pixel's
  // final value once, which a FIFO queue does not guarantee on float images with many grey levels.
  let keys = new Float64Array(Math.max(16, n));
  let nodes = new Int32Array(Math.max(16, n));
  let size = 0;
  const push = (key: number, node: number) => {
    if (size === keys.length) {
      const k = new Float64Array(2 * size);
      k.set(keys);
      keys = k;
      const m = new Int32Array(2 * size);
      m.set(nodes);
      nodes = m;
    }
    let i = size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! >= key) break;
      keys[i] = keys[parent]!;
      nodes[i] = nodes[parent]!;
      i = parent;
    }
    keys[i] = key;
    nodes[i] = node;
  };
  let topKey = 0;
  const pop = (): number => {
    const top = nodes[0]!;
    topKey = keys[0]!;
    const key = keys[--size]!;
    const node = nodes[size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && keys[child + 1]! > keys[child]!) child++;
      if (keys[child]! <= key) break;
      keys[i] = keys[child]!;
      nodes[i] = nodes[child]!;
      i = child;
    }
    keys[i] = key;
    nodes[i] = node;
    return top;
  };
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      let v = r[i]!;
      if (x < width - 1 && r[i + 1]! > v) v = r[i + 1]!;
      if (y < height - 1 && r[i + width]! > v) v = r[i + width]!;
      v = Math.min(v, mask[i]!);
      r[i] = v;
      if (
        (x < width - 1 && r[i + 1]! < v && r[i + 1]! < mask[i + 1]!) ||
        (y < height - 1 && r[i + width]! < v && r[i + width]! < mask[i + width]!)
      ) {
        push(v, i);
      }
    }
  }
  const raise = (q: number, v: number) => {
    const rq = r[q]!;
    const mq = mask[q]!;
    if (rq < v && rq < mq) {
      const nv = Math.min(v, mq);
      r[q] = nv;
      push(nv, q);
    }
  };
  while (size > 0) {
    const i = pop();
    const v = r[i]!;
    if (topKey < v) continue; // stale entry: the pixel was raised and queued again
    const y = (i / width) | 0;
    const x = i - y * width;
    if (x > 0) raise(i - 1, v);
    if (x < width - 1) raise(i + 1, v);
    if (y > 0) raise(i - width, v);
    if (y < height - 1) raise(i + width, v);
  }
  return r;
}
