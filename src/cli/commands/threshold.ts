// `phenoscope threshold IMAGE`: CellProfiler's Threshold module on one image: prints the threshold and the
// foreground fraction, optionally writes the foreground mask. Thin: parse options, call src/threshold, print.
import type { Command } from 'commander';
import { UserError } from '../errors.ts';
import { parseNumber } from '../parse.ts';

interface ThresholdCliOptions {
  method: string;
  strategy: string;
  classes: string;
  middle: string;
  log?: boolean;
  correction: string;
  bounds: string;
  smoothingScale: string;
  window: string;
  manual: string;
  channel: string;
  out?: string;
  json?: boolean;
}

const METHODS: Record<string, 'li' | 'otsu' | 'robustBackground' | 'manual'> = {
  li: 'li',
  'minimum-cross-entropy': 'li',
  otsu: 'otsu',
  'robust-background': 'robustBackground',
  manual: 'manual',
};

export function register(program: Command): void {
  program
    .command('threshold')
    .description(
      "threshold one image like CellProfiler's Threshold module (intensities scaled to [0, 1]); print the " +
        'threshold and foreground fraction, optionally write the foreground mask',
    )
    .argument('<image>', 'TIFF, OME-TIFF or PNG image')
    .option('--method <name>', 'li (Minimum Cross-Entropy), otsu, robust-background or manual', 'li')
    .option('--strategy <name>', 'global, or adaptive (block thresholds blended by a spline)', 'global')
    .option('--classes <n>', 'Otsu: 2 or 3 classes', '2')
    .option(
      '--middle <class>',
      'three-class Otsu: assign the middle class to foreground or background',
      'foreground',
    )
    .option('--log', 'log transform before thresholding (Otsu and Li)')
    .option('--correction <factor>', 'threshold correction factor', '1')
    .option('--bounds <lower,upper>', 'lower and upper bounds on the threshold, [0, 1] scale', '0,1')
    .option(
      '--smoothing-scale <scale>',
      'threshold smoothing scale (Gaussian sigma = scale / 1.3488); 0 = none',
      '1.3488',
    )
    .option('--window <px>', 'size of the adaptive window', '50')
    .option('--manual <value>', 'manual threshold, [0, 1] scale (--method manual)', '0')
    .option('--channel <n>', 'channel of a multi-channel image (0-based)', '0')
    .option('--out <file>', 'write the foreground mask (0/255, uint8) as PNG or TIFF')
    .option('--json', 'print one JSON object instead of text')
    .action(async (path: string, options: ThresholdCliOptions) => {
      const method = METHODS[options.method];
      if (!method)
        throw new UserError(
          `--method must be one of ${Object.keys(METHODS).join(', ')}, got '${options.method}'`,
          2,
        );
      if (options.strategy !== 'global' && options.strategy !== 'adaptive') {
        throw new UserError(`--strategy must be global or adaptive, got '${options.strategy}'`, 2);
      }
      if (options.classes !== '2' && options.classes !== '3') {
        throw new UserError(`--classes must be 2 or 3, got '${options.classes}'`, 2);
      }
      if (options.middle !== 'foreground' && options.middle !== 'background') {
        throw new UserError(`--middle must be foreground or background, got '${options.middle}'`, 2);
      }
      const bounds = options.bounds.split(',').map((b) => parseNumber(b, '--bounds'));
      if (bounds.length !== 2)
        throw new UserError(`--bounds must be two numbers 'lower,upper', got '${options.bounds}'`, 2);
      const channel = parseNumber(options.channel, '--channel');
      const { readImage, writeImage } = await import('../../io/index.ts');
      const { channelOf, fromData } = await import('../../image/image.ts');
      const { cellprofilerThreshold } = await import('../../threshold/apply.ts');
      const image = await readImage(path);
      if (!Number.isInteger(channel) || channel < 0 || channel >= image.channels) {
        throw new UserError(
          `--channel ${channel} is out of range: ${path} has ${image.channels} channel(s)`,
          2,
        );
      }
      const plane = channelOf(image, channel);
      let result: ReturnType<typeof cellprofilerThreshold>;
      try {
        result = cellprofilerThreshold(plane, {
          method,
          strategy: options.strategy,
          otsuClasses: options.classes === '3' ? 3 : 2,
          assignMiddleToForeground: options.middle === 'foreground',
          logTransform: options.log ?? false,
          correctionFactor: parseNumber(options.correction, '--correction'),
          bounds: [bounds[0]!, bounds[1]!],
          smoothingScale: parseNumber(options.smoothingScale, '--smoothing-scale'),
          adaptiveWindowSize: parseNumber(options.window, '--window'),
          manualThreshold: parseNumber(options.manual, '--manual'),
        });
      } catch (error) {
        if (error instanceof RangeError) throw new UserError(error.message, 2, { cause: error });
        throw error;
      }
      let foreground = 0;
      for (const v of result.mask) foreground += v;
      const fraction = foreground / result.mask.length;
      if (options.out) {
        const mask = Uint8Array.from(result.mask, (v) => v * 255);
        await writeImage(options.out, fromData(mask, plane.width, plane.height));
      }
      const summary = {
        path,
        method: options.method,
        strategy: options.strategy,
        threshold: result.threshold,
        thresholdScaled: result.thresholdScaled,
        origThresholdScaled: result.origThresholdScaled,
        ...(result.guideThresholdScaled !== undefined
          ? { guideThresholdScaled: result.guideThresholdScaled }
          : {}),
        foregroundFraction: fraction,
        ...(options.out ? { mask: options.out } : {}),
      };
      if (options.json) {
        console.log(JSON.stringify(summary));
        return;
      }
      console.log(path);
      console.log(
        `  threshold   ${round(result.threshold)} (image units), ${round(result.thresholdScaled)} on [0, 1]`,
      );
      console.log(
        `  original    ${round(result.origThresholdScaled)} on [0, 1], before correction and bounds`,
      );
      if (result.guideThresholdScaled !== undefined)
        console.log(`  guide       ${round(result.guideThresholdScaled)} on [0, 1]`);
      console.log(
        `  foreground  ${(fraction * 100).toFixed(2)}% of pixels${options.out ? `, mask written to ${options.out}` : ''}`,
      );
    });
}

function round(v: number): string {
  return String(Number(v.toPrecision(6)));
}
