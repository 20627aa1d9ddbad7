#!/usr/bin/python3
"""Reference values for kernellib/plots/cvd.go, made with scikit-image.

For each colour (the Okabe-Ito series palette of theme.go and a red/green
pair that must fail), and for each simulated colour vision (none and
Machado, Oliveira & Fernandes, IEEE TVCG 15(6):1291, 2009, severity 1.0:
protanopia, deuteranopia, tritanopia, applied to linear sRGB and clipped),
the simulated sRGB, its CIELAB (skimage.color.rgb2lab, D65, 2 degree
observer) and the CIEDE2000 difference of every pair
(skimage.color.deltaE_ciede2000). The Machado matrices are the published
ones (the paper's supplementary table, severity 1.0), typed in here and in
cvd.go independently of each other; what skimage checks is the colour
science after them: sRGB decoding, XYZ, CIELAB and CIEDE2000.

Run: /usr/bin/python3 cvd_reference.py > cvd_reference.json
"""
import json

import numpy as np
import skimage
from skimage.color import deltaE_ciede2000, rgb2lab

MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "none": np.eye(3).tolist(),
}
COLOURS = ["0072B2", "D55E00", "009E73", "CC79A7", "E69F00", "56B4E9", "000000", "E41A1C", "4DAF4A"]


def decode(c):
    c = c / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def encode(c):
    c = np.clip(c, 0, 1)
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)


out = {"tool": "scikit-image %s, numpy %s" % (skimage.__version__, np.__version__), "colours": COLOURS, "vision": {}}
for name, m in MACHADO.items():
    rows = []
    for h in COLOURS:
        rgb = np.array([int(h[i:i + 2], 16) for i in (0, 2, 4)], float)
        s = encode(np.array(m) @ decode(rgb))
        lab = rgb2lab(s.reshape(1, 1, 3))[0, 0]
        rows.append({"srgb": s.tolist(), "lab": lab.tolist()})
    de = [[float(deltaE_ciede2000(np.array(a["lab"]), np.array(b["lab"]))) for b in rows] for a in rows]
    out["vision"][name] = {"colours": rows, "delta_e2000": de}
print(json.dumps(out, indent=1))
