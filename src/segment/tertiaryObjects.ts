// Tertiary objects after CellProfiler's IdentifyTertiaryObjects (cellprofiler/modules/identifytertiaryobjects.py):
// the larger object minus the smaller one (cytoplasm = cell minus nucleus), optionally shrinking the smaller
// objects to their inner outline first ("shrink smaller object prior to subtraction") so that every cell keeps a
// cytoplasm ring.
import { fromData, type Image } from '../image/image.ts';
import { checkLabels, checkSameSize } from './check.ts';

export interface TertiaryObjectsOptions {
  /**
   * Remove only the interior of each smaller object (its outline pixels, those with one of their 8 neighbours
   * outside it or on the image edge, stay in the tertiary object), as CellProfiler's shrink option (centrosome's
   * outline compares all 8 neighbours). @default true
   */
  shrinkPrimary?: boolean;
}

/** `larger` minus `smaller`: each remaining pixel keeps its larger object's label (cytoplasm k of cell k). */
export function tertiaryObjects(
  larger: Image,
  smaller: Image,
  options: TertiaryObjectsOptions = {},
): Image<'uint32'> {
  checkLabels(larger, 'tertiaryObjects larger');
  checkLabels(smaller, 'tertiaryObjects smaller');
  checkSameSize(larger, smaller, 'tertiaryObjects smaller');
  const shrink = options.shrinkPrimary ?? true;
  const { width: w, height: h } = larger;
  const s = smaller.data;
  const out = Uint32Array.from(larger.data as ArrayLike<number>);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const l = s[i]!;
      if (!l) continue;
      const outline =
        x === 0 ||
        y === 0 ||
        x === w - 1 ||
        y === h - 1 ||
        s[i - 1] !== l ||
        s[i + 1] !== l ||
        s[i - w] !== l ||
        s[i + w] !== l ||
        s[i - w - 1] !== l ||
        s[i - w + 1] !== l ||
        s[i + w - 1] !== l ||
        s[i + w + 1] !== l;
      if (!(shrink && outline)) out[i] = 0;
    }
  }
  return fromData(out, w, h);
}
