// OME-Zarr reading (OME-NGFF 0.4 on Zarr v2, 0.5 on Zarr v3) through zarrita: pick a multiscale level, a region
// and a channel / z / t; list label images and HCS plate wells. This file is glue: zarrita does the chunk
// indexing and codecs, ngff.ts the metadata schemas.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import FileSystemStore from '@zarrita/storage/fs';
import * as zarr from 'zarrita';
import { checkDimensions, type DType, fromData, type Image, type PixelSize } from '../image/image.ts';
import { ImageFileError } from './errors.ts';
import {
  datasetScale,
  ImageAttrsSchema,
  LabelsAttrsSchema,
  type Multiscale,
  ngffAttributes,
  PlateAttrsSchema,
  parseWith,
  unitSymbol,
  WellAttrsSchema,
} from './ngff.ts';

/** A rectangle of pixels at the chosen level. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ReadOmeZarrOptions {
  /** Multiscale level (0 = full resolution). @default 0 */
  level?: number | undefined;
  /** Rectangle to read at that level. @default the whole plane */
  region?: Region | undefined;
  /** One channel by index or name; by default every channel. @default undefined */
  channel?: number | string | undefined;
  /** @default 0 */
  z?: number | undefined;
  /** @default 0 */
  t?: number | undefined;
  /** Read the label image of this name (under `labels/`) instead of the image. @default undefined */
  label?: string | undefined;
}

type Store = FileSystemStore | zarr.FetchStore;

/** Whether `path` is an http(s) URL (read through zarrita's FetchStore). */
export function isUrl(path: string): boolean {
  return /^https?:\/\//i.test(path);
}

/** A zarrita store for a local directory or an http(s) URL. */
function storeFor(path: string): Store {
  return isUrl(path) ? new zarr.FetchStore(path.replace(/\/+$/, '')) : new FileSystemStore(path);
}

/**
 * Whether `path` is a directory (or an http(s) URL) holding Zarr group metadata (v2 `.zgroup`/`.zattrs` or v3
 * `zarr.json`).
 */
export async function isZarrDirectory(path: string): Promise<boolean> {
  if (isUrl(path)) {
    const store = storeFor(path);
    for (const key of ['/zarr.json', '/.zattrs', '/.zgroup'] as const) {
      try {
        if ((await store.get(key)) !== undefined) return true;
      } catch {
        // not reachable or not a store: not Zarr
      }
    }
    return false;
  }
  // synchronous stats: this runs before every readImage, and two stat calls cost microseconds
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) return false;
  return ['zarr.json', '.zattrs', '.zgroup'].some((name) =>
    statSync(join(path, name), { throwIfNoEntry: false }),
  );
}

async function openGroup(path: string, location: zarr.Location<Store>, what: string) {
  try {
    return await zarr.open(location, { kind: 'group' });
  } catch (error) {
    throw new ImageFileError(
      path,
      `${what}: no Zarr group at ${location.path} (${(error as Error).message})`,
      { cause: error },
    );
  }
}

/** The parsed NGFF attributes of a group: image, plate, well or labels. */
async function groupAttrs(path: string, location: zarr.Location<Store>) {
  const group = await openGroup(path, location, 'not an OME-Zarr store');
  return ngffAttributes(group.attrs as Record<string, unknown>);
}

const DTYPES: Readonly<Record<string, DType>> = {
  uint8: 'uint8',
  uint16: 'uint16',
  uint32: 'uint32',
  int32: 'int32',
  float32: 'float32',
  float64: 'float64',
  int8: 'int32',
  int16: 'int32',
  bool: 'uint8',
};

/** Facts about an OME-Zarr image: axes, levels, type, channels, pixel size, labels. */
export interface OmeZarrInfo {
  version: string;
  name: string | undefined;
  axes: readonly string[];
  /** Shape of every level, in axis order. */
  levels: readonly (readonly number[])[];
  /** Zarr data type of level 0 (e.g. 'uint16'). */
  zarrDtype: string;
  channelNames: readonly string[] | undefined;
  pixelSize: PixelSize | undefined;
  labels: readonly string[];
}

interface Opened {
  version: string;
  multiscale: Multiscale;
  channelNames: string[] | undefined;
  location: zarr.Location<Store>;
}

async function openImage(path: string, label: string | undefined): Promise<Opened> {
  const store = storeFor(path);
  let location = zarr.root(store);
  if (label !== undefined) location = location.resolve(`labels/${label}`);
  const { attrs, version } = await groupAttrs(path, location);
  if ('plate' in attrs) {
    throw new ImageFileError(
      path,
      'is an OME-Zarr HCS plate, not an image: read a field such as A/1/0 inside it',
    );
  }
  if ('well' in attrs) {
    throw new ImageFileError(path, 'is an OME-Zarr well, not an image: read a field such as 0 inside it');
  }
  const what = `OME-NGFF ${version} ${label !== undefined ? `label '${label}'` : 'image'}`;
  const image = parseWith(ImageAttrsSchema, attrs, path, what);
  const multiscale = image.multiscales[0]!;
  const labels = image.omero?.channels.map((c, i) => c.label ?? `C${i}`);
  return { version, multiscale, channelNames: labels, location };
}

