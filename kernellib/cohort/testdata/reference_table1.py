"""reference_table1.py writes table1_reference.json and table1_cohort.csv,
the reference values of package cohort's tests and Table 1 from SciPy.

    cd kernellib/cohort/testdata && /usr/bin/python3 reference_table1.py

Needs Debian's python3-numpy and python3-scipy. The fixed datasets are drawn
here from numpy's PCG64 with a fixed seed and written into the JSON with the
results, so the Go tests read inputs and outputs from one file:

* "two_sample": pairs of samples with scipy.stats.ttest_ind(equal_var=False)
  (Welch), scipy.stats.mannwhitneyu(method='asymptotic') (with the continuity
  correction, use_continuity=True) and scipy.stats.shapiro of each sample
  (single precision in SciPy; R gives it in double);
* "tables": k x 2 contingency tables with scipy.stats.chi2_contingency
  (correction=True, which changes only 2 x 2 tables: Yates) and, for 2 x 2,
  scipy.stats.fisher_exact (two-sided);
* "quantiles": numpy.percentile (method 'linear', Hyndman & Fan type 7);
* "table1": Table 1 of the cohort in table1_cohort.csv by split and by
  response, built by the rules of cohort.Table1 (see its documentation) with
  the SciPy tests; the p-value of a Fisher-Freeman-Halton test (k x 2, k > 2,
  an expected count < 5), which SciPy lacks, is null here and comes from R
  (reference_table1.R).

Floats are written by json with repr, which round-trips.
"""

import csv
import json
import platform

import numpy as np
import scipy
from scipy import stats

rng = np.random.default_rng(20260412)


def num(x):
    x = float(x)
    if np.isnan(x):
        return "NaN"
    return x


# ---------------------------------------------------------------- two-sample
def two_sample(name, a, b):
    a = [float(v) for v in a]
    b = [float(v) for v in b]
    rec = {"name": name, "a": a, "b": b}
    w = stats.ttest_ind(a, b, equal_var=False)
    rec["welch_t"] = num(w.statistic)
    rec["welch_p"] = num(w.pvalue)
    m = stats.mannwhitneyu(a, b, method="asymptotic", use_continuity=True,
                           alternative="two-sided")
    rec["mwu_u"] = num(m.statistic)
    rec["mwu_p"] = num(m.pvalue)
    for key, x in (("a", a), ("b", b)):
        if len(x) >= 3 and max(x) > min(x):
            s = stats.shapiro(x)
            rec["shapiro_w_" + key] = num(s.statistic)
            rec["shapiro_p_" + key] = num(s.pvalue)
    return rec


pairs = [
    two_sample("normal 89 vs 41",
               np.round(rng.normal(58, 10, 89), 1),
               np.round(rng.normal(61, 12, 41), 1)),
    two_sample("lognormal afp, ties",
               np.round(np.exp(rng.normal(4, 2, 60))),
               np.round(np.exp(rng.normal(3.2, 2, 45)))),
    two_sample("small", [1.0, 2.0, 3.0], [4.0, 5.0]),
    two_sample("integers heavily tied",
               rng.integers(1, 5, 70), rng.integers(1, 4, 33)),
    two_sample("equal medians", [1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]),
    two_sample("5 vs 200", np.round(rng.normal(0, 1, 5), 3),
               np.round(rng.normal(0.3, 3, 200), 3)),
    two_sample("far apart", rng.normal(0, 1, 30), rng.normal(6, 1, 30)),
    two_sample("n 4 and 11", [2.2, 3.1, 3.1, 9.0],
               [1.0, 1.5, 1.7, 2.0, 2.2, 2.4, 3.0, 3.3, 4.1, 5.0, 8.8]),
    two_sample("uniform 12 vs 7", np.round(rng.uniform(0, 10, 12), 2),
               np.round(rng.uniform(0, 10, 7), 2)),
]


