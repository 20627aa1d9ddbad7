#!/usr/bin/python3
"""Writes mesh_skimage.json: surface meshes and contours of seeded random masks by
scikit-image, for kernellib/radiomics' morphology tests.

Run from this folder with Debian's python3 (python3-skimage):
    /usr/bin/python3 make_mesh_skimage.py

3D: marching_cubes (Lewiner) at level 0.5 on the mask padded with one layer of zeros,
with the voxel spacing; volume by the divergence theorem, area by mesh_surface_area.
Convex hull: scipy.spatial.ConvexHull (Qhull) of the midpoints of every edge between an
inside and an outside voxel centre of the padded mask (the marching-cubes vertices),
its volume, area and largest vertex distance.
2D: find_contours at level 0.5 on the padded mask (fully_connected="low": diagonal
inside pixels are not joined); area by the shoelace formula, perimeter as the length
of the contours, with the pixel spacing. Masks are stored x fastest ("0"/"1").
"""
import json

import numpy as np
import scipy
import skimage
from scipy import ndimage
from scipy.spatial import ConvexHull
from scipy.spatial.distance import pdist
from skimage import measure


def blob(rng, shape, sigma, level):
    f = ndimage.gaussian_filter(rng.standard_normal(shape), sigma)
    return (f > level * f.std()).astype(np.uint8)


def flat(m):
    # numpy index (x, y, z) -> x fastest.
    return "".join("1" if v else "0" for v in m.flatten(order="F"))


def edge_midpoints(m, spacing):
    p = np.pad(m, 1).astype(bool)
    pts = []
    for axis in range(3):
        a = p
        b = np.roll(p, -1, axis=axis)
        idx = np.argwhere(a != b)
        idx = idx[idx[:, axis] < p.shape[axis] - 1].astype(float)
        idx[:, axis] += 0.5
        pts.append(idx)
    pts = np.concatenate(pts) - 1.0  # back to unpadded voxel coordinates
    return pts * np.asarray(spacing)


def main():
    rng = np.random.default_rng(31)
    cases3 = []
    for k, (shape, spacing) in enumerate([((16, 14, 10), (0.7, 0.7, 1.5)), ((14, 14, 12), (1.0, 1.0, 1.0)), ((18, 12, 8), (0.5, 0.6, 2.0))]):
        m = blob(rng, shape, 2.0, 0.2)
        v, f, _, _ = measure.marching_cubes(np.pad(m, 1).astype(float), 0.5, spacing=spacing, method="lewiner")
        vol = abs(np.einsum("ij,ij->i", v[f[:, 0]], np.cross(v[f[:, 1]], v[f[:, 2]])).sum()) / 6
        h = ConvexHull(edge_midpoints(m, spacing))
        cases3.append({"shape": shape, "spacing": spacing, "mask": flat(m), "voxels": int(m.sum()),
                       "volume": float(vol), "area": float(measure.mesh_surface_area(v, f)),
                       "hull_volume": float(h.volume), "hull_area": float(h.area),
                       "diameter": float(pdist(h.points[h.vertices]).max())})
    cases2 = []
    for k, (shape, spacing) in enumerate([((30, 26), (0.2, 0.2)), ((24, 40), (0.15, 0.3)), ((20, 20), (1.0, 1.0))]):
        m = blob(rng, shape, 1.5 + k, 0.1)
        area = perim = 0.0
        for c in measure.find_contours(np.pad(m, 1).astype(float), 0.5, fully_connected="low"):
            # c[:, 0] is x (first numpy axis), c[:, 1] is y.
            x, y = c[:, 0] * spacing[0], c[:, 1] * spacing[1]
            area += 0.5 * np.sum(x[:-1] * y[1:] - x[1:] * y[:-1])
            perim += np.sum(np.hypot(np.diff(x), np.diff(y)))
        cases2.append({"shape": shape, "spacing": spacing, "mask": flat(m), "pixels": int(m.sum()),
                       "area": abs(float(area)), "perimeter": float(perim)})
    doc = {"tool": "scikit-image %s (marching_cubes lewiner, mesh_surface_area, find_contours); numpy %s; scipy %s (spatial.ConvexHull: Qhull)"
           % (skimage.__version__, np.__version__, scipy.__version__),
           "mesh3d": cases3, "contour2d": cases2}
    with open("mesh_skimage.json", "w") as fh:
        json.dump(doc, fh, separators=(",", ":"))
        fh.write("\n")


if __name__ == "__main__":
    main()
