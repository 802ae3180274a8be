// Plate/well/site/channel/z/t from image file names, as CellProfiler's Metadata module does with regular
// expressions (named groups), with the naming schemes of the common high-content imagers built in: Molecular
// Devices ImageXpress/MetaXpress, Thermo Cellomics ArrayScan, BBBC014 (Vitra), PerkinElmer Operetta/Harmony and
// Olympus ScanR. Refs: CellProfiler Metadata module docs; Bio-Formats MetamorphReader/CellomicsReader/
// OperettaReader/ScanrReader for the name schemes. Written by hand: it is a table of patterns plus validation.
import { basename, dirname } from 'node:path';
import { parseWell, type Well, wellAt, wellFromIndex } from './geometry.ts';

/** One image file name resolved to its position on the plate. */
export interface ImageFileInfo {
  /** The path as given (a bare name or a path). */
  readonly path: string;
  /** Name of the layout that matched. */
  readonly layout: string;
  /** Plate barcode/name, when the name (or, with `plateFromFolder`, its folder) carries one. */
  readonly plate?: string | undefined;
  /** Canonical well name, e.g. 'A01'. */
  readonly well: string;
  /** Row letters, e.g. 'A'. */
  readonly row: string;
  /** Column, 1-based. */
  readonly column: number;
  /** Site (field) number as written in the name (ImageXpress and Operetta count from 1, Cellomics from 0). */
  readonly site: number;
  /**
   * Channel token as written in the name: 'w1' (ImageXpress), 'd0' (Cellomics), 'ch1' (Operetta), '1' (BBBC014
   * 'Channel 1'), the dye name (ScanR), or whatever a user pattern's `channel` group captured.
   */
  readonly channel: string;
  /** Focal plane, when the name carries one. */
  readonly z?: number | undefined;
  /** Time point, when the name carries one. */
  readonly t?: number | undefined;
}

/** A file-name layout: a regular expression with named groups and the defaults for groups it may lack. */
export interface FileLayout {
  readonly name: string;
  readonly description: string;
  /** An example file name it matches. */
  readonly example: string;
  /**
   * Named groups understood: `plate`, `well` (or `row` + `column`, or `wellIndex` = 1-based row-major number),
   * `site` (or `field`), `channel`, `z`, `t`. CellProfiler names (Plate, Well, WellRow, WellColumn, Site,
   * ChannelNumber, ...) are accepted too.
   */
  readonly pattern: RegExp;
  /** Site when the name has none. @default 1 */
  readonly defaultSite?: number;
  /** Channel when the name has none. @default '1' */
  readonly defaultChannel?: string;
}

const EXT = String.raw`\.(?:tiff?|png|jpe?g)$`;
const UUID = '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}';

/** The built-in layouts, tried in this order by auto-detection. */
export const LAYOUTS: readonly FileLayout[] = [
  {
    name: 'imagexpress',
    description:
      'Molecular Devices ImageXpress/MetaXpress: [Plate_]A01[_s1][_w1][UUID].tif (the UUID suffix as in BBBC021; ' +
      't and z also from TimePoint_<t>/ZStep_<z> folders)',
    example: 'Plate1_A01_s1_w1.tif',
    pattern: new RegExp(
      String.raw`^(?:(?<plate>.+?)_)?(?<well>[A-Za-z]{1,2}\d{2})(?:_s(?<site>\d+))?(?:_(?<channel>w\d+?))?` +
        String.raw`(?:_z(?<z>\d+))?(?:_t(?<t>\d+))?(?:${UUID})?${EXT}`,
      'i',
    ),
    defaultSite: 1,
    defaultChannel: 'w1',
  },
  {
    name: 'cellomics',
    description:
      'Thermo Cellomics ArrayScan: <plate>_<well>f<field>d<channel>.tif, e.g. AS_09125_050116030001_D03f00d0',
    example: 'AS_09125_050116030001_D03f00d0.tif',
    pattern: new RegExp(
      String.raw`^(?<plate>.+)_(?<well>[A-Za-z]{1,2}\d{2})f(?<site>\d+)(?<channel>d\d+)${EXT}`,
      'i',
    ),
  },
  {
    name: 'bbbc014',
    description: 'BBBC014 (Vitra NF-kB translocation): Channel <c>-<index>-<row>-<column>-<field>.tif',
    example: 'Channel 1-01-A-01-00.tif',
    pattern: new RegExp(
      String.raw`^Channel ?(?<channel>\d+)-\d+-(?<row>[A-Za-z]{1,2})-(?<column>\d{1,2})-(?<site>\d+)${EXT}`,
      'i',
    ),
  },
  {
    name: 'operetta',
    description: 'PerkinElmer Operetta/Harmony: r<row>c<col>f<field>p<plane>-ch<c>sk<time>fk<n>fl<n>.tiff',
    example: 'r01c01f01p01-ch1sk1fk1fl1.tiff',
    pattern: new RegExp(
      String.raw`^r(?<row>\d{2})c(?<column>\d{2})f(?<site>\d+)p(?<z>\d+)-(?<channel>ch\d+)(?:sk(?<t>\d+))?` +
        String.raw`(?:fk\d+)?(?:fl\d+)?${EXT}`,
      'i',
    ),
  },
  {
    name: 'scanr',
    description:
      'Olympus ScanR: [<name>]--W<well number>--P<position>--Z<z>--T<t>--<channel>.tif (wells numbered row-major from 1)',
    example: 'A1--W00001--P00001--Z00000--T00000--DAPI.tif',
    pattern: new RegExp(
      String.raw`^(?:[^-]*)--W(?<wellIndex>\d+)--P(?<site>\d+)--Z(?<z>\d+)--T(?<t>\d+)--(?<channel>[^.]+)${EXT}`,
      'i',
    ),
  },
];

