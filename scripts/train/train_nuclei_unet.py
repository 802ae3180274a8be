"""Train Phenoscope's default nuclei segmentation CNN (a small 2D U-Net with 3-class output: background,
nucleus interior, nucleus boundary; Ronneberger et al. 2015, with the boundary class of the DSB 2018 winning
solutions) on ../shared/data/dsb2018_nuclei_train plus optional simulator fields (--sim), with PyTorch on the CPU
(Debian's python3-torch) or a CUDA GPU when one is present, and export it to ONNX as a bioimage.io-style package
under models/nuclei-unet/. dsb2018_nuclei_dev is never read here.

Reproduce (models/nuclei-unet/README.md gives the exact command of the committed weights):
  /usr/bin/python3 scripts/train/train_nuclei_unet.py            CPU: 8,000 steps of 8 x 128 x 128 crops, seed 0,
      one thread, bfloat16 autocast, touching-nuclei weight 2, deterministic; about 0.33 s per step on a quiet
      2-core machine with AVX512-BF16 (41 minutes for the committed weights, validation passes included)
  /usr/bin/python3 scripts/train/train_nuclei_unet.py --pack data.npz --sim DIR...   pack the training images
      (and simulator fields) into one compressed file, e.g. to train on another machine with --data data.npz
The product runs the exported ONNX in TypeScript (src/deep/); Python is used for training only.

Input normalisation (mirrored exactly by src/deep/nucleiModel.ts): grey = mean of the RGB channels (or the
single channel); x = (grey - p1) / (p99.8 - p1) with percentiles over the whole image; if the median of x is
above 0.5 (bright background: brightfield or H&E), x = 1 - x.
"""
import argparse
import hashlib
import json
import os
import pathlib
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from scipy import ndimage as ndi

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = pathlib.Path(os.environ.get('PHENOSCOPE_SHARED_DATA', ROOT.parent / 'shared' / 'data'))
OUT = ROOT / 'models' / 'nuclei-unet'


def normalize(grey):
    grey = grey.astype(np.float32)
    lo, hi = np.percentile(grey, (1.0, 99.8))
    x = (grey - lo) / max(hi - lo, 1e-6)
    if np.median(x) > 0.5:
        x = 1.0 - x
    return x.astype(np.float32)


def read_dsb_raw():
    """The DSB training images as stored integers: grey (uint8) when the channels are equal, else the RGB sum
    (uint16, divisor 3), so that the grey value (mean of RGB) is reproduced exactly from a packed file."""
    root = DATA / 'dsb2018_nuclei_train'
    manifest = [line.split(',') for line in (root / 'manifest.csv').read_text().strip().split('\n')[1:]]
    ids, modalities, raws, divisors, labels = [], [], [], [], []
    for k, row in enumerate(manifest):
        image_id, modality = row[0], row[1]
        folder = root / 'stage1_train' / image_id
        img = np.asarray(Image.open(folder / 'images' / f'{image_id}.png'))
        lab = np.zeros(img.shape[:2], np.uint16)
        for j, mask_file in enumerate(sorted((folder / 'masks').glob('*.png'))):
            lab[np.asarray(Image.open(mask_file)) > 0] = j + 1
        if img.ndim == 3 and np.all(img[..., :3] == img[..., :1]):
            raw, div = img[..., 0].astype(np.uint8), 1
        elif img.ndim == 3:
            raw, div = img[..., :3].astype(np.uint16).sum(axis=2).astype(np.uint16), 3
        else:
            raw, div = img, 1
        ids.append(image_id)
        modalities.append(modality)
        raws.append(raw)
        divisors.append(div)
        labels.append(lab)
        if k % 50 == 0:
            print(f'loaded {k}/{len(manifest)} images', flush=True)
    return ids, modalities, raws, divisors, labels


def read_sim_raw(folders):
    """Simulator fields (`phenoscope simulate --out DIR`): the DNA channel (w1) and its ground-truth nuclei."""
    ids, raws, labels = [], [], []
    for folder in folders:
        folder = pathlib.Path(folder)
        for truth in sorted((folder / 'truth').glob('*_nuclei.tif')):
            image = folder / 'images' / truth.name.replace('_nuclei.tif', '_w1.tif')
            ids.append(f'sim:{folder.name}/{image.name}')
            raws.append(np.asarray(Image.open(image)))
            labels.append(np.asarray(Image.open(truth)).astype(np.uint16))
    return ids, raws, labels


