// OME-Zarr writing: an image as a multiscale pyramid (2x2 mean downsampling; labels by nearest neighbour,
// taking every second pixel) with `omero` channel names, plus label images under `labels/` with `image-label`
// metadata. OME-NGFF 0.4 is written as Zarr v2 by hand (JSON + zlib chunks: zarrita only creates v3);
// 0.5 is written as Zarr v3 through zarrita with the zstd codec (zarrita's gzip codec cannot encode). Spec: https://ngff.openmicroscopy.org/0.4/,
// https://ngff.openmicroscopy.org/0.5/, https://zarr-specs.readthedocs.io/en/latest/v2/v2.0.html.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import FileSystemStore from '@zarrita/storage/fs';
import * as zarr from 'zarrita';
import { allocate, type Image } from '../image/image.ts';
import { ImageFileError } from './errors.ts';
import { unitName } from './ngff.ts';

export interface WriteOmeZarrOptions {
  /** OME-NGFF version: '0.4' (Zarr v2) or '0.5' (Zarr v3). @default '0.4' */
  version?: '0.4' | '0.5';
  /** Number of pyramid levels, each half the size of the previous. @default 1 */
  levels?: number;
  /** Chunk width and height in pixels (one channel per chunk). @default 256 */
  chunkSize?: number;
  /** Chunk compression: zlib (v0.4) / zstd (v0.5), or none. @default 'zlib' */
  compression?: 'zlib' | 'none';
  /** Label images to store under `labels/<name>`, each the image's width x height. @default {} */
  labels?: Readonly<Record<string, Image>>;
  /** Name recorded in the multiscales metadata. @default 'image' */
  name?: string;
  /** Replace an existing non-empty directory at `path`. @default false */
  overwrite?: boolean;
}

const ZARR_V2_DTYPE: Readonly<Record<Image['dtype'], string>> = {
  uint8: '|u1',
  uint16: '<u2',
  uint32: '<u4',
  int32: '<i4',
  float32: '<f4',
  float64: '<f8',
};

/** Halve an image: mean of each 2x2 block (integers rounded), or its top-left pixel for labels. */
export function downsample2(image: Image, nearest: boolean): Image {
  const w = Math.ceil(image.width / 2);
  const h = Math.ceil(image.height / 2);
  const out = allocate(image.dtype, w * h * image.channels);
  const isFloat = image.dtype === 'float32' || image.dtype === 'float64';
  const src = image.data;
  const W = image.width;
  const H = image.height;
  for (let c = 0; c < image.channels; c++) {
    const base = c * W * H;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = c * w * h + y * w + x;
        if (nearest) {
          out[o] = src[base + 2 * y * W + 2 * x]!;
          continue;
        }
        let sum = 0;
        let n = 0;
        for (let dy = 0; dy < 2 && 2 * y + dy < H; dy++) {
          for (let dx = 0; dx < 2 && 2 * x + dx < W; dx++) {
            sum += src[base + (2 * y + dy) * W + 2 * x + dx]!;
            n++;
          }
        }
        out[o] = isFloat ? sum / n : Math.round(sum / n);
      }
    }
  }
  const pixelSize = image.pixelSize && {
    ...image.pixelSize,
    x: image.pixelSize.x * 2,
    y: image.pixelSize.y * 2,
  };
  return { ...image, width: w, height: h, data: out, pixelSize };
}

function pyramid(image: Image, levels: number, nearest: boolean): Image[] {
  const out = [image];
  for (let i = 1; i < levels; i++) out.push(downsample2(out[i - 1]!, nearest));
  return out;
}

function multiscales(image: Image, levels: Image[], name: string, version: string | undefined) {
  const size = image.pixelSize;
  const unit = size ? unitName(size.unit) : undefined;
  const space = (axis: string) => ({ name: axis, type: 'space', ...(unit ? { unit } : {}) });
  return {
    ...(version ? { version } : {}),
    name,
    axes: [{ name: 'c', type: 'channel' }, space('y'), space('x')],
    datasets: levels.map((_, i) => ({
      path: String(i),
      coordinateTransformations: [
        { type: 'scale', scale: [1, (size?.y ?? 1) * 2 ** i, (size?.x ?? 1) * 2 ** i] },
      ],
    })),
  };
}

/** Write `image` (and optional label images) as an OME-Zarr directory at `path`. */
export async function writeOmeZarr(
  path: string,
  image: Image,
  options: WriteOmeZarrOptions = {},
): Promise<void> {
  const version = options.version ?? '0.4';
  const levels = options.levels ?? 1;
  const chunkSize = options.chunkSize ?? 256;
  if (!Number.isInteger(levels) || levels < 1)
    throw new RangeError(`levels must be a positive integer, got ${levels}`);
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  }
  const labels = options.labels ?? {};
  for (const [name, label] of Object.entries(labels)) {
    if (label.width !== image.width || label.height !== image.height) {
      throw new ImageFileError(
        path,
        `label '${name}' is ${label.width} x ${label.height} but the image is ${image.width} x ${image.height}`,
      );
    }
    if (!/^[\w.-]+$/.test(name))
      throw new ImageFileError(path, `label name '${name}' must be a plain file name`);
  }
  await prepareDirectory(path, options.overwrite ?? false);
  const writer =
    version === '0.4' ? new V2Writer(options.compression ?? 'zlib') : new V3Writer(path, options);
  const name = options.name ?? 'image';
  const omero = {
    channels: Array.from({ length: image.channels }, (_, c) => ({
      label: image.channelNames?.[c] ?? `C${c}`,
    })),
  };
  const write = async (dir: string, img: Image, attrs: Record<string, unknown>, nearest: boolean) => {
    const levelImages = pyramid(img, levels, nearest);
    const ms = multiscales(img, levelImages, name, version === '0.4' ? '0.4' : undefined);
    await writer.group(path, dir, { multiscales: [ms], ...attrs });
    for (let i = 0; i < levelImages.length; i++) {
      await writer.array(path, dir ? `${dir}/${i}` : String(i), levelImages[i]!, chunkSize);
    }
  };
  await write('', image, { omero }, false);
  const labelNames = Object.keys(labels);
  if (labelNames.length > 0) {
    await writer.group(path, 'labels', { labels: labelNames });
    for (const labelName of labelNames) {
      const imageLabel = { ...(version === '0.4' ? { version } : {}), source: { image: '../../' } };
      await write(`labels/${labelName}`, labels[labelName]!, { 'image-label': imageLabel }, true);
    }
  }
}