function axisIndex(ms: Multiscale, name: string): number {
  return ms.axes.findIndex((a) => a.name === name);
}

function pixelSizeAt(ms: Multiscale, level: number): PixelSize | undefined {
  const xi = axisIndex(ms, 'x');
  const yi = axisIndex(ms, 'y');
  const scale = datasetScale(ms, level);
  const sx = scale[xi];
  const sy = scale[yi];
  if (sx === undefined || sy === undefined) return undefined;
  const transforms = ms.datasets[level]?.coordinateTransformations ?? [];
  if (!transforms.some((t) => t.type === 'scale')) return undefined;
  return { x: sx, y: sy, unit: unitSymbol(ms.axes[xi]?.unit) };
}

async function openLevel(path: string, opened: Opened, level: number) {
  const ms = opened.multiscale;
  const dataset = ms.datasets[level];
  if (!Number.isInteger(level) || !dataset) {
    throw new ImageFileError(
      path,
      `level ${level} does not exist: the image has ${ms.datasets.length} level(s)`,
    );
  }
  try {
    return await zarr.open(opened.location.resolve(dataset.path), { kind: 'array' });
  } catch (error) {
    throw new ImageFileError(
      path,
      `level ${level}: no Zarr array at '${dataset.path}' (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
}

/** Describe an OME-Zarr image without reading pixels. */
export async function inspectOmeZarr(path: string): Promise<OmeZarrInfo> {
  const opened = await openImage(path, undefined);
  const ms = opened.multiscale;
  const levels: number[][] = [];
  let zarrDtype = '';
  for (let level = 0; level < ms.datasets.length; level++) {
    const arr = await openLevel(path, opened, level);
    levels.push(arr.shape);
    if (level === 0) zarrDtype = arr.dtype;
  }
  return {
    version: opened.version,
    name: ms.name,
    axes: ms.axes.map((a) => a.name),
    levels,
    zarrDtype,
    channelNames: opened.channelNames,
    pixelSize: pixelSizeAt(ms, 0),
    labels: await listOmeZarrLabels(path),
  };
}

/** Names of the label images under `labels/` (empty when there are none). */
export async function listOmeZarrLabels(path: string): Promise<string[]> {
  const store = storeFor(path);
  let group: Awaited<ReturnType<typeof zarr.open>>;
  try {
    group = await zarr.open(zarr.root(store).resolve('labels'), { kind: 'group' });
  } catch {
    return [];
  }
  const { attrs } = ngffAttributes(group.attrs as Record<string, unknown>);
  return parseWith(LabelsAttrsSchema, attrs, path, 'OME-NGFF labels').labels;
}

/** Read one level / region / channel / z / t of an OME-Zarr image as a planar `Image`. */
export async function readOmeZarr(path: string, options: ReadOmeZarrOptions = {}): Promise<Image> {
  const opened = await openImage(path, options.label);
  const ms = opened.multiscale;
  const level = options.level ?? 0;
  const arr = await openLevel(path, opened, level);
  const shape = arr.shape;
  if (shape.length !== ms.axes.length) {
    throw new ImageFileError(
      path,
      `level ${level} has ${shape.length} dimensions but the multiscales metadata lists ${ms.axes.length} axes`,
    );
  }
  const dtype = DTYPES[arr.dtype];
  if (!dtype) throw new ImageFileError(path, `Zarr data type '${arr.dtype}' is not supported`);
  const xi = axisIndex(ms, 'x');
  const yi = axisIndex(ms, 'y');
  if (xi < 0 || yi < 0) {
    throw new ImageFileError(path, `axes ${ms.axes.map((a) => a.name).join(', ')} have no 'x' and 'y'`);
  }
  const ci = axisIndex(ms, 'c');
  const width = shape[xi]!;
  const height = shape[yi]!;
  const region = options.region ?? { x: 0, y: 0, width, height };
  const { x, y } = region;
  if (
    ![x, y, region.width, region.height].every(Number.isInteger) ||
    x < 0 ||
    y < 0 ||
    region.width < 1 ||
    region.height < 1 ||
    x + region.width > width ||
    y + region.height > height
  ) {
    throw new ImageFileError(
      path,
      `region (${x}, ${y}, ${region.width} x ${region.height}) is outside level ${level} (${width} x ${height})`,
    );
  }
  let channel: number | null = null;
  if (options.channel !== undefined) {
    if (ci < 0)
      throw new ImageFileError(path, `the image has no channel axis; got channel ${options.channel}`);
    if (typeof options.channel === 'string') {
      channel = opened.channelNames?.indexOf(options.channel) ?? -1;
      if (channel < 0) {
        throw new ImageFileError(
          path,
          `no channel named '${options.channel}'; channels: ${opened.channelNames?.join(', ') ?? '(unnamed)'}`,
        );
      }
    } else channel = options.channel;
  }
  const wanted: Record<string, number | undefined> = { z: options.z, t: options.t };
  const selection = ms.axes.map((axis, i) => {
    if (i === xi) return zarr.slice(x, x + region.width);
    if (i === yi) return zarr.slice(y, y + region.height);
    if (i === ci && channel === null) return null;
    const index = i === ci ? channel! : (wanted[axis.name] ?? 0);
    if (!Number.isInteger(index) || index < 0 || index >= shape[i]!) {
      throw new ImageFileError(path, `${axis.name} ${index} is out of range: the image has ${shape[i]}`);
    }
    return index;
  });
  const channels = ci >= 0 && channel === null ? shape[ci]! : 1;
  try {
    checkDimensions(region.width, region.height, channels, `level ${level}`);
  } catch (error) {
    throw new ImageFileError(path, (error as Error).message, { cause: error });
  }
  let chunk: { data: ArrayLike<number>; shape: number[]; stride: number[] };
  try {
    chunk = (await zarr.get(arr, selection)) as unknown as typeof chunk;
  } catch (error) {
    throw new ImageFileError(path, `reading level ${level}: ${(error as Error).message}`, { cause: error });
  }
  // axes kept in the result, in order; strides tell where each sits in chunk.data
  const kept = ms.axes
    .map((_, i) => i)
    .filter((i) => selection[i] === null || typeof selection[i] === 'object');
  const strideOf = (axis: number) => (kept.includes(axis) ? chunk.stride[kept.indexOf(axis)]! : 0);
  const sc = ci >= 0 && channel === null ? strideOf(ci) : 0;
  const sy = strideOf(yi);
  const sx = strideOf(xi);
  const out = allocateFor(dtype, region.width * region.height * channels);
  const w = region.width;
  const h = region.height;
  const src = chunk.data;
  const contiguous = sx === 1 && sy === w && (channels === 1 || sc === w * h);
  if (contiguous && src.length === out.length && dtype === arr.dtype) {
    (out as Float64Array).set(src as Float64Array);
  } else {
    let o = 0;
    for (let c = 0; c < channels; c++) {
      for (let r = 0; r < h; r++) {
        const base = c * sc + r * sy;
        for (let q = 0; q < w; q++) out[o++] = Number(src[base + q * sx]);
      }
    }
  }
  const names =
    opened.channelNames && ci >= 0 && opened.channelNames.length === shape[ci]
      ? channel === null
        ? opened.channelNames
        : [opened.channelNames[channel]!]
      : undefined;
  return fromData(out, w, h, { channels, pixelSize: pixelSizeAt(ms, level), channelNames: names });
}

function allocateFor(dtype: DType, n: number) {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(n);
    case 'uint16':
      return new Uint16Array(n);
    case 'uint32':
      return new Uint32Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'float32':
      return new Float32Array(n);
    default:
      return new Float64Array(n);
  }
}

/** An OME-NGFF HCS plate: its wells and the fields (image paths) in each. */
export interface OmeZarrPlate {
  version: string;
  name: string | undefined;
  rows: readonly string[];
  columns: readonly string[];
  wells: readonly {
    /** Path of the well group inside the plate, e.g. 'A/1'. */
    path: string;
    row: string;
    column: string;
    /** Paths of the field images inside the plate, e.g. 'A/1/0'. */
    fields: readonly string[];
  }[];
}

/** Whether `path` is an OME-Zarr HCS plate. */
export async function isOmeZarrPlate(path: string): Promise<boolean> {
  try {
    const { attrs } = await groupAttrs(path, zarr.root(storeFor(path)));
    return 'plate' in attrs;
  } catch {
    return false;
  }
}

/** Read an HCS plate's layout: rows, columns, wells and each well's fields. */
export async function readOmeZarrPlate(path: string): Promise<OmeZarrPlate> {
  const rootLocation = zarr.root(storeFor(path));
  const { attrs, version } = await groupAttrs(path, rootLocation);
  if (!('plate' in attrs))
    throw new ImageFileError(path, 'is not an OME-Zarr HCS plate (no "plate" metadata)');
  const { plate } = parseWith(PlateAttrsSchema, attrs, path, `OME-NGFF ${version} plate`);
  const rows = plate.rows.map((r) => r.name);
  const columns = plate.columns.map((c) => c.name);
  const wells = [];
  for (const well of plate.wells) {
    const row = rows[well.rowIndex];
    const column = columns[well.columnIndex];
    if (row === undefined || column === undefined) {
      throw new ImageFileError(
        path,
        `plate well '${well.path}' has rowIndex ${well.rowIndex} / columnIndex ${well.columnIndex} outside ` +
          `${rows.length} rows x ${columns.length} columns`,
      );
    }
    const w = await groupAttrs(path, rootLocation.resolve(well.path));
    const parsed = parseWith(WellAttrsSchema, w.attrs, path, `OME-NGFF well '${well.path}'`);
    wells.push({
      path: well.path,
      row,
      column,
      fields: parsed.well.images.map((i) => `${well.path}/${i.path}`),
    });
  }
  return { version, name: plate.name, rows, columns, wells };
}