def pack(path, sim_folders):
    ids, modalities, raws, divisors, labels = read_dsb_raw()
    sim_ids, sim_raws, sim_labels = read_sim_raw(sim_folders)
    arrays = {'ids': np.array(ids + sim_ids), 'modalities': np.array(modalities + ['sim'] * len(sim_ids)),
              'divisors': np.array(divisors + [1] * len(sim_ids))}
    for k, (r, l) in enumerate(zip(raws + sim_raws, labels + sim_labels)):
        arrays[f'raw{k}'] = r
        arrays[f'lab{k}'] = l
    np.savez_compressed(path, **arrays)
    print(f'packed {len(ids)} DSB images and {len(sim_ids)} simulator fields into {path}', flush=True)


def load_dataset(data=None, sim_folders=()):
    """ids, modalities ('fluo', 'brightfield', 'he_colour' or 'sim'), normalised images, labels."""
    if data:
        z = np.load(data)
        ids, modalities, divisors = list(z['ids']), list(z['modalities']), list(z['divisors'])
        raws = [z[f'raw{k}'] for k in range(len(ids))]
        labels = [z[f'lab{k}'].astype(np.int32) for k in range(len(ids))]
    else:
        ids, modalities, raws, divisors, labels = read_dsb_raw()
        sim_ids, sim_raws, sim_labels = read_sim_raw(sim_folders)
        ids, modalities = ids + sim_ids, modalities + ['sim'] * len(sim_ids)
        raws, divisors = raws + sim_raws, divisors + [1] * len(sim_ids)
        labels = [l.astype(np.int32) for l in labels + sim_labels]
    images = [normalize(r.astype(np.float32) / d) for r, d in zip(raws, divisors)]
    return [str(i) for i in ids], [str(m) for m in modalities], images, labels


def classes_from_labels(lab, contact_radius=0):
    """0 background, 1 interior, 2 boundary (object pixels with a 4-neighbour of another value). With
    contact_radius r > 0, pixels whose (2r+1)^2 window holds two different nuclei (the gaps and borders between
    touching or nearly touching nuclei) get 3 added to their class (3, 4, 5), so that the flag follows every crop,
    flip and rotation of the target; training splits it off again and weights those pixels (--touch-weight)."""
    cls = (lab > 0).astype(np.int64)
    pad = np.pad(lab, 1, mode='edge')
    edge = np.zeros(lab.shape, bool)
    for dy, dx in ((0, 1), (2, 1), (1, 0), (1, 2)):
        edge |= pad[dy:dy + lab.shape[0], dx:dx + lab.shape[1]] != lab
    cls[(lab > 0) & edge] = 2
    if contact_radius > 0:
        size = 2 * contact_radius + 1
        big = np.iinfo(np.int32).max
        hi = ndi.maximum_filter(lab, size=size, mode='constant', cval=0)
        lo = ndi.minimum_filter(np.where(lab > 0, lab, big), size=size, mode='constant', cval=big)
        cls[(hi > 0) & (lo < big) & (hi != lo)] += 3
    return cls


def block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, base=16, depth=4, classes=3):
        super().__init__()
        chans = [base * 2 ** i for i in range(depth)]
        self.down = nn.ModuleList()
        cin = 1
        for c in chans:
            self.down.append(block(cin, c))
            cin = c
        self.up = nn.ModuleList()
        self.upconv = nn.ModuleList()
        for c in reversed(chans[:-1]):
            self.upconv.append(nn.ConvTranspose2d(cin, c, 2, stride=2))
            self.up.append(block(2 * c, c))
            cin = c
        self.head = nn.Conv2d(cin, classes, 1)

    def forward(self, x):
        skips = []
        for i, b in enumerate(self.down):
            x = b(x)
            if i < len(self.down) - 1:
                skips.append(x)
                x = F.max_pool2d(x, 2)
        for upc, b in zip(self.upconv, self.up):
            x = upc(x)
            x = b(torch.cat([x, skips.pop()], 1))
        return torch.softmax(self.head(x), 1)


