#!/usr/bin/python3
"""Reference grey frames for TestConformance (kernellib/imaging/conformance_test.go).

Every image in Debian's third-party DICOM test files -- python3-pydicom's
pydicom/data/test_files (with its subfolders) and octave-dicom's imdata -- is
decoded by GDCM and pydicom, as no code of this project does:

    gdcmconv --raw --quiet -i FILE -o TMP      (GDCM: any compression -> native)
    pydicom.dcmread(TMP).pixel_array           (pydicom: native -> array)

(pydicom alone where gdcmconv refuses a file pydicom reads) and converted to grey as kernellib/imaging documents it (doc.go, grey.go,
dicomcine.go nativeFrame):

  * samples are masked to Bits Stored; signed samples are shifted by
    2^(Bits Stored - 1) so that they range over 0 .. 2^(Bits Stored) - 1;
  * MONOCHROME1 is inverted: (2^(Bits Stored) - 1) - v;
  * RGB gives the BT.601 luma (299 R + 587 G + 114 B + 500) // 1000 (Luma8/Luma16);
  * YBR_FULL / YBR_FULL_422 give their Y samples as stored;
  * PALETTE COLOR goes through its LUT (pydicom apply_color_lut, on the LUT's own
    bit scale: 8- or 16-bit entries) and then the luma above;
  * the grey frame is uint8 for Bits Allocated 8 (palette: 8-bit LUT entries) and
    uint16 otherwise.

Files with Bits Allocated other than 8 and 16, or other photometric
interpretations, get no grey reference ("grey": null, with the reason): the
package documents no conversion for them, so it must refuse them.

For lossless data GDCM's frames are cross-checked against pydicom's own
decoders and, where the two disagree, dcmtk's (dcmdrle, dcmdjpeg, dcmdjpls,
dcmconv): the reference is what two of the three agree on ("cross_check" says
which). GDCM 3.0.21, for one, swaps the bytes of 16-bit RGB RLE samples
(SC_rgb_rle_16bit.dcm), where pydicom and dcmtk agree.

Per frame the reference keeps the SHA-256 of the grey samples (uint8, or uint16
little-endian, row by row), their min, max and mean, and the samples on a grid
of at most G x G pixels (rows 0, sy, 2sy, ..., columns 0, sx, ...; sy =
ceil(rows / G), sx = ceil(columns / G)), G = 64 for lossy files and 16 for
lossless ones, so that a lossy decode can be compared within a tolerance.

Run:  /usr/bin/python3 make_reference.py   (writes reference.json.gz beside itself)
Needs: Debian python3-pydicom python3-numpy octave-dicom libgdcm-tools.
"""

import base64
import hashlib
import json
import math
import os
import subprocess
import sys
import tempfile
import warnings
import glob
import gzip

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_color_lut

ROOTS = {
    "pydicom": os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files"),
}
_oct = sorted(glob.glob("/usr/share/octave/packages/dicom-*/imdata"))
if _oct:
    ROOTS["octave-dicom"] = _oct[-1]

# Transfer syntaxes that can hold lossy data (PS3.5 A.4: JPEG lossy processes,
# JPEG-LS near-lossless, JPEG 2000 irreversible, video), as syntax.go's Lossy flag.
LOSSY_TS = {
    "1.2.840.10008.1.2.4.%d" % n for n in (50, 51, 52, 53, 54, 55, 56, 59, 60, 61, 62, 63, 64, 81, 91, 93)
}


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def dpkg_version(pkg):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg],
                              capture_output=True, text=True, check=True).stdout
    except Exception:
        return ""


