#!/usr/bin/env bash
# Checks nb.Slider in a live notebook, the path `make test` cannot take
# (it executes notebooks headless): a Jupyter Notebook server with the gonb
# kernel, a notebook with one slider, and headless Chromium driven by
# Puppeteer (slider.js) that runs the cells, moves the slider and waits for
# the view to follow and for the cell to end with the widget removed.
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
(cd "$work" && npm init -y >/dev/null && npm install --silent puppeteer-core@21 >/dev/null)
port=$((20000 + RANDOM % 20000))
jupyter notebook --no-browser --port "$port" --NotebookApp.token='' --NotebookApp.password='' \
	--notebook-dir="$work" --allow-root >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do
	curl -s -o /dev/null "http://127.0.0.1:$port/api" && break
	sleep 0.2
done
cd "$work" && LIVE_URL="http://127.0.0.1:$port/notebooks/live.ipynb" node "$here/slider.js"