def sample_batch(rng, images, targets, n, size):
    xs, ys = [], []
    for _ in range(n):
        k = rng.integers(len(images))
        img, tgt = images[k], targets[k]
        scale = float(np.exp(rng.uniform(np.log(0.6), np.log(1.7))))
        src = int(round(size / scale))
        h, w = img.shape
        if h < src or w < src:
            ph, pw = max(0, src - h), max(0, src - w)
            img = np.pad(img, ((0, ph), (0, pw)), mode='reflect' if min(h, w) > max(ph, pw) else 'edge')
            tgt = np.pad(tgt, ((0, ph), (0, pw)), mode='reflect' if min(h, w) > max(ph, pw) else 'edge')
            h, w = img.shape
        y0, x0 = rng.integers(h - src + 1), rng.integers(w - src + 1)
        ci = torch.from_numpy(np.ascontiguousarray(img[y0:y0 + src, x0:x0 + src]))[None, None]
        ct = torch.from_numpy(np.ascontiguousarray(tgt[y0:y0 + src, x0:x0 + src]))[None, None].float()
        ci = F.interpolate(ci, size=(size, size), mode='bilinear', align_corners=False)
        ct = F.interpolate(ct, size=(size, size), mode='nearest')
        if rng.random() < 0.5:
            ci, ct = ci.flip(3), ct.flip(3)
        if rng.random() < 0.5:
            ci, ct = ci.flip(2), ct.flip(2)
        r = int(rng.integers(4))
        ci, ct = torch.rot90(ci, r, (2, 3)), torch.rot90(ct, r, (2, 3))
        # intensity: gain (dim vs bright images), gamma, blur, noise
        ci = ci.clamp(min=0) * float(rng.uniform(0.5, 1.5))
        ci = ci ** float(np.exp(rng.uniform(np.log(0.7), np.log(1.4))))
        if rng.random() < 0.3:
            sigma = float(rng.uniform(0.5, 1.5))
            ci = torch.from_numpy(ndi.gaussian_filter(ci.numpy(), (0, 0, sigma, sigma)))
        if rng.random() < 0.5:
            ci = ci + torch.randn_like(ci) * float(rng.uniform(0, 0.06))
        xs.append(ci)
        ys.append(ct)
    return torch.cat(xs).float(), torch.cat(ys).long()[:, 0]


class Batches(torch.utils.data.IterableDataset):
    """Endless augmented batches; each DataLoader worker draws from its own generator (seed, worker id)."""

    def __init__(self, seed, images, targets, n, size):
        self.seed, self.images, self.targets, self.n, self.size = seed, images, targets, n, size

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        torch.set_num_threads(1)
        rng = np.random.default_rng([self.seed, info.id if info else 0])
        while True:
            yield sample_batch(rng, self.images, self.targets, self.n, self.size)


def predict(model, img, device='cpu'):
    h, w = img.shape
    ph, pw = (-h) % 8, (-w) % 8
    x = torch.from_numpy(np.pad(img, ((0, ph), (0, pw)), mode='reflect'))[None, None].to(device)
    with torch.no_grad():
        p = model(x)[0, :, :h, :w].cpu().numpy()
    return p


def postprocess(p, min_seed=4, min_size=8, seed_t=0.8, fg_t=0.7):
    """Same rule as src/deep/instances.ts: seeds = components of interior > 0.8; watershed of -interior within
    foreground (interior + boundary > 0.7); foreground components without a seed are objects too."""
    from skimage.segmentation import watershed
    fg = (p[1] + p[2]) > fg_t
    seeds, n = ndi.label(p[1] > seed_t)
    if n:
        sizes = np.bincount(seeds.ravel())
        seeds[sizes[seeds] < min_seed] = 0
    lab = watershed(-p[1], seeds, mask=fg)
    orphans, k = ndi.label(fg & (lab == 0))
    if k:
        lab[orphans > 0] = orphans[orphans > 0] + lab.max()
    if lab.max():
        sizes = np.bincount(lab.ravel())
        lab[sizes[lab] < min_size] = 0
    return lab


def f1_at_05(pred, truth):
    tp = fp = fn = 0
    for a, b in zip(pred, truth):
        na, nb = a.max(), b.max()
        if na == 0 or nb == 0:
            fp += na
            fn += nb
            continue
        inter = np.bincount(a.ravel() * (nb + 1) + b.ravel(), minlength=(na + 1) * (nb + 1)).reshape(na + 1, nb + 1)
        area_a, area_b = inter.sum(1), inter.sum(0)
        iou = inter[1:, 1:] / (area_a[1:, None] + area_b[None, 1:] - inter[1:, 1:])
        m = int((iou > 0.5).sum())
        tp += m
        fp += na - m
        fn += nb - m
    return 2 * tp / max(2 * tp + fp + fn, 1)


