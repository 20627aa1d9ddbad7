#!/usr/bin/env bash
# setup.sh — make this machine ready to run ceusrad's notebooks:
# Jupyter (from Debian when missing), GoNB built from the module's pinned tool,
# goimports at a pinned version, and the GoNB kernel registered with Jupyter.
# Idempotent: a second run checks and does nothing (a few seconds).
# With --with-browser (make test) it also installs Debian's chromium, which
# the notebook test uses to check that the exported notebooks render.
set -euo pipefail
WITH_BROWSER=0
[ "${1:-}" = "--with-browser" ] && WITH_BROWSER=1
cd "$(dirname "$0")/.."

GOIMPORTS_VERSION=v0.45.0
APT_PACKAGES="jupyter-notebook jupyter-nbconvert jupyter-client python3-nbclient"
BIN="$(go env GOPATH)/bin"
# Debian's Jupyter runs on Debian's Python; a python3 earlier on PATH (pyenv,
# conda) does not see its modules.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
export PATH="$BIN:$PATH"
did=()

# 1. Jupyter Notebook, nbconvert and nbclient.
# One Python start checks what four `jupyter ...` commands would (about 1 s
# each).
if command -v jupyter >/dev/null 2>&1 &&
	"$PY" -c 'import nbconvert, nbclient, notebook, jupyter_client.kernelspec' >/dev/null 2>&1; then
	:
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "setup: installing Jupyter from Debian: $APT_PACKAGES"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $APT_PACKAGES >/dev/null
	did+=("installed Jupyter ($APT_PACKAGES)")
else
	echo "setup: Jupyter Notebook with nbconvert and nbclient is missing. Install it with:" >&2
	if command -v apt-get >/dev/null 2>&1; then
		echo "  sudo apt-get update && sudo apt-get install -y $APT_PACKAGES" >&2
	else
		echo "  python3 -m pip install --user 'notebook>=6.4' nbconvert nbclient jupyter_client" >&2
	fi
	echo "then run 'make setup' again (see environment.md)." >&2
	exit 1
fi

# 1b. Chromium for the rendering check of the notebook test.
if [ "$WITH_BROWSER" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "setup: installing chromium from Debian (for the notebook rendering check)"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
		did+=("installed chromium")
	else
		echo "setup: chromium is missing; the notebook test needs it. Install it with:" >&2
		echo "  sudo apt-get install -y chromium" >&2
		exit 1
	fi
fi

# 1c. GDCM's gdcmconv, which decodes JPEG Lossless, JPEG-LS, JPEG 2000, JPEG
# Extended and Deflated DICOM files (kernellib/imaging/gdcm.go). Optional: without
# it those files are refused with a message naming this package.
if ! command -v gdcmconv >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "setup: installing libgdcm-tools from Debian (gdcmconv, for compressed DICOM)"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgdcm-tools >/dev/null
		did+=("installed libgdcm-tools (gdcmconv)")
	else
		echo "setup: gdcmconv is missing; JPEG-LS/JPEG 2000/JPEG Lossless DICOM files will be refused. Install it with:" >&2
		echo "  sudo apt-get install -y libgdcm-tools" >&2
	fi
fi

# 2. GoNB, at the version go.mod pins as a tool, built to a stable path.
want_gonb="$(go list -m -f '{{.Version}}' github.com/janpfeifer/gonb)"
have_gonb="$("$BIN/gonb" -V 2>/dev/null || true)"
if [ "$have_gonb" != "$want_gonb" ]; then
	echo "setup: building GoNB $want_gonb into $BIN/gonb"
	mkdir -p "$BIN"
	go build -o "$BIN/gonb" github.com/janpfeifer/gonb
	did+=("built GoNB $want_gonb")
fi

# 3. goimports, which GoNB runs on every cell.
have_gi="$({ go version -m "$BIN/goimports" 2>/dev/null || true; } | awk '$1 == "mod" && $2 == "golang.org/x/tools" {print $3}')"
if [ "$have_gi" != "$GOIMPORTS_VERSION" ]; then
	echo "setup: installing goimports $GOIMPORTS_VERSION"
	go install "golang.org/x/tools/cmd/goimports@$GOIMPORTS_VERSION"
	did+=("installed goimports $GOIMPORTS_VERSION")
fi

# 4. The kernel spec, pointing at that binary. gopls (autocompletion only) is
# optional, hence --force_deps.
# (What `jupyter kernelspec list --json` lists, read in the same Python.)
if ! "$PY" - "$BIN/gonb" 2>/dev/null <<'PY'
import sys
from jupyter_client.kernelspec import KernelSpecManager
want = sys.argv[1]
try:
    argv = KernelSpecManager().get_all_specs()["gonb"]["spec"]["argv"]
except Exception:
    sys.exit(1)
sys.exit(0 if argv and argv[0] == want else 1)
PY
then
	echo "setup: registering the GoNB kernel with Jupyter"
	"$BIN/gonb" --install --force_deps >/dev/null 2>&1 || "$BIN/gonb" --install --force_deps
	did+=("registered the GoNB kernel")
fi

# 5. Check that Jupyter lists the kernel now.
if ! notebook_version="$("$PY" -c '
from jupyter_client.kernelspec import KernelSpecManager
import notebook
assert "gonb" in KernelSpecManager().get_all_specs()
print(notebook.__version__)' 2>/dev/null)"; then
	echo "setup: the GoNB kernel is not listed by 'jupyter kernelspec list'" >&2
	exit 1
fi
if [ ${#did[@]} -eq 0 ]; then
	echo "setup: nothing to do: Jupyter $notebook_version, GoNB $want_gonb, goimports $GOIMPORTS_VERSION, kernel 'gonb' registered"
else
	for d in "${did[@]}"; do echo "setup: $d"; done
	echo "setup: done; 'jupyter kernelspec list' shows the gonb kernel"
fi
