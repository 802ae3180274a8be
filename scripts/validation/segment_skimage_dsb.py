# scikit-image's classical nuclei recipe on the fluorescence images of the DSB 2018 dev set, for
# docs/validation/segmentation.md: Otsu threshold, hole filling, Euclidean distance transform, peak_local_max
# markers (min_distance, per object), specks below min_size pixels removed, watershed on the inverted distance (the skimage gallery recipe).
# Writes <out>/<id>_labels.tiff and prints F1 / AP with an independent implementation of the metric.
#
# usage: /usr/bin/python3 scripts/validation/segment_skimage_dsb.py [DSB_DEV_ROOT] [OUT_DIR] [MIN_DISTANCE] [MIN_SIZE]
import csv
import glob
import os
import sys

import numpy as np
from PIL import Image
from scipy import ndimage as ndi
from skimage.feature import peak_local_max
from skimage.filters import threshold_otsu
from skimage.measure import label
from skimage.morphology import remove_small_objects
from skimage.segmentation import watershed
import tifffile

root = sys.argv[1] if len(sys.argv) > 1 else '../shared/data/dsb2018_nuclei_dev'
out = sys.argv[2] if len(sys.argv) > 2 else '/tmp/phenoscope_skimage_dsb'
min_distance = int(sys.argv[3]) if len(sys.argv) > 3 else 7
min_size = int(sys.argv[4]) if len(sys.argv) > 4 else 16
os.makedirs(out, exist_ok=True)


def segment(img):
    t = threshold_otsu(img)
    mask = remove_small_objects(ndi.binary_fill_holes(img > t), min_size)
    labels0 = label(mask)
    dist = ndi.distance_transform_edt(mask)
    peaks = peak_local_max(dist, min_distance=min_distance, labels=labels0, exclude_border=False)
    markers = np.zeros(img.shape, np.int32)
    markers[tuple(peaks.T)] = np.arange(1, len(peaks) + 1)
    labels = watershed(-dist, markers, mask=mask)
    # objects without a peak (tiny) are kept as they are
    rest = label(mask & (labels == 0))
    labels[rest > 0] = rest[rest > 0] + labels.max()
    return labels


def counts(pred, true, thresholds):
    p_ids, p_area = np.unique(pred[pred > 0], return_counts=True)
    t_ids, t_area = np.unique(true[true > 0], return_counts=True)
    both = (pred > 0) & (true > 0)
    pairs, inter = np.unique(np.stack([pred[both], true[both]]), axis=1, return_counts=True)
    pa = dict(zip(p_ids, p_area))
    ta = dict(zip(t_ids, t_area))
    ious = np.array([n / (pa[p] + ta[t] - n) for (p, t), n in zip(pairs.T, inter)])
    rows = []
    for th in thresholds:
        tp = int((ious > th).sum())
        rows.append((tp, len(p_ids) - tp, len(t_ids) - tp))
    return rows


thresholds = [0.5 + 0.05 * k for k in range(10)]
total = np.zeros((10, 3), int)
with open(os.path.join(root, 'manifest.csv')) as f:
    fluo = [r['image_id'] for r in csv.DictReader(f) if r['modality'] == 'fluo']
for image_id in fluo:
    sample = os.path.join(root, 'stage1_train', image_id)
    img = np.array(Image.open(os.path.join(sample, 'images', image_id + '.png')))[..., 0]
    true = np.zeros(img.shape, np.int32)
    for k, m in enumerate(sorted(glob.glob(os.path.join(sample, 'masks', '*.png'))), start=1):
        true[np.array(Image.open(m)) > 0] = k
    labels = segment(img)
    tifffile.imwrite(os.path.join(out, image_id + '_labels.tiff'), labels.astype(np.uint16))
    total += np.array(counts(labels, true, thresholds))
tp, fp, fn = total.T
ap = tp / (tp + fp + fn)
f1 = 2 * tp / (2 * tp + fp + fn)
print(f'skimage (Otsu + EDT + peak_local_max(min_distance={min_distance}) + watershed, min size {min_size}) on {len(fluo)} images: '
      f'F1@0.5 {f1[0]:.4f}  AP@0.5 {ap[0]:.4f}  mean AP(0.5:0.95) {ap.mean():.4f}  predicted {tp[0] + fp[0]}')
