// Readers for ground truth in the 2018 Data Science Bowl layout (BBBC038: `<id>/images/<id>.png` and one
// binary PNG per nucleus in `<id>/masks/`) and for label images (TIFF/PNG), and pairing of predictions to truth
// by image id.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fromData, type Image } from '../image/image.ts';
import { readImage } from '../io/index.ts';

/** True when `dir` looks like one DSB sample (has `images/` and `masks/` sub-folders). */
export function isDsbSample(dir: string): boolean {
  return existsSync(join(dir, 'images')) && existsSync(join(dir, 'masks'));
}

function listFiles(dir: string, extensions: readonly string[]): string[] {
  return readdirSync(dir)
    .filter((f) => extensions.includes(extname(f).toLowerCase()) && !f.startsWith('.'))
    .sort()
    .map((f) => join(dir, f));
}

/** The raw image of a DSB sample (`images/<id>.png`, or the only PNG there). */
export async function readDsbImage(sampleDir: string): Promise<Image> {
  const id = basename(sampleDir);
  const named = join(sampleDir, 'images', `${id}.png`);
  const path = existsSync(named) ? named : listFiles(join(sampleDir, 'images'), ['.png', '.tif', '.tiff'])[0];
  if (!path) throw new Error(`${sampleDir}: no image in images/`);
  return readImage(path);
}

/**
 * Ground truth of a DSB sample as one uint32 label image: the k-th mask PNG (sorted by file name) becomes label
 * k; where masks overlap the later one wins (the dev set has 2 such pixels in 2,476 nuclei).
 */
export async function readDsbMasks(sampleDir: string): Promise<Image<'uint32'>> {
  const files = listFiles(join(sampleDir, 'masks'), ['.png']);
  let out: Uint32Array | undefined;
  let width = 0;
  let height = 0;
  for (let k = 0; k < files.length; k++) {
    const mask = await readImage(files[k]!);
    if (!out) {
      width = mask.width;
      height = mask.height;
      out = new Uint32Array(width * height);
    } else if (mask.width !== width || mask.height !== height) {
      throw new RangeError(
        `${files[k]}: mask is ${mask.width}x${mask.height}, others are ${width}x${height}`,
      );
    }
    const d = mask.data;
    for (let i = 0; i < width * height; i++) if (d[i]) out[i] = k + 1;
  }
  if (!out) {
    // No nucleus: an empty label image the size of the raw image.
    const image = await readDsbImage(sampleDir);
    return fromData(new Uint32Array(image.width * image.height), image.width, image.height);
  }
  return fromData(out, width, height);
}

/** Read a label image (first plane of a TIFF/PNG), rejecting float pixels and several channels. */
export async function readLabelImage(path: string): Promise<Image> {
  const image = await readImage(path, { color: 'all' });
  if (image.channels !== 1)
    throw new RangeError(`${path}: label image has ${image.channels} channels, expected 1`);
  if (image.dtype === 'float32' || image.dtype === 'float64') {
    const d = image.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (!(v >= 0) || !Number.isInteger(v)) {
        throw new RangeError(
          `${path}: float label image holds ${v} at pixel ${i}; labels must be integers >= 0`,
        );
      }
    }
    return fromData(Uint32Array.from(d), image.width, image.height);
  }
  return image;
}

const LABEL_EXTENSIONS = ['.tif', '.tiff', '.png'];

/** Image id of a label file: the file name without extension and without a `_labels`/`_masks` suffix. */
export function idOfLabelFile(path: string): string {
  const name = basename(path, extname(path));
  return name.replace(/(_labels|_label|_masks|_mask|_cp_masks)$/, '');
}

export interface TruthEntry {
  id: string;
  /** Reads the truth label image. */
  read: () => Promise<Image>;
}

/**
 * Ground truth found in `dir`: a DSB root (sub-folders with images/ and masks/, also one level down as in
 * `stage1_train/`), a single DSB sample, or a folder of label images. Keyed by image id.
 */
export function listTruth(dir: string, depth = 0): Map<string, TruthEntry> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`truth folder ${dir} does not exist`);
  const out = new Map<string, TruthEntry>();
  if (isDsbSample(dir)) {
    const id = basename(dir);
    out.set(id, { id, read: () => readDsbMasks(dir) });
    return out;
  }
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (isDsbSample(path)) out.set(name, { id: name, read: () => readDsbMasks(path) });
      else if (depth === 0) for (const [id, entry] of listTruth(path, 1)) out.set(id, entry);
    } else if (LABEL_EXTENSIONS.includes(extname(name).toLowerCase())) {
      const id = idOfLabelFile(path);
      out.set(id, { id, read: () => readLabelImage(path) });
    }
  }
  return out;
}

/** Predicted label images in `dir` keyed by image id (`<id>_labels.tiff`, `<id>.png`, ...). */
export function listPredictions(dir: string): Map<string, string> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new Error(`prediction folder ${dir} does not exist`);
  const out = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    if (!LABEL_EXTENSIONS.includes(extname(name).toLowerCase())) continue;
    if (/_overlay\.png$/i.test(name)) continue;
    out.set(idOfLabelFile(name), join(dir, name));
  }
  return out;
}