# --------------------------------------------------------------------- tables
def table(name, t):
    t = [[int(v) for v in row] for row in t]
    rec = {"name": name, "table": t}
    chi2, p, dof, expected = stats.chi2_contingency(t, correction=True)
    rec["chi2"] = num(chi2)
    rec["chi2_p"] = num(p)
    rec["chi2_df"] = int(dof)
    rec["expected"] = [[float(v) for v in row] for row in expected]
    if len(t) == 2:
        _, fp = stats.fisher_exact(t, alternative="two-sided")
        rec["fisher_p"] = num(fp)
    return rec


tables = [
    table("2x2 large", [[30, 59], [22, 19]]),
    table("2x2 small", [[3, 1], [1, 3]]),
    table("2x2 zero cell", [[0, 7], [12, 5]]),
    table("2x2 skewed", [[75, 33], [14, 8]]),
    table("2x2 tiny p", [[40, 2], [3, 45]]),
    table("2x2 symmetric", [[5, 5], [5, 5]]),
    table("3x2", [[40, 12], [30, 18], [19, 11]]),
    table("4x2 small", [[50, 20], [25, 12], [10, 6], [4, 3]]),
    table("5x2", [[10, 3], [8, 9], [12, 4], [2, 7], [6, 6]]),
    table("3x2 sparse", [[1, 0], [0, 3], [4, 1]]),
]

# ------------------------------------------------------------------ quantiles
qp = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]
quantiles = []
for x in ([3.0], [2.0, 1.0], [5.0, 1.0, 4.0, 4.0, 2.0],
          list(np.round(rng.normal(10, 3, 17), 2))):
    quantiles.append({"x": [float(v) for v in x], "p": qp,
                      "q": [float(v) for v in np.percentile(x, [100 * v for v in qp])]})

# ------------------------------------------------------------------- cohort
n = 130
ids = ["P%03d" % (i + 1) for i in range(n)]
split = np.array(["train"] * 89 + ["validation"] * 41)
rng.shuffle(split)
age = np.round(rng.normal(58, 10, n)).astype(int)
sex = np.where(rng.random(n) < 0.85, "M", "F")
afp = np.round(np.exp(rng.normal(4.5, 2.2, n)), 1)
size = np.round(rng.gamma(3.0, 2.0, n), 1)
number = np.minimum(1 + rng.poisson(0.6, n), 4)
child = np.where(rng.random(n) < 0.8, "A", "B")
bclc = rng.choice(["A", "B", "C"], n, p=[0.3, 0.6, 0.1])
albumin = np.round(rng.normal(38, 4, n), 1)
pvtt = np.where(rng.random(n) < 0.06, "yes", "no")
lin = -0.5 - 0.15 * (size - 6) + 0.6 * (child == "A") - 0.1 * np.log1p(afp)
resp = np.where(rng.random(n) < 1 / (1 + np.exp(-lin)), "OR", "NR")
afp_s = ["%.1f" % v for v in afp]
alb_s = ["%.1f" % v for v in albumin]
for i in (4, 77, 101):
    afp_s[i] = "NA"
for i in (12, 50):
    alb_s[i] = ""
header = ["patient_id", "response", "split", "cine", "bmode", "lesion_mask",
          "frame_rate", "age", "sex", "afp", "tumor_size_cm", "tumor_number",
          "child_pugh", "bclc", "albumin", "pvtt"]
rows = []
for i in range(n):
    rows.append([ids[i], resp[i], split[i], "cines/%s.dcm" % ids[i],
                 "bmode/%s.png" % ids[i], "masks/%s_lesion.png" % ids[i], "",
                 str(age[i]), sex[i], afp_s[i], "%.1f" % size[i],
                 str(number[i]), child[i], bclc[i], alb_s[i], pvtt[i]])
