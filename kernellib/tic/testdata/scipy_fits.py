#!/usr/bin/python3
"""Reference fits of the four perfusion models with SciPy's curve_fit.

Writes scipy_fits.json: for each model, curves sampled from known parameters
plus seeded Gaussian noise, and the parameters scipy.optimize.curve_fit
(Levenberg–Marquardt, MINPACK lmdif) finds from a start away from the truth.
The Go test (scipy_test.go) fits the same curves with tic.Fit, from its own
starting values, and compares the parameters.

Run: /usr/bin/python3 scipy_fits.py > scipy_fits.json
"""
import json
import sys

import numpy as np
import scipy
from scipy.optimize import curve_fit
from scipy.special import gammaln

LN_SQRT_2PI = 0.5 * np.log(2 * np.pi)


def lognormal(t, auc, mu, sigma, t0):
    x = t - t0
    out = np.zeros_like(t)
    m = x > 0
    xm = x[m]
    out[m] = auc / (xm * sigma * np.sqrt(2 * np.pi)) * np.exp(-(np.log(xm) - mu) ** 2 / (2 * sigma ** 2))
    return out


def gamma(t, auc, alpha, beta, t0):
    x = t - t0
    out = np.zeros_like(t)
    m = x > 0
    xm = x[m]
    out[m] = auc * np.exp(alpha * np.log(xm) - xm / beta - (alpha + 1) * np.log(beta) - gammaln(alpha + 1))
    return out


def ldrw(t, auc, mu, lam, t0):
    x = t - t0
    out = np.zeros_like(t)
    m = x > 0
    xm = x[m]
    out[m] = auc * np.exp(lam) / mu * np.sqrt(lam / (2 * np.pi)) * np.sqrt(mu / xm) * np.exp(-lam / 2 * (mu / xm + xm / mu))
    return out


def fpt(t, auc, mu, lam, t0):
    x = t - t0
    out = np.zeros_like(t)
    m = x > 0
    xm = x[m]
    out[m] = auc * np.exp(lam) / mu * np.sqrt(lam / (2 * np.pi)) * (mu / xm) ** 1.5 * np.exp(-lam / 2 * (mu / xm + xm / mu))
    return out


MODELS = {"lognormal": lognormal, "gamma": gamma, "ldrw": ldrw, "fpt": fpt}

# (model, true parameters, noise SD relative to the peak, time step, duration)
CASES = [
    ("lognormal", [300.0, 2.6, 0.6, 8.0], 0.03, 0.5, 100.0),
    ("lognormal", [0.9, 2.2, 0.45, 12.0], 0.05, 0.5, 90.0),
    ("lognormal", [50.0, 3.3, 0.9, 15.0], 0.02, 1.0, 130.0),
    ("gamma", [300.0, 3.0, 4.0, 8.0], 0.03, 0.5, 100.0),
    ("gamma", [2.0, 1.8, 7.0, 12.0], 0.05, 0.5, 110.0),
    ("gamma", [80.0, 6.0, 2.5, 10.0], 0.02, 1.0, 100.0),
    ("ldrw", [300.0, 15.0, 5.0, 8.0], 0.03, 0.5, 100.0),
    ("ldrw", [1.5, 25.0, 2.0, 12.0], 0.05, 0.5, 130.0),
    ("ldrw", [60.0, 10.0, 12.0, 10.0], 0.02, 1.0, 80.0),
    ("fpt", [300.0, 18.0, 5.0, 8.0], 0.03, 0.5, 100.0),
    ("fpt", [1.5, 30.0, 2.5, 12.0], 0.05, 0.5, 130.0),
    ("fpt", [60.0, 12.0, 15.0, 10.0], 0.02, 1.0, 80.0),
]


def main():
    rng = np.random.default_rng(20201)
    out = {"tool": "scipy.optimize.curve_fit (method lm)", "scipy": scipy.__version__,
           "numpy": np.__version__, "python": sys.version.split()[0], "cases": []}
    for name, p, noise, dt, dur in CASES:
        f = MODELS[name]
        t = np.arange(0.0, dur + dt / 2, dt)
        clean = f(t, *p)
        y = clean + noise * clean.max() * rng.standard_normal(t.size)
        # Start 20 % away from the truth in every parameter, t0 2 s early.
        p0 = [p[0] * 1.2, p[1] * (0.9 if name == "lognormal" else 1.2), p[2] * 0.8, p[3] - 2.0]
        popt, _ = curve_fit(f, t, y, p0=p0, method="lm", maxfev=20000, xtol=1e-12, ftol=1e-12)
        resid = y - f(t, *popt)
        r2 = 1 - np.sum(resid ** 2) / np.sum((y - y.mean()) ** 2)
        out["cases"].append({"model": name, "true": p, "noise": noise, "p0": p0,
                             "t": [round(v, 6) for v in t.tolist()],
                             "y": [float("%.10g" % v) for v in y.tolist()],
                             "scipy_params": popt.tolist(), "scipy_r2": float(r2)})
    json.dump(out, sys.stdout, indent=None, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
