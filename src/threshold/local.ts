// Local (adaptive) threshold image, skimage.filters.threshold_local's definition (v0.19): a Gaussian
// (sigma = (blockSize - 1) / 6), box mean or box median of the image over a blockSize x blockSize
// neighbourhood, minus `offset`. Built on src/filter (same border modes as scipy).

import { type BorderMode, checkBorderMode } from '../filter/border.ts';
import { gaussian } from '../filter/gaussian.ts';
import { mean } from '../filter/mean.ts';
import { median } from '../filter/median.ts';
import { checkSingleChannel } from '../filter/util.ts';
import type { Image } from '../image/image.ts';

export interface LocalThresholdOptions {
  /** Odd neighbourhood width in pixels (>= 3). @default 35 */
  blockSize?: number;
  /** Local statistic. @default 'gaussian' */
  method?: 'gaussian' | 'mean' | 'median';
  /** Subtracted from the local statistic (image units). @default 0 */
  offset?: number;
  /** Border handling, scipy.ndimage names. @default 'reflect' (skimage's default) */
  mode?: BorderMode;
  /** Value outside the image for `mode: 'constant'`. @default 0 */
  cval?: number;
  /** Gaussian sigma overriding (blockSize - 1) / 6 (skimage's `param`). @default undefined */
  sigma?: number;
}

/** Per-pixel thresholds (float32, image units); foreground is image > threshold. */
export function thresholdLocal(image: Image, options: LocalThresholdOptions = {}): Image<'float32'> {
  checkSingleChannel(image, 'thresholdLocal');
  const blockSize = options.blockSize ?? 35;
  if (!Number.isInteger(blockSize) || blockSize < 3 || blockSize % 2 === 0) {
    throw new RangeError(`thresholdLocal: blockSize must be an odd integer >= 3, got ${String(blockSize)}`);
  }
  const method = options.method ?? 'gaussian';
  const offset = options.offset ?? 0;
  if (!Number.isFinite(offset)) throw new RangeError(`thresholdLocal: offset must be finite, got ${offset}`);
  const mode = checkBorderMode(options.mode ?? 'reflect', 'thresholdLocal');
  const cval = options.cval ?? 0;
  const radius = (blockSize - 1) / 2;
  let out: Image<'float32'>;
  if (method === 'gaussian') {
    out = gaussian(image, { sigma: options.sigma ?? (blockSize - 1) / 6, mode, cval });
  } else if (method === 'mean') {
    out = mean(image, { footprint: { shape: 'square', radius }, mode, cval });
  } else if (method === 'median') {
    const m = median(image, { footprint: { shape: 'square', radius }, mode, cval });
    out = { ...image, dtype: 'float32', data: Float32Array.from(m.data) };
  } else {
    throw new RangeError(`thresholdLocal: method must be gaussian, mean or median, got ${String(method)}`);
  }
  if (offset !== 0) {
    const d = out.data;
    for (let i = 0; i < d.length; i++) d[i] = d[i]! - offset;
  }
  return out;
}
