import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SHARED_DATA, sharedPath, skipUnlessShared } from '../testing/shared.ts';
import { parseCppipe } from './cppipe.ts';
import { importCellProfiler } from './importCppipe.ts';
import { parsePipeline } from './load.ts';

function importFile(relative: string) {
  const path = sharedPath(relative)!;
  const result = importCellProfiler(parseCppipe(readFileSync(path, 'utf8'), path));
  // the YAML (with its comment report) must be a valid pipeline
  const loaded = parsePipeline(result.yaml, `${path}.yaml`);
  return { ...result, loaded: loaded.pipeline };
}

function findCppipe(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findCppipe(p, out);
    else if (name.endsWith('.cppipe')) out.push(p);
  }
  return out;
}

test('every .cppipe in the shared data imports into a valid pipeline with a report', {
  skip: skipUnlessShared('cp_example_plates'),
}, () => {
  const files = findCppipe(SHARED_DATA);
  assert.ok(files.length >= 10, `found ${files.length} .cppipe files`);
  for (const f of files) {
    const r = importCellProfiler(parseCppipe(readFileSync(f, 'utf8'), f));
    parsePipeline(r.yaml, f);
    for (const n of r.notes) assert.ok(r.yaml.includes(n.message), `${f}: note in YAML comments`);
  }
});

test('synthetic16: IdentifyPrimaryObjects 8,60, global two-class Otsu, smoothing 1.3488, shape declumping', {
  skip: skipUnlessShared('reference/cellprofiler/synthetic16/pipeline.cppipe'),
}, () => {
  const { loaded, notes } = importFile('reference/cellprofiler/synthetic16/pipeline.cppipe');
  const nuclei = loaded.objects[0]!;
  assert.equal(nuclei.type, 'primary');
  if (nuclei.type !== 'primary') return;
  assert.equal(nuclei.name, 'Nuclei');
  assert.deepEqual(nuclei.options.diameter, [8, 60]);
  assert.equal(nuclei.options.threshold, 'otsu');
  // CellProfiler: Gaussian sigma = smoothing scale / (2 * 0.6744) -> 1.3488 gives sigma 1
  assert.equal(nuclei.options.thresholdSmoothing, 1);
  assert.equal(nuclei.options.thresholdCorrection, 1);
  assert.equal(nuclei.options.declump, 'shape');
  assert.equal(nuclei.options.discardBorder, true);
  assert.equal(nuclei.options.discardOutsideRange, true);
  assert.equal(nuclei.options.fillHoles, true);
  // CellProfiler 5 (IdentifyPrimaryObjects revision 15): its thresholds (from the unsmoothed image, no
  // re-thresholding) but not CellProfiler 2-3's declumping, which agrees less with its objects
  assert.equal(nuclei.options.thresholdSource, 'raw');
  assert.equal(nuclei.options.refineFraction, 0);
  assert.equal(nuclei.options.declumpStyle, 'default');
  const m = loaded.measurements[0]!;
  assert.deepEqual(m.families, ['location', 'areashape', 'intensity', 'texture']);
  assert.deepEqual(m.textureScales, [3]);
  assert.equal(m.textureGrayLevels, 256);
  assert.equal(m.zernike, true);
  assert.equal(notes.filter((n) => n.kind !== 'info').length, 0, JSON.stringify(notes));
});

