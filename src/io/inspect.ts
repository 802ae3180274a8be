// A summary of an image file or OME-Zarr store for people (the `phenoscope inspect` command) and for checks
// before a run: format, size, pixel type, channels, planes, pixel size, min/max.
import { type DType, type Image, minMax } from '../image/image.ts';
import { wrapFileError } from './errors.ts';
import { parseImageJ } from './imagej.ts';
import { decodeImage, loadBytes } from './index.ts';
import { isOmeXml, parseOmeXml } from './ome_xml.ts';
import {
  inspectOmeZarr,
  isOmeZarrPlate,
  isZarrDirectory,
  readOmeZarr,
  readOmeZarrPlate,
} from './ome_zarr.ts';
import { isPng } from './png.ts';
import { TIFF_COMPRESSIONS, tiffPageInfo } from './tiff.ts';
import { parseTiff } from './tiff_ifd.ts';

export interface ImageSummary {
  path: string;
  format: 'TIFF' | 'OME-TIFF' | 'PNG' | 'OME-Zarr' | 'OME-Zarr plate';
  /** Size of the first plane (level 0 for OME-Zarr); 0 for plates. */
  width: number;
  height: number;
  /** Pixel type as read (int16 files read as int32). */
  dtype: DType | undefined;
  /** Channels read by default (TIFF samples per pixel, OME SizeC, PNG stored channels). */
  channels: number;
  /** TIFF pages (IFDs). */
  pages?: number | undefined;
  /** OME z and t sizes. */
  sizeZ?: number | undefined;
  sizeT?: number | undefined;
  /** OME-NGFF version of an OME-Zarr store. */
  version?: string | undefined;
  /** TIFF compression of the first page, PNG bit depth. */
  compression?: string | undefined;
  bitDepth?: number | undefined;
  channelNames?: readonly string[] | undefined;
  pixelSize?: Image['pixelSize'];
  /** OME-Zarr: shape of every level, and label images. */
  levels?: readonly (readonly number[])[] | undefined;
  labels?: readonly string[] | undefined;
  /** OME-Zarr plate: wells and their fields. */
  wells?: readonly { path: string; fields: readonly string[] }[] | undefined;
  /** Over every channel of the plane read by default (absent with `stats: false`). */
  min?: number | undefined;
  max?: number | undefined;
}

export interface InspectOptions {
  /** Decode pixels to report min and max (the first plane, or OME-Zarr level 0). @default true */
  stats?: boolean;
}

/** Summarise an image file (TIFF, OME-TIFF, PNG) or an OME-Zarr image or plate directory. */
export async function inspectImage(path: string, options: InspectOptions = {}): Promise<ImageSummary> {
  const stats = options.stats ?? true;
  try {
    if (await isZarrDirectory(path)) {
      if (await isOmeZarrPlate(path)) {
        const plate = await readOmeZarrPlate(path);
        return {
          path,
          format: 'OME-Zarr plate',
          width: 0,
          height: 0,
          dtype: undefined,
          channels: 0,
          wells: plate.wells.map((w) => ({ path: w.path, fields: w.fields })),
        };
      }
      const info = await inspectOmeZarr(path);
      const level0 = info.levels[0] ?? [];
      const axis = (name: string) => level0[info.axes.indexOf(name)];
      const image = stats ? await readOmeZarr(path) : undefined;
      return {
        path,
        format: 'OME-Zarr',
        width: axis('x') ?? 0,
        height: axis('y') ?? 0,
        dtype: image?.dtype ?? (info.zarrDtype as DType),
        channels: axis('c') ?? 1,
        sizeZ: axis('z'),
        sizeT: axis('t'),
        version: info.version,
        channelNames: info.channelNames,
        pixelSize: info.pixelSize,
        levels: info.levels,
        labels: info.labels,
        ...(image ? minMax(image) : {}),
      };
    }
    const bytes = await loadBytes(path);
    const image = stats || isPng(bytes) ? decodeImage(bytes, path, { color: 'all' }) : undefined;
    if (isPng(bytes)) {
      const depth = bytes[24];
      return {
        path,
        format: 'PNG',
        width: image!.width,
        height: image!.height,
        dtype: image!.dtype,
        channels: image!.channels,
        bitDepth: depth,
        pixelSize: image!.pixelSize,
        ...(stats ? minMax(image!) : {}),
      };
    }
    const header = parseTiff(bytes, path);
    const first = tiffPageInfo(header, 0, path);
    const compression = TIFF_COMPRESSIONS[first.compression] ?? String(first.compression);
    const summary: ImageSummary = {
      path,
      format: 'TIFF',
      width: first.width,
      height: first.height,
      dtype: first.dtype,
      channels: first.samplesPerPixel,
      pages: header.ifds.length,
      compression,
      bitDepth: first.bitsPerSample,
      pixelSize: image?.pixelSize ?? first.pixelSize,
      ...(image ? minMax(image) : {}),
    };
    const stack = parseImageJ(first.description);
    if (stack && stack.channels * stack.slices * stack.frames > 1) {
      return {
        ...summary,
        channels: stack.channels,
        sizeZ: stack.slices,
        sizeT: stack.frames,
        ...(image ? minMax(image) : {}),
      };
    }
    if (isOmeXml(first.description)) {
      const ome = parseOmeXml(first.description, path).images[0];
      if (ome) {
        return {
          ...summary,
          format: 'OME-TIFF',
          channels: ome.sizeC,
          sizeZ: ome.sizeZ,
          sizeT: ome.sizeT,
          channelNames: image?.channelNames ?? ome.channelNames.map((n, c) => n ?? `C${c}`),
          pixelSize: image?.pixelSize ?? ome.physicalSize,
        };
      }
    }
    return summary;
  } catch (error) {
    throw wrapFileError(path, error);
  }
}
