// Sequential relabelling (as skimage.segmentation.relabel_sequential / CellProfiler's cpmorphology.relabel):
// labels renumbered 1..n in increasing order of their old value, gaps removed.
import { fromData, type Image } from '../image/image.ts';
import { checkLabels, maxLabel } from './check.ts';

export interface RelabelResult {
  labels: Image<'uint32'>;
  /** Number of objects, n. */
  count: number;
  /** forward[old] = new label (0 for absent labels). */
  forward: Uint32Array;
}

/** Renumber the labels present in `labels` as 1..n keeping their order. */
export function relabelSequential(labels: Image): RelabelResult {
  checkLabels(labels, 'relabelSequential');
  const max = maxLabel(labels);
  const forward = new Uint32Array(max + 1);
  const src = labels.data;
  for (let i = 0; i < src.length; i++) forward[src[i]!] = 1;
  forward[0] = 0;
  let count = 0;
  for (let l = 1; l <= max; l++) if (forward[l]) forward[l] = ++count;
  const out = new Uint32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = forward[src[i]!]!;
  return { labels: fromData(out, labels.width, labels.height), count, forward };
}
