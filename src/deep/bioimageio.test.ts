import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedPath, skipUnlessShared } from '../testing/shared.ts';
import { applyProcessing, checkBioimageModel, loadBioimageModel } from './bioimageio.ts';

const PACKAGE = 'model_unet2d_nuclei_broad_onnx';

test('unet2d_nuclei_broad reproduces its own test output to 1e-4 (formats 0.5 and 0.4)', {
  skip: skipUnlessShared(PACKAGE),
}, async () => {
  const dir = sharedPath(PACKAGE)!;
  const model = await loadBioimageModel(dir);
  assert.equal(model.formatVersion, '0.5.4');
  assert.equal(model.input.axes, 'bcyx');
  // 1e-4: the bar; float32 convolutions in a different runtime order differ by ~1e-6
  const diff = await checkBioimageModel(model, { threads: 2 });
  assert.ok(diff < 1e-4, `max abs diff ${diff}`);
  const v04 = await loadBioimageModel(join(dir, 'v0_4_9.bioimageio.yaml'));
  assert.equal(v04.input.preprocessing[0]!.name, 'zero_mean_unit_variance');
  assert.ok((await checkBioimageModel(v04, { threads: 2 })) < 1e-4);
});

test('invalid packages give errors naming the file and the problem', {
  skip: skipUnlessShared(PACKAGE),
}, async () => {
  const dir = sharedPath(PACKAGE)!;
  await assert.rejects(
    loadBioimageModel(join(dir, 'invalid_v0_4_0_duplicate_tensor_names.bioimageio.yaml')),
    /duplicate tensor names/,
  );
  const tmp = await mkdtemp(join(tmpdir(), 'phenoscope-bioimage-'));
  await writeFile(join(tmp, 'rdf.yaml'), 'name: x\ntype: model\n');
  await assert.rejects(
    loadBioimageModel(tmp),
    /rdf.yaml: invalid bioimage.io model description at 'format_version'/,
  );
});

test('processing steps follow the spec formulas (hand-computed)', () => {
  const zmuv = applyProcessing(Float32Array.from([1, 2, 3, 4]), [
    { id: 'zero_mean_unit_variance', kwargs: { eps: 0 } },
  ]);
  const sd = Math.sqrt(1.25); // population std of 1..4
  assert.deepEqual([...zmuv], [-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd].map(Math.fround));
  const sr = applyProcessing(Float32Array.from([0, 10, 20]), [
    { id: 'scale_range', kwargs: { min_percentile: 0, max_percentile: 100, eps: 0 } },
  ]);
  assert.deepEqual([...sr], [0, 0.5, 1]);
  const sig = applyProcessing(Float32Array.from([0]), [{ name: 'sigmoid' }]);
  assert.deepEqual([...sig], [0.5]);
  assert.throws(
    () => applyProcessing(new Float32Array(1), [{ id: 'fancy' }]),
    /unsupported bioimage.io processing step 'fancy'/,
  );
});
