# Peer of bench/assay.bench.ts: scipy.optimize.curve_fit (MINPACK LM) in a loop over every curve of the CSV, with
# the 4PL model and start-value rule of src/assay/fourPL.ts (same as scripts/fixtures/assay_curves.py).
import json
import sys
import time
import warnings

import numpy as np
from scipy import optimize

warnings.simplefilter('ignore')
data = np.loadtxt(sys.argv[1], delimiter=',', skiprows=1)
curves = np.split(data[:, 1:], np.flatnonzero(np.diff(data[:, 0])) + 1)


def model(logx, top, bottom, logic50, hill):
    return bottom + (top - bottom) / (1 + 10 ** ((logic50 - logx) * hill))


def start_values(logx, y):
    ux = np.unique(logx)
    means = np.array([y[logx == u].mean() for u in ux])
    top, bottom = means.max(), means.min()
    hill = 1.0 if means[-1] >= means[0] else -1.0
    mid = 0.5 * (top + bottom)
    logic50 = float(np.median(ux))
    for k in range(len(ux) - 1):
        a, b = means[k] - mid, means[k + 1] - mid
        if a * b < 0:
            logic50 = ux[k] + (ux[k + 1] - ux[k]) * a / (a - b)
            break
    return [top, bottom, logic50, hill]


def run():
    out = 0.0
    for c in curves:
        lx, y = c[:, 0], c[:, 1]
        try:
            p, _ = optimize.curve_fit(model, lx, y, p0=start_values(lx, y), maxfev=20000)
            out += p[2]
        except RuntimeError:
            pass
    return out


times = []
for _ in range(3):
    t0 = time.perf_counter()
    run()
    times.append((time.perf_counter() - t0) * 1000)
print(json.dumps({'median_ms': float(np.median(times)), 'curves': len(curves)}))