def gdcm_raw(src, dst):
    """gdcmconv --raw; returns None or the last line of its error output."""
    p = subprocess.run(["gdcmconv", "--raw", "--quiet", "-i", src, "-o", dst],
                       capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        lines = [l for l in p.stderr.strip().splitlines() if l.strip()]
        return (lines[-1] if lines else "exit status %d" % p.returncode)[:200]
    return None


def luma(rgb, bits):
    r, g, b = (rgb[..., k].astype(np.uint64) for k in range(3))
    y = (299 * r + 587 * g + 114 * b + 500) // 1000
    return y.astype(np.uint8 if bits == 8 else np.uint16)


def grey_frames(ds):
    """(frames x rows x cols grey array, value range) or (None, reason)."""
    ba = int(ds.BitsAllocated)
    bs = int(ds.get("BitsStored", ba))
    pi = str(ds.PhotometricInterpretation).strip()
    if ba not in (8, 16):
        return None, "Bits Allocated %d: the package converts only 8 and 16" % ba
    nf = int(ds.get("NumberOfFrames", 1) or 1)
    arr = ds.pixel_array
    spp = int(ds.SamplesPerPixel)
    if nf == 1:
        arr = arr[np.newaxis]
    mask = (1 << bs) - 1
    out_t = np.uint8 if ba == 8 else np.uint16
    if pi in ("MONOCHROME1", "MONOCHROME2"):
        v = arr.astype(np.int64) & mask
        if int(ds.PixelRepresentation) == 1:
            v ^= 1 << (bs - 1)
        if pi == "MONOCHROME1":
            v = mask - v
        return v.astype(out_t), mask
    if pi == "RGB" and spp == 3:
        v = arr.astype(np.int64) & mask
        return luma(v, ba), mask
    if pi in ("YBR_FULL", "YBR_FULL_422") and spp == 3:
        return (arr[..., 0].astype(np.int64) & mask).astype(out_t), mask
    if pi == "PALETTE COLOR":
        rgb = apply_color_lut(arr, ds)
        lut_bits = 8 if rgb.dtype == np.uint8 else 16
        return luma(rgb, lut_bits), (1 << lut_bits) - 1
    return None, "Photometric Interpretation %s: the package converts MONOCHROME1/2, RGB, YBR_FULL(_422) and PALETTE COLOR" % pi


# dcmtk's decompressors, the third opinion when GDCM and pydicom disagree.
DCMTK = {
    "1.2.840.10008.1.2.5": ["dcmdrle"],
    "1.2.840.10008.1.2.4.57": ["dcmdjpeg"],
    "1.2.840.10008.1.2.4.70": ["dcmdjpeg"],
    "1.2.840.10008.1.2.4.80": ["dcmdjpls"],
    "1.2.840.10008.1.2.1.99": ["dcmconv", "+te"],
}


def cross_check(e, path, frames, rng):
    """Lossless data: GDCM's frames are checked against pydicom's own decoders (and,
    where the two disagree, dcmtk's), so that a GDCM bug does not become the
    reference: the reference is the decoding two of the three agree on."""
    def same(a, b):
        return a is not None and b is not None and a.shape == b.shape and np.array_equal(a, b)
    tool = DCMTK.get(e["transfer_syntax"], ["dcmconv", "+te"])
    third = None
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "dcmtk.dcm")
        if subprocess.run(tool + [path, out], capture_output=True).returncode == 0:
            try:
                third, _ = grey_frames(pydicom.dcmread(out))
            except Exception:
                third = None
    try:
        own, own_rng = grey_frames(pydicom.dcmread(path, force=True))
    except Exception as x:
        why = "pydicom alone cannot decode it (%s)" % type(x).__name__
        if third is None:
            e["cross_check"] = why + ", nor dcmtk"
        elif same(third, frames):
            e["cross_check"] = why + "; dcmtk %s agrees" % tool[0]
        else:
            sys.exit("%s: GDCM and dcmtk disagree, pydicom cannot decode it" % e["file"])
        return frames, rng
    if own is None or same(own, frames):
        e["cross_check"] = "pydicom alone agrees"
        return frames, rng
    if same(third, own):
        e["cross_check"] = "GDCM differs from pydicom alone and dcmtk %s, which agree: they are the reference" % tool[0]
        e["decoder"] = "pydicom (GDCM disagrees)"
        return own, own_rng
    if same(third, frames):
        e["cross_check"] = "pydicom alone differs from GDCM and dcmtk %s, which agree" % tool[0]
        return frames, rng
    sys.exit("%s: GDCM, pydicom and dcmtk disagree" % e["file"])


def grid(frame, g):
    rows, cols = frame.shape
    sy, sx = math.ceil(rows / g), math.ceil(cols / g)
    return frame[::sy, ::sx], sy, sx


def text(ds, kw):
    v = ds.get(kw)
    return "" if v is None else str(v)