def write_package_yaml(base, depth):
    """bioimage.io-style description (format 0.5) of the exported package. The test tensors are already
    normalised by `normalize` above (percentiles and inversion are Phenoscope's rule, not a bioimage.io step)."""
    text = """format_version: 0.5.4
type: model
name: Phenoscope nuclei U-Net (3-class)
description: >-
  2D U-Net (DEPTH levels, BASE base channels) predicting background / nucleus interior / nucleus boundary
  probabilities, trained by scripts/train/train_nuclei_unet.py on DSB 2018 training images. Input: one channel
  normalised by Phenoscope's rule (src/deep/nucleiModel.ts): (x - p1) / (p99.8 - p1), inverted when the median
  exceeds 0.5. Instances: src/deep/instances.ts.
authors:
  - name: Phenoscope contributors
license: MIT
cite:
  - text: 'Ronneberger, Olaf et al. U-net: Convolutional networks for biomedical image segmentation. MICCAI 2015.'
    doi: 10.1007/978-3-319-24574-4_28
  - text: 'Caicedo et al. Nucleus segmentation across imaging experiments: the 2018 Data Science Bowl. Nat Methods 2019.'
    doi: 10.1038/s41592-019-0612-7
inputs:
  - id: raw
    axes:
      - type: batch
      - type: channel
        channel_names: [normalised_intensity]
      - {type: space, id: y, size: {min: 8, step: 8}}
      - {type: space, id: x, size: {min: 8, step: 8}}
    test_tensor: {source: test_input.npy}
outputs:
  - id: probability
    axes:
      - type: batch
      - type: channel
        channel_names: [background, interior, boundary]
      - {type: space, id: y, size: {tensor_id: raw, axis_id: y}}
      - {type: space, id: x, size: {tensor_id: raw, axis_id: x}}
    test_tensor: {source: test_output.npy}
weights:
  onnx:
    source: weights.onnx
    opset_version: 13
"""
    (OUT / 'bioimageio.yaml').write_text(text.replace('DEPTH', str(depth)).replace('BASE', str(base)))


def export_package(model, val_image, base, depth):
    """weights.onnx (opset 13, dynamic batch/height/width), test tensors (a 256x256 crop of a validation image),
    the bioimage.io description and the weights' SHA-256 in metrics.json."""
    dummy = torch.zeros(1, 1, 256, 256)
    kwargs = dict(input_names=['raw'], output_names=['probability'], opset_version=13,
                  dynamic_axes={'raw': {0: 'batch', 2: 'y', 3: 'x'}, 'probability': {0: 'batch', 2: 'y', 3: 'x'}})
    try:
        torch.onnx.export(model, dummy, str(OUT / 'weights.onnx'), dynamo=False, **kwargs)
    except TypeError:  # PyTorch before 2.5 has only the TorchScript exporter
        torch.onnx.export(model, dummy, str(OUT / 'weights.onnx'), **kwargs)
    crop = np.pad(val_image, ((0, max(0, 256 - val_image.shape[0])), (0, max(0, 256 - val_image.shape[1]))),
                  mode='reflect')[:256, :256]
    test_in = crop[None, None].astype(np.float32)
    with torch.no_grad():
        test_out = model(torch.from_numpy(test_in)).numpy().astype(np.float32)
    np.save(OUT / 'test_input.npy', test_in)
    np.save(OUT / 'test_output.npy', test_out)
    metrics = json.loads((OUT / 'metrics.json').read_text())
    metrics['weights_sha256'] = hashlib.sha256((OUT / 'weights.onnx').read_bytes()).hexdigest()
    metrics['exported_with_torch'] = torch.__version__
    (OUT / 'metrics.json').write_text(json.dumps(metrics, indent=1))
    write_package_yaml(base, depth)


def choose_thresholds(probs, truths):
    """Post-processing thresholds with the best F1@0.5 on the given validation images (grid of 0.1 steps)."""
    grid = []
    for seed_t in (0.5, 0.6, 0.7, 0.8, 0.9):
        for fg_t in (0.3, 0.4, 0.5, 0.6, 0.7):
            f1 = f1_at_05([postprocess(p, seed_t=seed_t, fg_t=fg_t) for p in probs], truths)
            grid.append({'seed': seed_t, 'foreground': fg_t, 'val_fluo_f1_at_0.5': round(f1, 4)})
    return max(grid, key=lambda g: g['val_fluo_f1_at_0.5']), grid