async function prepareDirectory(path: string, overwrite: boolean): Promise<void> {
  let entries: string[] = [];
  try {
    entries = await readdir(path);
  } catch {
    // absent: created below
  }
  if (entries.length > 0) {
    if (!overwrite)
      throw new ImageFileError(path, 'directory exists and is not empty; pass overwrite: true to replace it');
    await rm(path, { recursive: true, force: true });
  }
  await mkdir(path, { recursive: true });
}

interface Writer {
  group(root: string, dir: string, attrs: Record<string, unknown>): Promise<void>;
  array(root: string, dir: string, image: Image, chunkSize: number): Promise<void>;
}

/** Zarr v2: `.zgroup`/`.zattrs`/`.zarray` JSON and one file per chunk (`c/y/x` keys, full-size edge chunks). */
class V2Writer implements Writer {
  constructor(private readonly compression: 'zlib' | 'none') {}

  async group(root: string, dir: string, attrs: Record<string, unknown>): Promise<void> {
    const at = join(root, dir);
    await mkdir(at, { recursive: true });
    await writeFile(join(at, '.zgroup'), JSON.stringify({ zarr_format: 2 }));
    await writeFile(join(at, '.zattrs'), JSON.stringify(attrs, null, 1));
  }

  async array(root: string, dir: string, image: Image, chunkSize: number): Promise<void> {
    const at = join(root, dir);
    const { width: w, height: h, channels: c } = image;
    const cw = Math.min(chunkSize, w);
    const ch = Math.min(chunkSize, h);
    await mkdir(at, { recursive: true });
    await writeFile(
      join(at, '.zarray'),
      JSON.stringify({
        zarr_format: 2,
        shape: [c, h, w],
        chunks: [1, ch, cw],
        dtype: ZARR_V2_DTYPE[image.dtype],
        compressor: this.compression === 'zlib' ? { id: 'zlib', level: 1 } : null,
        fill_value: 0,
        order: 'C',
        filters: null,
        dimension_separator: '/',
      }),
    );
    const block = allocate(image.dtype, cw * ch);
    for (let k = 0; k < c; k++) {
      for (let by = 0; by < Math.ceil(h / ch); by++) {
        await mkdir(join(at, String(k), String(by)), { recursive: true });
        for (let bx = 0; bx < Math.ceil(w / cw); bx++) {
          block.fill(0);
          const rows = Math.min(ch, h - by * ch);
          const cols = Math.min(cw, w - bx * cw);
          for (let r = 0; r < rows; r++) {
            const start = k * w * h + (by * ch + r) * w + bx * cw;
            (block as Float64Array).set(image.data.subarray(start, start + cols) as Float64Array, r * cw);
          }
          let bytes = new Uint8Array(block.buffer, block.byteOffset, block.byteLength);
          if (this.compression === 'zlib') bytes = deflateSync(bytes, { level: 1 });
          await writeFile(join(at, String(k), String(by), String(bx)), bytes);
        }
      }
    }
  }
}

/** Zarr v3 through zarrita: group attributes under `ome`, arrays with bytes + zstd codecs. */
class V3Writer implements Writer {
  private readonly store: FileSystemStore;

  constructor(
    root: string,
    private readonly options: WriteOmeZarrOptions,
  ) {
    this.store = new FileSystemStore(root);
  }

  async group(_root: string, dir: string, attrs: Record<string, unknown>): Promise<void> {
    const location = dir ? zarr.root(this.store).resolve(dir) : zarr.root(this.store);
    await zarr.create(location, { attributes: { ome: { version: '0.5', ...attrs } } });
  }

  async array(_root: string, dir: string, image: Image, chunkSize: number): Promise<void> {
    const { width: w, height: h, channels: c } = image;
    const codecs = [
      { name: 'bytes', configuration: { endian: 'little' } },
      ...(this.options.compression === 'none'
        ? []
        : [{ name: 'zstd', configuration: { level: 1, checksum: false } }]),
    ];
    const arr = await zarr.create(zarr.root(this.store).resolve(dir), {
      shape: [c, h, w],
      chunkShape: [1, Math.min(chunkSize, h), Math.min(chunkSize, w)],
      dtype: image.dtype,
      codecs,
      fillValue: 0,
      dimensionNames: ['c', 'y', 'x'],
    });
    await zarr.set(arr, null, { data: image.data, shape: [c, h, w], stride: [w * h, w, 1] } as never);
  }
}
