#!/bin/sh
# Regenerates the fixtures of kernellib/imaging from tools no one in this project wrote:
# pydicom, dcmtk (img2dcm, dcmcjpeg, dcmdjpeg, dcmconv, dcmdump), nibabel and Pillow.
# Debian: apt-get install dcmtk python3-pydicom python3-nibabel python3-pil python3-numpy
# Run from anywhere: sh kernellib/imaging/testdata/make_fixtures.sh
# It writes testdata/dicom, testdata/nifti, testdata/still, testdata/fixtures.json and
# the seed corpora under testdata/fuzz. The Go tests only read these files.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
for t in img2dcm dcmcjpeg dcmdjpeg dcmconv dcmdump go; do
	command -v "$t" >/dev/null || { echo "make_fixtures.sh: $t not found" >&2; exit 1; }
done
mkdir -p "$here/dicom" "$here/nifti"
# The cine and volume written by WriteDICOMCine and WriteNIfTI (checked by
# make_fixtures.py with pydicom, dcmdump and nibabel).
(cd "$repo" && go test ./kernellib/imaging/ -run '^TestGoWrittenCine$' -count=1 -args -update >/dev/null)
exec /usr/bin/python3 "$here/make_fixtures.py" "$here"
