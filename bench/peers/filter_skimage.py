# Peer for bench/filter.bench.ts: times one scipy/scikit-image operation on the .npy image the benchmark wrote.
# Usage: /usr/bin/python3 bench/peers/filter_skimage.py OP PATH [REPEATS]; prints {"median_ms": ...}.
import json
import statistics
import sys
import time

import numpy as np
from skimage import filters, morphology

op, path = sys.argv[1], sys.argv[2]
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 7
image = np.load(path)
disk2 = morphology.disk(2)
disk3 = morphology.disk(3)
disk10 = morphology.disk(10)
ops = {
    'gaussian': lambda: filters.gaussian(image, sigma=2, preserve_range=True),
    'median': lambda: filters.median(image, disk2),
    'otsu': lambda: filters.threshold_otsu(image),
    'dilate': lambda: morphology.dilation(image, disk3),
    'erode': lambda: morphology.erosion(image, disk3),
    'dilate10': lambda: morphology.dilation(image, disk10),
    'li': lambda: filters.threshold_li(image),
}
fn = ops[op]
fn()  # warm-up, as the harness does for ours
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    fn()
    times.append((time.perf_counter() - t0) * 1000)
print(json.dumps({'median_ms': statistics.median(times), 'op': op, 'shape': list(image.shape)}))
