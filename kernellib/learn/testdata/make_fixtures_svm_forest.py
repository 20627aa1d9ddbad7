#!/usr/bin/python3
"""Writes the scikit-learn reference fixtures for the SVM, Platt scaling and
random-forest tests of kernellib/learn.

Run from this folder with Debian's Python (scikit-learn 1.2):

    /usr/bin/python3 make_fixtures_svm_forest.py

Outputs (JSON, one object each; every one records the tool versions):
  svm_<name>.json     data (standardised), SVC decision values, dual
                      coefficients, support indices, intercept (and coef_ for
                      the linear kernel) for several (kernel, C, gamma);
                      SVC(probability=True) probabilities on the same rows.
  svm_platt.json      decision values + labels, and Platt's sigmoid (A, B)
                      fitted by sklearn.calibration._sigmoid_calibration and
                      by a tight scipy minimisation of the same objective;
                      and CalibratedClassifierCV(SVC, method="sigmoid",
                      ensemble=False) on given folds (LIBSVM's -b 1 scheme).
  forest_tree.json    single DecisionTreeClassifier fits (all features per
                      split; unweighted and bootstrap-weighted) on the
                      forest_signal data: node counts, probabilities,
                      importances.
  forest_<name>.json  data, RandomForestClassifier(n_estimators=500,
                      oob_score=True) OOB accuracy and impurity importances
                      for several random_state values, OOB probabilities for
                      the first.
"""
import json
import platform

import numpy as np
import scipy
import scipy.optimize
import sklearn
from scipy.special import expit, xlogy
from sklearn.calibration import CalibratedClassifierCV, _sigmoid_calibration
from sklearn.datasets import make_classification, make_moons
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import PredefinedSplit
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

VERSIONS = {
    "python": platform.python_version(),
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "sklearn": sklearn.__version__,
}


def r(a, digits=10):
    """Rounds to a fixed number of significant digits for compact JSON."""
    return [float("%.*g" % (digits, v)) for v in np.ravel(a)]


def rows(X, digits=6):
    return [[float("%.*g" % (digits, v)) for v in row] for row in X]


