# Peer for bench/measure.bench.ts: CellProfiler's MeasureObjectSizeShape / MeasureObjectIntensity work done with
# scikit-image regionprops, scipy.ndimage and numpy (what CellProfiler itself calls), on the .npy label and
# intensity images the benchmark wrote. Zernike moments use a vectorised numpy version of centrosome's method
# (centrosome is not installed here) in each object's minimum enclosing circle (brute force over hull points).
# Usage: /usr/bin/python3 bench/peers/measure_regionprops.py MODE LABELS.npy IMAGE.npy [REPEATS]
#   MODE: areashape | areashape_zernike | intensity | all; prints {"median_ms": ...}.
import itertools
import json
import statistics
import sys
import time

import numpy as np
import scipy.ndimage as ndi
import skimage.measure as skm
import skimage.segmentation as sks
from scipy.spatial import ConvexHull
from scipy.spatial.distance import pdist

mode, labels_path, image_path = sys.argv[1], sys.argv[2], sys.argv[3]
repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 5
labels = np.load(labels_path).astype(np.int32)
image = np.load(image_path).astype(np.float32) / np.float32(65535)

PROPS = ['label', 'image', 'area', 'perimeter', 'bbox', 'bbox_area', 'major_axis_length', 'minor_axis_length',
         'orientation', 'centroid', 'equivalent_diameter', 'extent', 'eccentricity', 'convex_area', 'solidity',
         'euler_number']
ZN = [(n, m) for n in range(10) for m in range(n % 2, n + 1, 2)]


def enclosing_circle(pts):
    """Smallest circle through 2 or 3 hull points that encloses all of them (vectorised brute force)."""
    n = len(pts)
    pairs = np.array(list(itertools.combinations(range(n), 2)))
    centres = [(pts[pairs[:, 0]] + pts[pairs[:, 1]]) / 2]
    if n >= 3:
        t = np.array(list(itertools.combinations(range(n), 3)))
        A, B, C = pts[t[:, 0]], pts[t[:, 1]], pts[t[:, 2]]
        D = 2 * (A[:, 0] * (B[:, 1] - C[:, 1]) + B[:, 0] * (C[:, 1] - A[:, 1]) + C[:, 0] * (A[:, 1] - B[:, 1]))
        ok = np.abs(D) > 1e-12
        a2, b2, c2 = (A * A).sum(1), (B * B).sum(1), (C * C).sum(1)
        ux = (a2 * (B[:, 1] - C[:, 1]) + b2 * (C[:, 1] - A[:, 1]) + c2 * (A[:, 1] - B[:, 1]))[ok] / D[ok]
        uy = (a2 * (C[:, 0] - B[:, 0]) + b2 * (A[:, 0] - C[:, 0]) + c2 * (B[:, 0] - A[:, 0]))[ok] / D[ok]
        centres.append(np.column_stack([ux, uy]))
    centres = np.vstack(centres)
    d = np.sqrt(((centres[:, None, :] - pts[None, :, :]) ** 2).sum(-1))
    r = d.max(1)
    best = np.argmin(r)
    return centres[best], r[best]


def zernike(coords):
    pts = coords.astype(float)
    hull = pts[ConvexHull(pts).vertices] if len(pts) > 3 else pts
    c, r = enclosing_circle(hull)
    y = (pts[:, 0] - c[0]) / r
    x = (pts[:, 1] - c[1]) / r
    r2 = x * x + y * y
    z = y + 1j * x
    out = []
    for n, m in ZN:
        s = np.zeros_like(r2)
        for k in range((n - m) // 2 + 1):
            s = s * r2 + ((-1) ** k) * np.math.factorial(n - k) / (
                np.math.factorial(k) * np.math.factorial((n + m) // 2 - k) * np.math.factorial((n - m) // 2 - k))
        s[r2 > 1] = 0
        out.append(abs(np.sum(s * z ** m)) / (np.pi * r * r))
    return out


def areashape(with_zernike):
    props = skm.regionprops_table(labels, properties=PROPS)
    result = dict(props)
    radii = []
    ferets = []
    zs = []
    for img, bbox_r, bbox_c in zip(props['image'], props['bbox-0'], props['bbox-1']):
        mini = np.pad(img, 1)
        d = ndi.distance_transform_edt(mini)[mini]
        radii.append((d.max(), d.mean(), np.median(d)))
        coords = np.argwhere(img) + [bbox_r, bbox_c]
        hull = coords[ConvexHull(coords).vertices] if len(coords) > 3 else coords
        ferets.append(pdist(hull).max() if len(hull) > 1 else 0.0)
        if with_zernike:
            zs.append(zernike(coords))
    result['radii'] = radii
    result['feret'] = ferets
    result['zernike'] = zs
    return result


def intensity():
    idx = np.unique(labels)
    idx = idx[idx > 0]
    mask = labels > 0
    limg = image[mask]
    llab = labels[mask]
    out = {
        'sum': ndi.sum(limg, llab, idx), 'mean': ndi.mean(limg, llab, idx),
        'std': ndi.standard_deviation(limg, llab, idx), 'min': ndi.minimum(limg, llab, idx),
        'max': ndi.maximum(limg, llab, idx), 'maxpos': ndi.maximum_position(image, labels, idx),
        'com': ndi.center_of_mass(image, labels, idx),
    }
    order = np.lexsort((limg, llab))
    areas = np.bincount(llab)[idx]
    starts = np.cumsum(areas) - areas
    for f in (0.25, 0.5, 0.75):
        q = starts + areas * f
        qi = np.minimum(q.astype(int), starts + areas - 1)
        out[f] = limg[order[qi]]
    edge = sks.find_boundaries(labels, mode='inner')
    out['edge'] = ndi.sum(image[edge], labels[edge], idx)
    return out


ops = {
    'areashape': lambda: areashape(False),
    'areashape_zernike': lambda: areashape(True),
    'intensity': intensity,
    'all': lambda: (areashape(True), intensity()),
}
fn = ops[mode]
fn()
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    fn()
    times.append((time.perf_counter() - t0) * 1000)
print(json.dumps({'median_ms': statistics.median(times), 'mode': mode, 'objects': int(labels.max())}))
