// Typical object diameter from a binary foreground: the median equivalent diameter of its connected
// components, each weighted by area so that many specks of noise do not drag it down, and with clumps
// counted by their widest inscribed circle (2 x maximum of the distance transform) rather than their area,
// so that touching nuclei do not inflate it.
import { fromData, type Image } from '../image/image.ts';
import { checkSingleChannel } from './check.ts';
import { distanceTransform } from './distanceTransform.ts';
import { label } from './label.ts';

export interface EstimateDiameterOptions {
  /** Components smaller than this many pixels are ignored (noise). @default 9 */
  minArea?: number;
}

/**
 * Typical object diameter in pixels, or NaN when the mask holds no component of at least `minArea` pixels.
 * Each component contributes min(equivalent diameter, 2 x its largest inscribed radius x 1.15), weighted by
 * its area.
 */
export function estimateDiameter(mask: Image, options: EstimateDiameterOptions = {}): number {
  checkSingleChannel(mask, 'estimateDiameter');
  const minArea = options.minArea ?? 9;
  const labels = label(mask, { connectivity: 8 });
  const dist = distanceTransform(fromData(labels.data, mask.width, mask.height)).data;
  const ld = labels.data;
  let count = 0;
  for (let i = 0; i < ld.length; i++) if (ld[i]! > count) count = ld[i]!;
  const area = new Float64Array(count + 1);
  const maxDist = new Float64Array(count + 1);
  for (let i = 0; i < ld.length; i++) {
    const l = ld[i]!;
    if (!l) continue;
    area[l]!++;
    if (dist[i]! > maxDist[l]!) maxDist[l] = dist[i]!;
  }
  const items: { d: number; w: number }[] = [];
  for (let l = 1; l <= count; l++) {
    if (area[l]! < minArea) continue;
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