def write(name, obj):
    obj["versions"] = VERSIONS
    with open(name, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


def svm_fixture(name, X, y, n_train, configs, note):
    # Standardise on the training rows; round so that Go reads exactly the
    # numbers sklearn was given.
    sc = StandardScaler().fit(X[:n_train])
    Xs = np.array(rows(sc.transform(X)))
    Xtr, ytr = Xs[:n_train], y[:n_train]
    fits = []
    for kernel, C, gamma in configs:
        m = SVC(kernel=kernel, C=C, gamma=gamma, tol=1e-10, shrinking=True,
                max_iter=-1).fit(Xtr, ytr)
        f = {
            "kernel": kernel,
            "C": C,
            "gamma": gamma if isinstance(gamma, float) else None,
            "gamma_used": float(m._gamma),
            "decision": r(m.decision_function(Xs)),
            "dual_coef": r(m.dual_coef_),
            "support": [int(i) for i in m.support_],
            "intercept": float(m.intercept_[0]),
        }
        if kernel == "linear":
            f["coef"] = r(m.coef_)
        p = SVC(kernel=kernel, C=C, gamma=gamma, tol=1e-10, probability=True,
                random_state=0).fit(Xtr, ytr)
        f["proba"] = r(p.predict_proba(Xs)[:, 1])
        f["probA"] = float(p.probA_[0])
        f["probB"] = float(p.probB_[0])
        fits.append(f)
    write("svm_%s.json" % name, {
        "note": note,
        "n_train": n_train,
        "X": Xs.tolist(),
        "y": [bool(v) for v in y],
        "fits": fits,
    })


def platt_fixture():
    rng = np.random.RandomState(7)
    n = 60
    y = rng.rand(n) < 0.4
    f = np.where(y, 1.0, -1.0) * 0.8 + rng.randn(n)
    f = np.array(r(f, 8))
    a, b = _sigmoid_calibration(f, y)
    prior1 = float(y.sum())
    prior0 = n - prior1
    T = np.where(y, (prior1 + 1) / (prior1 + 2), 1 / (prior0 + 2))

    def obj(ab):
        P = expit(-(ab[0] * f + ab[1]))
        return -(xlogy(T, P) + xlogy(1 - T, 1 - P)).sum()

    res = scipy.optimize.minimize(obj, [a, b], method="Nelder-Mead",
                                  options={"xatol": 1e-12, "fatol": 1e-14,
                                           "maxiter": 20000})
    # The whole Platt pipeline with given folds: cross-validated SVC decision
    # values, then the sigmoid (CalibratedClassifierCV with ensemble=False is
    # LIBSVM's -b 1 with known folds). gamma is numeric so that every fold
    # uses the same kernel, as LIBSVM's internal CV does.
    d = json.load(open("svm_moons.json"))
    Xm = np.array(d["X"])
    ym = np.array(d["y"])
    n = d["n_train"]
    folds = np.arange(n) % 5
    cal = CalibratedClassifierCV(
        SVC(kernel="rbf", C=1.0, gamma=0.2, tol=1e-10), method="sigmoid",
        cv=PredefinedSplit(folds), ensemble=False).fit(Xm[:n], ym[:n])
    c = cal.calibrated_classifiers_[0].calibrators[0]
    pipeline = {
        "data": "svm_moons.json, first n_train rows",
        "kernel": "rbf", "C": 1.0, "gamma": 0.2, "folds": folds.tolist(),
        "A": float(c.a_), "B": float(c.b_),
        "proba": r(cal.predict_proba(Xm)[:, 1]),
    }
    write("svm_platt.json", {
        "pipeline": pipeline,
        "note": "Platt sigmoid P(y=1|f) = 1/(1+exp(A f + B)) with Platt's "
                "prior-corrected targets",
        "decision": f.tolist(),
        "y": [bool(v) for v in y],
        "sklearn_A": float(a), "sklearn_B": float(b),
        "A": float(res.x[0]), "B": float(res.x[1]),
        "objective": float(res.fun),
    })


def forest_fixture(name, X, y, note, seeds=(0, 1, 2, 3, 4)):
    X = np.array(rows(X))
    runs = []
    for s in seeds:
        m = RandomForestClassifier(n_estimators=500, oob_score=True,
                                   random_state=s, n_jobs=1).fit(X, y)
        run = {
            "random_state": s,
            "oob_accuracy": float(m.oob_score_),
            "importance": r(m.feature_importances_, 6),
        }
        if s == seeds[0]:
            run["oob_proba"] = r(m.oob_decision_function_[:, 1], 6)
        runs.append(run)
    write("forest_%s.json" % name, {
        "note": note,
        "params": {"n_estimators": 500, "max_features": "sqrt",
                   "criterion": "gini", "bootstrap": True,
                   "min_samples_leaf": 1},
        "X": X.tolist(),
        "y": [bool(v) for v in y],
        "runs": runs,
    })


def tree_fixture(X, y):
    """Single CART trees with every feature tried at every split (no
    randomness but the order of equally good splits), unweighted and
    weighted."""
    X = np.array(rows(X))
    rng = np.random.RandomState(11)
    w = np.bincount(rng.randint(0, len(y), len(y)), minlength=len(y))
    Xt = np.array(rows(rng.randn(50, X.shape[1])))
    fits = []
    # Splits whose children have equal class weights are tied whatever rows
    # they hold, and in nodes of a few rows different features often give
    # the same partition; each implementation breaks such ties by its own
    # random feature order. Integer weights make the first kind common, so
    # the trees here are shallow, or weighted by continuous weights (Exp(1)
    # draws) with leaves of at least a few rows.
    wc = np.array(r(rng.exponential(size=len(y)), 8))
    for leaf, depth, weights in [(1, 4, None), (10, None, "counts"),
                                 (3, 6, "exp"), (5, None, "exp"),
                                 (10, None, "exp")]:
        sw = {None: None, "counts": w, "exp": wc}[weights]
        m = DecisionTreeClassifier(min_samples_leaf=leaf, max_depth=depth,
                                   random_state=0)
        m.fit(X, y, sample_weight=sw)
        fits.append({
            "min_samples_leaf": leaf, "max_depth": depth or 0,
            "weights": weights or "none",
            "node_count": int(m.tree_.node_count),
            "depth": int(m.get_depth()),
            "proba_train": r(m.predict_proba(X)[:, 1], 8),
            "proba_test": r(m.predict_proba(Xt)[:, 1], 8),
            "importance": r(m.feature_importances_, 8),
        })
    write("forest_tree.json", {
        "note": "DecisionTreeClassifier(criterion='gini', max_features=None) "
                "on forest_signal.json's data; weights none, bootstrap "
                "counts or Exp(1) draws, from RandomState(11)",
        "counts": [int(v) for v in w],
        "exp": wc.tolist(),
        "X_test": Xt.tolist(),
        "fits": fits,
    })


def main():
    configs = [("linear", 0.1, "scale"), ("linear", 1.0, "scale"),
               ("linear", 10.0, "scale"), ("rbf", 1.0, "scale"),
               ("rbf", 10.0, "scale"), ("rbf", 1.0, 0.05)]
    X, y = make_classification(n_samples=100, n_features=5, n_informative=3,
                               n_redundant=1, flip_y=0.05, random_state=1)
    svm_fixture("blobs", X, y.astype(bool), 80, configs,
                "make_classification(100, 5, informative=3, redundant=1, "
                "flip_y=0.05, random_state=1); first 80 rows train")
    Xm, ym = make_moons(n_samples=100, noise=0.3, random_state=2)
    rng = np.random.RandomState(2)
    Xm = np.hstack([Xm, rng.randn(100, 3)])
    svm_fixture("moons", Xm, ym.astype(bool), 80, configs,
                "make_moons(100, noise=0.3, random_state=2) + 3 N(0,1) "
                "columns; first 80 rows train")
    Xw, yw = make_classification(n_samples=50, n_features=60, n_informative=5,
                                 random_state=3)
    svm_fixture("wide", Xw, yw.astype(bool), 40,
                [("linear", 1.0, "scale"), ("rbf", 1.0, "scale")],
                "make_classification(50, 60, informative=5, random_state=3)"
                "; p > n; first 40 rows train")
    platt_fixture()

    rng = np.random.RandomState(3)
    Xs = rng.randn(200, 10)
    lp = 2.5 * Xs[:, 0] - 2.0 * Xs[:, 1] + 1.5 * Xs[:, 2]
    ys = rng.rand(200) < expit(lp)
    tree_fixture(Xs, ys)
    forest_fixture("signal", Xs, ys,
                   "RandomState(3): X = randn(200, 10); y ~ Bernoulli(expit("
                   "2.5 x0 - 2 x1 + 1.5 x2)): features 0-2 carry the signal "
                   "(in that order), 3-9 are noise")
    Xn, yn = make_classification(n_samples=150, n_features=20,
                                 n_informative=4, n_redundant=2,
                                 flip_y=0.1, random_state=4)
    forest_fixture("noisy", Xn, yn.astype(bool),
                   "make_classification(150, 20, informative=4, redundant=2, "
                   "flip_y=0.1, random_state=4)")
    rng = np.random.RandomState(5)
    Xx = rng.uniform(-1, 1, size=(200, 6))
    yx = (Xx[:, 0] * Xx[:, 1] > 0) ^ (rng.rand(200) < 0.1)
    forest_fixture("xor", Xx, yx,
                   "uniform(-1,1) 200x6, y = (x0*x1 > 0) xor Bernoulli(0.1), "
                   "RandomState(5)")


if __name__ == "__main__":
    main()
