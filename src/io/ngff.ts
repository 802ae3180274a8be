// OME-NGFF metadata schemas (multiscales, omero channels, image-label, labels, plate, well) for versions 0.4
// (Zarr v2 `.zattrs`) and 0.5 (Zarr v3 `zarr.json` attributes under "ome"). Spec:
// https://ngff.openmicroscopy.org/0.4/ and https://ngff.openmicroscopy.org/0.5/. Parsed with zod so that a
// malformed store fails naming the field and value, never through a cast.
import { z } from 'zod';
import { ImageFileError } from './errors.ts';

const Axis = z.object({
  name: z.string(),
  type: z.string().optional(),
  unit: z.string().optional(),
});

const Transform = z.union([
  z.object({ type: z.literal('scale'), scale: z.array(z.number()) }),
  z.object({ type: z.literal('translation'), translation: z.array(z.number()) }),
  z.object({ type: z.literal('identity') }),
  z.object({ type: z.string() }).passthrough(),
]);

const Dataset = z.object({
  path: z.string().min(1),
  coordinateTransformations: z.array(Transform).optional(),
});

export const MultiscaleSchema = z.object({
  version: z.string().optional(),
  name: z.string().optional(),
  axes: z.array(Axis).min(2).max(5),
  datasets: z.array(Dataset).min(1),
  coordinateTransformations: z.array(Transform).optional(),
});

const OmeroSchema = z.object({
  channels: z.array(z.object({ label: z.string().optional(), color: z.string().optional() }).passthrough()),
});

export const ImageAttrsSchema = z.object({
  multiscales: z.array(MultiscaleSchema).min(1),
  omero: OmeroSchema.optional(),
  'image-label': z.object({}).passthrough().optional(),
});

export const LabelsAttrsSchema = z.object({ labels: z.array(z.string()) });

export const PlateAttrsSchema = z.object({
  plate: z.object({
    version: z.string().optional(),
    name: z.string().optional(),
    field_count: z.number().int().positive().optional(),
    rows: z.array(z.object({ name: z.string() })).min(1),
    columns: z.array(z.object({ name: z.string() })).min(1),
    wells: z.array(
      z.object({
        path: z.string(),
        rowIndex: z.number().int().nonnegative(),
        columnIndex: z.number().int().nonnegative(),
      }),
    ),
    acquisitions: z.array(z.object({ id: z.number().int() }).passthrough()).optional(),
  }),
});

export const WellAttrsSchema = z.object({
  well: z.object({
    version: z.string().optional(),
    images: z.array(z.object({ path: z.string(), acquisition: z.number().int().optional() })),
  }),
});

export type Multiscale = z.infer<typeof MultiscaleSchema>;
export type ImageAttrs = z.infer<typeof ImageAttrsSchema>;

/**
 * The NGFF attributes of a group: v0.5 keeps them under `ome` (with the version there), v0.4 at the top.
 * Returns the attribute object and the version found.
 */
export function ngffAttributes(attrs: Record<string, unknown>): {
  attrs: Record<string, unknown>;
  version: string;
} {
  const ome = attrs.ome;
  if (ome && typeof ome === 'object' && !Array.isArray(ome)) {
    const o = ome as Record<string, unknown>;
    return { attrs: o, version: typeof o.version === 'string' ? o.version : '0.5' };
  }
  const ms = attrs.multiscales;
  const v = Array.isArray(ms) ? (ms[0] as { version?: unknown } | undefined)?.version : undefined;
  const pv = (attrs.plate as { version?: unknown } | undefined)?.version;
  const wv = (attrs.well as { version?: unknown } | undefined)?.version;
  const version = [v, pv, wv].find((x): x is string => typeof x === 'string') ?? '0.4';
  return { attrs, version };
}

/** Parse `value` with `schema`, throwing an ImageFileError naming the store, field and received value. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, name: string, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const received = issue.path.reduce<unknown>(
    (o, k) =>
      o && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined,
    value,
  );
  throw new ImageFileError(
    name,
    `invalid ${what} metadata at ${issue.path.join('.') || '(root)'}: ${issue.message}` +
      (received !== undefined && typeof received !== 'object' ? ` (got ${JSON.stringify(received)})` : ''),
  );
}

/** Scale factors of one dataset (level), the multiscale-wide transform applied after it. */
export function datasetScale(ms: Multiscale, level: number): number[] {
  const n = ms.axes.length;
  const scale = new Array<number>(n).fill(1);
  const apply = (ts: Multiscale['coordinateTransformations']) => {
    for (const t of ts ?? []) {
      if (t.type === 'scale' && 'scale' in t && Array.isArray(t.scale)) {
        (t.scale as number[]).forEach((s, i) => {
          if (i < n) scale[i]! *= s;
        });
      }
    }
  };
  apply(ms.datasets[level]?.coordinateTransformations);
  apply(ms.coordinateTransformations);
  return scale;
}

const UNIT_SYMBOL: Readonly<Record<string, string>> = {
  micrometer: 'µm',
  nanometer: 'nm',
  millimeter: 'mm',
  meter: 'm',
  centimeter: 'cm',
  angstrom: 'Å',
};

/** NGFF unit name (UDUNITS-2, e.g. 'micrometer') as the short symbol Phenoscope uses ('µm'). */
export function unitSymbol(unit: string | undefined): string {
  if (!unit) return 'µm';
  return UNIT_SYMBOL[unit] ?? unit;
}

/** NGFF unit name for a Phenoscope unit symbol. */
export function unitName(symbol: string): string | undefined {
  return (
    Object.entries(UNIT_SYMBOL).find(([, s]) => s === symbol)?.[0] ??
    (symbol === 'um' ? 'micrometer' : undefined)
  );
}