with open("table1_cohort.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)


def column(name):
    j = header.index(name)
    return [r[j] for r in rows]


def is_missing(s):
    return s.strip().lower() in ("", "na", "n/a", "nan", ".")


def as_numbers(vals):
    out = []
    for v in vals:
        if is_missing(v):
            out.append(None)
            continue
        try:
            out.append(float(v))
        except ValueError:
            return None
    return out


def f1(x):
    return "NA" if np.isnan(x) else "%.1f" % x


def table1(group, a, b, variables, levels):
    g = column(group)
    member = [0 if v == a else 1 for v in g]
    assert all(v in (a, b) for v in g)
    N = [member.count(0), member.count(1)]
    out = [{"variable": "n", "level": "", "cells": [str(N[0]), str(N[1])],
            "p": None, "test": ""}]
    for var in variables:
        raw = column(var)
        nums = as_numbers(raw)
        miss = [0, 0]
        for v, m in zip(raw, member):
            if is_missing(v):
                miss[m] += 1
        if nums is not None and len({v for v in nums if v is not None}) > 5:
            x = [[v for v, m in zip(nums, member) if v is not None and m == j]
                 for j in (0, 1)]
            normal = all(stats.shapiro(xs).pvalue >= 0.05 for xs in x)
            if normal:
                cells = ["%s ± %s" % (f1(np.mean(xs)), f1(np.std(xs, ddof=1)))
                         for xs in x]
                p = stats.ttest_ind(x[0], x[1], equal_var=False).pvalue
                out.append({"variable": var, "level": "mean ± SD",
                            "cells": cells, "p": num(p),
                            "test": "Welch t-test", "kind": "normal"})
            else:
                cells = ["%s [%s, %s]" % tuple(f1(v) for v in
                                               np.percentile(xs, [50, 25, 75]))
                         for xs in x]
                p = stats.mannwhitneyu(x[0], x[1], method="asymptotic",
                                       alternative="two-sided").pvalue
                out.append({"variable": var, "level": "median [Q1, Q3]",
                            "cells": cells, "p": num(p),
                            "test": "Mann–Whitney U", "kind": "non-normal"})
        else:
            vals = [None if is_missing(v) else v.strip() for v in raw]
            if nums is not None:  # numeric levels as Go formats them
                vals = [None if v is None else ("%d" % v if v == int(v)
                                                 else repr(v)) for v in nums]
            present = sorted({v for v in vals if v is not None},
                             key=(lambda s: float(s)) if nums is not None
                             else None)
            lv = levels.get(var, []) + [v for v in present
                                       if v not in levels.get(var, [])]
            tot = [sum(1 for v, m in zip(vals, member) if v is not None and m == j)
                   for j in (0, 1)]
            head = {"variable": var, "level": "n (%)", "cells": ["", ""],
                    "kind": "categorical"}
            out.append(head)
            t = []
            for l in lv:
                c = [sum(1 for v, m in zip(vals, member) if v == l and m == j)
                     for j in (0, 1)]
                out.append({"variable": var, "level": l, "p": None, "test": "",
                            "cells": ["%d (%.1f)" % (c[j], 100 * c[j] / tot[j])
                                      for j in (0, 1)]})
                if sum(c) > 0:
                    t.append(c)
            expected = stats.contingency.expected_freq(t)
            if (expected < 5).any():
                if len(t) == 2:
                    head["p"] = num(stats.fisher_exact(t)[1])
                    head["test"] = "Fisher exact"
                else:
                    head["p"] = None  # from R
                    head["test"] = "Fisher–Freeman–Halton exact"
            else:
                head["p"] = num(stats.chi2_contingency(t, correction=True)[1])
                head["test"] = "χ² test (Yates)" if len(t) == 2 else "χ² test"
        if miss[0] + miss[1] > 0:
            out.append({"variable": var, "level": "missing, n",
                        "cells": [str(miss[0]), str(miss[1])], "p": None,
                        "test": ""})
    return {"group": group, "levels": [a, b], "n": N, "rows": out}


clinical = ["age", "sex", "afp", "tumor_size_cm", "tumor_number", "child_pugh",
            "bclc", "albumin", "pvtt"]
t1 = {
    "by_split": table1("split", "train", "validation", ["response"] + clinical,
                       {"response": ["OR", "NR"]}),
    "by_response": table1("response", "OR", "NR", clinical, {}),
}

out = {
    "meta": {"tool": "python", "python": platform.python_version(),
             "numpy": np.__version__, "scipy": scipy.__version__,
             "script": "reference_table1.py"},
    "two_sample": pairs,
    "tables": tables,
    "quantiles": quantiles,
    "table1": t1,
}
with open("table1_reference.json", "w") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
