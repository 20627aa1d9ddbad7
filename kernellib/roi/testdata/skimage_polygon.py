"""skimage_polygon.py writes skimage_polygon.json: polygons rasterised by
scikit-image's skimage.draw.polygon, the reference of package roi.

    cd kernellib/roi/testdata && /usr/bin/python3 skimage_polygon.py

Needs Debian's python3-skimage (0.19.3 made the committed file) and
python3-numpy. Each case holds the image size (width = columns, height =
rows), the vertices as x (column) and y (row) in skimage's pixel
coordinates (integers at pixel centres), and the mask skimage draws with
shape=(height, width), as run lengths over the row-major pixels starting
with a run of outside pixels (so the first run may be 0). Floats are
written by json with repr, which round-trips.

The cases: convex, concave (stars), self-intersecting (vertices in random
order), partly or wholly outside the image, vertices on integer and
half-integer coordinates, edges through pixel centres, and degenerate
polygons (one vertex, two vertices, collinear vertices, a repeated vertex).
"""

import json
import platform

import numpy as np
import skimage
from skimage.draw import polygon

rng = np.random.default_rng(20261205)
cases = []


def add(name, w, h, xs, ys):
    xs = [float(v) for v in xs]
    ys = [float(v) for v in ys]
    img = np.zeros((h, w), dtype=np.uint8)
    rr, cc = polygon(np.array(ys), np.array(xs), shape=(h, w))
    img[rr, cc] = 1
    flat = img.ravel()
    runs, cur, n = [], 0, 0
    for v in flat:
        if v == cur:
            n += 1
        else:
            runs.append(n)
            cur, n = v, 1
    runs.append(n)
    cases.append({"name": name, "width": w, "height": h, "x": xs, "y": ys,
                  "inside": int(flat.sum()), "runs": runs})


def size():
    return int(rng.integers(24, 72)), int(rng.integers(20, 64))


def ring(w, h, n, radii, spread=0.35):
    """n vertices around a centre inside the image, radii per vertex."""
    cx, cy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h
    a = np.sort(rng.uniform(0, 2 * np.pi, n))
    r = np.asarray(radii) * min(w, h) * spread
    return cx + r * np.cos(a), cy + r * np.sin(a)


def snap(v, step):
    return np.round(np.asarray(v) / step) * step


for i in range(12):
    w, h = size()
    n = int(rng.integers(3, 12))
    xs, ys = ring(w, h, n, rng.uniform(0.8, 1.0, n))
    add(f"convex_{i}", w, h, xs, ys)
for i in range(12):
    w, h = size()
    n = 2 * int(rng.integers(3, 9))
    radii = np.where(np.arange(n) % 2 == 0, 1.0, rng.uniform(0.25, 0.6))
    xs, ys = ring(w, h, n, radii)
    add(f"concave_{i}", w, h, xs, ys)
for i in range(10):
    w, h = size()
    n = int(rng.integers(4, 10))
    xs, ys = ring(w, h, n, rng.uniform(0.3, 1.0, n))
    p = rng.permutation(n)
    add(f"self_intersecting_{i}", w, h, xs[p], ys[p])
for i in range(8):
    w, h = size()
    n = int(rng.integers(3, 10))
    xs = rng.uniform(-0.4 * w, 1.4 * w, n)
    ys = rng.uniform(-0.4 * h, 1.4 * h, n)
    add(f"partly_outside_{i}", w, h, xs, ys)
for i in range(8):
    w, h = size()
    n = int(rng.integers(3, 10))
    xs, ys = ring(w, h, n, rng.uniform(0.3, 1.0, n), spread=0.45)
    add(f"integer_{i}", w, h, snap(xs, 1), snap(ys, 1))
for i in range(8):
    w, h = size()
    n = int(rng.integers(3, 10))
    xs, ys = ring(w, h, n, rng.uniform(0.3, 1.0, n), spread=0.45)
    add(f"half_integer_{i}", w, h, snap(xs, 0.5), snap(ys, 0.5))
for i in range(6):
    w, h = size()
    n = int(rng.integers(4, 9))
    xs, ys = ring(w, h, n, rng.uniform(0.3, 1.0, n), spread=0.5)
    p = rng.permutation(n)
    add(f"integer_self_intersecting_{i}", w, h, snap(xs, 1)[p], snap(ys, 1)[p])

# Hand-made edge cases.
add("rectangle_on_centres", 10, 8, [1, 6, 6, 1], [2, 2, 5, 5])
add("rectangle_on_corners", 10, 8, [0.5, 6.5, 6.5, 0.5], [1.5, 1.5, 5.5, 5.5])
add("diamond_through_centres", 11, 11, [5, 9, 5, 1], [1, 5, 9, 5])
add("whole_image", 7, 5, [0, 6, 6, 0], [0, 0, 4, 4])
add("covering_beyond_image", 7, 5, [-3, 10, 10, -3], [-2, -2, 9, 9])
add("wholly_outside", 12, 9, [20, 30, 25], [3, 4, 8])
add("negative_coordinates", 12, 9, [-5, -1, -3], [-4, -4, -1])
add("bow_tie", 9, 9, [1, 7, 1, 7], [1, 7, 7, 1])
add("pentagram", 21, 21, [10, 16, 1, 19, 4], [1, 19, 7, 7, 19])
add("thin_sliver", 20, 10, [1, 18, 18.2], [2, 7, 7.3])
add("one_vertex_integer", 6, 6, [3], [2])
add("one_vertex_fraction", 6, 6, [3], [2.5])
add("two_vertices", 8, 8, [1, 6], [1, 6])
add("two_vertices_horizontal", 8, 8, [1, 6], [3, 3])
add("collinear_three", 8, 8, [1, 3, 6], [1, 3, 6])
add("collinear_horizontal", 8, 8, [1, 4, 6], [3, 3, 3])
add("repeated_vertex", 10, 10, [2, 7, 7, 7, 2], [2, 2, 2, 7, 7])
add("closed_with_first_vertex", 10, 10, [2, 7, 4.5, 2], [2, 2, 7.5, 2])
add("last_row_and_column", 6, 5, [3.5, 5.5, 5.5], [2.5, 2.5, 4.5])

out = {
    "tool": f"scikit-image {skimage.__version__}, skimage.draw.polygon(r=y, c=x, shape=(height, width))",
    "numpy": np.__version__,
    "python": platform.python_version(),
    "cases": cases,
}
with open("skimage_polygon.json", "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print(f"{len(cases)} cases")
