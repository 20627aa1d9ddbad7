#!/usr/bin/env bash
# Regenerates executed.ipynb: source.ipynb executed headless by the GoNB
# kernel (make setup first). The fixture records a real kernel's outputs,
# failures included, for the checks in check_test.go.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$(go env GOPATH)/bin:$PATH"
jupyter nbconvert --to notebook --execute --allow-errors \
	--ExecutePreprocessor.kernel_name=gonb --output executed.ipynb source.ipynb