/** Names of the built-in layouts. */
export const LAYOUT_NAMES: readonly string[] = LAYOUTS.map((l) => l.name);

const ALIASES: Readonly<Record<string, string>> = {
  plate: 'plate',
  platename: 'plate',
  barcode: 'plate',
  well: 'well',
  wellname: 'well',
  row: 'row',
  wellrow: 'row',
  column: 'column',
  col: 'column',
  wellcol: 'column',
  wellcolumn: 'column',
  wellindex: 'wellIndex',
  site: 'site',
  field: 'site',
  fieldid: 'site',
  position: 'site',
  channel: 'channel',
  channelnumber: 'channel',
  wavelength: 'channel',
  z: 'z',
  plane: 'z',
  zplane: 'z',
  t: 't',
  time: 't',
  timepoint: 't',
};

/** Our group name of a named group (case-insensitive, CellProfiler spellings included), or undefined. */
function canonicalGroup(name: string): string | undefined {
  return ALIASES[name.toLowerCase().replace(/_/g, '')];
}

/**
 * A layout from a user regular expression with named groups. Python-style `(?P<name>...)` (as in CellProfiler
 * pipelines) is accepted. The pattern is searched in the file name (not anchored unless it says so). Throws a
 * TypeError naming the pattern when it does not compile or lacks the groups that locate a well.
 */
export function layoutFromRegex(source: string, name = 'custom'): FileLayout {
  const js = source.replace(/\(\?P</g, '(?<');
  let pattern: RegExp;
  try {
    pattern = new RegExp(js, 'i');
  } catch (error) {
    throw new TypeError(`file-name pattern ${JSON.stringify(source)} is not a valid regular expression`, {
      cause: error,
    });
  }
  const groups = [...js.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]!);
  const known = new Set(groups.map(canonicalGroup).filter((g) => g !== undefined));
  if (!known.has('well') && !(known.has('row') && known.has('column')) && !known.has('wellIndex')) {
    throw new TypeError(
      `file-name pattern ${JSON.stringify(source)} needs a named group 'well', or 'row' and 'column' ` +
        `(found groups: ${groups.join(', ') || 'none'})`,
    );
  }
  return { name, description: `user pattern ${source}`, example: '', pattern };
}

/** A built-in layout by name, or a user regular expression (anything that is not a built-in name). */
export function resolveLayout(nameOrRegex: string): FileLayout {
  const builtIn = LAYOUTS.find((l) => l.name === nameOrRegex.toLowerCase());
  return builtIn ?? layoutFromRegex(nameOrRegex);
}

/** ImageXpress writes thumbnails beside the images (`..._thumb<UUID>.tif`); they are not fields. */
export function isThumbnail(path: string): boolean {
  return /_thumb/i.test(basename(path));
}

/** Extensions of files that are images (everything else in a plate folder is ignored by a scan). */
export function isImageFile(path: string): boolean {
  return /\.(?:tiff?|png|jpe?g|c01|dib)$/i.test(path);
}

export interface ParseFileNameOptions {
  /** Layouts to try, in order (built-in names or user regular expressions). @default all built-in layouts */
  layouts?: readonly (FileLayout | string)[];
  /**
   * Take the plate from the parent folder's name rather than from the file name (BBBC021 keeps one plate per
   * folder, and its names start with an acquisition label that is not the plate). @default false
   */
  plateFromFolder?: boolean;
  /** When set, wells must exist on this plate format (and `wellIndex` groups are numbered on it). @default undefined (ScanR well numbers use 96) */
  plateFormat?: number;
}

function toInt(value: string | undefined, what: string, path: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new RangeError(`${path}: ${what} '${value}' is not a whole number`);
  return Number(value);
}