test('ExampleFly: primary 10,40 intensity declumping, three-class Otsu carried, crops carried', {
  skip: skipUnlessShared('cp_examplefly_with_cp_output/ExampleFly/ExampleFly.cppipe'),
}, () => {
  const { loaded, notes } = importFile('cp_examplefly_with_cp_output/ExampleFly/ExampleFly.cppipe');
  assert.deepEqual(Object.keys(loaded.input.channels), ['OrigBlue', 'OrigGreen', 'OrigRed']);
  const [nuclei, cells, cytoplasm] = loaded.objects;
  assert.equal(nuclei?.type, 'primary');
  if (nuclei?.type === 'primary') {
    assert.equal(nuclei.channel, 'OrigBlue'); // CropBlue traced back through Crop
    assert.deepEqual(nuclei.options.diameter, [10, 40]);
    assert.equal(nuclei.options.declump, 'intensity');
    // legacy 'Automatic' threshold smoothing is sigma 1 (cellprofiler/modules/identify.py)
    assert.equal(nuclei.options.thresholdSmoothing, 1);
    // three-class Otsu, middle class to the background, as CellProfiler 3 computed it
    assert.equal(nuclei.options.threshold, 'centrosome-otsu');
    assert.equal(nuclei.options.thresholdClasses, 3);
    assert.equal(nuclei.options.middleClass, 'background');
    assert.equal(nuclei.options.thresholdSource, 'raw');
    // written by CellProfiler 2.1 (IdentifyPrimaryObjects revision 10): CellProfiler 2-3's declumping
    assert.equal(nuclei.options.declumpStyle, 'cellprofiler');
    assert.equal(nuclei.options.refineFraction, 0);
  }
  assert.equal(cells?.type, 'secondary');
  if (cells?.type === 'secondary') {
    // IdentifySecondaryObjects' own thresholding and propagation, with the border nuclei competing
    assert.equal(cells.style, 'cellprofiler');
    assert.equal(cells.borderCompetitors, true);
    assert.equal(cells.thresholdSmoothing, 0);
  }
  assert.equal(cytoplasm?.type, 'tertiary');
  const text = notes.map((n) => `${n.module}: ${n.message}`).join('\n');
  assert.doesNotMatch(text, /8 IdentifyPrimaryObjects/);
  // Crop 'Rectangle' by coordinates 501,700 x 251,450 slices [251:450, 501:700]: 199 x 199 (as CellProfiler's output)
  assert.deepEqual(loaded.input.crop, { x: 501, y: 251, width: 199, height: 199 });
  assert.doesNotMatch(text, /Crop/);
  assert.match(text, /CalculateMath: module not available/);
  assert.ok(loaded.image.quality.includes('OrigBlue'), 'MeasureImageQuality carried');
});

test('ExampleHuman: channels from Cellomics tokens, secondary and tertiary objects carried', {
  skip: skipUnlessShared('cp_example_plates/ExampleHuman/ExampleHuman.cppipe'),
}, () => {
  const { loaded, notes } = importFile('cp_example_plates/ExampleHuman/ExampleHuman.cppipe');
  assert.deepEqual(loaded.input.channels, { DNA: 'd0', PH3: 'd1', cellbody: 'd2' });
  const cells = loaded.objects.find((o) => o.name === 'Cells')!;
  assert.equal(cells.type, 'secondary');
  if (cells.type === 'secondary') {
    assert.equal(cells.primary, 'Nuclei');
    assert.equal(cells.thresholdCorrection, 0.8);
    assert.equal(cells.method, 'propagation');
    assert.equal(cells.regularization, 0.05);
  }
  assert.ok(notes.some((n) => /Minimum Cross-Entropy/.test(n.message)));
  const tertiary = loaded.objects.find((o) => o.name === 'Cytoplasm')!;
  assert.equal(tertiary.type, 'tertiary');
});

test('ExampleColocalization: illumination calculate/apply carried per channel', {
  skip: skipUnlessShared('cp_example_plates/ExampleColocalization/ExampleColocalization.cppipe'),
}, () => {
  const { loaded, notes } = importFile(
    'cp_example_plates/ExampleColocalization/ExampleColocalization.cppipe',
  );
  assert.equal(loaded.illumination.length, 2);
  // whole-image MeasureColocalization on the aligned images, traced back through Align to the loaded channels
  assert.deepEqual(loaded.image.colocalization, ['OrigStain1', 'OrigStain2']);
  assert.equal(loaded.image.colocalizationThreshold, 15);
  assert.ok(notes.some((n) => /alignment is not carried/.test(n.message)));
  assert.ok(notes.some((n) => /'Each' \(per image\)/.test(n.message)));
  assert.ok(notes.some((n) => /Fit Polynomial/.test(n.message)));
});