def main():
    global OUT  # --out may redirect the package folder
    ap = argparse.ArgumentParser()
    ap.add_argument('--steps', type=int, default=8000)
    ap.add_argument('--out', default=str(OUT), help='package folder to write')
    ap.add_argument('--max-minutes', type=float, default=0,
                    help='stop after this wall time (0: never); the learning-rate schedule then follows the time')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--size', type=int, default=128)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--base', type=int, default=16, help='channels of the first U-Net level')
    ap.add_argument('--depth', type=int, default=4, help='U-Net levels')
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--eval-every', type=int, default=500)
    ap.add_argument('--device', default='auto', help='auto (cuda when available), cpu or cuda')
    ap.add_argument('--workers', type=int, default=0, help='DataLoader processes for augmentation (0: in-process)')
    ap.add_argument('--data', help='packed training data written by --pack (instead of ../shared/data)')
    ap.add_argument('--sim', nargs='*', default=[], help='simulator output folders to add to the training split')
    ap.add_argument('--pack', help='only pack the training data (and --sim folders) into this .npz file')
    ap.add_argument('--select', choices=('all', 'fluo'), default='all',
                    help='checkpoint chosen on the F1@0.5 of all validation images or of their fluorescence ones')
    ap.add_argument('--touch-weight', type=float, default=2,
                    help='extra loss weight of pixels near two nuclei (0: off)')
    ap.add_argument('--touch-radius', type=int, default=2,
                    help='half-width of the window in which two nuclei make a pixel "near two nuclei"')
    ap.add_argument('--precision', choices=('fp32', 'bf16'), default='bf16',
                    help='bf16: forward pass under torch.autocast (bfloat16 convolutions, float32 weights and '
                         'optimiser); about 1.5x faster per step on CPUs with AVX512-BF16')
    ap.add_argument('--export-only', action='store_true',
                    help="only re-export --out's state_dict.pt (e.g. trained on another machine) with this PyTorch")
    args = ap.parse_args()
    if args.pack:
        return pack(args.pack, args.sim)
    OUT = pathlib.Path(args.out)
    if args.export_only:
        metrics = json.loads((OUT / 'metrics.json').read_text())
        model = UNet(base=metrics['base_channels'], depth=metrics['depth'])
        model.load_state_dict(torch.load(OUT / 'state_dict.pt', map_location='cpu'))
        model.eval()
        ids, _, images, _ = load_dataset(args.data, args.sim)
        val_id = json.loads((OUT / 'data.json').read_text())['validation_ids'][0]
        return export_package(model, images[ids.index(val_id)], metrics['base_channels'], metrics['depth'])
    device = 'cuda' if args.device == 'auto' and torch.cuda.is_available() else args.device
    device = 'cpu' if device == 'auto' else device
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    ids, modalities, images, labels = load_dataset(args.data, args.sim)
    dsb = [i for i, m in enumerate(modalities) if m != 'sim']
    order = np.random.default_rng(1234).permutation(len(dsb))
    val_idx = sorted(dsb[i] for i in order[:40])
    train_idx = sorted(set(range(len(ids))) - set(val_idx))
    val_fluo = [i for i in val_idx if modalities[i] == 'fluo']
    targets = [classes_from_labels(l, args.touch_radius if args.touch_weight > 0 else 0) for l in labels]
    tr_images = [images[i] for i in train_idx]
    tr_targets = [targets[i] for i in train_idx]
    n_sim = sum(modalities[i] == 'sim' for i in train_idx)
    print(f'{len(train_idx)} training images ({n_sim} simulated), {len(val_idx)} validation images '
          f'({len(val_fluo)} fluorescence); device {device}', flush=True)

    model = UNet(base=args.base, depth=args.depth).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    weights = torch.tensor([1.0, 1.0, 3.0], device=device)
    if args.workers > 0:
        loader = iter(torch.utils.data.DataLoader(Batches(args.seed, tr_images, tr_targets, args.batch, args.size),
                                                  batch_size=None, num_workers=args.workers, prefetch_factor=8,
                                                  persistent_workers=True))
        next_batch = lambda: next(loader)  # noqa: E731
    else:
        next_batch = lambda: sample_batch(rng, tr_images, tr_targets, args.batch, args.size)  # noqa: E731
    if device == 'cuda':
        torch.backends.cudnn.benchmark = True
    start = time.time()
    budget = args.max_minutes * 60 if args.max_minutes > 0 else float('inf')
    best, best_state, step, history = -1.0, None, 0, []
    next_eval = args.eval_every
    while True:
        elapsed = time.time() - start
        progress = max(step / args.steps, elapsed / budget)
        if progress >= 1:
            break
        lr = args.lr * 0.5 * (1 + np.cos(np.pi * progress))
        for g in opt.param_groups:
            g['lr'] = lr
        model.train()
        x, y = next_batch()
        with torch.autocast(device, dtype=torch.bfloat16, enabled=args.precision == 'bf16'):
            p = model(x.to(device, non_blocking=True))
        p = p.float()
        y = y.to(device, non_blocking=True)
        if args.touch_weight > 0:
            # Ronneberger et al. 2015 (eq. 2) weight the gaps between touching cells; here pixels within
            # --touch-radius of two nuclei weigh 1 + --touch-weight times their class weight
            cls = y % 3
            w = weights[cls] * (1 + args.touch_weight * (y >= 3).float())
            nll = F.nll_loss(torch.log(p.clamp(min=1e-7)), cls, reduction='none')
            loss = (w * nll).sum() / w.sum()
        else:
            loss = F.nll_loss(torch.log(p.clamp(min=1e-7)), y, weight=weights)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 50 == 0:
            print(f'step {step} loss {loss.item():.4f} lr {lr:.2e} {elapsed / 60:.1f} min', flush=True)
        done = step >= args.steps or time.time() - start > budget
        if step >= next_eval or done:
            next_eval += args.eval_every
            model.eval()
            probs = {i: predict(model, images[i], device) for i in val_idx}
            f1 = f1_at_05([postprocess(probs[i]) for i in val_idx], [labels[i] for i in val_idx])
            f1_fluo = f1_at_05([postprocess(probs[i]) for i in val_fluo], [labels[i] for i in val_fluo])
            history.append({'step': step, 'minutes': round((time.time() - start) / 60, 2),
                            'val_f1_at_0.5': round(f1, 4), 'val_fluo_f1_at_0.5': round(f1_fluo, 4)})
            print(f'validation F1@0.5 {f1:.4f} (fluorescence {f1_fluo:.4f}) at step {step}', flush=True)
            score = f1_fluo if args.select == 'fluo' else f1
            if score > best:
                best = score
                best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
    model = model.cpu()
    model.load_state_dict(best_state)
    model.eval()
    chosen, grid = choose_thresholds([predict(model, images[i]) for i in val_fluo], [labels[i] for i in val_fluo])
    print(f'post-processing thresholds: seed {chosen["seed"]}, foreground {chosen["foreground"]} '
          f'(validation fluorescence F1@0.5 {chosen["val_fluo_f1_at_0.5"]})', flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    torch.save(best_state, OUT / 'state_dict.pt')
    (OUT / 'data.json').write_text(json.dumps({
        'source': 'dsb2018_nuclei_train (../shared/data), never dsb2018_nuclei_dev; sim: phenoscope simulate fields',
        'train_ids': [ids[i] for i in train_idx], 'validation_ids': [ids[i] for i in val_idx]}, indent=1))
    metrics = {
        'seed': args.seed, 'steps': step, 'planned_steps': args.steps, 'max_minutes': args.max_minutes,
        'minutes': round((time.time() - start) / 60, 1), 'batch': args.batch, 'crop': args.size,
        'base_channels': args.base, 'depth': args.depth, 'lr': args.lr, 'device': device,
        'gpu': torch.cuda.get_device_name(0) if device == 'cuda' else None, 'workers': args.workers,
        'threads': args.threads, 'torch': torch.__version__, 'simulated_fields': n_sim,
        'precision': args.precision, 'selected_on': args.select, 'best_val_f1_at_0.5': round(best, 4),
        'postprocessing': chosen,
        **({'touch_weight': args.touch_weight, 'touch_radius': args.touch_radius} if args.touch_weight > 0 else {}),
        'threshold_grid': grid,
        'history': history}
    (OUT / 'metrics.json').write_text(json.dumps(metrics, indent=1))
    export_package(model, images[val_idx[0]], args.base, args.depth)
    print(f'exported {OUT / "weights.onnx"} (best validation F1@0.5 {best:.4f} on {args.select}, {step} steps)',
          flush=True)


if __name__ == '__main__':
    sys.exit(main())
