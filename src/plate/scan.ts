// Scanning a plate folder: list image files (recursively), resolve each name with a file-name layout (given or
// auto-detected), group them into fields and optionally join a plate map. File-system glue over layout.ts.
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { groupFields, type PlateField } from './fields.ts';
import {
  detectLayout,
  type FileLayout,
  type ImageFileInfo,
  isImageFile,
  isThumbnail,
  LAYOUTS,
  matchLayout,
  resolveLayout,
} from './layout.ts';

export interface ScanPlateOptions {
  /**
   * 'auto' to detect the layout (files it does not match are then tried with the other built-in layouts), a
   * built-in layout name, or a regular expression with named groups. @default 'auto'
   */
  pattern?: string;
  /** Descend into sub-folders. @default true */
  recursive?: boolean;
  /** Take the plate from the parent folder's name rather than the file name. @default false */
  plateFromFolder?: boolean;
  /** When set, wells must exist on this plate format. @default undefined */
  plateFormat?: number;
}

export interface PlateScan {
  readonly root: string;
  /** The layout given, or the one that matched most files. */
  readonly layout: FileLayout;
  /** Files matched per layout name. */
  readonly layoutCounts: Readonly<Record<string, number>>;
  /** Parsed image files (paths relative to `root`), in name order. */
  readonly files: readonly ImageFileInfo[];
  readonly fields: readonly PlateField[];
  /** Image files that match no pattern (relative paths). */
  readonly unmatched: readonly string[];
  /** Thumbnails skipped (relative paths). */
  readonly thumbnails: readonly string[];
}

async function listFiles(root: string, recursive: boolean): Promise<string[]> {
  let entries: string[];
  try {
    entries = (await readdir(root, { recursive, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => relative(root, join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)));
  } catch (error) {
    throw new Error(`cannot list plate folder '${root}'`, { cause: error });
  }
  return entries.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * Scan a folder of plate images. Throws when the folder cannot be read, when no layout matches any file, or
 * when two files claim the same channel of one field; files matching no pattern are listed in `unmatched`.
 */
export async function scanPlate(root: string, options: ScanPlateOptions = {}): Promise<PlateScan> {
  const all = await listFiles(root, options.recursive ?? true);
  const images = all.filter((p) => isImageFile(p));
  const thumbnails = images.filter(isThumbnail);
  const candidates = images.filter((p) => !isThumbnail(p));
  const matchOptions = {
    ...(options.plateFromFolder !== undefined ? { plateFromFolder: options.plateFromFolder } : {}),
    ...(options.plateFormat !== undefined ? { plateFormat: options.plateFormat } : {}),
  };
  const pattern = options.pattern ?? 'auto';
  const layout = pattern === 'auto' ? detectLayout(candidates, matchOptions).layout : resolveLayout(pattern);
  const fallbacks = pattern === 'auto' ? LAYOUTS.filter((l) => l !== layout) : [];
  const files: ImageFileInfo[] = [];
  const unmatched: string[] = [];
  const layoutCounts: Record<string, number> = {};
  for (const p of candidates) {
    let info = matchLayout(p, layout, matchOptions);
    for (const other of fallbacks) {
      if (info) break;
      info = matchLayout(p, other, matchOptions);
    }
    if (info) {
      files.push(info);
      layoutCounts[info.layout] = (layoutCounts[info.layout] ?? 0) + 1;
    } else unmatched.push(p);
  }
  return { root, layout, layoutCounts, files, fields: groupFields(files), unmatched, thumbnails };
}