/** Apply one layout; undefined when the name does not match. Throws when it matches but names an impossible well. */
export function matchLayout(
  path: string,
  layout: FileLayout,
  options: Omit<ParseFileNameOptions, 'layouts'> = {},
): ImageFileInfo | undefined {
  const name = basename(path);
  const m = layout.pattern.exec(name);
  if (!m) return undefined;
  const g: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(m.groups ?? {})) {
    const canonical = canonicalGroup(key);
    if (canonical && value !== undefined) g[canonical] = value;
  }
  let well: Well;
  try {
    if (g.well !== undefined) {
      well = parseWell(g.well, options.plateFormat);
    } else if (g.row !== undefined && g.column !== undefined) {
      const rowIndex = /^\d+$/.test(g.row) ? Number(g.row) - 1 : undefined;
      well =
        rowIndex !== undefined
          ? wellAt(rowIndex, Number(g.column) - 1, options.plateFormat)
          : parseWell(`${g.row}${g.column}`, options.plateFormat);
    } else if (g.wellIndex !== undefined) {
      well = wellFromIndex(Number(g.wellIndex), options.plateFormat ?? 96);
    } else {
      return undefined; // optional well groups that did not participate
    }
  } catch (error) {
    throw new RangeError(`${path}: layout '${layout.name}' found an impossible well`, { cause: error });
  }
  if (layout.name === 'imagexpress') {
    // MetaXpress keeps time points and z-steps in folders: .../TimePoint_2/ZStep_3/Plate_A01_s1_w1.tif
    const folders = dirname(path);
    g.t ??= /(?:^|[\\/])TimePoint_(\d+)(?:[\\/]|$)/i.exec(folders)?.[1];
    g.z ??= /(?:^|[\\/])ZStep_(\d+)(?:[\\/]|$)/i.exec(folders)?.[1];
  }
  const site = toInt(g.site, 'site', path) ?? layout.defaultSite ?? 1;
  const plate = options.plateFromFolder ? folderName(path) : g.plate;
  return {
    path,
    layout: layout.name,
    ...(plate !== undefined && plate !== '' ? { plate } : {}),
    well: well.well,
    row: well.row,
    column: well.column,
    site,
    channel: g.channel ?? layout.defaultChannel ?? '1',
    ...(g.z !== undefined ? { z: toInt(g.z, 'z', path) } : {}),
    ...(g.t !== undefined ? { t: toInt(g.t, 't', path) } : {}),
  };
}

function folderName(path: string): string | undefined {
  const dir = dirname(path);
  if (dir === '.' || dir === '/' || dir === '') return undefined;
  return basename(dir);
}

/** Describe layouts for error messages: `imagexpress (/.../i), cellomics (...)`. */
export function describeLayouts(layouts: readonly FileLayout[]): string {
  return layouts.map((l) => `${l.name} (${l.pattern})`).join(', ');
}

/**
 * Parse one image file name with the first layout that matches. Throws an Error naming the file and every
 * pattern tried when none matches.
 */
export function parseImageFileName(path: string, options: ParseFileNameOptions = {}): ImageFileInfo {
  const layouts = (options.layouts ?? LAYOUTS).map((l) => (typeof l === 'string' ? resolveLayout(l) : l));
  for (const layout of layouts) {
    const info = matchLayout(path, layout, options);
    if (info) return info;
  }
  throw new Error(`file '${basename(path)}' matches no file-name layout; tried ${describeLayouts(layouts)}`);
}

export interface DetectedLayout {
  layout: FileLayout;
  /** Image files (thumbnails excluded) the layout matched. */
  matched: number;
  /** Image files considered. */
  total: number;
}

/**
 * The built-in layout that matches the most image file names (thumbnails and non-images ignored); ties go to
 * the earlier layout in `LAYOUTS`. Throws an Error naming some of the files and the patterns tried when none
 * matches any file.
 */
export function detectLayout(paths: readonly string[], options: Omit<ParseFileNameOptions, 'layouts'> = {}) {
  const images = paths.filter((p) => isImageFile(p) && !isThumbnail(p));
  let best: DetectedLayout | undefined;
  for (const layout of LAYOUTS) {
    let matched = 0;
    for (const p of images) {
      try {
        if (matchLayout(p, layout, options)) matched++;
      } catch {
        // an impossible well does not count as a match for detection
      }
    }
    if (matched > 0 && (!best || matched > best.matched)) best = { layout, matched, total: images.length };
  }
  if (!best) {
    const shown = images
      .slice(0, 3)
      .map((p) => `'${basename(p)}'`)
      .join(', ');
    throw new Error(
      images.length === 0
        ? 'no image files (.tif, .tiff, .png, .jpg) to detect a file-name layout from'
        : `no file-name layout matches any of ${images.length} image file(s) (e.g. ${shown}); tried ${describeLayouts(LAYOUTS)}`,
    );
  }
  return best;
}
