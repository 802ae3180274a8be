# Peer for bench/segment.bench.ts: scikit-image's classical nuclei pipeline (Otsu, fill holes, remove small
# objects, distance transform, peak_local_max per object, watershed) on the same uint16 field (.npy), one thread.
# Prints {"median_ms": ..., "objects": ...}.
import json
import os
import sys
import time

os.environ.setdefault('OMP_NUM_THREADS', '1')
import numpy as np
from scipy import ndimage as ndi
from skimage.feature import peak_local_max
from skimage.filters import gaussian, threshold_otsu
from skimage.measure import label
from skimage.morphology import remove_small_objects
from skimage.segmentation import watershed

image = np.load(sys.argv[1])
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5


def segment(img):
    smoothed = gaussian(img, 1, preserve_range=True)
    mask = remove_small_objects(ndi.binary_fill_holes(smoothed > threshold_otsu(smoothed)), 16)
    labels0 = label(mask)
    dist = ndi.distance_transform_edt(mask)
    peaks = peak_local_max(dist, min_distance=7, labels=labels0, exclude_border=False)
    markers = np.zeros(img.shape, np.int32)
    markers[tuple(peaks.T)] = np.arange(1, len(peaks) + 1)
    return watershed(-dist, markers, mask=mask)


segment(image)
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    out = segment(image)
    times.append((time.perf_counter() - t0) * 1000)
print(json.dumps({'median_ms': float(np.median(times)), 'objects': int(out.max())}))
