// OME-XML metadata (the ImageDescription of an OME-TIFF): images, sizes, channels, physical pixel size and the
// plane -> IFD mapping of TiffData. Spec: OME Data Model and File Formats 2016-06
// (https://docs.openmicroscopy.org/ome-model/6.3.1/ome-tiff/specification.html). XML parsed by fast-xml-parser,
// then validated with a zod schema so a malformed file fails with the field and value, never a cast.
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { ImageFileError } from './errors.ts';

const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().nonnegative();

const ChannelSchema = z.object({
  ID: z.string().optional(),
  Name: z.coerce.string().optional(),
  SamplesPerPixel: positiveInt.optional(),
  EmissionWavelength: z.coerce.number().optional(),
});

const TiffDataSchema = z.object({
  IFD: nonNegativeInt.optional(),
  FirstC: nonNegativeInt.optional(),
  FirstZ: nonNegativeInt.optional(),
  FirstT: nonNegativeInt.optional(),
  PlaneCount: nonNegativeInt.optional(),
  UUID: z.union([z.string(), z.object({ FileName: z.string().optional() }).passthrough()]).optional(),
});

const PixelsSchema = z.object({
  DimensionOrder: z.enum(['XYZCT', 'XYZTC', 'XYCTZ', 'XYCZT', 'XYTCZ', 'XYTZC']),
  Type: z.enum(['int8', 'int16', 'int32', 'uint8', 'uint16', 'uint32', 'float', 'double', 'bit']),
  SizeX: positiveInt,
  SizeY: positiveInt,
  SizeZ: positiveInt,
  SizeC: positiveInt,
  SizeT: positiveInt,
  PhysicalSizeX: z.coerce.number().positive().optional(),
  PhysicalSizeY: z.coerce.number().positive().optional(),
  PhysicalSizeZ: z.coerce.number().positive().optional(),
  PhysicalSizeXUnit: z.string().optional(),
  PhysicalSizeYUnit: z.string().optional(),
  PhysicalSizeZUnit: z.string().optional(),
  SignificantBits: positiveInt.optional(),
  Channel: z.array(ChannelSchema).optional(),
  TiffData: z.array(TiffDataSchema).optional(),
});

const ImageSchema = z.object({
  ID: z.string().optional(),
  Name: z.coerce.string().optional(),
  Pixels: PixelsSchema,
});

const OmeSchema = z.object({
  OME: z.object({
    Image: z.array(ImageSchema).min(1),
  }),
});

/** One OME Image (a series): sizes, channels and where each (c, z, t) plane lives. */
export interface OmeImage {
  readonly name: string | undefined;
  readonly sizeX: number;
  readonly sizeY: number;
  readonly sizeZ: number;
  readonly sizeC: number;
  readonly sizeT: number;
  readonly dimensionOrder: string;
  /** OME pixel type (uint16, float, ...). */
  readonly type: string;
  readonly channelNames: readonly (string | undefined)[];
  /** Physical pixel size in `unit` (converted to µm when the unit is a known length). */
  readonly physicalSize: { x: number; y: number; z?: number | undefined; unit: string } | undefined;
  readonly significantBits: number | undefined;
  /** IFD index of each plane, keyed `c,z,t`; planes in other files are absent. */
  readonly planes: ReadonlyMap<string, number>;
}

export interface OmeMetadata {
  readonly images: readonly OmeImage[];
}

export function planeKey(c: number, z: number, t: number): string {
  return `${c},${z},${t}`;
}

/** Whether an ImageDescription is OME-XML. */
export function isOmeXml(description: string | undefined): description is string {
  return description !== undefined && /<(\w+:)?OME[\s>]/.test(description.slice(0, 4096));
}

const TO_MICRONS: Readonly<Record<string, number>> = {
  µm: 1,
  um: 1,
  μm: 1, // Greek mu
  nm: 1e-3,
  pm: 1e-6,
  Å: 1e-4,
  mm: 1e3,
  cm: 1e4,
  m: 1e6,
};

function physicalSizeOf(p: z.infer<typeof PixelsSchema>): OmeImage['physicalSize'] {
  if (p.PhysicalSizeX === undefined) return undefined;
  const unit = p.PhysicalSizeXUnit ?? 'µm';
  const f = TO_MICRONS[unit];
  const y = p.PhysicalSizeY ?? p.PhysicalSizeX;
  const zf = TO_MICRONS[p.PhysicalSizeZUnit ?? 'µm'];
  const zSize = p.PhysicalSizeZ !== undefined && zf !== undefined ? p.PhysicalSizeZ * zf : undefined;
  if (f === undefined) return { x: p.PhysicalSizeX, y, z: p.PhysicalSizeZ, unit };
  const yf = TO_MICRONS[p.PhysicalSizeYUnit ?? unit] ?? f;
  return { x: p.PhysicalSizeX * f, y: y * yf, z: zSize, unit: 'µm' };
}

/** Plane index -> (c, z, t) in the given dimension order (the first letter after XY varies fastest). */
function planeCoordinates(order: string, sizes: Record<'Z' | 'C' | 'T', number>, index: number) {
  const coords = { Z: 0, C: 0, T: 0 };
  let rest = index;
  for (const axis of order.slice(2) as Iterable<'Z' | 'C' | 'T'>) {
    coords[axis] = rest % sizes[axis];
    rest = Math.floor(rest / sizes[axis]);
  }
  return coords;
}

