"""make_fixtures_linear.py writes the scikit-learn reference values that the
tests of package learn's penalised logistic regression, pipeline, feature
selection and cross-validation compare against:

  logistic_sklearn.json     LogisticRegression coefficients and objective values
                            (L1 and elastic net by saga, L2 by newton-cg) at several C
                            on two data sets (60 x 8 and 130 x 40, correlated)
  logistic_cv_sklearn.json  per-fold test scores (log-loss, AUC) of
                            StandardScaler -> LogisticRegression on given folds
                            over a grid of C, and the C with the best mean
  pipeline_sklearn.json     cross_val_predict of StandardScaler -> SimpleImputer
                            -> LogisticRegression on given folds, with NaNs
  select_reference.json     scipy's Mann-Whitney p-values, numpy's Pearson r,
                            scikit-learn's mutual_info_score of discretised
                            features (the mRMR inputs)

    cd kernellib/learn/testdata && /usr/bin/python3 make_fixtures_linear.py

Needs Debian's python3-numpy, python3-scipy and python3-sklearn (1.2). The
data are drawn from a fixed numpy seed, rounded to 4 decimals and stored in
the fixtures, so the tests read exactly the numbers scikit-learn saw.
Floats are written by json with repr, which round-trips.

scikit-learn minimises C * sum(logloss) + penalty, penalty = ||w||_1 (l1),
||w||^2/2 (l2) or r||w||_1 + (1-r)||w||^2/2 (elasticnet, r = l1_ratio), with
an unpenalised intercept for newton-cg and saga. Divided by n*C this is glmnet's
mean-loss objective with lambda = 1/(n*C) and alpha = r. The features are
standardised here (mean 0, population SD 1, as StandardScaler) before the
fit, so the coefficients are on the standardised scale that package learn
reports; the raw features are stored for learn to standardise itself.
"""

import json
import platform
import warnings

import numpy as np
import scipy
import sklearn
from scipy.stats import mannwhitneyu
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.metrics import log_loss, mutual_info_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

warnings.simplefilter("error", ConvergenceWarning)

VERSIONS = {
    "python": platform.python_version(),
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "sklearn": sklearn.__version__,
}


# The solvers and their tolerances: saga converges to 1e-12 for the L1 and
# elastic-net fits; for L2, lbfgs stops on its relative-reduction rule
# (ftol) long before, and newton-cg (which stops on max|gradient| <= tol)
# fails to meet tol below 1e-8.
SOLVER = {
    "l1": dict(solver="saga", tol=1e-12, max_iter=1_000_000, random_state=0),
    "elasticnet": dict(solver="saga", tol=1e-12, max_iter=1_000_000, random_state=0),
    "l2": dict(solver="newton-cg", tol=1e-8, max_iter=1000),
}


def dataset(rng, n, p, rho, beta, means, sds):
    """Correlated Gaussian features (AR(1) correlation rho^|i-j|) with
    feature-specific means and SDs, and a logistic outcome."""
    cov = rho ** np.abs(np.subtract.outer(np.arange(p), np.arange(p)))
    z = rng.multivariate_normal(np.zeros(p), cov, size=n)
    eta = z @ beta - 0.3
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    x = np.round(means + sds * z, 4)
    return x, y


def standardise(x):
    mu = x.mean(axis=0)
    sd = x.std(axis=0)
    return (x - mu) / sd, mu, sd


def objective(xs, y, b0, w, C, penalty, l1_ratio):
    eta = b0 + xs @ w
    loss = np.sum(np.logaddexp(0, eta) - y * eta)
    if penalty == "l1":
        pen = np.sum(np.abs(w))
    elif penalty == "l2":
        pen = 0.5 * np.sum(w * w)
    else:
        pen = l1_ratio * np.sum(np.abs(w)) + (1 - l1_ratio) / 2 * np.sum(w * w)
    return C * loss + pen


def kkt(xs, y, b0, w, C, penalty, l1_ratio):
    """Largest violation of the optimality conditions, on sklearn's scale:
    the intercept's gradient and, per coefficient, the distance of the
    loss gradient from the penalty's subdifferential."""
    p = 1 / (1 + np.exp(-(b0 + xs @ w)))
    g = C * xs.T @ (p - y)
    a = {"l1": 1.0, "l2": 0.0}.get(penalty, l1_ratio)
    g = g + (1 - a) * w
    v = np.where(w != 0, np.abs(g + a * np.sign(w)), np.maximum(np.abs(g) - a, 0))
    return max(float(np.max(v)), abs(float(C * np.sum(p - y))))


