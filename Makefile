# ceusrad — make setup | reproduce | notebook | test | bench
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
GOBIN := $(shell go env GOPATH)/bin
export PATH := $(GOBIN):$(PATH)

# Quick mode for the notebook test: smaller sizes, same code paths, and the
# study's results in a temporary folder rather than figures/.
QUICK_ENV := CEUSRAD_PRIMER_REPS=2000 CEUSRAD_SPLITS=5 CEUSRAD_CNN_SPLITS=2 CEUSRAD_BOOT=500 CEUSRAD_EPOCHS=4
# Re-drawn splits that retrain the CNN too in make reproduce (about 1.5 min each on 2 cores,
# so few, to keep make reproduce under 15 minutes; CNN_SPLITS=20 make reproduce for more);
# the classical models get 100.
CNN_SPLITS ?= 2

.PHONY: data setup setup-test reproduce notebook test test-go test-fuzz test-notebooks test-slider test-live bench bench-peers

## setup: Jupyter (Debian), GoNB and goimports at pinned versions, the gonb kernel
setup:
	@bash scripts/setup.sh

DATA := datasets/synthetic-tace

## data: the default synthetic cohort (created when missing), checked against its committed checksums
data:
	@if [ ! -f $(DATA)/cohort.csv ]; then go run ./kernellib/cmd/ceusrad synth -out $(DATA) -n 130 -seed 1; fi
	@cd $(DATA) && sha256sum --quiet --strict -c ../synthetic-tace.sha256 || { \
		echo "data: $(DATA) differs from datasets/synthetic-tace.sha256; remove the folder and run make data again" >&2; exit 1; }
	@echo "data: $(DATA) matches datasets/synthetic-tace.sha256 ($$(wc -l < datasets/synthetic-tace.sha256) files)"

## reproduce: the main job — the default cohort, then every notebook executed in place (two at once: the study's
## notebook beside those that do not read its results, nbrun -parallel);
## figures land in figures/
reproduce: setup data
	@# The study is run again, not read back from a results.json left by an earlier run:
	@# the earlier run's files (those its results.json lists) are removed first.
	go run ./kernellib/cmd/ceusrad clean -out "$${CEUSRAD_RESULTS_DIR:-figures}"
	@# The CNN variants 04_deep_cine caches beside results.json (the mask ablation) are trained again too.
	rm -f "$${CEUSRAD_RESULTS_DIR:-figures}"/cnn_variant_*.json
	CEUSRAD_CNN_SPLITS=$(CNN_SPLITS) go run ./kernellib/nb/nbcheck/nbrun -inplace notebooks

## notebook: Jupyter Notebook on 127.0.0.1 in notebooks/ (token authentication on)
notebook: setup
	@echo "Starting Jupyter Notebook on 127.0.0.1; open the http://127.0.0.1:PORT/?token=... URL it prints."
	cd notebooks && jupyter notebook --ip=127.0.0.1 --no-browser $(if $(filter 0,$(shell id -u)),--allow-root)

## test: go vet, go test, short fuzz runs, and every notebook executed through the GoNB kernel and
## rendered in headless Chromium (figures present and not blank), and nb.Slider's output moved in
## headless Chromium with no kernel (skipped without node and npm)
test: setup-test test-go test-fuzz test-notebooks test-slider

setup-test:
	@bash scripts/setup.sh --with-browser

test-go:
	go mod tidy -diff
	go vet ./...
	go test ./...

# A short run (a fixed number of inputs, so that a loaded machine does not hit
# a deadline) of each fuzz target over the readers of untrusted files (seed
# corpora under each package's testdata/fuzz/).
FUZZTIME ?= 50000x
test-fuzz:
	go test -run '^$$' -fuzz '^FuzzReadManifest$$' -fuzztime $(FUZZTIME) ./kernellib/cohort/
	go test -run '^$$' -fuzz '^FuzzOpenCineDICOM$$' -fuzztime $(FUZZTIME) ./kernellib/imaging/
	go test -run '^$$' -fuzz '^FuzzReadNIfTI$$' -fuzztime $(FUZZTIME) ./kernellib/imaging/
	go test -run '^$$' -fuzz '^FuzzTransferSyntaxOf$$' -fuzztime $(FUZZTIME) ./kernellib/imaging/
	go test -run '^$$' -fuzz '^FuzzParseNPYHeader$$' -fuzztime $(FUZZTIME) ./kernellib/imaging/
	go test -run '^$$' -fuzz '^FuzzLoadCheckpoint$$' -fuzztime $(FUZZTIME) ./kernellib/deep/
	go test -run '^$$' -fuzz '^FuzzLoadModel$$' -fuzztime $(FUZZTIME) ./kernellib/learn/

test-notebooks:
	CEUSRAD_RESULTS_DIR=$$(mktemp -d) $(QUICK_ENV) go test -tags notebook -run '^TestNotebooks$$' -count=1 -timeout 60m -v ./kernellib/nb/nbcheck/

# nb.Slider's self-contained output in headless Chromium: a page opened with file:// and an
# nbconvert HTML export (a few seconds; needs node, npm and chromium, skipped without them).
test-slider:
	bash scripts/livecheck/run.sh --static

## test-live: test-slider, then nb.Slider (live and untrusted) and nb.DrawROIs in a Jupyter Notebook page driven by
## headless Chromium (needs node and npm; not part of make test)
test-live: setup-test
	bash scripts/livecheck/run.sh

## bench: the Go benchmarks
bench:
	go test -run '^$$' -bench . -benchmem ./...

## bench-peers: side-by-side timings against the peer tools, ratios printed (needs Debian's r-cran-proc,
## python3-sklearn, python3-skimage and python3-torch)
bench-peers: data
	bash kernellib/roc/bench/delong_side_by_side.sh
	bash kernellib/roc/bench/bootstrap_side_by_side.sh
	bash kernellib/learn/bench/lasso_side_by_side.sh
	REPS=5 bash kernellib/radiomics/bench/glcm_side_by_side.sh
	bash kernellib/deep/bench/run.sh
