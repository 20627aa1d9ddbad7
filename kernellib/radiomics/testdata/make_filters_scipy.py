#!/usr/bin/python3
"""Writes filters_scipy.json: Laplacian of Gaussian responses by SciPy and stationary
wavelet sub-bands by PyWavelets, on seeded random images, for kernellib/radiomics'
filter tests.

Run from this folder with Debian's python3 (python3-scipy, python3-pywt):
    /usr/bin/python3 make_filters_scipy.py

LoG: sigma^2 * sum over axes a of gaussian_filter(image, sigma/spacing, order=2 along
a, mode="reflect", truncate=4) / spacing_a^2 (scale-normalised, derivatives in mm).
Wavelets: pywt.swtn(image, wavelet, level=1) (periodic extension); key "ad" = low pass
along axis 0 (x), high pass along axis 1 (y), reported as "LH".
Images are stored x fastest; each output is given at 60 seeded voxel indices
(x-fastest index) to keep the file small.
"""
import json

import numpy as np
import pywt
import scipy
from scipy import ndimage


def flat(a):
    return a.flatten(order="F")


def log_mm(img, sigma, spacing):
    out = np.zeros(img.shape)
    for a in range(img.ndim):
        order = [0] * img.ndim
        order[a] = 2
        s = [sigma / sp for sp in spacing]
        out += ndimage.gaussian_filter(img, s, order=order, mode="reflect", truncate=4.0) / spacing[a] ** 2
    return sigma * sigma * out


def main():
    rng = np.random.default_rng(4242)
    cases = []
    for shape, spacing, sigma, wavelets in [
        ((24, 20), (0.3, 0.5), 1.0, ["haar", "coif1"]),
        ((12, 10, 8), (0.8, 0.8, 1.6), 1.5, ["haar", "coif1"]),
    ]:
        img = rng.integers(0, 256, size=shape).astype(float)
        n = img.size
        idx = sorted(rng.choice(n, size=60, replace=False).tolist())
        outs = {"log": flat(log_mm(img, sigma, spacing))[idx].tolist()}
        for w in wavelets:
            bands = pywt.swtn(img, w, level=1)[0]
            for key, band in bands.items():
                name = "".join("L" if c == "a" else "H" for c in key)
                outs[w + "_" + name] = flat(band)[idx].tolist()
        cases.append({"shape": list(shape), "spacing": list(spacing), "sigma_mm": sigma,
                      "image": flat(img).astype(int).tolist(), "index": idx, "outputs": outs})
    doc = {"tool": "scipy %s (ndimage.gaussian_filter); PyWavelets %s (swtn); numpy %s"
           % (scipy.__version__, pywt.__version__, np.__version__), "cases": cases}
    with open("filters_scipy.json", "w") as fh:
        json.dump(doc, fh, separators=(",", ":"))
        fh.write("\n")


if __name__ == "__main__":
    main()
