#!/usr/bin/env bash
# Checks the notebook widgets in a browser, the path `make test-notebooks`
# cannot take (it executes notebooks headless). Headless Chromium driven by
# Puppeteer (puppeteer-core from npm, installed once into
# ~/.cache/ceusrad-livecheck).
#
#   run.sh --static: nb.Slider's output with no server and no kernel
#     (slider.js, SLIDER_MODE=static): a page holding the output, written by
#     kernellib/nb/nbcheck/sliderpage and opened with file://, and the
#     notebook holding it exported by jupyter nbconvert --to html. A few
#     seconds; part of make test.
#   run.sh: the static checks, then a Jupyter Notebook server with the gonb
#     kernel (what make setup-test installs) for
#       - slider.js live (live.ipynb): the cell with an nb.Slider ends at once,
#         the kernel is idle, and the slider moves;
#       - slider.js untrusted (the sliderpage notebook, not signed): the view
#         of the first position alone, the slider greyed out, the note shown;
#       - slider.js trusted (the same notebook signed, as by jupyter trust, as
#         one executed here and opened later): the slider moves;
#       - roi.js (roi.ipynb): clicks a lesion and a liver polygon in
#         nb.DrawROIs on the tissue half of the dual-display fixture, saves,
#         and compares each mask written with the one `ceusrad roi` makes from
#         the same vertices, and the manifest with its two mask cells filled.
#     LIVE_ONLY=slider or LIVE_ONLY=roi runs one of the two live checks.
#
# Needs node and npm (Debian: apt-get install -y nodejs npm) and chromium; the
# checks are skipped, saying so, when one is missing. Run from the repository
# root: bash scripts/livecheck/run.sh [--static]
set -euo pipefail
root=$(pwd)
here="$root/scripts/livecheck"
chromium=${CHROMIUM:-/usr/bin/chromium}
for tool in node npm "$chromium"; do
	if ! command -v "$tool" >/dev/null; then
		echo "livecheck: SKIP, $tool not found (Debian: apt-get install -y nodejs npm chromium)"
		exit 0
	fi
done
work=$(mktemp -d)
trap '[ -z "${server:-}" ] || kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
modules="${XDG_CACHE_HOME:-$HOME/.cache}/ceusrad-livecheck"
if [ ! -d "$modules/node_modules/puppeteer-core" ]; then
	mkdir -p "$modules"
	if ! (cd "$modules" && npm init -y >/dev/null && npm install --silent puppeteer-core@21 >/dev/null); then
		# The npm registry out of reach is the machine's problem, not the
		# widget's: say so loudly and skip, as for a missing tool.
		rm -rf "$modules/node_modules"
		echo "livecheck: SKIP, npm could not install puppeteer-core@21 (is the npm registry reachable?)"
		exit 0
	fi
fi
ln -s "$modules/node_modules" "$work/node_modules"
export CHROMIUM="$chromium"

# The static checks: no server, no kernel.
mkdir "$work/static"
go run ./kernellib/nb/nbcheck/sliderpage "$work/static"
jupyter nbconvert --to html --output-dir "$work/static" "$work/static/slider.ipynb" >"$work/nbconvert.log" 2>&1 ||
	{ cat "$work/nbconvert.log"; exit 1; }
(cd "$work" && SLIDER_MODE=static SLIDER_PAGE="file://$work/static/page.html" SLIDER_EXPORT="file://$work/static/slider.html" \
	node "$here/slider.js")
[ "${1:-}" = --static ] && exit 0

export PATH="$(go env GOPATH)/bin:$PATH"
unset CEUSRAD_HEADLESS
sed "s|@ROOT@|$root|" "$here/live.ipynb" > "$work/live.ipynb"
# The untrusted copy differs (its execution count) so that the signature of
# the trusted one does not match it.
sed 's/"execution_count": 1,/"execution_count": 2,/' "$work/static/slider.ipynb" > "$work/untrusted.ipynb"
cmp -s "$work/static/slider.ipynb" "$work/untrusted.ipynb" && { echo "livecheck: untrusted.ipynb not changed"; exit 1; }
cp "$work/static/slider.ipynb" "$work/trusted.ipynb"
# Signed as jupyter trust would (Debian's Jupyter has no such command): in the
# database of the server's data folder.
JUPYTER_DATA_DIR="$work/jupyter-data" /usr/bin/python3 -c 'import sys, nbformat
from nbformat.sign import NotebookNotary
NotebookNotary().sign(nbformat.read(sys.argv[1], as_version=4))' "$work/trusted.ipynb"
sed -e "s|@ROOT@|$root|" -e "s|@WORK@|$work|" "$here/roi.ipynb" > "$work/roi.ipynb"
# The ROI check's cohort: the dual-display fixture (contrast on the right), no masks.
cine="$root/kernellib/imaging/testdata/dicom/py_dual_display.dcm"
mkdir "$work/roi"
printf 'patient_id,response,split,cine,bmode,lesion_mask,liver_mask,cine_region\nD1,OR,train,%s,b.png,,,right\n' "$cine" > "$work/roi/cohort.csv"
go build -o "$work/ceusrad" ./kernellib/cmd/ceusrad
port=$((20000 + RANDOM % 20000))
# A notebook is trusted once signed in the server's database: a fresh one
# (JUPYTER_DATA_DIR in $work) has signed nothing, so untrusted.ipynb opens untrusted.
JUPYTER_DATA_DIR="$work/jupyter-data" jupyter notebook --no-browser --port "$port" --NotebookApp.token='' --NotebookApp.password='' \
	--notebook-dir="$work" --allow-root >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do
	curl -s -o /dev/null "http://127.0.0.1:$port/api" && break
	sleep 0.2
done
cd "$work"
if [ "${LIVE_ONLY:-}" != roi ]; then
	SLIDER_MODE=untrusted LIVE_URL="http://127.0.0.1:$port/notebooks/untrusted.ipynb" node "$here/slider.js"
	SLIDER_MODE=trusted LIVE_URL="http://127.0.0.1:$port/notebooks/trusted.ipynb" node "$here/slider.js"
	SLIDER_MODE=live LIVE_URL="http://127.0.0.1:$port/notebooks/live.ipynb" node "$here/slider.js"
fi
if [ "${LIVE_ONLY:-}" != slider ]; then
	LIVE_URL="http://127.0.0.1:$port/notebooks/roi.ipynb" ROI_DIR="$work/roi" ROI_CINE="$cine" CEUSRAD_BIN="$work/ceusrad" ROI_SCREENSHOT="${ROI_SCREENSHOT:-}" \
		node "$here/roi.js"
fi
