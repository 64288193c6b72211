"""xgboost reference for `mlcourse bench --only gbdt_fit`.

Fits the same model the engine's `gbdt_fit_s` times: 200 rounds, depth 6, learning rate 0.1,
lambda 1, 256 bins, log-loss on `event`, on the train split of the patients table, with
`tree_method="hist"` and 2 threads. Prints the median fit time of five fits and the test
log-loss. Export the table first:

    .build/release/mlcourse data export patients --out /tmp/patients.csv
    /work/venv-xgb/bin/python Benchmarks/reference/gbdt_fit.py /tmp/patients.csv
"""
import argparse
import csv
import json
import math
import statistics
import time

import numpy as np
import xgboost as xgb

FEATURES = ["age", "female", "heart_rate", "systolic", "diastolic", "qt", "qtc",
            "cholesterol", "bmi", "smoker", "diabetic", "qt_drug"]


def load(path):
    split = {"train": ([], []), "test": ([], [])}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            x, y = split[row["split"]]
            x.append([float(row[c]) for c in FEATURES])
            y.append(float(row["event"]))
    return {k: (np.array(x, dtype=np.float32), np.array(y)) for k, (x, y) in split.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("csv")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = load(args.csv)
    (x, y), (tx, ty) = data["train"], data["test"]
    params = dict(n_estimators=200, max_depth=6, learning_rate=0.1, reg_lambda=1.0, gamma=0.0,
                  min_child_weight=1.0, max_bin=256, tree_method="hist", n_jobs=2,
                  objective="binary:logistic")
    times = []
    for _ in range(args.runs):
        model = xgb.XGBClassifier(**params)
        start = time.perf_counter()
        model.fit(x, y)
        times.append(time.perf_counter() - start)
    p = np.clip(model.predict_proba(tx)[:, 1], 1e-15, 1 - 1e-15)
    loss = float(-np.mean(ty * np.log(p) + (1 - ty) * np.log(1 - p)))
    print(json.dumps({"gbdt_fit_s": statistics.median(times), "test_logloss": loss,
                      "xgboost": xgb.__version__}))


if __name__ == "__main__":
    main()
