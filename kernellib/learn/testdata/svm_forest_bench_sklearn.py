#!/usr/bin/python3
"""Side-by-side timing for the SVM and random-forest benchmarks of
kernellib/learn (bench_svm_forest_test.go): the same data (SplitMix64 +
Box-Muller, as benchData), the same models in scikit-learn, best of a few
runs. Run with Debian's Python (scikit-learn 1.2):

    /usr/bin/python3 svm_forest_bench_sklearn.py [n_jobs]

then compare with

    go test ./kernellib/learn/ -run '^$' -bench 'SVM|Forest' -cpu 1,2

The ratio printed for each benchmark is scikit-learn's time over Go's when
the Go figures (ns/op) are given as arguments after n_jobs, in the order
printed here.
"""
import math
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.svm import SVC

MASK = (1 << 64) - 1


def bench_data(n, p, seed):
    state = seed

    def uniform():
        nonlocal state
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        z ^= z >> 31
        return ((z >> 11) + 0.5) / float(1 << 53)

    X = np.zeros((n, p))
    y = np.zeros(n, dtype=bool)
    for i in range(n):
        for j in range(0, p, 2):
            r = math.sqrt(-2 * math.log(uniform()))
            th = 2 * math.pi * uniform()
            X[i, j] = r * math.cos(th)
            if j + 1 < p:
                X[i, j + 1] = r * math.sin(th)
        lp = 1.5 * X[i, 0] - X[i, 1] + 0.5 * X[i, 2]
        y[i] = uniform() < 1 / (1 + math.exp(-lp))
    return X, y


def best(f, repeats):
    t = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        t.append(time.perf_counter() - t0)
    return min(t)


def main():
    n_jobs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    go = [float(v) * 1e-9 for v in sys.argv[2:]]
    rows = []
    for n in (130, 1000):
        X, y = bench_data(n, 40, 1)
        reps = 20 if n == 130 else 5
        rows.append(("SVMRBFFit%dx40 (probability=True)" % n,
                     best(lambda: SVC(kernel="rbf", C=1, probability=True,
                                      random_state=0).fit(X, y), reps)))
        rows.append(("SVMRBFSolve%dx40 (probability=False)" % n,
                     best(lambda: SVC(kernel="rbf", C=1).fit(X, y), reps)))
    X, y = bench_data(130, 100, 2)
    rows.append(("Forest500x130x100 (oob_score=True, n_jobs=%d)" % n_jobs,
                 best(lambda: RandomForestClassifier(
                     n_estimators=500, oob_score=True, n_jobs=n_jobs,
                     random_state=0).fit(X, y), 3)))
    for k, (name, t) in enumerate(rows):
        line = "%-50s %10.2f ms" % (name, t * 1e3)
        if k < len(go):
            line += "   Go %8.2f ms   sklearn/Go %.2f" % (go[k] * 1e3, t / go[k])
        print(line)


if __name__ == "__main__":
    main()