def reference(root_name, root, rel):
    path = os.path.join(root, rel)
    try:
        ds = pydicom.dcmread(path, force=True)
    except Exception:
        return None
    if "PixelData" not in ds:
        return None
    meta = getattr(ds, "file_meta", None)
    ts = str(meta.get("TransferSyntaxUID", "")) if meta is not None else ""
    with open(path, "rb") as f:
        f.seek(128)
        part10 = f.read(4) == b"DICM"
    e = {
        "file": root_name + "/" + rel,
        "sha256": sha256(path),
        "part10": part10,
        "transfer_syntax": ts,
        "photometric": text(ds, "PhotometricInterpretation"),
        "bits_allocated": int(ds.get("BitsAllocated", 0) or 0),
        "frames": int(ds.get("NumberOfFrames", 1) or 1) if str(ds.get("NumberOfFrames", "1")).strip().isdigit() else 1,
        "rows": int(ds.get("Rows", 0) or 0),
        "columns": int(ds.get("Columns", 0) or 0),
        # Public test data; kept only so the test can check no message repeats them.
        "patient_name": text(ds, "PatientName"),
        "patient_id": text(ds, "PatientID"),
    }
    e["lossy"] = ts in LOSSY_TS or text(ds, "LossyImageCompression") == "01"
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "raw.dcm")
        err = gdcm_raw(path, out)
        src = out
        e["decoder"] = "gdcmconv --raw + pydicom"
        if err is not None:
            # GDCM refuses a few files pydicom decodes itself (e.g. a 2-frame
            # Secondary Capture in RLE); then pydicom alone is the reference.
            e["gdcm_error"] = err.replace(tmp, "<tmp>")
            e["decoder"] = "pydicom"
            src = path
        try:
            raw = pydicom.dcmread(src, force=True)
            e["raw_photometric"] = text(raw, "PhotometricInterpretation")
            frames, rng = grey_frames(raw)
        except Exception as x:  # no reference decoder can read it
            e["grey"] = None
            e["why"] = "%s: %s: %s" % (e["decoder"], type(x).__name__, str(x)[:200])
            return e
    if frames is None:
        e["grey"] = None
        e["why"] = rng
        return e
    if not e["lossy"] and e["decoder"] != "pydicom":
        frames, rng = cross_check(e, path, frames, rng)
    g = 64 if e["lossy"] else 16
    e["grey"] = {"dtype": str(frames.dtype), "range": int(rng), "frames": []}
    for fr in frames:
        le = fr.astype(fr.dtype.newbyteorder("<"))
        sub, sy, sx = grid(fr, g)
        e["grey"]["frames"].append({
            "shape": list(fr.shape),
            "sha256": hashlib.sha256(le.tobytes()).hexdigest(),
            "min": int(fr.min()), "max": int(fr.max()), "mean": float(fr.mean()),
            "grid_step": [sy, sx],
            "grid": base64.b64encode(sub.astype(fr.dtype.newbyteorder("<")).tobytes()).decode(),
        })
    return e


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    warnings.simplefilter("ignore")
    files = []
    for name, root in ROOTS.items():
        for dp, dn, fn in os.walk(root):
            dn.sort()
            for f in sorted(fn):
                rel = os.path.relpath(os.path.join(dp, f), root)
                e = reference(name, root, rel)
                if e is not None:
                    files.append(e)
    files.sort(key=lambda e: e["file"])
    gdcm = subprocess.run(["gdcmconv", "--version"], capture_output=True, text=True).stdout.strip()
    doc = {
        "made_by": "kernellib/imaging/testdata/conformance/make_reference.py",
        "roots": ROOTS,
        "versions": {
            "pydicom": pydicom.__version__,
            "numpy": np.__version__,
            "gdcmconv": gdcm,
            "debian python3-pydicom": dpkg_version("python3-pydicom"),
            "debian octave-dicom": dpkg_version("octave-dicom"),
            "debian libgdcm-tools": dpkg_version("libgdcm-tools"),
        },
        "files": files,
    }
    data = (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode()
    with open(os.path.join(here, "reference.json.gz"), "wb") as f:
        f.write(gzip.compress(data, compresslevel=9, mtime=0))
    print("%d image files, %d with a grey reference" % (len(files), sum(e["grey"] is not None for e in files)), file=sys.stderr)


if __name__ == "__main__":
    main()