def fit(xs, y, penalty, C, l1_ratio):
    """LogisticRegression fitted to xs, checked: the KKT violation on the
    mean-loss scale (i.e. divided by n*C) must be below 1e-6. newton-cg's
    line search warns once it cannot improve in floating point; the KKT
    check is what decides."""
    kw = dict(penalty=penalty, C=C, **SOLVER[penalty])
    if penalty == "elasticnet":
        kw.update(l1_ratio=l1_ratio)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Line Search failed")
        warnings.filterwarnings("ignore", module=r"scipy\.optimize")
        m = LogisticRegression(**kw).fit(xs, y)
    if penalty != "l2" and not np.any(m.coef_):
        # Every coefficient zero: saga's stopping rule (relative change of
        # the largest weight) stops before its intercept has converged. The
        # exact intercept of the null model is logit(mean(y)).
        m.intercept_[0] = np.log(np.mean(y) / (1 - np.mean(y)))
    viol = kkt(xs, y, float(m.intercept_[0]), m.coef_[0], C, penalty, l1_ratio)
    assert viol / (len(y) * C) < 1e-6, (penalty, C, viol)
    return m, kw["solver"]


def logistic_fixture(rng):
    sets = []
    specs = [
        ("small", 60, 8, 0.5,
         np.array([1.5, -1.0, 0.5, 0, 0, 0, 0.8, 0]),
         [("l1", [0.1, 0.3, 2.0]), ("l2", [0.01, 0.1, 10.0]), ("elasticnet", [0.2, 1.0])], 0.5),
        ("wide", 130, 40, 0.6,
         np.concatenate([[1.2, -0.8, 0, 0, 0.6], np.zeros(30), [-0.7, 0, 0, 0, 0.5]]),
         [("l1", [0.12, 0.5]), ("l2", [0.02, 1.0]), ("elasticnet", [0.1, 1.0])], 0.3),
    ]
    for name, n, p, rho, beta, grid, l1r in specs:
        means = np.round(rng.uniform(-50, 50, p), 1)
        sds = np.round(np.exp(rng.uniform(-2, 3, p)), 3)
        x, y = dataset(rng, n, p, rho, beta, means, sds)
        xs, mu, sd = standardise(x)
        fits = []
        for penalty, Cs in grid:
            for C in Cs:
                r = l1r if penalty == "elasticnet" else None
                m, solver = fit(xs, y, penalty, C, r)
                w, b0 = m.coef_[0], float(m.intercept_[0])
                obj = objective(xs, y, b0, w, C, penalty, r)
                viol = kkt(xs, y, b0, w, C, penalty, r)
                assert viol / (n * C) < 1e-6, (name, penalty, C, viol)
                print(name, penalty, C, "KKT violation (mean-loss scale) %.2g" % (viol / (n * C)), "nonzero", int(np.sum(w != 0)))
                fits.append({
                    "penalty": penalty, "solver": solver, "C": C,
                    "l1_ratio": r if r is not None else 0.0,
                    "lambda": 1 / (n * C),
                    "intercept_std": b0, "coef_std": [float(v) for v in w],
                    "intercept": b0 - float(np.sum(w * mu / sd)),
                    "coef": [float(v) for v in w / sd],
                    "objective_sklearn": float(obj),
                    "objective_mean": float(obj / (n * C)),
                    "kkt_violation": viol,
                    "nonzero": int(np.sum(w != 0)),
                })
        sets.append({"name": name, "x": x.tolist(), "y": y.tolist(), "fits": fits})
    return {"versions": VERSIONS,
            "settings": {k: str(v) for k, v in SOLVER.items()},
            "note": "features standardised as StandardScaler before the fit",
            "datasets": sets}


def logistic_cv_fixture(rng):
    n, p = 100, 12
    beta = np.array([1.0, -0.8, 0.6, 0, 0, 0, 0, 0, 0.4, 0, 0, 0])
    means = np.round(rng.uniform(-5, 5, p), 1)
    sds = np.round(np.exp(rng.uniform(-1, 1, p)), 3)
    x, y = dataset(rng, n, p, 0.4, beta, means, sds)
    skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=7)
    folds = [[int(i) for i in test] for _, test in skf.split(x, y)]
    Cs = [float(c) for c in np.logspace(-1.6, 1, 12)]
    out = {"versions": VERSIONS, "x": x.tolist(), "y": y.tolist(), "test_folds": folds, "Cs": Cs, "runs": []}
    for penalty, scoring in [("l1", "neg_log_loss"), ("l1", "roc_auc"), ("l2", "neg_log_loss")]:
        solver = SOLVER[penalty]["solver"]
        # Each fold as make_pipeline(StandardScaler(), LogisticRegression)
        # under GridSearchCV(cv=folds, scoring=...), fitted by hand so that
        # every fit is KKT-checked (fit above).
        scores = np.zeros((len(folds), len(Cs)))
        for f, test in enumerate(folds):
            train = np.setdiff1d(np.arange(n), test)
            sc = StandardScaler().fit(x[train])
            for k, C in enumerate(Cs):
                m, _ = fit(sc.transform(x[train]), y[train], penalty, C, None)
                pr = m.predict_proba(sc.transform(x[test]))[:, 1]
                if scoring == "neg_log_loss":
                    scores[f, k] = -log_loss(y[test], pr)
                else:
                    scores[f, k] = roc_auc_score(y[test], pr)
        best = int(np.argmax(scores.mean(axis=0)))
        out["runs"].append({"penalty": penalty, "solver": solver, "scoring": scoring,
                            "fold_scores": scores.tolist(), "best_C": Cs[best], "best_index": best})
    return out


