# Peer for bench/io.bench.ts: tifffile.imread of the same 2048 x 2048 uint16 TIFF files.
#   io_tifffile_read.py write DIR   writes DIR/u16_none.tif, DIR/u16_deflate.tif (tifffile, zlib level 6) and
#                                   DIR/u16.npy: a seeded 12-bit fluorescence-like field (noisy background + blobs)
#   io_tifffile_read.py read FILE   prints {"median_ms": ..., "sum": ...} over 15 timed reads after one warm-up
import json
import pathlib
import sys
import time

import numpy as np
import tifffile


def field():
    rng = np.random.default_rng(2048)
    size = 2048
    f = 200 + rng.normal(0, 30, (size, size))
    yy, xx = np.mgrid[0:64, 0:64]
    for _ in range(600):
        cy, cx = rng.integers(0, size - 64, 2)
        r = rng.uniform(5, 14)
        a = rng.uniform(500, 3000)
        f[cy:cy + 64, cx:cx + 64] += a * np.exp(-((yy - 32) ** 2 + (xx - 32) ** 2) / (2 * r * r))
    return np.clip(np.round(f), 0, 4095).astype('uint16')


def main():
    if sys.argv[1] == 'write':
        out = pathlib.Path(sys.argv[2])
        out.mkdir(parents=True, exist_ok=True)
        a = field()
        tifffile.imwrite(out / 'u16_none.tif', a)
        tifffile.imwrite(out / 'u16_deflate.tif', a, compression=('zlib', 6))
        np.save(out / 'u16.npy', a)
        return
    path = sys.argv[2]
    a = tifffile.imread(path)  # warm-up (file cache)
    times = []
    for _ in range(15):
        t0 = time.perf_counter()
        a = tifffile.imread(path)
        times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({'median_ms': float(np.median(times)), 'sum': int(a.sum(dtype=np.uint64)),
                      'tifffile': tifffile.__version__}))


main()
