// Connected-component labelling by two-pass union-find (Wu, Otoo & Suzuki 2009, "Optimizing two-pass
// connected-component labeling algorithms"); labels numbered in raster order like skimage.measure.label.
// Hand-written: image-js labels only its own image class and numbers components differently.
import { fromData, type Image } from '../image/image.ts';
import { checkConnectivity, checkSingleChannel } from './check.ts';

export interface LabelOptions {
  /** 4: edge neighbours only; 8: edges and corners (skimage's default for 2-D). @default 8 */
  connectivity?: 4 | 8;
  /** Pixels equal to this value are background; any other value is foreground. @default 0 */
  background?: number;
}

/**
 * Label the connected foreground (non-zero, non-NaN) regions of a single-channel image. Objects are numbered
 * 1..n in the raster order of their first pixel, so the output equals skimage.measure.label(image != 0).
 */
export function label(image: Image, options: LabelOptions = {}): Image<'uint32'> {
  const connectivity = options.connectivity ?? 8;
  const background = options.background ?? 0;
  checkConnectivity(connectivity, 'label');
  checkSingleChannel(image, 'label');
  const { width: w, height: h } = image;
  const src = image.data;
  const out = new Uint32Array(w * h);
  // parent[k] for provisional label k (1-based); union by smaller root keeps roots minimal.
  let parent = new Uint32Array(1024);
  let next = 1;
  const find = (k: number): number => {
    let r = k;
    while (parent[r]! !== r) r = parent[r]!;
    while (parent[k]! !== r) {
      const p = parent[k]!;
      parent[k] = r;
      k = p;
    }
    return r;
  };
  const union = (a: number, b: number): number => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return ra;
    if (ra < rb) {
      parent[rb] = ra;
      return ra;
    }
    parent[ra] = rb;
    return rb;
  };
  const eight = connectivity === 8;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      const v = src[i]!;
      if (v === background || Number.isNaN(v)) continue;
      let l = 0;
      if (x > 0 && out[i - 1]) l = out[i - 1]!;
      if (y > 0) {
        const up = out[i - w]!;
        if (up) l = l ? union(l, up) : up;
        if (eight) {
          if (x > 0 && out[i - w - 1]) l = l ? union(l, out[i - w - 1]!) : out[i - w - 1]!;
          if (x < w - 1 && out[i - w + 1]) l = l ? union(l, out[i - w + 1]!) : out[i - w + 1]!;
        }
      }
      if (!l) {
        if (next >= parent.length) {
          const grown = new Uint32Array(parent.length * 2);
          grown.set(parent);
          parent = grown;
        }
        parent[next] = next;
        l = next++;
      }
      out[i] = l;
    }
  }
  // Second pass: resolve roots, renumber in order of first appearance (raster order).
  const final = new Uint32Array(next);
  let count = 0;
  for (let i = 0; i < out.length; i++) {
    const l = out[i]!;
    if (!l) continue;
    const r = find(l);
    if (!final[r]) final[r] = ++count;
    out[i] = final[r]!;
  }
  return fromData(out, w, h);
}
