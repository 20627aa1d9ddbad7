#!/usr/bin/python3
"""Writes glcm_skimage.json: grey level co-occurrence matrices and their properties
computed by scikit-image (graycomatrix, graycoprops) on a few seeded random images, for
kernellib/radiomics' GLCM tests.

Run from this folder with Debian's python3 (python3-skimage):
    /usr/bin/python3 make_glcm_skimage.py

Each case is an image of grey levels 0..L-1 (stored row by row); the Go test uses level
v+1 for value v over the whole image (mask everywhere), because IBSI numbers grey
levels from 1. graycomatrix runs with distance 1, the four angles 0, pi/4, pi/2, 3pi/4,
symmetric=True; the properties come from the normalised matrices.
"""
import json

import numpy as np
import scipy
import skimage
from scipy import ndimage
from skimage.feature import graycomatrix, graycoprops

ANGLES = [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4]
PROPS = ["contrast", "dissimilarity", "homogeneity", "ASM", "energy", "correlation"]


def case(name, img, levels, keep_matrix):
    img = img.astype(np.uint8)
    counts = graycomatrix(img, distances=[1], angles=ANGLES, levels=levels, symmetric=True, normed=False)
    normed = graycomatrix(img, distances=[1], angles=ANGLES, levels=levels, symmetric=True, normed=True)
    out = {
        "name": name,
        "height": int(img.shape[0]),
        "width": int(img.shape[1]),
        "levels": levels,
        "image": img.flatten().tolist(),
        "props": {p: graycoprops(normed, p)[0].tolist() for p in PROPS},
    }
    if keep_matrix:
        # counts[i, j, 0, a]: i, j grey levels, a the angle.
        out["counts"] = [counts[:, :, 0, a].flatten().astype(int).tolist() for a in range(len(ANGLES))]
    return out


def main():
    rng = np.random.default_rng(20240611)
    cases = []
    # Uniform noise, 8 levels.
    cases.append(case("uniform8", rng.integers(0, 8, size=(20, 24)), 8, True))
    # Smooth texture (Gaussian-filtered noise) quantised to 16 levels.
    f = ndimage.gaussian_filter(rng.standard_normal((32, 28)), 1.5)
    q = np.floor((f - f.min()) / (f.max() - f.min()) * 16).clip(0, 15)
    cases.append(case("smooth16", q, 16, True))
    # Speckle-like texture (exponential intensities, as ultrasound), 32 levels.
    s = ndimage.uniform_filter(rng.exponential(1.0, size=(48, 40)), 2)
    q = np.floor((s - s.min()) / (s.max() - s.min()) * 32).clip(0, 31)
    cases.append(case("speckle32", q, 32, False))
    doc = {
        "tool": "scikit-image %s (graycomatrix, graycoprops); numpy %s; scipy %s"
        % (skimage.__version__, np.__version__, scipy.__version__),
        "angles": "0, pi/4, pi/2, 3pi/4: (row, column) offsets (0,1), (1,1), (1,0), (1,-1) in scikit-image 0.19, i.e. radiomics.Directions2D in order",
        "distance": 1,
        "symmetric": True,
        "cases": cases,
    }
    with open("glcm_skimage.json", "w") as fh:
        json.dump(doc, fh, separators=(",", ":"))
        fh.write("\n")


if __name__ == "__main__":
    main()
