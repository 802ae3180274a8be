// Reading a 2048 x 2048 uint16 TIFF (uncompressed, and Deflate) written by tifffile: ours (readImage) against
// tifffile.imread on the same files (bench/peers/io_tifffile_read.py), both from a warm file cache. The check
// asserts our pixels equal the array tifffile wrote (saved beside the files as .npy).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Image } from '../src/image/image.ts';
import { readImage } from '../src/io/index.ts';
import { readNpy } from '../src/io/npy.ts';
import type { Benchmark } from './harness.ts';

const DIR = join(tmpdir(), 'phenoscope-bench-io');
const PEER = 'bench/peers/io_tifffile_read.py';

interface Context {
  path: string;
  expected: Uint16Array;
}

async function setup(file: string): Promise<Context> {
  if (!existsSync(join(DIR, 'u16.npy'))) {
    const r = spawnSync('/usr/bin/python3', [PEER, 'write', DIR], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${PEER} write failed: ${r.stderr}`);
  }
  return { path: join(DIR, file), expected: (await readNpy(join(DIR, 'u16.npy'))).data as Uint16Array };
}

function check(result: unknown, context: Context): void {
  const image = result as Image;
  if (image.dtype !== 'uint16' || image.width !== 2048 || image.height !== 2048) {
    throw new Error(`read ${image.width} x ${image.height} ${image.dtype}, expected 2048 x 2048 uint16`);
  }
  const data = image.data;
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== context.expected[i]) throw new Error(`pixel ${i}: ${data[i]} != ${context.expected[i]}`);
  }
}

export const benchmarks: Benchmark<Context>[] = [
  {
    name: 'read 2048x2048 uint16 TIFF (uncompressed)',
    setup: () => setup('u16_none.tif'),
    run: (c) => readImage(c.path),
    repeats: 15,
    check,
    peer: (c) => ({ name: 'tifffile.imread', script: PEER, args: ['read', c.path] }),
  },
  {
    name: 'read 2048x2048 uint16 TIFF (Deflate)',
    setup: () => setup('u16_deflate.tif'),
    run: (c) => readImage(c.path),
    repeats: 15,
    check,
    peer: (c) => ({ name: 'tifffile.imread', script: PEER, args: ['read', c.path] }),
  },
];