def pipeline_fixture(rng):
    n, p = 90, 10
    beta = np.array([0.9, 0, -0.7, 0, 0.5, 0, 0, 0, 0, 0.3])
    means = np.round(rng.uniform(0, 100, p), 1)
    sds = np.round(np.exp(rng.uniform(-1, 2, p)), 3)
    x, y = dataset(rng, n, p, 0.3, beta, means, sds)
    x = x.astype(float)
    miss = rng.random(x.shape) < 0.06
    x[miss] = np.nan
    skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=3)
    splits = list(skf.split(x, y))
    out = {"versions": VERSIONS,
           "x": [[None if np.isnan(v) else float(v) for v in row] for row in x],
           "y": y.tolist(), "test_folds": [[int(i) for i in te] for _, te in splits], "runs": []}
    for strategy, penalty, C, l1r in [("mean", "l2", 0.5, None), ("median", "l1", 0.3, None),
                                      ("mean", "elasticnet", 0.2, 0.5)]:
        kw = dict(penalty=penalty, C=C, **SOLVER[penalty])
        if l1r is not None:
            kw["l1_ratio"] = l1r
        pipe = make_pipeline(StandardScaler(), SimpleImputer(strategy=strategy), LogisticRegression(**kw))
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Line Search failed")
            warnings.filterwarnings("ignore", module=r"scipy\.optimize")
            pr = cross_val_predict(pipe, x, y, cv=splits, method="predict_proba")[:, 1]
        # The same folds by hand, each fit KKT-checked: the pipeline above
        # must agree with them.
        for tr, te in splits:
            sc = StandardScaler().fit(x[tr])
            imp = SimpleImputer(strategy=strategy).fit(sc.transform(x[tr]))
            m, _ = fit(imp.transform(sc.transform(x[tr])), y[tr], penalty, C, l1r)
            ph = m.predict_proba(imp.transform(sc.transform(x[te])))[:, 1]
            assert np.max(np.abs(ph - pr[te])) < 1e-9
        aucs = [float(roc_auc_score(y[te], pr[te])) for _, te in splits]
        out["runs"].append({"imputer": strategy, "penalty": penalty, "C": C, "l1_ratio": l1r or 0.0,
                            "proba": pr.tolist(), "fold_auc": aucs})
    return out


def discretise(col, width):
    """Three states at mean -/+ width*SD (population SD), as Peng et al. 2005
    discretised their continuous data: 0 below, 2 above, 1 between."""
    mu, sd = col.mean(), col.std()
    return np.where(col < mu - width * sd, 0, np.where(col > mu + width * sd, 2, 1))


def select_fixture(rng):
    n, p = 80, 10
    z = rng.standard_normal((n, p))
    z[:, 3] = 0.9 * z[:, 0] + 0.3 * z[:, 3]      # redundant with 0
    z[:, 7] = -0.8 * z[:, 2] + 0.5 * z[:, 7]     # redundant with 2
    eta = 1.2 * z[:, 0] - 0.9 * z[:, 2] + 0.6 * z[:, 5]
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    x = np.round(z, 1)  # ties, for the Mann-Whitney tie correction
    x[:, 9] = np.round(z[:, 9] * 2) / 2
    pvals = [float(mannwhitneyu(x[y == 1, j], x[y == 0, j], alternative="two-sided",
                                method="asymptotic", use_continuity=True).pvalue) for j in range(p)]
    corr = np.corrcoef(x, rowvar=False)
    out = {"versions": VERSIONS, "x": x.tolist(), "y": y.tolist(),
           "mannwhitney_p": pvals, "pearson_r": corr.tolist(), "mi": []}
    for width in [1.0, 0.5]:
        d = np.column_stack([discretise(x[:, j], width) for j in range(p)])
        rel = [float(mutual_info_score(y, d[:, j])) for j in range(p)]
        red = [[float(mutual_info_score(d[:, i], d[:, j])) for j in range(p)] for i in range(p)]
        out["mi"].append({"width": width, "relevance": rel, "redundancy": red})
    return out


def main():
    rng = np.random.default_rng(20240611)
    for name, f in [("logistic_sklearn.json", logistic_fixture),
                    ("logistic_cv_sklearn.json", logistic_cv_fixture),
                    ("pipeline_sklearn.json", pipeline_fixture),
                    ("select_reference.json", select_fixture)]:
        with open(name, "w") as fh:
            json.dump(f(rng), fh, separators=(",", ":"))
            fh.write("\n")
        print("wrote", name)


if __name__ == "__main__":
    main()
