import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { parseCsvRecords } from '../table/csv.ts';
import { sharedPath, skipUnlessShared } from '../testing/shared.ts';
import { groupFields } from './fields.ts';
import {
  detectLayout,
  type ImageFileInfo,
  isThumbnail,
  LAYOUTS,
  layoutFromRegex,
  parseImageFileName,
  resolveLayout,
} from './layout.ts';

function pick(info: ImageFileInfo) {
  return {
    layout: info.layout,
    plate: info.plate,
    well: info.well,
    site: info.site,
    channel: info.channel,
    z: info.z,
    t: info.t,
  };
}

test('every built-in layout parses its own example', () => {
  for (const layout of LAYOUTS) assert.equal(parseImageFileName(layout.example).layout, layout.name);
});

test('ImageXpress names, with and without plate, site, UUID suffix', () => {
  assert.deepEqual(pick(parseImageFileName('Plate_A01_s1_w1.tif')), {
    layout: 'imagexpress',
    plate: 'Plate',
    well: 'A01',
    site: 1,
    channel: 'w1',
    z: undefined,
    t: undefined,
  });
  const uuid = parseImageFileName('A01_s1_w1BEDC2073-A983-4B98-95E9-84466707A25D.tif');
  assert.deepEqual([uuid.plate, uuid.well, uuid.site, uuid.channel], [undefined, 'A01', 1, 'w1']);
  // channel digit followed by a UUID that starts with digits: w4 + 3CD51CBC-...
  const w4 = parseImageFileName('G10_s3_w43CD51CBC-2370-471F-BA01-EE250B14B3C8.tif');
  assert.deepEqual([w4.well, w4.site, w4.channel], ['G10', 3, 'w4']);
  const multi = parseImageFileName('Week4_27481_P24_s12_w10.TIFF');
  assert.deepEqual([multi.plate, multi.well, multi.site, multi.channel], ['Week4_27481', 'P24', 12, 'w10']);
  const zt = parseImageFileName('run_B03_s2_w3_z4_t5.tif');
  assert.deepEqual([zt.z, zt.t], [4, 5]);
  const folders = parseImageFileName('exp/TimePoint_2/ZStep_3/run_B03_s2_w3.tif');
  assert.deepEqual(
    [folders.well, folders.site, folders.channel, folders.z, folders.t],
    ['B03', 2, 'w3', 3, 2],
  );
  assert.equal(isThumbnail('Plate_A01_s1_w1_thumbBEDC2073-A983-4B98-95E9-84466707A25D.tif'), true);
  assert.equal(isThumbnail('Plate_A01_s1_w1.tif'), false);
});

test('Cellomics, BBBC014, Operetta and ScanR names', () => {
  assert.deepEqual(pick(parseImageFileName('AS_09125_050116030001_D03f00d0.tif')), {
    layout: 'cellomics',
    plate: 'AS_09125_050116030001',
    well: 'D03',
    site: 0,
    channel: 'd0',
    z: undefined,
    t: undefined,
  });
  const b = parseImageFileName('Channel 2-12-A-12-00.tif');
  assert.deepEqual([b.layout, b.well, b.site, b.channel], ['bbbc014', 'A12', 0, '2']);
  const o = parseImageFileName('r03c11f05p02-ch4sk7fk1fl1.tiff');
  assert.deepEqual([o.layout, o.well, o.site, o.channel, o.z, o.t], ['operetta', 'C11', 5, 'ch4', 2, 7]);
  const s = parseImageFileName('B2--W00014--P00003--Z00001--T00002--GFP.tif');
  assert.deepEqual([s.layout, s.well, s.site, s.channel, s.z, s.t], ['scanr', 'B02', 3, 'GFP', 1, 2]);
});

