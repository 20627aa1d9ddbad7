#!/usr/bin/env bash
# Checks the notebook widgets in a live notebook, the path `make test` cannot
# take (it executes notebooks headless): a Jupyter Notebook server with the
# gonb kernel and headless Chromium driven by Puppeteer.
#   - slider.js (live.ipynb): runs the cells, moves an nb.Slider and waits for
#     the view to follow and for the cell to end with the widget removed;
#   - roi.js (roi.ipynb): clicks a lesion and a liver polygon in nb.DrawROIs on
#     the tissue half of the dual-display fixture, saves, and compares each
#     mask written with the one `ceusrad roi` makes from the same vertices,
#     and the manifest with its two mask cells filled.
#
# Needs what make setup-test installs, plus node and npm (Debian: apt-get
# install -y nodejs npm); puppeteer-core is installed from npm into a
# temporary folder. Run from the repository root: bash scripts/livecheck/run.sh
set -euo pipefail
root=$(pwd)
here="$root/scripts/livecheck"
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
export PATH="$(go env GOPATH)/bin:$PATH"
unset CEUSRAD_HEADLESS
sed "s|@ROOT@|$root|" "$here/live.ipynb" > "$work/live.ipynb"
sed -e "s|@ROOT@|$root|" -e "s|@WORK@|$work|" "$here/roi.ipynb" > "$work/roi.ipynb"
# The ROI check's cohort: the dual-display fixture (contrast on the right), no masks.
cine="$root/kernellib/imaging/testdata/dicom/py_dual_display.dcm"
mkdir "$work/roi"
printf 'patient_id,response,split,cine,bmode,lesion_mask,liver_mask,cine_region\nD1,OR,train,%s,b.png,,,right\n' "$cine" > "$work/roi/cohort.csv"
go build -o "$work/ceusrad" ./kernellib/cmd/ceusrad
(cd "$work" && npm init -y >/dev/null && npm install --silent puppeteer-core@21 >/dev/null)
port=$((20000 + RANDOM % 20000))
jupyter notebook --no-browser --port "$port" --NotebookApp.token='' --NotebookApp.password='' \
	--notebook-dir="$work" --allow-root >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do
	curl -s -o /dev/null "http://127.0.0.1:$port/api" && break
	sleep 0.2
done
cd "$work"
# LIVE_ONLY=slider or LIVE_ONLY=roi runs one of the two checks.
if [ "${LIVE_ONLY:-}" != roi ]; then
	LIVE_URL="http://127.0.0.1:$port/notebooks/live.ipynb" node "$here/slider.js"
fi
if [ "${LIVE_ONLY:-}" != slider ]; then
	LIVE_URL="http://127.0.0.1:$port/notebooks/roi.ipynb" ROI_DIR="$work/roi" ROI_CINE="$cine" CEUSRAD_BIN="$work/ceusrad" ROI_SCREENSHOT="${ROI_SCREENSHOT:-}" \
		node "$here/roi.js"
fi
