import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedPath, skipUnlessShared } from '../testing/shared.ts';
import { parseCppipe, setting, settings, unescapeCp } from './cppipe.ts';

test('unescapes CellProfiler version-3 escapes', () => {
  assert.equal(unescapeCp('\\x5BA-P\\x5D\\x5B0-9\\x5D{2}'), '[A-P][0-9]{2}');
  assert.equal(unescapeCp("it\\'s\\x3A ok\\\\"), "it's: ok\\");
});

test('parses the synthetic16 reference pipeline (Version 5): modules and settings in order', {
  skip: skipUnlessShared('reference/cellprofiler/synthetic16/pipeline.cppipe'),
}, () => {
  const path = sharedPath('reference/cellprofiler/synthetic16/pipeline.cppipe')!;
  const p = parseCppipe(readFileSync(path, 'utf8'), path);
  assert.equal(p.version, 5);
  assert.equal(p.modules.length, 11);
  const ipo = p.modules.find((m) => m.name === 'IdentifyPrimaryObjects')!;
  assert.equal(ipo.number, 5);
  assert.equal(ipo.variableRevision, 15);
  assert.equal(setting(ipo, 'Typical diameter')!.value, '8,60');
  assert.equal(setting(ipo, 'Threshold smoothing scale')!.value, '1.3488');
  assert.equal(settings(ipo, 'Thresholding method').length, 2);
});

test('parses every .cppipe in the shared data (Version 3 escapes included)', {
  skip: skipUnlessShared('cp_examplefly_with_cp_output'),
}, () => {
  const fly = sharedPath('cp_examplefly_with_cp_output/ExampleFly/ExampleFly.cppipe')!;
  const p = parseCppipe(readFileSync(fly, 'utf8'), fly);
  assert.equal(p.version, 3);
  assert.equal(p.modules.length, 22);
  const metadata = p.modules.find((m) => m.name === 'Metadata')!;
  assert.equal(
    setting(metadata, 'Regular expression')!.value,
    '^(?P<Plate>.*)_(?P<Well>[A-P][0-9]{2})_s(?P<Site>[0-9])_w(?P<ChannelNumber>[0-9])',
  );
  for (const dir of [
    'ExampleHuman',
    'ExampleSpeckles',
    'ExamplePercentPositive',
    'ExampleColocalization',
    'ExampleVitraImages',
  ]) {
    const folder = sharedPath(join('cp_example_plates', dir));
    if (!folder) continue;
    const files = readdirSync(folder).filter((f) => f.endsWith('.cppipe'));
    assert.ok(files.length > 0, folder);
    for (const f of files.map((name) => join(folder, name))) {
      const parsed = parseCppipe(readFileSync(f, 'utf8'), f);
      assert.ok(parsed.modules.length > 3, f);
    }
  }
});

test('malformed pipelines give errors naming the file and line', () => {
  assert.throws(() => parseCppipe('hello', 'x.cppipe'), /x.cppipe: line 1: not a CellProfiler pipeline/);
  assert.throws(
    () => parseCppipe('CellProfiler Pipeline: x\nVersion:9\n\n', 'v.cppipe'),
    /unsupported pipeline format Version:9/,
  );
  assert.throws(
    () => parseCppipe('CellProfiler Pipeline: x\nVersion:6\n\nBad module line\n', 'm.cppipe'),
    /m.cppipe: line 4: expected 'ModuleName:\[...\]'/,
  );
  assert.throws(
    () => parseCppipe('CellProfiler Pipeline: x\nVersion:6\n\n    A:b\n', 's.cppipe'),
    /line 4: setting outside a module/,
  );
});
