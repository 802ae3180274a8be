// OME-TIFF planes to images: picks the IFDs of one OME Image (series) by (c, z, t) from the OME-XML mapping
// (ome_xml.ts) and attaches channel names, physical pixel size and significant bits.
import { type Image, stackChannels } from '../image/image.ts';
import { colourToGrey } from './colour.ts';
import { ImageFileError } from './errors.ts';
import type { OmeImage, OmeMetadata } from './ome_xml.ts';
import { planeKey } from './ome_xml.ts';
import { decodeTiffPage, type TiffRegion, tiffPageInfo } from './tiff.ts';
import type { TiffHeader } from './tiff_ifd.ts';

export interface OmePlaneOptions {
  /** @default 0 */
  series?: number | undefined;
  /** Channel index or name. @default undefined (all channels) */
  channel?: number | string | undefined;
  /** @default 0 */
  z?: number | undefined;
  /** @default 0 */
  t?: number | undefined;
  /** @default 'grey' */
  color?: 'grey' | 'all' | undefined;
  /** Rectangle of the plane to read. @default the whole plane */
  region?: TiffRegion | undefined;
}

function checkIndex(name: string, what: string, value: number, size: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= size) {
    throw new ImageFileError(name, `${what} ${value} is out of range: the OME image has ${size}`);
  }
}

/** The channel index named by `channel` (index or name). */
export function omeChannelIndex(image: OmeImage, channel: number | string, name: string): number {
  if (typeof channel === 'number') {
    checkIndex(name, 'channel', channel, image.sizeC);
    return channel;
  }
  const index = image.channelNames.indexOf(channel);
  if (index < 0) {
    throw new ImageFileError(
      name,
      `no channel named '${channel}'; channels: ${image.channelNames.map((n, i) => n ?? `#${i}`).join(', ')}`,
    );
  }
  return index;
}

/** Decode one or all channels of plane (z, t) of an OME-TIFF. */
export function decodeOmeTiff(
  bytes: Uint8Array,
  header: TiffHeader,
  ome: OmeMetadata,
  name: string,
  options: OmePlaneOptions = {},
): Image {
  const series = options.series ?? 0;
  const image = ome.images[series];
  if (!image)
    throw new ImageFileError(name, `series ${series} does not exist: ${ome.images.length} OME image(s)`);
  const z = options.z ?? 0;
  const t = options.t ?? 0;
  checkIndex(name, 'z', z, image.sizeZ);
  checkIndex(name, 't', t, image.sizeT);
  const channels =
    options.channel === undefined
      ? Array.from({ length: image.sizeC }, (_, c) => c)
      : [omeChannelIndex(image, options.channel, name)];
  const planes = channels.map((c) => {
    const ifd = image.planes.get(planeKey(c, z, t));
    if (ifd === undefined) {
      throw new ImageFileError(name, `OME-XML maps no IFD in this file to plane c=${c} z=${z} t=${t}`);
    }
    const info = tiffPageInfo(header, ifd, name);
    if (info.width !== image.sizeX || info.height !== image.sizeY) {
      throw new ImageFileError(
        name,
        `IFD ${ifd} is ${info.width} x ${info.height} but OME-XML says ${image.sizeX} x ${image.sizeY}`,
      );
    }
    const plane = decodeTiffPage(bytes, header, ifd, name, false, options.region);
    return plane.channels > 1 && options.color !== 'all' && info.photometric === 2
      ? colourToGrey(plane, 3)
      : plane;
  });
  const stacked = planes.length === 1 ? planes[0]! : stackChannels(planes);
  const names = channels.map((c) => image.channelNames[c] ?? `C${c}`);
  const size = image.physicalSize;
  const bits = image.significantBits;
  return {
    ...stacked,
    ...(stacked.channels === names.length ? { channelNames: names } : {}),
    ...(size ? { pixelSize: { x: size.x, y: size.y, unit: size.unit } } : {}),
    ...(bits && bits < 8 * stacked.data.BYTES_PER_ELEMENT && stacked.dtype !== 'float32'
      ? { bitDepth: bits }
      : {}),
  };
}
