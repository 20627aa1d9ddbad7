#!/usr/bin/python3
"""Reference for deep.Resize: Pillow's Image.resize with the BILINEAR
(antialiased triangle) filter on mode "F" (float32) images.

Writes resize_pillow.json: the tool versions and, for each case, the input
(w, h, row-major values) and Pillow's output (ow, oh, values), every value
with the 9 significant digits that identify a float32.
Run: /usr/bin/python3 kernellib/deep/testdata/resize_pillow.py
"""
import os

import numpy as np
import PIL
from PIL import Image


def floats(a):
    return "[" + ",".join("%.9g" % v for v in a.ravel()) + "]"


rng = np.random.default_rng(20261127)
cases = []
for (w, h), (ow, oh) in [((37, 29), (16, 16)),  # downsampling, non-integer factors
                         ((30, 24), (20, 16)),  # the factor 1.5 of a typical crop
                         ((11, 7), (23, 19)),   # upsampling
                         ((20, 20), (5, 5))]:   # integer factor 4
    x = rng.random((h, w), dtype=np.float32)
    y = np.asarray(Image.fromarray(x, mode="F").resize((ow, oh), resample=Image.BILINEAR), dtype=np.float32)
    cases.append('{"w":%d,"h":%d,"in":%s,"ow":%d,"oh":%d,"out":%s}' % (w, h, floats(x), ow, oh, floats(y)))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resize_pillow.json")
with open(out, "w") as f:
    f.write('{"tool":"Pillow %s, numpy %s","cases":[\n%s\n]}\n' % (PIL.__version__, np.__version__, ",\n".join(cases)))
