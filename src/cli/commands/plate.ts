// `phenoscope plate scan DIR` and `phenoscope plate layouts`: resolve the plate/well/site/channel of every image
// file in a folder from its name (src/plate) and optionally join a plate map. Thin: parse, call, print.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UserError } from '../errors.ts';

interface ScanCliOptions {
  pattern: string;
  platemap?: string;
  plateFormat?: string;
  plateFromFolder?: boolean;
  recursive: boolean;
  out?: string;
}

export function register(program: Command): void {
  const plate = program
    .command('plate')
    .description('plate layouts: find plate/well/site/channel in image file names, join a plate map');
  plate
    .command('layouts')
    .description('list the built-in file-name layouts with an example name each')
    .action(async () => {
      const { LAYOUTS } = await import('../../plate/layout.ts');
      for (const l of LAYOUTS) console.log(`${l.name.padEnd(12)} ${l.example.padEnd(46)} ${l.description}`);
    });
  plate
    .command('scan')
    .description(
      'list every image file of DIR (recursively) with its plate, well, row, column, site, channel, z, t as CSV ' +
        '(stdout, or --out FILE) and print a summary: wells, sites and channels found, files unmatched',
    )
    .argument('<dir>', 'folder of plate images')
    .option(
      '--pattern <layout>',
      'auto (detect), imagexpress, cellomics, bbbc014, operetta, scanr, or a regular expression with named groups ' +
        '(plate, well or row+column, site/field, channel, z, t; Python (?P<name>...) accepted)',
      'auto',
    )
    .option('--platemap <csv>', 'plate-map CSV (well, compound, concentration, unit, role) to join by well')
    .option(
      '--plate-format <wells>',
      'plate format for checking wells (and the plate map): 6 to 1536 (default 96 with --platemap, else unchecked)',
    )
    .option('--plate-from-folder', "take the plate from each file's folder name (as in BBBC021)")
    .option('--no-recursive', 'do not descend into sub-folders')
    .option('--out <file>', 'write the CSV here instead of stdout (the summary then goes to stdout)')
    .action(async (dir: string, options: ScanCliOptions) => {
      const { scanPlate, readPlateMap, channelsOf, plateGeometry } = await import('../../plate/index.ts');
      const { formatCsvRows } = await import('../../table/csv.ts');
      let plateFormat: number | undefined;
      if (options.plateFormat !== undefined) {
        try {
          plateFormat = plateGeometry(options.plateFormat).format;
        } catch (error) {
          throw new UserError(`--plate-format: ${(error as Error).message}`, 2, { cause: error });
        }
      }
      let scan: Awaited<ReturnType<typeof scanPlate>>;
      try {
        scan = await scanPlate(dir, {
          pattern: options.pattern,
          recursive: options.recursive,
          plateFromFolder: options.plateFromFolder ?? false,
          ...(plateFormat !== undefined ? { plateFormat } : {}),
        });
      } catch (error) {
        throw new UserError(`plate scan ${dir}`, 1, { cause: error });
      }
      let map: Awaited<ReturnType<typeof readPlateMap>> | undefined;
      if (options.platemap) {
        try {
          map = await readPlateMap(options.platemap, { plateFormat: plateFormat ?? 96 });
        } catch (error) {
          throw new UserError('plate scan: bad plate map', 1, { cause: error });
        }
      }
      const byWell = new Map(map?.entries.map((e) => [`${e.plate ?? ''}\u0000${e.well}`, e]) ?? []);
      const lookup = (plateName: string | undefined, well: string) =>
        byWell.get(`${plateName ?? ''}\u0000${well}`) ?? byWell.get(`\u0000${well}`);
      const header = ['path', 'plate', 'well', 'row', 'column', 'site', 'channel', 'z', 't'];
      if (map) header.push('compound', 'concentration', 'unit', 'role');
      const rows = scan.files.map((f) => {
        const row: unknown[] = [f.path, f.plate, f.well, f.row, f.column, f.site, f.channel, f.z, f.t];
        if (map) {
          const e = lookup(f.plate, f.well);
          row.push(e?.compound, e?.concentration ?? undefined, e?.unit, e?.role);
        }
        return row;
      });
      const csv = formatCsvRows(header, rows);
      const channels = channelsOf(scan.fields);
      const wells = new Set(scan.fields.map((f) => `${f.plate ?? ''}/${f.well}`));
      const plates = new Set(scan.fields.map((f) => f.plate ?? '(none)'));
      const sites = new Set(scan.fields.map((f) => f.site));
      const summary = [
        `layout ${
          Object.entries(scan.layoutCounts)
            .map(([name, n]) => `${name} (${n} file(s))`)
            .join(', ') || scan.layout.name
        }: ${scan.files.length} image file(s) in ${scan.fields.length} field(s)`,
        `plates ${plates.size} (${[...plates].slice(0, 5).join(', ')}${plates.size > 5 ? ', ...' : ''}), wells ${wells.size}, ` +
          `sites ${sites.size} (${[...sites].sort((a, b) => a - b).join(', ')}), channels ${channels.length} (${channels.join(', ')})`,
        `files unmatched ${scan.unmatched.length}${scan.unmatched.length ? `: ${scan.unmatched.slice(0, 5).join(', ')}${scan.unmatched.length > 5 ? ', ...' : ''}` : ''}` +
          (scan.thumbnails.length ? `; thumbnails skipped ${scan.thumbnails.length}` : ''),
      ];
      if (map) {
        const missing = [...new Set(scan.fields.filter((f) => !lookup(f.plate, f.well)).map((f) => f.well))];
        const imaged = new Set(scan.fields.map((f) => f.well));
        const empty = map.entries.filter((e) => !imaged.has(e.well)).length;
        summary.push(
          `plate map ${options.platemap}: ${map.entries.length} well(s); imaged wells not in the map ${missing.length}` +
            `${missing.length ? ` (${missing.slice(0, 5).join(', ')})` : ''}; mapped wells without images ${empty}`,
        );
      }
      if (options.out) {
        await writeFile(options.out, csv);
        console.log(summary.join('\n'));
        console.log(`wrote ${options.out}`);
      } else {
        process.stdout.write(csv);
        process.stderr.write(`${summary.join('\n')}\n`);
      }
    });
}
