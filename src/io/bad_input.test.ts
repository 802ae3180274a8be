// Bad input: truncated, corrupt, hostile and missing files give an ImageFileError whose message starts with the
// path and names the problem; never a crash, a hang or a huge allocation.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { fromData } from '../image/image.ts';
import { encodeImage, ImageFileError, readImage, writeImage } from './index.ts';

const FIXTURES = join('test', 'fixtures', 'io');
const dir = mkdtempSync(join(tmpdir(), 'phenoscope-bad-'));

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function rejectsWith(path: string, pattern: RegExp): Promise<void> {
  await assert.rejects(readImage(path), (error: unknown) => {
    assert.ok(error instanceof ImageFileError, `expected ImageFileError, got ${String(error)}`);
    assert.ok(
      error.message.startsWith(`${path}: `),
      `message does not start with the path: ${error.message}`,
    );
    assert.match(error.message, pattern);
    return true;
  });
}

/** Set the (inline) value of `tag` in the first IFD of a little-endian classic TIFF. */
function patchTag(bytes: Uint8Array, tag: number, value: number, type?: number): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const ifd = view.getUint32(4, true);
  const count = view.getUint16(ifd, true);
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + i * 12;
    if (view.getUint16(at, true) !== tag) continue;
    if (type !== undefined) view.setUint16(at + 2, type, true);
    if (view.getUint16(at + 2, true) === 3) view.setUint16(at + 8, value, true);
    else view.setUint32(at + 8, value, true);
    return out;
  }
  throw new Error(`tag ${tag} not found`);
}

const tiff = new Uint8Array(readFileSync(join(FIXTURES, 'tiff_uint16.tif')));
const png = new Uint8Array(readFileSync(join(FIXTURES, 'png_grey16.png')));

test('missing file, directory, zero-length file, wrong magic bytes', async () => {
  await rejectsWith(join(dir, 'nope.tif'), /file not found/);
  await rejectsWith(dir, /is a directory/);
  await rejectsWith(file('empty.tif', new Uint8Array(0)), /file is empty \(0 bytes\)/);
  await rejectsWith(
    file('text.tif', 'plate,well\nP1,A01\n'),
    /unrecognised image format \(magic bytes 70 6c 61 74/,
  );
  await rejectsWith(
    file('jpeg.png', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46])),
    /unrecognised/,
  );
});

test('truncated TIFF: header, IFD, strip data', async () => {
  await rejectsWith(file('t6.tif', tiff.subarray(0, 6)), /TIFF is truncated/);
  await rejectsWith(file('thalf.tif', tiff.subarray(0, tiff.length >> 1)), /truncated/);
  const ifd = new DataView(tiff.buffer, tiff.byteOffset).getUint32(4, true);
  await rejectsWith(
    file('tifd.tif', tiff.subarray(0, ifd + 20)),
    /TIFF is truncated: IFD at \d+ with \d+ entries/,
  );
  // strip offset beyond the end
  await rejectsWith(file('toff.tif', patchTag(tiff, 273, 10_000_000)), /extends past the end of the file/);
});

test('a TIFF claiming 10^6 x 10^6 pixels is refused before allocating', async () => {
  const huge = patchTag(patchTag(tiff, 256, 1_000_000, 4), 257, 1_000_000, 4);
  await rejectsWith(file('huge.tif', huge), /1000000 x 1000000 x 1 pixels exceeds the limit of 2147483648/);
});

test('unknown and unsupported compression, bad predictor, unsupported sample type', async () => {
  await rejectsWith(
    file('jpeg.tif', patchTag(tiff, 259, 7)),
    /unsupported TIFF compression 7 \(JPEG\); supported: 1 none/,
  );
  await rejectsWith(
    file('c999.tif', patchTag(tiff, 259, 999)),
    /unsupported TIFF compression 999 \(unknown\)/,
  );
  const pred = new Uint8Array(readFileSync(join(FIXTURES, 'tiff_deflate_pred.tif')));
  await rejectsWith(file('pred.tif', patchTag(pred, 317, 7)), /unknown TIFF predictor 7/);
  await rejectsWith(
    file('bits12.tif', patchTag(tiff, 258, 12)),
    /12-bit unsigned integer samples are not supported/,
  );
});