function planeIndex(order: string, sizes: Record<'Z' | 'C' | 'T', number>, c: number, z: number, t: number) {
  const coords = { Z: z, C: c, T: t };
  let index = 0;
  let stride = 1;
  for (const axis of order.slice(2) as Iterable<'Z' | 'C' | 'T'>) {
    index += coords[axis] * stride;
    stride *= sizes[axis];
  }
  return index;
}

/** Parse and validate OME-XML; `name` (the file) is used in errors. */
export function parseOmeXml(xml: string, name: string): OmeMetadata {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    removeNSPrefix: true,
    parseAttributeValue: false,
    parseTagValue: false,
    isArray: (tag) => tag === 'Image' || tag === 'Channel' || tag === 'TiffData',
  });
  let raw: unknown;
  try {
    raw = parser.parse(xml);
  } catch (error) {
    throw new ImageFileError(name, `OME-XML is not well-formed XML (${(error as Error).message})`, {
      cause: error,
    });
  }
  const parsed = OmeSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const received = issue.path.reduce<unknown>(
      (o, k) =>
        o && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined,
      raw,
    );
    throw new ImageFileError(
      name,
      `invalid OME-XML at ${issue.path.join('.') || '(root)'}: ${issue.message}` +
        (received !== undefined && typeof received !== 'object' ? ` (got ${JSON.stringify(received)})` : ''),
    );
  }
  let ifdBase = 0; // images without TiffData follow each other in IFD order
  const images = parsed.data.OME.Image.map((img): OmeImage => {
    const p = img.Pixels;
    const sizes = { Z: p.SizeZ, C: p.SizeC, T: p.SizeT };
    const count = p.SizeZ * p.SizeC * p.SizeT;
    const planes = new Map<string, number>();
    const add = (index: number, ifd: number) => {
      const { C, Z, T } = planeCoordinates(p.DimensionOrder, sizes, index);
      planes.set(planeKey(C, Z, T), ifd);
    };
    const tiffData = p.TiffData ?? [];
    if (tiffData.length === 0) {
      for (let i = 0; i < count; i++) add(i, ifdBase + i);
      ifdBase += count;
    }
    for (const td of tiffData) {
      const uuid = td.UUID;
      const fileName = typeof uuid === 'object' ? uuid.FileName : undefined;
      if (fileName && !name.endsWith(fileName)) continue; // plane stored in another file of a multi-file set
      const first = planeIndex(p.DimensionOrder, sizes, td.FirstC ?? 0, td.FirstZ ?? 0, td.FirstT ?? 0);
      const ifd = td.IFD ?? 0;
      const n = td.PlaneCount ?? (td.IFD === undefined && tiffData.length === 1 ? count : 1);
      for (let k = 0; k < n && first + k < count; k++) add(first + k, ifd + k);
    }
    const channels = p.Channel ?? [];
    return {
      name: img.Name,
      sizeX: p.SizeX,
      sizeY: p.SizeY,
      sizeZ: p.SizeZ,
      sizeC: p.SizeC,
      sizeT: p.SizeT,
      dimensionOrder: p.DimensionOrder,
      type: p.Type,
      channelNames: Array.from({ length: p.SizeC }, (_, c) => channels[c]?.Name),
      physicalSize: physicalSizeOf(p),
      significantBits: p.SignificantBits,
      planes,
    };
  });
  return { images };
}

const OME_TYPE: Readonly<Record<string, string>> = {
  uint8: 'uint8',
  uint16: 'uint16',
  uint32: 'uint32',
  int32: 'int32',
  float32: 'float',
  float64: 'double',
};

function xmlAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * OME-XML for an image written as one IFD per channel (z = t = 1): channel names, pixel type, physical size.
 * `unit` must be a length unit OME knows (µm, nm, mm, ...).
 */
export function omeXmlFor(image: {
  width: number;
  height: number;
  channels: number;
  dtype: string;
  channelNames?: readonly string[] | undefined;
  pixelSize?: { x: number; y: number; unit: string } | undefined;
  name?: string | undefined;
}): string {
  const type = OME_TYPE[image.dtype];
  if (!type) throw new TypeError(`OME-XML has no pixel type for ${image.dtype}`);
  const size = image.pixelSize;
  const physical =
    size && TO_MICRONS[size.unit] !== undefined
      ? ` PhysicalSizeX="${size.x}" PhysicalSizeXUnit="${xmlAttr(size.unit)}"` +
        ` PhysicalSizeY="${size.y}" PhysicalSizeYUnit="${xmlAttr(size.unit)}"`
      : '';
  const channels = Array.from({ length: image.channels }, (_, c) => {
    const name = image.channelNames?.[c];
    return `<Channel ID="Channel:0:${c}"${name !== undefined ? ` Name="${xmlAttr(name)}"` : ''} SamplesPerPixel="1"/>`;
  }).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    'xsi:schemaLocation="http://www.openmicroscopy.org/Schemas/OME/2016-06 ' +
    'http://www.openmicroscopy.org/Schemas/OME/2016-06/ome.xsd" Creator="phenoscope">' +
    `<Image ID="Image:0" Name="${xmlAttr(image.name ?? 'image')}">` +
    `<Pixels ID="Pixels:0" DimensionOrder="XYCZT" Type="${type}" SizeX="${image.width}" SizeY="${image.height}" ` +
    `SizeC="${image.channels}" SizeZ="1" SizeT="1"${physical}>` +
    channels +
    `<TiffData IFD="0" PlaneCount="${image.channels}"/>` +
    '</Pixels></Image></OME>'
  );
}