test('user patterns: JavaScript or CellProfiler (Python) named groups', () => {
  const cp = layoutFromRegex(
    '^(?P<Plate>.*)_(?P<Well>[A-P][0-9]{2})_s(?P<Site>[0-9])_w(?P<ChannelNumber>[0-9])',
  );
  const a = parseImageFileName('MyPlate_B07_s3_w2.tif', { layouts: [cp] });
  assert.deepEqual([a.layout, a.plate, a.well, a.site, a.channel], ['custom', 'MyPlate', 'B07', 3, '2']);
  const rc = parseImageFileName('scan-row3-col7-field2-DAPI.png', {
    layouts: ['row(?<row>\\d+)-col(?<column>\\d+)-field(?<field>\\d+)-(?<channel>\\w+)'],
  });
  assert.deepEqual([rc.well, rc.site, rc.channel], ['C07', 2, 'DAPI']);
  assert.equal(resolveLayout('Cellomics').name, 'cellomics');
  assert.throws(
    () => layoutFromRegex('(?<plate>.*)_(?<site>\\d)'),
    /needs a named group 'well'.*found groups: plate, site/,
  );
  assert.throws(() => layoutFromRegex('(?<well>[A-P'), /not a valid regular expression/);
});

test('a name matching no layout is an error naming the file and the patterns tried', () => {
  assert.throws(
    () => parseImageFileName('/data/run/holiday_photo.jpg'),
    (e: Error) =>
      /file 'holiday_photo\.jpg' matches no file-name layout; tried imagexpress \(/.test(e.message) &&
      LAYOUTS.every((l) => e.message.includes(l.name)),
  );
  assert.throws(
    () => parseImageFileName('Plate_I01_s1_w1.tif', { plateFormat: 96 }),
    (e: Error) =>
      /Plate_I01_s1_w1\.tif: layout 'imagexpress' found an impossible well/.test(e.message) &&
      /does not exist on a 96-well plate/.test(String((e.cause as Error).message)),
  );
  assert.throws(() => detectLayout(['a.txt']), /no image files/);
  assert.throws(
    () => detectLayout(['x.tif', 'y.png']),
    /no file-name layout matches any of 2 image file\(s\)/,
  );
});

test('detectLayout picks the layout matching most files', () => {
  const names = ['AS_1_A01f00d0.tif', 'AS_1_A01f00d1.tif', 'AS_1_A01f01d0.tif', 'notes.txt', 'odd.tif'];
  const d = detectLayout(names);
  assert.deepEqual([d.layout.name, d.matched, d.total], ['cellomics', 3, 4]);
});

// ---- real names: ../shared/data/cp_example_plates -------------------------------------------------------
// Expected positions derived by hand from each Example folder's README and file names (fixed-width
// Cellomics fields sliced by position, the BBBC014 regex of ExampleVitra.cppipe applied directly), never by
// the parser under test.
const PLATES = 'cp_example_plates';

interface Expected {
  plate?: string;
  well: string;
  site: number;
  channel: string;
}

function expectedFor(relativePath: string): Expected | 'none' {
  const name = relativePath.split('/').pop()!;
  if (/^AS_\d{5}_\d{12}_[A-P]\d{2}f\d{2}d\d\.tif$/i.test(name)) {
    // Cellomics fixed widths: plate (21 chars) '_' well (3) 'f' field (2) 'd' channel (1)
    return {
      plate: name.slice(0, 21),
      well: name.slice(22, 25),
      site: Number(name.slice(26, 28)),
      channel: name.slice(28, 30),
    };
  }
  const vitra = /^Channel (?<ChannelNumber>[0-9])-[0-9]{2}-(?<WellRow>[A-P])-(?<WellCol>[0-9]{2})/.exec(name);
  if (vitra?.groups) {
    return {
      well: `${vitra.groups.WellRow}${vitra.groups.WellCol}`,
      site: Number(name.slice(-6, -4)),
      channel: vitra.groups.ChannelNumber!,
    };
  }
  const table: Record<string, Expected | 'none'> = {
    // ImageXpress-style, no site, channel 2 followed by a UUID (ExampleIlluminationCorrection_Example3)
    'ADSAStaphInfection2_A01_w2247376DD-6ADD-442D-AE47-F54A05F3EA94.tif': {
      plate: 'ADSAStaphInfection2',
      well: 'A01',
      site: 1,
      channel: 'w2',
    },
    // Olympus ScanR: well number 1 = A01, position 1, dye 'cherry'
    '--W00001--P00001--Z00000--T00000--cherry.tif': { well: 'A01', site: 1, channel: 'cherry' },
    // No plate position in these names (colocalization and speckle examples): they must be refused.
    '0_1_N_G.png': 'none',
    '0_1_N_R.png': 'none',
    '0_2_N_G.png': 'none',
    '0_2_N_R.png': 'none',
    '1-162hrh2ax2.tif': 'none',
    '1-162hrhoe2.tif': 'none',
  };
  const hit = table[name];
  if (hit === undefined) throw new Error(`no expected position written down for ${relativePath}`);
  return hit;
}

function listImages(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile() && /\.(tiff?|png|jpe?g)$/i.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

test('every image in cp_example_plates maps to the right plate/well/site/channel', {
  skip: skipUnlessShared(PLATES),
}, () => {
  const root = sharedPath(PLATES)!;
  const files = listImages(root);
  assert.ok(files.length >= 80, `expected the 89 example images, found ${files.length}`);
  let parsed = 0;
  for (const file of files) {
    const expected = expectedFor(file);
    if (expected === 'none') {
      assert.throws(() => parseImageFileName(file), /matches no file-name layout/, file);
      continue;
    }
    const info = parseImageFileName(file);
    assert.deepEqual(
      { plate: info.plate, well: info.well, site: info.site, channel: info.channel },
      { plate: expected.plate, well: expected.well, site: expected.site, channel: expected.channel },
      file,
    );
    parsed++;
  }
  // the README: row O, 24 wells x 3 fields of the GFP channel d2 (BBBC016)
  const illum = files.filter((f) => f.includes('AS_09047')).map((f) => parseImageFileName(f));
  assert.equal(illum.length, 72);
  assert.equal(new Set(illum.map((i) => i.well)).size, 24);
  assert.ok(illum.every((i) => i.row === 'O' && i.channel === 'd2' && i.site <= 2));
  const fields = groupFields(illum);
  assert.equal(fields.length, 72);
  const human = groupFields(
    files.filter((f) => f.startsWith('ExampleHuman/')).map((f) => parseImageFileName(f)),
  );
  assert.deepEqual(
    human.map((f) => [f.well, f.site, Object.keys(f.channels).sort().join('+')]),
    [['D03', 0, 'd0+d1+d2']],
  );
  assert.ok(parsed >= 83, `parsed ${parsed}`);
});

const BBBC021 = 'bbbc021_well_profiles_metadata/input_data/BBBC021_v1_image.csv';

test('every file name in BBBC021_v1_image.csv maps to its plate, well, site and channel', {
  skip: skipUnlessShared(BBBC021),
}, () => {
  const records = parseCsvRecords(readFileSync(sharedPath(BBBC021)!, 'utf8'), BBBC021);
  const header = records[0]!.fields;
  const col = (name: string) => {
    const i = header.indexOf(name);
    assert.ok(i >= 0, `column ${name}`);
    return i;
  };
  const channels: [string, string, string][] = [
    ['Image_FileName_DAPI', 'Image_PathName_DAPI', 'w1'],
    ['Image_FileName_Tubulin', 'Image_PathName_Tubulin', 'w2'],
    ['Image_FileName_Actin', 'Image_PathName_Actin', 'w4'],
  ];
  const plateCol = col('Image_Metadata_Plate_DAPI');
  const wellCol = col('Image_Metadata_Well_DAPI');
  const parsedAll: ImageFileInfo[] = [];
  const rows = records.slice(1);
  assert.equal(rows.length, 13200);
  for (const r of rows) {
    const f = r.fields;
    for (const [fileCol, pathCol, channel] of channels) {
      const name = f[col(fileCol)]!;
      const path = `${f[col(pathCol)]}/${name}`;
      const info = parseImageFileName(path, { plateFromFolder: true, layouts: ['imagexpress'] });
      // the site is the '_s<n>_w' token of the name, found by hand
      const site = Number(name.slice(name.lastIndexOf('_s') + 2, name.lastIndexOf('_w')));
      assert.deepEqual(
        [info.plate, info.well, info.site, info.channel],
        [f[plateCol], f[wellCol], site, channel],
        `line ${r.line}: ${path}`,
      );
      parsedAll.push(info);
    }
  }
  const fields = groupFields(parsedAll);
  assert.equal(fields.length, 13200);
  assert.ok(fields.every((fl) => Object.keys(fl.channels).sort().join() === 'w1,w2,w4'));
  assert.equal(new Set(fields.map((fl) => `${fl.plate}/${fl.well}`)).size, 3300);
  assert.equal(new Set(fields.map((fl) => fl.plate)).size, 55);
});