test('corrupt compressed TIFF data: deflate and LZW', async () => {
  const deflate = new Uint8Array(readFileSync(join(FIXTURES, 'tiff_deflate.tif')));
  const broken = deflate.slice();
  for (let i = 200; i < 260; i++) broken[i] = 0xff ^ broken[i]!;
  await rejectsWith(file('deflate_bad.tif', broken), /Deflate data is corrupt|truncated or corrupt/);
  const lzw = new Uint8Array(readFileSync(join(FIXTURES, 'tiff_lzw_u16.tif')));
  const brokenLzw = lzw.slice();
  for (let i = 20; i < brokenLzw.length - 400; i += 7) brokenLzw[i] = 0xff;
  await assert.rejects(readImage(file('lzw_bad.tif', brokenLzw)), ImageFileError);
});

test('an IFD chain that loops back is reported, not followed forever', async () => {
  const looped = tiff.slice();
  const view = new DataView(looped.buffer);
  const ifd = view.getUint32(4, true);
  const count = view.getUint16(ifd, true);
  view.setUint32(ifd + 2 + count * 12, ifd, true); // next IFD = this IFD
  await rejectsWith(file('loop.tif', looped), /IFD chain loops back to offset/);
});

test('random truncations and byte flips never escape as anything but ImageFileError', async () => {
  let seed = 12_345;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (const [name, bytes] of [
    ['f.tif', tiff],
    ['f.png', png],
    ['l.tif', new Uint8Array(readFileSync(join(FIXTURES, 'tiff_lzw_pred_u16.tif')))],
  ] as const) {
    for (let k = 0; k < 40; k++) {
      const mutated = k % 2 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes.slice();
      if (k % 2 === 0)
        for (let j = 0; j < 8; j++) mutated[Math.floor(random() * bytes.length)] = random() * 256;
      const path = file(`${k}-${name}`, mutated);
      try {
        await readImage(path);
      } catch (error) {
        assert.ok(error instanceof ImageFileError && error.message.startsWith(path), String(error));
      }
    }
  }
});

/** A PNG chunk with a valid CRC (computed with the table from the PNG spec, annex D). */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const body = new Uint8Array(4 + data.length);
  body.set(new TextEncoder().encode(type));
  body.set(data, 4);
  let c = -1;
  for (const b of body) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(body, 4);
  view.setUint32(8 + data.length, (c ^ -1) >>> 0);
  return out;
}

function pngOf(width: number, height: number, idat: Uint8Array): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8;
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

test('truncated, corrupt and oversized PNG', async () => {
  await rejectsWith(file('p10.png', png.subarray(0, 10)), /PNG is truncated/);
  await rejectsWith(file('phalf.png', png.subarray(0, png.length >> 1)), /PNG is truncated/);
  const flipped = png.slice();
  flipped[png.length >> 1] = flipped[png.length >> 1]! ^ 0x55;
  await rejectsWith(file('pcrc.png', flipped), /PNG is corrupt: CRC mismatch in chunk IDAT/);
  await rejectsWith(
    file('phuge.png', pngOf(1_000_000, 1_000_000, deflateSync(new Uint8Array(10)))),
    /1000000 x 1000000 x 1 pixels exceeds the limit/,
  );
  // a valid stream that inflates to far more than 4 x 4 pixels need (decompression bomb)
  await rejectsWith(
    file('pbomb.png', pngOf(4, 4, deflateSync(new Uint8Array(50_000_000)))),
    /PNG image data is corrupt/,
  );
  await rejectsWith(
    file('pshort.png', pngOf(64, 64, deflateSync(new Uint8Array(100)))),
    /inflates to 100 of 4160 bytes/,
  );
});

test('writer errors name the file', async () => {
  const float = fromData(new Float32Array(4), 2, 2);
  assert.throws(
    () => encodeImage(float, 'x.png'),
    /x\.png: PNG holds only uint8 or uint16 pixels, got float32/,
  );
  assert.throws(() => encodeImage(float, 'x.jpg'), /x\.jpg: cannot tell the format from the extension/);
  await assert.rejects(
    writeImage(join(dir, 'no', 'such', 'dir.tif'), float),
    /dir\.tif: cannot write the file/,
  );
});
