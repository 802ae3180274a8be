// `phenoscope inspect FILE...`: format, size, pixel type, channels, planes, pixel size and min/max of image
// files and OME-Zarr stores. Thin: parse options, call src/io's inspectImage, print.
import type { Command } from 'commander';
import { describeError, UserError } from '../errors.ts';

interface InspectCliOptions {
  json?: boolean;
  stats: boolean;
}

export function register(program: Command): void {
  program
    .command('inspect')
    .description(
      'print format, size, pixel type, channels, pages/planes, pixel size and min/max of image files ' +
        '(TIFF, OME-TIFF, PNG) and OME-Zarr directories (images and HCS plates)',
    )
    .argument('<files...>', 'image files, OME-Zarr directories, or http(s) URLs of either')
    .option('--json', 'print one JSON object per file (one per line) instead of text')
    .option('--no-stats', 'do not decode pixels (no min/max; faster for large files)')
    .action(async (files: string[], options: InspectCliOptions) => {
      const { inspectImage } = await import('../../io/index.ts');
      let failed = 0;
      for (const file of files) {
        try {
          const summary = await inspectImage(file, { stats: options.stats });
          console.log(options.json ? JSON.stringify(summary) : formatSummary(summary));
        } catch (error) {
          failed++;
          process.stderr.write(`phenoscope inspect: ${describeError(error)}\n`);
        }
      }
      if (failed > 0) throw new UserError(`${failed} of ${files.length} file(s) could not be read`);
    });
}

type Summary = Awaited<ReturnType<typeof import('../../io/index.ts').inspectImage>>;

function formatSummary(s: Summary): string {
  const lines = [s.path];
  const row = (key: string, value: string) => lines.push(`  ${key.padEnd(11)} ${value}`);
  if (s.format === 'OME-Zarr plate') {
    row('format', `${s.format}, ${s.wells?.length ?? 0} well(s)`);
    for (const w of s.wells ?? [])
      row(`well ${w.path}`, `${w.fields.length} field(s): ${w.fields.join(', ')}`);
    return lines.join('\n');
  }
  const extra = [
    s.version ? `NGFF ${s.version}` : '',
    s.pages !== undefined ? `${s.pages} page(s)` : '',
    s.compression ? `compression ${s.compression}` : '',
    s.bitDepth !== undefined ? `${s.bitDepth} bits/sample` : '',
  ].filter(Boolean);
  row('format', `${s.format}${extra.length ? ` (${extra.join(', ')})` : ''}`);
  const planes = [s.sizeZ !== undefined ? `z ${s.sizeZ}` : '', s.sizeT !== undefined ? `t ${s.sizeT}` : '']
    .filter(Boolean)
    .join(', ');
  row('size', `${s.width} x ${s.height}, ${s.channels} channel(s)${planes ? `, ${planes}` : ''}`);
  row('dtype', s.dtype ?? 'unknown');
  if (s.channelNames) row('channels', s.channelNames.join(', '));
  row(
    'pixel size',
    s.pixelSize ? `${round(s.pixelSize.x)} x ${round(s.pixelSize.y)} ${s.pixelSize.unit}` : 'unknown',
  );
  if (s.levels) row('levels', s.levels.map((l) => l.join(' x ')).join('; '));
  if (s.labels?.length) row('labels', s.labels.join(', '));
  if (s.min !== undefined && s.max !== undefined) row('min / max', `${round(s.min)} / ${round(s.max)}`);
  return lines.join('\n');
}

function round(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}
