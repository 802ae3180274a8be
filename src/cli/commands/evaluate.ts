// `phenoscope evaluate --pred DIR --truth DIR [--out CSV]`: instance-segmentation metrics of predicted label
// images against ground truth (DSB layout or label images), per image and overall. Thin: pairs files by image
// id, calls src/evaluate, prints and writes the table.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../errors.ts';

interface EvaluateCliOptions {
  pred: string;
  truth: string;
  out?: string;
  progress: boolean;
}

export function register(program: Command): void {
  program
    .command('evaluate')
    .description(
      'score predicted label images against ground truth: precision, recall, F1 and AP = TP/(TP+FP+FN) at IoU ' +
        '0.5-0.95, their mean (DSB 2018 score), splits and merges, per image and overall',
    )
    .requiredOption('--pred <dir>', 'folder of predicted label images (<id>_labels.tiff, <id>.png, ...)')
    .requiredOption(
      '--truth <dir>',
      'ground truth: a DSB-layout folder (<id>/masks/*.png) or a folder of label images named by image id',
    )
    .option('--out <csv>', 'also write per-image and overall metrics to this CSV file')
    .option('--no-progress', 'do not show the progress bar')
    .action(async (options: EvaluateCliOptions) => {
      const { listPredictions, listTruth, readLabelImage } = await import('../../evaluate/dsb.ts');
      const { combineMatches, matchInstances } = await import('../../evaluate/matching.ts');
      let preds: Map<string, string>;
      let truth: ReturnType<typeof listTruth>;
      try {
        preds = listPredictions(options.pred);
        truth = listTruth(options.truth);
      } catch (error) {
        throw new UserError((error as Error).message, 2, { cause: error });
      }
      const pairs = [...preds].filter(([id]) => truth.has(id));
      const unmatched = [...preds.keys()].filter((id) => !truth.has(id));
      if (pairs.length === 0) {
        throw new UserError(
          `no predicted image in ${options.pred} has ground truth in ${options.truth} ` +
            `(${preds.size} prediction(s), ${truth.size} truth image(s); ids are file names without _labels and extension)`,
          2,
        );
      }
      if (unmatched.length) console.error(`warning: ${unmatched.length} prediction(s) without truth skipped`);
      const missing = [...truth.keys()].filter((id) => !preds.has(id));
      if (missing.length)
        console.error(`warning: ${missing.length} truth image(s) without prediction skipped`);
      const { SingleBar, Presets } = await import('cli-progress');
      const bar = new SingleBar(
        { stream: process.stderr, hideCursor: true, format: 'evaluate [{bar}] {value}/{total} images' },
        Presets.shades_classic,
      );
      const showBar = options.progress && pairs.length > 1;
      if (showBar) bar.start(pairs.length, 0);
      const rows: { id: string; result: ReturnType<typeof matchInstances> }[] = [];
      try {
        for (const [id, path] of pairs) {
          const result = matchInstances(await readLabelImage(path), await truth.get(id)!.read());
          rows.push({ id, result });
          if (showBar) bar.increment();
        }
      } catch (error) {
        throw new UserError(`evaluate: ${(error as Error).message}`, 1, { cause: error });
      } finally {
        if (showBar) bar.stop();
      }
      const f = (v: number) => (Number.isNaN(v) ? 'nan' : v.toFixed(4));
      console.log(
        'image\tn_true\tn_pred\tprecision@0.5\trecall@0.5\tF1@0.5\tAP@0.5\tmAP(0.5:0.95)\tsplits\tmerges',
      );
      for (const { id, result: r } of rows) {
        const a = r.perThreshold[0]!;
        console.log(
          `${id}\t${r.nTrue}\t${r.nPred}\t${f(a.precision)}\t${f(a.recall)}\t${f(a.f1)}\t${f(a.ap)}\t${f(r.meanAp)}\t${r.splits}\t${r.merges}`,
        );
      }
      const all = combineMatches(rows.map((r) => r.result));
      console.log(
        `\noverall (${all.images} images, ${all.nTrue} true, ${all.nPred} predicted objects; counts pooled)`,
      );
      console.log('IoU\tTP\tFP\tFN\tprecision\trecall\tF1\tAP');
      for (const t of all.pooled) {
        console.log(
          `${t.threshold.toFixed(2)}\t${t.tp}\t${t.fp}\t${t.fn}\t${f(t.precision)}\t${f(t.recall)}\t${f(t.f1)}\t${f(t.ap)}`,
        );
      }
      console.log(
        `mean AP(0.5:0.95) ${f(all.pooledMeanAp)} (pooled), ${f(all.imageMeanAp)} (mean of images); ` +
          `F1@0.5 ${f(all.pooled[0]!.f1)}; splits ${all.splits}, merges ${all.merges}`,
      );
      if (options.out) {
        const thresholds = all.pooled.map((t) => t.threshold.toFixed(2));
        const header = [
          'image',
          'n_true',
          'n_pred',
          ...thresholds.flatMap((t) => [
            `tp@${t}`,
            `fp@${t}`,
            `fn@${t}`,
            `precision@${t}`,
            `recall@${t}`,
            `f1@${t}`,
            `ap@${t}`,
          ]),
          'mean_ap',
          'splits',
          'merges',
        ];
        const line = (
          id: string,
          nTrue: number,
          nPred: number,
          per: typeof all.pooled,
          meanAp: number,
          s: number,
          m: number,
        ) =>
          [
            id,
            nTrue,
            nPred,
            ...per.flatMap((t) => [t.tp, t.fp, t.fn, f(t.precision), f(t.recall), f(t.f1), f(t.ap)]),
            f(meanAp),
            s,
            m,
          ].join(',');
        const lines = [
          header.join(','),
          ...rows.map(({ id, result: r }) =>
            line(id, r.nTrue, r.nPred, r.perThreshold, r.meanAp, r.splits, r.merges),
          ),
          line('ALL (pooled)', all.nTrue, all.nPred, all.pooled, all.pooledMeanAp, all.splits, all.merges),
        ];
        try {
          writeFileSync(options.out, `${lines.join('\n')}\n`);
        } catch (error) {
          throw new UserError(`cannot write ${options.out}: ${(error as Error).message}`, 1, {
            cause: error,
          });
        }
        console.log(`wrote ${options.out}`);
      }
    });
}
