#!/usr/bin/python3
"""Compressed multi-frame fixtures for kernellib/imaging/gdcm_test.go.

Each fixture is a native cine of ../dicom (written by ../make_fixtures.py)
recompressed by a tool no one in this project wrote:

  dcmtk dcmcjpls   JPEG-LS lossless (1.2.840.10008.1.2.4.80) and near-lossless
                   NEAR=1 (.81)
  dcmtk dcmcjpeg   JPEG Lossless SV1 (.70), process 14 SV6 (.57), Extended 12-bit
                   quality 100 (.51)
  dcmtk dcmconv    Deflated Explicit VR Little Endian (1.2.840.10008.1.2.1.99)
  GDCM gdcmconv    JPEG 2000 lossless (.90) of grey and RGB frames
  Pillow/OpenJPEG  JPEG 2000 with the multi-component transform, reversible (.90,
                   YBR_RCT) and irreversible (.91, YBR_ICT), encapsulated by pydicom
                   (PS3.5 A.4.4: with the MCT, Photometric Interpretation is
                   YBR_RCT / YBR_ICT)
  pydicom + dcmcjpls  an 8-bit PALETTE COLOR cine (16-bit LUT entries) in JPEG-LS,
                   to show that gdcmconv --raw keeps the palette (it applies no LUT)

manifest.json lists, per fixture, its source, transfer syntax, photometric
interpretation, whether it is lossy, the grey frames GDCM + pydicom decode
(gdcmconv --raw, then pydicom; grey as ../conformance/make_reference.py makes
it; uint8 or uint16 little-endian, base64), their largest difference from the
native source (0 for lossless fixtures, checked here), and the tolerance the Go
test allows against those frames (0 for lossless; for lossy, 0.5 % of the value
range, at least 1 grey level), with the tool versions.

Run:  /usr/bin/python3 make_gdcm_fixtures.py   (writes beside itself)
Needs: Debian dcmtk libgdcm-tools python3-pydicom python3-numpy python3-pil.
"""

import base64
import io
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from PIL import Image
from pydicom.encaps import encapsulate
from pydicom.uid import ExplicitVRLittleEndian

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "dicom")


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def version(*args):
    p = subprocess.run(args, capture_output=True, text=True)
    return (p.stdout + p.stderr).strip().splitlines()[0]


def grey(ds):
    """Grey frames as kernellib/imaging documents them (see ../conformance/make_reference.py)."""
    a = ds.pixel_array
    nf = int(ds.get("NumberOfFrames", 1))
    if nf == 1:
        a = a[np.newaxis]
    bs = int(ds.BitsStored)
    mask = (1 << bs) - 1
    pi = ds.PhotometricInterpretation
    if pi == "RGB":
        a = a.astype(np.int64) & mask
        return (299 * a[..., 0] + 587 * a[..., 1] + 114 * a[..., 2] + 500) // 1000, mask
    if pi.startswith("YBR"):
        return a[..., 0].astype(np.int64) & mask, mask
    return a.astype(np.int64) & mask, mask


def decoded_by_gdcm(path):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "raw.dcm")
        run("gdcmconv", "--raw", "--quiet", "-i", path, "-o", out)
        return pydicom.dcmread(out)


def j2k_mct(src, dst, irreversible):
    """Frames of src (RGB) as JPEG 2000 codestreams with the MCT (Pillow/OpenJPEG)."""
    ds = pydicom.dcmread(src)
    frames = []
    for f in ds.pixel_array:
        b = io.BytesIO()
        kw = dict(irreversible=True, quality_mode="rates", quality_layers=[1]) if irreversible else dict(irreversible=False)
        Image.fromarray(f).save(b, format="JPEG2000", no_jp2=True, mct=1, **kw)
        frames.append(b.getvalue())
    ds.PixelData = encapsulate(frames)
    ds["PixelData"].is_undefined_length = True
    ds["PixelData"].VR = "OB"
    ds.PhotometricInterpretation = "YBR_ICT" if irreversible else "YBR_RCT"
    ds.PlanarConfiguration = 0
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.4.91" if irreversible else "1.2.840.10008.1.2.4.90"
    if irreversible:
        ds.LossyImageCompression = "01"
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(dst, write_like_original=False)


def palette_cine(dst):
    """An 8-bit PALETTE COLOR cine, 4 frames of 16 x 12, LUTs of 256 16-bit entries."""
    src = pydicom.dcmread(os.path.join(SRC, "py_gray8_ft_implicit.dcm"))
    ds = src.copy()
    idx = src.pixel_array.astype(np.uint8)
    ds.PhotometricInterpretation = "PALETTE COLOR"
    ds.SamplesPerPixel = 1
    k = np.arange(256)
    luts = {"Red": (k * 257), "Green": ((255 - k) * 257), "Blue": ((k * 7) % 256) * 257}
    for c, v in luts.items():
        setattr(ds, c + "PaletteColorLookupTableDescriptor", [256, 0, 16])
        setattr(ds, c + "PaletteColorLookupTableData", v.astype("<u2").tobytes())
    ds.PixelData = idx.tobytes()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.is_little_endian, ds.is_implicit_VR = True, False
    with tempfile.TemporaryDirectory() as tmp:
        native = os.path.join(tmp, "pal.dcm")
        ds.save_as(native, write_like_original=False)
        run("dcmcjpls", "+el", native, dst)
    return idx


