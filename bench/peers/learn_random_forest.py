# Peer of bench/learn.bench.ts: scikit-learn's RandomForestClassifier on the same data.
#   learn_random_forest.py generate DIR   writes the data set (make_classification, seed 0) as .npy files
#   learn_random_forest.py fit DIR THREADS [OURS]   times fit with n_jobs=THREADS; prints {"median_ms", "accuracy"};
#     with OURS (our held-out accuracy) it also appends both to bench/results/learn_accuracy.jsonl and exits 1 when
#     ours is more than 0.01 below scikit-learn's (the acceptance rule)
import json
import pathlib
import sys
import time

import numpy as np

mode, folder = sys.argv[1], pathlib.Path(sys.argv[2])
if mode == 'generate':
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=120000, n_features=100, n_informative=20, n_redundant=20, n_classes=4,
        n_clusters_per_class=2, flip_y=0.01, random_state=0,
    )
    X = X.astype(np.float32)
    folder.mkdir(parents=True, exist_ok=True)
    np.save(folder / 'x_train.npy', X[:100000])
    np.save(folder / 'y_train.npy', y[:100000].astype(np.int32))
    np.save(folder / 'x_test.npy', X[100000:])
    np.save(folder / 'y_test.npy', y[100000:].astype(np.int32))
    print(json.dumps({'written': str(folder)}))
else:
    from sklearn.ensemble import RandomForestClassifier

    threads = int(sys.argv[3])
    X, y = np.load(folder / 'x_train.npy'), np.load(folder / 'y_train.npy')
    Xt, yt = np.load(folder / 'x_test.npy'), np.load(folder / 'y_test.npy')
    model = RandomForestClassifier(n_estimators=100, n_jobs=threads, random_state=0)
    t0 = time.perf_counter()
    model.fit(X, y)
    ms = (time.perf_counter() - t0) * 1000
    accuracy = float((model.predict(Xt) == yt).mean())
    record = {'median_ms': ms, 'accuracy': accuracy, 'threads': threads}
    if len(sys.argv) > 4:
        ours = float(sys.argv[4])
        record['ours_accuracy'] = ours
        results = pathlib.Path('bench/results')
        results.mkdir(parents=True, exist_ok=True)
        with open(results / 'learn_accuracy.jsonl', 'a') as f:
            f.write(json.dumps(record) + '\n')
        if not ours >= accuracy - 0.01:
            sys.exit(f'accuracy: ours {ours:.4f} is more than 0.01 below scikit-learn {accuracy:.4f}')
    print(json.dumps(record))
