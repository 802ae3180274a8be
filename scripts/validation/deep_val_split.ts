// Scores the default nuclei CNN on the fluorescence images of its training run's own validation split
// (models/nuclei-unet/data.json: ids drawn from ../shared/data/dsb2018_nuclei_train, never from the dev set),
// for several tilings, to check that the tiling default (DEFAULT_CNN_TILE) does not change accuracy.
// Run: npx tsx scripts/validation/deep_val_split.ts [--model weights.onnx] [tileSize ...]   (default: 1024 384 256)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { segmentNucleiCnn } from '../../src/deep/nucleiModel.ts';
import { readDsbImage, readDsbMasks } from '../../src/evaluate/dsb.ts';
import { combineMatches, type MatchResult, matchInstances } from '../../src/evaluate/matching.ts';
import { parseCsvRows } from '../../src/table/csv.ts';
import { sharedPath } from '../../src/testing/shared.ts';

const train = sharedPath('dsb2018_nuclei_train');
if (!train) {
  console.error('skipped: ../shared/data/dsb2018_nuclei_train is absent');
  process.exit(0);
}
const split = JSON.parse(readFileSync('models/nuclei-unet/data.json', 'utf8')) as {
  validation_ids: string[];
};
const modality = new Map(
  parseCsvRows(readFileSync(join(train, 'manifest.csv'), 'utf8'), 'manifest.csv')
    .slice(1)
    .map((r) => [r[0]!, r[1]!] as const),
);
const ids = split.validation_ids.filter((id) => modality.get(id) === 'fluo');
const args = process.argv.slice(2);
const modelAt = args.indexOf('--model');
const model = modelAt >= 0 ? args.splice(modelAt, 2)[1] : undefined;
const tiles = args.length > 0 ? args.map(Number) : [1024, 384, 256];
const results = new Map<number, MatchResult[]>(tiles.map((t) => [t, []]));
for (const [k, id] of ids.entries()) {
  const dir = join(train, 'stage1_train', id);
  const image = await readDsbImage(dir);
  const truth = await readDsbMasks(dir);
  for (const t of tiles)
    results
      .get(t)!
      .push(
        matchInstances(
          (await segmentNucleiCnn(image, { tileSize: t, ...(model ? { model } : {}) })).labels,
          truth,
        ),
      );
  process.stderr.write(`\r${k + 1}/${ids.length} images`);
}
process.stderr.write('\n');
for (const [t, rs] of results) {
  const o = combineMatches(rs);
  console.log(
    `tileSize ${t}: F1@0.5 ${o.pooled[0]!.f1.toFixed(3)}, AP@0.5 ${o.pooled[0]!.ap.toFixed(3)}, mean AP ${o.pooledMeanAp.toFixed(3)} (${ids.length} images)`,
  );
}