def main():
    specs = [
        # file, source, command(src, dst)
        ("jls_gray8.dcm", "py_gray8_ftv_regions.dcm", lambda s, d: run("dcmcjpls", "+el", s, d)),
        ("jlsnear_rgb.dcm", "py_rgb_interleaved.dcm", lambda s, d: run("dcmcjpls", "+en", "+md", "1", s, d)),
        ("jpegsv1_gray16.dcm", "py_gray16_cinerate.dcm", lambda s, d: run("dcmcjpeg", "+e1", s, d)),
        ("jpeg14_rgb.dcm", "py_rgb_interleaved.dcm", lambda s, d: run("dcmcjpeg", "+el", "+sv", "6", s, d)),
        ("jpegext_gray12.dcm", "py_gray16_cinerate.dcm", lambda s, d: run("dcmcjpeg", "+ee", "+q", "100", s, d)),
        ("deflated_gray8.dcm", "py_gray8_ftv_regions.dcm", lambda s, d: run("dcmconv", "+td", s, d)),
        ("j2k_gray16.dcm", "py_gray16_cinerate.dcm", lambda s, d: run("gdcmconv", "--j2k", "--quiet", "-i", s, "-o", d)),
        ("j2k_rgb.dcm", "py_rgb_interleaved.dcm", lambda s, d: run("gdcmconv", "--j2k", "--quiet", "-i", s, "-o", d)),
        ("j2k_ybr_rct.dcm", "py_rgb_interleaved.dcm", lambda s, d: j2k_mct(s, d, False)),
        ("j2k_ybr_ict.dcm", "py_rgb_interleaved.dcm", lambda s, d: j2k_mct(s, d, True)),
    ]
    manifest = []
    for name, src, make in specs:
        s, d = os.path.join(SRC, src), os.path.join(HERE, name)
        make(s, d)
        ds = pydicom.dcmread(d)
        ts = str(ds.file_meta.TransferSyntaxUID)
        lossy = ts in ("1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.91")
        want, rng = grey(pydicom.dcmread(s))
        raw = decoded_by_gdcm(d)
        got, _ = grey(raw)
        err = int(np.abs(got - want).max())
        tol = max(1, int(0.005 * rng)) if lossy else 0
        if not lossy and err != 0:
            sys.exit("%s: GDCM + pydicom differ by %d from the lossless source" % (name, err))
        dt = np.dtype("<u1") if int(raw.BitsAllocated) == 8 else np.dtype("<u2")
        manifest.append({
            "file": name, "source": src, "transfer_syntax": ts,
            "photometric": str(ds.PhotometricInterpretation),
            "raw_photometric": str(raw.PhotometricInterpretation),
            "lossy": lossy, "tolerance": tol, "gdcm_pydicom_max_diff": err,
            "frames": int(ds.NumberOfFrames), "bytes": os.path.getsize(d),
            "gdcm_pydicom_grey": base64.b64encode(got.astype(dt).tobytes()).decode(),
        })
    idx = palette_cine(os.path.join(HERE, "jls_palette.dcm"))
    raw = decoded_by_gdcm(os.path.join(HERE, "jls_palette.dcm"))
    if raw.PhotometricInterpretation != "PALETTE COLOR" or not np.array_equal(raw.pixel_array, idx):
        sys.exit("jls_palette.dcm: gdcmconv --raw did not keep the palette indices")
    manifest.append({
        "file": "jls_palette.dcm", "source": "py_gray8_ft_implicit.dcm (pixels as palette indices)",
        "transfer_syntax": str(pydicom.dcmread(os.path.join(HERE, "jls_palette.dcm")).file_meta.TransferSyntaxUID),
        "photometric": "PALETTE COLOR", "raw_photometric": str(raw.PhotometricInterpretation),
        "lossy": False, "tolerance": 0, "gdcm_pydicom_max_diff": 0, "frames": int(idx.shape[0]),
        "palette_indices": base64.b64encode(idx.tobytes()).decode(),
        "bytes": os.path.getsize(os.path.join(HERE, "jls_palette.dcm")),
    })
    import PIL
    doc = {
        "made_by": "kernellib/imaging/testdata/gdcm/make_gdcm_fixtures.py",
        "versions": {
            "gdcmconv": version("gdcmconv", "--version"),
            "dcmtk": version("dcmcjpls", "--version"),
            "pydicom": pydicom.__version__, "numpy": np.__version__, "pillow": PIL.__version__,
        },
        "fixtures": manifest,
    }
    with open(os.path.join(HERE, "manifest.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    for m in manifest:
        print("%-20s %-24s %-13s -> %-13s max diff %d (tolerance %d), %d bytes" % (
            m["file"], m["transfer_syntax"], m["photometric"], m["raw_photometric"],
            m["gdcm_pydicom_max_diff"], m["tolerance"], m["bytes"]), file=sys.stderr)


if __name__ == "__main__":
    main()
