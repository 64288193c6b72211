"""scikit-learn reference for `mlcourse bench --only kmeans_s` and `--only pca_s`.

Times K-means (k 5, 20 Lloyd iterations from k-means++ seeding, one initialisation, no early
stop) and a full PCA on the 5,000 x 250 matrix of the "beats" recipe, the matrix the engine's
figures use. Export it once with the course binary, then run this (2 threads, as the engine):

    .build/release/mlcourse data export beats --out /tmp/beats.csv
    OMP_NUM_THREADS=2 /work/venv-sk/bin/python Benchmarks/reference/kmeans_pca.py /tmp/beats.csv --runs 5

It also prints PCA's explained variance of the first two components on the training beats
(the first 4,000 rows), the figure the `pca` lab reports as `explained_variance_2`.
"""
import argparse
import json
import statistics
import time

import numpy as np


def load(path: str) -> np.ndarray:
    # The export's header names the columns; the samples are the columns named s0, s1, ...
    with open(path) as f:
        header = f.readline().strip().split(",")
    columns = [i for i, name in enumerate(header) if name.startswith("s") and name[1:].isdigit()]
    return np.loadtxt(path, delimiter=",", skiprows=1, usecols=columns, dtype=np.float64)


def median_seconds(body, runs: int) -> float:
    body()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        body()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA

    beats = load(args.csv)
    kmeans_s = median_seconds(lambda: KMeans(n_clusters=5, n_init=1, max_iter=20, tol=0, algorithm="lloyd",
                                             random_state=0).fit(beats), args.runs)
    pca_s = median_seconds(lambda: PCA().fit(beats), args.runs)
    train = beats[:4000]
    centred = train - train.mean(axis=0)
    variances = np.linalg.eigvalsh(np.cov(centred, rowvar=False))[::-1]
    print(json.dumps({"rows": beats.shape[0], "columns": beats.shape[1], "kmeans_s": kmeans_s, "pca_s": pca_s,
                      "explained_variance_2_train": float(variances[:2].sum() / variances.sum())}))


if __name__ == "__main__":
    main()
