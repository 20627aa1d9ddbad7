#!/bin/sh
# Side-by-side epoch time of ceusrad's cine CNN and PyTorch on the same
# tensors (see main.go and torch_epoch.py). Run from the repository root
# after `make data`; needs Debian's python3-torch (CPU) for the second half.
set -e
out=${1:-$(mktemp -d)}
GOMAXPROCS=${GOMAXPROCS:-2} go run ./kernellib/deep/bench -cohort datasets/synthetic-tace -out "$out" -epochs 4
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
	/usr/bin/python3 kernellib/deep/bench/torch_epoch.py "$out"
else
	echo "PyTorch is not installed for /usr/bin/python3 (Debian python3-torch): no ratio" >&2
	exit 1
fi
