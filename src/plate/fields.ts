// Grouping of image files into fields: one field = every channel (and plane/time point, kept apart) of one
// plate/well/site, as CellProfiler's NamesAndTypes "match by metadata" does. Written by hand: a keyed grouping.
import { basename, dirname } from 'node:path';
import { rowIndexOf } from './geometry.ts';
import type { ImageFileInfo } from './layout.ts';

/** One imaging field: all channels of a plate/well/site (at one z and t when the names carry them). */
export interface PlateField {
  /** Folder of the field's files as given ('.' for bare names); fields in different folders are kept apart. */
  readonly folder: string;
  readonly plate?: string | undefined;
  readonly well: string;
  readonly row: string;
  readonly column: number;
  readonly site: number;
  readonly z?: number | undefined;
  readonly t?: number | undefined;
  /** Channel token -> file path. */
  readonly channels: Readonly<Record<string, string>>;
}

function key(f: ImageFileInfo): string {
  return [dirname(f.path), f.plate ?? '', f.well, f.site, f.z ?? '', f.t ?? ''].join('\u0000');
}

/**
 * Group parsed files into fields: files in the same folder with the same plate, well, site, z and t. Sorted by
 * plate, row, column, site, z, t, folder. Throws an Error naming both files when two files of one folder claim
 * the same channel of the same field.
 */
export function groupFields(files: readonly ImageFileInfo[]): PlateField[] {
  const groups = new Map<string, { first: ImageFileInfo; channels: Record<string, string> }>();
  for (const f of files) {
    const k = key(f);
    let g = groups.get(k);
    if (!g) {
      g = { first: f, channels: {} };
      groups.set(k, g);
    }
    const existing = g.channels[f.channel];
    if (existing !== undefined) {
      throw new Error(
        `'${basename(existing)}' and '${basename(f.path)}' are both channel '${f.channel}' of ` +
          `${f.plate ? `plate ${f.plate} ` : ''}well ${f.well} site ${f.site}`,
      );
    }
    g.channels[f.channel] = f.path;
  }
  const fields: PlateField[] = [...groups.values()].map(({ first: f, channels }) => ({
    folder: dirname(f.path),
    ...(f.plate !== undefined ? { plate: f.plate } : {}),
    well: f.well,
    row: f.row,
    column: f.column,
    site: f.site,
    ...(f.z !== undefined ? { z: f.z } : {}),
    ...(f.t !== undefined ? { t: f.t } : {}),
    channels,
  }));
  return fields.sort(compareFields);
}

/** Order fields by plate, row, column, site, z, t, folder. */
export function compareFields(a: PlateField, b: PlateField): number {
  return (
    (a.plate ?? '').localeCompare(b.plate ?? '') ||
    rowIndexOf(a.row) - rowIndexOf(b.row) ||
    a.column - b.column ||
    a.site - b.site ||
    (a.z ?? 0) - (b.z ?? 0) ||
    (a.t ?? 0) - (b.t ?? 0) ||
    a.folder.localeCompare(b.folder)
  );
}

/** Sorted list of the channel tokens found across fields. */
export function channelsOf(fields: readonly PlateField[]): string[] {
  const set = new Set<string>();
  for (const f of fields) for (const c of Object.keys(f.channels)) set.add(c);
  return [...set].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
