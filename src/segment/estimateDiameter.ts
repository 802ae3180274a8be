// Typical object diameter from a binary foreground: the median equivalent diameter of its connected
// components, each weighted by area so that many specks of noise do not drag it down, and with clumps
// counted by their widest inscribed circle (2 x maximum of the distance transform) rather than their area,
// so that touching nuclei do not inflate it.
import { fromData, type Image } from '../image/image.ts';
import { checkSingleChannel } from './check.ts';
import { distanceTransform } from './distanceTransform.ts';
import { label } from './label.ts';
import { labelBoxes } from './labelBoxes.ts';

export interface EstimateDiameterOptions {
  /** Components smaller than this many pixels are ignored (noise). @default 9 */
  minArea?: number;
  /** The mask's 8-connected components when already labelled (saves a labelling pass). @default undefined */
  labels?: Image<'uint32'> | undefined;
}

/**
 * Typical object diameter in pixels, or NaN when the mask holds no component of at least `minArea` pixels.
 * Each component contributes min(equivalent diameter, 2 x its largest inscribed radius x 1.15), weighted by
 * its area.
 */
export function estimateDiameter(mask: Image, options: EstimateDiameterOptions = {}): number {
  checkSingleChannel(mask, 'estimateDiameter');
  const minArea = options.minArea ?? 9;
  const labels = options.labels ?? label(mask, { connectivity: 8 });
  const { width: w, height: h } = mask;
  const ld = labels.data;
  const { count, area, box } = labelBoxes(labels);
  // Largest inscribed radius per component: distance transform of the component in its box padded by one
  // background pixel (the image edge is not background, as in scipy's transform of the whole image).
  const maxDist = new Float64Array(count + 1);
  for (let l = 1; l <= count; l++) {
    if (area[l] === 0 || area[l]! < minArea) continue;
    const x0 = Math.max(0, box[4 * l]! - 1);
    const y0 = Math.max(0, box[4 * l + 1]! - 1);
    const x1 = Math.min(w - 1, box[4 * l + 2]! + 1);
    const y1 = Math.min(h - 1, box[4 * l + 3]! + 1);
    const cw = x1 - x0 + 1;
    const ch = y1 - y0 + 1;
    const crop = new Uint8Array(cw * ch);
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) if (ld[(y + y0) * w + x + x0] === l) crop[y * cw + x] = 1;
    }
    const dist = distanceTransform(fromData(crop, cw, ch), { squared: true }).data;
    let m = 0;
    for (let i = 0; i < dist.length; i++) if (dist[i]! > m) m = dist[i]!;
    maxDist[l] = Math.sqrt(m);
  }
  const items: { d: number; w: number }[] = [];
  for (let l = 1; l <= count; l++) {
    if (area[l] === 0 || area[l]! < minArea) continue;
    const equivalent = 2 * Math.sqrt(area[l]! / Math.PI);
    items.push({ d: Math.min(equivalent, 2 * maxDist[l]! * 1.15), w: area[l]! });
  }
  if (items.length === 0) return Number.NaN;
  items.sort((a, b) => a.d - b.d);
  const total = items.reduce((s, it) => s + it.w, 0);
  let acc = 0;
  for (const it of items) {
    acc += it.w;
    if (acc >= total / 2) return it.d;
  }
  return items[items.length - 1]!.d;
}
