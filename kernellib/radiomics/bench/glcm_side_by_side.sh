#!/bin/sh
# glcm_side_by_side.sh times scikit-image and package radiomics on the same GLCM task,
# one after the other on this machine, and prints the ratio:
#
#   a 256 x 256 image of 32 grey levels; the four co-occurrence matrices at distance 1
#   (0, 45, 90, 135 degrees, symmetric) and, for each, contrast, dissimilarity,
#   homogeneity, ASM, energy and correlation
#   scikit-image: graycomatrix(normed=True) + graycoprops for the six properties
#   Go:           GLCM.Add for the four directions + the same six features
#                 (BenchmarkGLCM2D, one core)
#
# Each side's time is its best of REPS runs, so that both are measured alike on a
# shared machine. Also printed: the full 2D feature set of a 256 x 256 region
# (BenchmarkExtract2D, wall and CPU time; target under 20 ms on one core).
#
# Usage (from anywhere in the repository): kernellib/radiomics/bench/glcm_side_by_side.sh
# Needs Debian's python3 with python3-skimage, and Go.
set -eu
REPS=${REPS:-7}
cd "$(dirname "$0")/../../.."

echo "best of $REPS runs each; $(nproc) cores, Go on one (-cpu 1)"

PY=$(/usr/bin/python3 - "$REPS" <<'PYEOF'
import sys, timeit
import numpy as np
import skimage
from skimage.feature import graycomatrix, graycoprops
reps = int(sys.argv[1])
rng = np.random.default_rng(2)
raw = rng.exponential(1.0, size=(257, 257))
s = raw[:-1, :-1] + raw[1:, :-1] + raw[:-1, 1:] + raw[1:, 1:]
x = np.log1p(s)
img = np.minimum(31, np.floor(32 * (x - x.min()) / (x.max() - x.min()))).astype(np.uint8)
angles = [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4]
def task():
    p = graycomatrix(img, [1], angles, levels=32, symmetric=True, normed=True)
    for prop in ("contrast", "dissimilarity", "homogeneity", "ASM", "energy", "correlation"):
        graycoprops(p, prop)
task()
best = min(timeit.repeat(task, number=20, repeat=reps)) / 20
print(skimage.__version__, best)
PYEOF
)
SK_VERSION=${PY% *}
SK_SECONDS=${PY#* }
echo "scikit-image $SK_VERSION: graycomatrix + graycoprops x6: $(awk -v s="$SK_SECONDS" 'BEGIN{printf "%.3f ms", s*1000}')"

LINES=$(go test -run '^$' -bench '^Benchmark(GLCM|Extract)2D$' -benchtime=50x -count="$REPS" -cpu 1 ./kernellib/radiomics/)
echo "$LINES" | grep '^BenchmarkGLCM2D' | sort -n -k3 | head -1 | awk -v s="$SK_SECONDS" '{
	g = $3 / 1e9
	printf "Go: GLCM.Add x4 + the six features x4: %.3f ms\n", g * 1000
	printf "ratio scikit-image / Go: %.1fx\n", s / g
}'
echo "$LINES" | grep '^BenchmarkExtract2D' | sort -n -k5 | head -1 | awk '{
	printf "Go: full 2D feature set, 256 x 256 region: %.1f ms wall, %.1f ms CPU (target < 20 ms)\n", $3 / 1e6, $5
}'
