"""Makes the DICOM codec fixtures of kernellib/imaging: RLE Lossless,
PALETTE COLOR (plain and segmented LUTs), 8-bit Explicit VR Big Endian, an Icon Image
Sequence holding encapsulated pixel data, padded Pixel Data, and a JPEG Baseline frame
declared RGB without an Adobe/JFIF marker.

Run: /usr/bin/python3 kernellib/imaging/testdata/make_dicom_codecs.py
Needs: pydicom, numpy, Pillow, dcmtk (dcmcrle), GDCM (gdcmconv).

The files are written by pydicom, dcmcrle and dcmcjpeg; the expected grey frames in
dicom_codecs.json come from pydicom's own decoding (pixel_array, apply_color_lut) or
from GDCM (gdcmconv --raw, then pydicom) for the JPEG frame, followed by the ITU-R
BT.601 luma, never from the Go code under test. For the external test files of
Debian's octave-dicom and python3-pydicom it records a SHA-256 of every expected grey
frame, so that the Go test can compare them when those files are installed.
"""
import base64
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import warnings
import zlib

import numpy as np
import pydicom
from PIL import Image, __version__ as pil_version
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.pixel_data_handlers.util import apply_color_lut
from pydicom.sequence import Sequence
from pydicom.uid import (ExplicitVRBigEndian, ExplicitVRLittleEndian,
                         JPEGBaseline8Bit, RLELossless, generate_uid)

HERE = os.path.dirname(os.path.abspath(__file__))
DCM = os.path.join(HERE, "dicom")
TMP = tempfile.mkdtemp()
US_MF = "1.2.840.10008.5.1.4.1.1.3.1"
PAL = "/usr/lib/python3/dist-packages/pydicom/data/palettes"
rng = np.random.RandomState(1313)
W, H = 16, 12
fixtures = []


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True)


def tool_version(cmd, flag="--version"):
    p = subprocess.run([cmd, flag], capture_output=True, text=True)
    return (p.stdout + p.stderr).strip().splitlines()[0]


def luma(rgb):
    """ITU-R BT.601 luma, rounded half up: (299 R + 587 G + 114 B + 500) // 1000."""
    rgb = rgb.astype(np.int64)
    return (299 * rgb[..., 0] + 587 * rgb[..., 1] + 114 * rgb[..., 2] + 500) // 1000


def new_ds(name, ts):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = US_MF
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=[name, "sop"])
    meta.TransferSyntaxUID = ts
    ds = FileDataset(name, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.is_little_endian = ts != ExplicitVRBigEndian
    ds.is_implicit_VR = False
    ds.SOPClassUID = US_MF
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = "US"
    ds.FrameTime = "40"
    return ds


def pixels(ds, frames, photometric, bits=8, stored=None):
    n, h, w = frames.shape[:3]
    ds.NumberOfFrames = n
    ds.Rows, ds.Columns = h, w
    ds.SamplesPerPixel = 3 if frames.ndim == 4 else 1
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = bits
    ds.BitsStored = stored or bits
    ds.HighBit = (stored or bits) - 1
    ds.PixelRepresentation = 0
    if ds.SamplesPerPixel == 3:
        ds.PlanarConfiguration = 0
    ds.PixelData = frames.astype(np.uint8 if bits == 8 else "<u2").tobytes()


def grey8(n, h=H, w=W):
    y, x = np.mgrid[0:h, 0:w]
    # runs of equal values (RLE replicate runs) and noise (literal runs)
    return np.stack([np.clip((x // 3) * 20 + 5 * y + 11 * i + rng.randint(-3, 4, (h, w)) * (x % 2), 0, 255)
                     for i in range(n)]).astype(np.uint8)


def save(ds, name):
    path = os.path.join(DCM, name)
    ds.save_as(path, write_like_original=False)
    return path


def rle(native, name):
    """dcmcrle: one fragment per frame (PS3.5 G.2)."""
    out = os.path.join(DCM, name)
    run("dcmcrle", native, out)
    return out


def read_frames(path):
    d = pydicom.dcmread(path)
    a = d.pixel_array
    if int(d.get("NumberOfFrames", 1)) == 1:
        a = a[None]
    return d, a


def grey_of(d, a):
    """The grey frames ceusrad is to deliver, from pydicom's decoding."""
    pi = d.PhotometricInterpretation
    if pi == "PALETTE COLOR":
        rgb = apply_color_lut(a, d)
        return luma(rgb), (8 if rgb.dtype == np.uint8 else 16)
    if pi == "RGB":
        return luma(a), d.BitsAllocated
    return a.astype(np.int64), d.BitsAllocated


def add(name, grey, bits, tol=0, ts=None, pi=None, timing="FrameTime (0018,1063)", dt=0.04):
    n, h, w = grey.shape
    dt_ = np.uint8 if bits == 8 else np.dtype("<u2")
    fixtures.append({
        "file": "dicom/" + name, "kind": "cine", "writer": "make_dicom_codecs.py",
        "transfer_syntax": ts, "photometric": pi, "timing": timing,
        "times_s": [k * dt for k in range(n)], "width": w, "height": h, "frames": n,
        "bits": bits, "tolerance": tol,
        "pixels_b64": base64.b64encode(np.ascontiguousarray(grey.astype(dt_)).tobytes()).decode(),
    })


def reference(name, expect=None):
    path = os.path.join(DCM, name)
    d, a = read_frames(path)
    g, bits = grey_of(d, a)
    if expect is not None:
        assert np.array_equal(g, expect), name
    add(name, g, bits, ts=str(d.file_meta.TransferSyntaxUID), pi=d.PhotometricInterpretation)
    return g


# 1. RLE Lossless: 8-bit grey, 16-bit grey (12 bits stored), 8-bit RGB; multi-frame.
g8 = grey8(4)
ds = new_ds("rle_gray8", ExplicitVRLittleEndian)
pixels(ds, g8, "MONOCHROME2")
rle(save(ds, "tmp_native.dcm"), "codec_rle_gray8.dcm")
reference("codec_rle_gray8.dcm", g8)

g16 = (grey8(3).astype(np.int64) * 16 + np.arange(W)[None, None, :] * 7) % 4096
ds = new_ds("rle_gray16", ExplicitVRLittleEndian)
pixels(ds, g16, "MONOCHROME2", bits=16, stored=12)
rle(save(ds, "tmp_native.dcm"), "codec_rle_gray16.dcm")
reference("codec_rle_gray16.dcm", g16)

rgb = np.stack([grey8(3), 255 - grey8(3), np.roll(grey8(3), 5, axis=2)], axis=-1)
ds = new_ds("rle_rgb8", ExplicitVRLittleEndian)
pixels(ds, rgb, "RGB")
rle(save(ds, "tmp_native.dcm"), "codec_rle_rgb8.dcm")
reference("codec_rle_rgb8.dcm", luma(rgb))


# 2. PALETTE COLOR: 8-bit entries (pydicom's hotiron, RLE), segmented 8-bit (spring,
#    native), and 16-bit entries with a first mapped value of 16 (RLE, 8-bit indices).
def palette_from(ds, src):
    p = pydicom.dcmread(os.path.join(PAL, src))
    for kw in ("RedPaletteColorLookupTableDescriptor", "GreenPaletteColorLookupTableDescriptor",
               "BluePaletteColorLookupTableDescriptor", "RedPaletteColorLookupTableData",
               "GreenPaletteColorLookupTableData", "BluePaletteColorLookupTableData",
               "SegmentedRedPaletteColorLookupTableData", "SegmentedGreenPaletteColorLookupTableData",
               "SegmentedBluePaletteColorLookupTableData"):
        if kw in p:
            setattr(ds, kw, p[kw].value)
            ds[kw].VR = p[kw].VR


ds = new_ds("pal8_hotiron", ExplicitVRLittleEndian)
pixels(ds, grey8(3), "PALETTE COLOR")
palette_from(ds, "hotiron.dcm")
rle(save(ds, "tmp_native.dcm"), "codec_rle_pal8_hotiron.dcm")
reference("codec_rle_pal8_hotiron.dcm")

ds = new_ds("pal8_spring", ExplicitVRLittleEndian)
pixels(ds, grey8(3), "PALETTE COLOR")
palette_from(ds, "spring.dcm")
save(ds, "codec_pal8_segmented.dcm")
reference("codec_pal8_segmented.dcm")

ds = new_ds("pal16", ExplicitVRLittleEndian)
pixels(ds, grey8(3) // 2 + 10, "PALETTE COLOR")  # indices 10..137, some below first
k = np.arange(120, dtype=np.float64)
lut = [np.clip(65535 * f, 0, 65535).astype("<u2") for f in
       (k / 119, (np.sin(k / 19) + 1) / 2, 1 - (k / 119) ** 2)]
for c, arr in zip(("Red", "Green", "Blue"), lut):
    setattr(ds, c + "PaletteColorLookupTableDescriptor", [120, 16, 16])
    ds[c + "PaletteColorLookupTableDescriptor"].VR = "US"
    setattr(ds, c + "PaletteColorLookupTableData", arr.tobytes())
    ds[c + "PaletteColorLookupTableData"].VR = "OW"
rle(save(ds, "tmp_native.dcm"), "codec_rle_pal16.dcm")
reference("codec_rle_pal16.dcm")

# 3. 8-bit Pixel Data (OB) in Explicit VR Big Endian.
g = grey8(3)
ds = new_ds("be8", ExplicitVRBigEndian)
pixels(ds, g, "MONOCHROME2")
save(ds, "codec_be_gray8.dcm")
reference("codec_be_gray8.dcm", g)

# 4. An Icon Image Sequence item with its own encapsulated (JPEG) Pixel Data.
g = grey8(2)
ds = new_ds("icon", ExplicitVRLittleEndian)
icon = Dataset()
icon.SamplesPerPixel, icon.PhotometricInterpretation = 1, "MONOCHROME2"
icon.Rows, icon.Columns = 8, 8
icon.BitsAllocated, icon.BitsStored, icon.HighBit, icon.PixelRepresentation = 8, 8, 7, 0
buf = io.BytesIO()
Image.fromarray(g[0, :8, :8]).save(buf, "JPEG", quality=90)
icon.PixelData = encapsulate([buf.getvalue()])
icon["PixelData"].VR = "OB"
icon["PixelData"].is_undefined_length = True
ds.IconImageSequence = Sequence([icon])
pixels(ds, g, "MONOCHROME2")
save(ds, "codec_icon_encapsulated.dcm")
reference("codec_icon_encapsulated.dcm", g)

# 6. Pixel Data longer than its frames (one extra word): pydicom reads it.
g = grey8(3)
ds = new_ds("padded", ExplicitVRLittleEndian)
pixels(ds, g, "MONOCHROME2")
ds.PixelData = g.tobytes() + b"\0\0"
save(ds, "codec_padded_gray8.dcm")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    reference("codec_padded_gray8.dcm", g)


# 5. JPEG Baseline declared RGB without an Adobe or JFIF marker: dcmcjpeg compresses
#    RGB without colour conversion (+cr); its APP14 Adobe segment is removed, leaving
#    a stream whose colour space only the DICOM Photometric Interpretation gives.
#    Reference: GDCM (gdcmconv --raw) decodes it as RGB, as PS3.5 8.2.1 says.
def strip_app(jpeg, marker):
    """Drops the segments with this marker, and renumbers the components 'R','G','B'
    (libjpeg's ids for RGB, which some decoders read as a colour space) to 1, 2, 3 in
    the SOF0 and SOS headers, as many encoders write them."""
    out, i = bytearray(jpeg[:2]), 2
    ids = {ord("R"): 1, ord("G"): 2, ord("B"): 3}
    while i < len(jpeg):
        assert jpeg[i] == 0xFF
        m = jpeg[i + 1]
        n = int.from_bytes(jpeg[i + 2:i + 4], "big")
        seg = bytearray(jpeg[i:i + 2 + n])
        if m == 0xC0:  # SOF0: Lf P Y X Nf, then Nf × (C H/V Tq)
            for k in range(seg[9]):
                seg[10 + 3 * k] = ids.get(seg[10 + 3 * k], seg[10 + 3 * k])
        if m == 0xDA:  # SOS: Ls Ns, then Ns × (Cs Td/Ta)
            for k in range(seg[4]):
                seg[5 + 2 * k] = ids.get(seg[5 + 2 * k], seg[5 + 2 * k])
            out += seg + jpeg[i + 2 + n:]
            break
        if m != marker:
            out += seg
        i += 2 + n
    return bytes(out)


rgb = np.stack([grey8(2, 16, 16), 255 - grey8(2, 16, 16), np.full((2, 16, 16), 90, np.uint8)], axis=-1)
ds = new_ds("jpeg_rgb", ExplicitVRLittleEndian)
pixels(ds, rgb, "RGB")
native = save(ds, "tmp_native.dcm")
tmp_j = os.path.join(TMP, "j.dcm")
run("dcmcjpeg", "+cr", "+eb", native, tmp_j)
d = pydicom.dcmread(tmp_j)
frags = [f for f in pydicom.encaps.generate_pixel_data_frame(d.PixelData, 2)]
assert all(b"Adobe" in f for f in frags), "dcmcjpeg +cr wrote no Adobe marker"
d.PixelData = encapsulate([strip_app(f, 0xEE) for f in frags])
d.PhotometricInterpretation = "RGB"
d.SOPInstanceUID = d.file_meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=["jpeg_rgb", "sop"])
d.save_as(os.path.join(DCM, "codec_jpeg_rgb_noadobe.dcm"))
raw = os.path.join(TMP, "raw.dcm")
run("gdcmconv", "--raw", os.path.join(DCM, "codec_jpeg_rgb_noadobe.dcm"), raw)
dr, ar = read_frames(raw)
assert dr.PhotometricInterpretation == "RGB"
assert d.file_meta.TransferSyntaxUID == JPEGBaseline8Bit
add("codec_jpeg_rgb_noadobe.dcm", luma(ar), 8, tol=1, ts=JPEGBaseline8Bit, pi="RGB")
os.remove(os.path.join(DCM, "tmp_native.dcm"))

# Seeds for FuzzOpenCineDICOM: the new decoders, valid and damaged.
def corpus(name, data):
    d = os.path.join(HERE, "fuzz", "FuzzOpenCineDICOM")
    os.makedirs(d, exist_ok=True)
    q = "".join(chr(c) if 32 <= c < 127 and c not in (34, 92) else "\\x%02x" % c for c in data)
    with open(os.path.join(d, name), "w") as f:
        f.write("go test fuzz v1\n[]byte(\"%s\")\n" % q)


def rd(name):
    return open(os.path.join(DCM, name), "rb").read()


for name in ("codec_rle_gray16.dcm", "codec_rle_rgb8.dcm", "codec_rle_pal8_hotiron.dcm",
             "codec_pal8_segmented.dcm", "codec_rle_pal16.dcm", "codec_icon_encapsulated.dcm",
             "codec_jpeg_rgb_noadobe.dcm", "codec_be_gray8.dcm"):
    corpus(name[len("codec_"):-len(".dcm")], rd(name))
b = bytearray(rd("codec_rle_gray8.dcm"))
hdr = b.rfind(b"\x01\x00\x00\x00\x40\x00\x00\x00")  # last frame's RLE header: 1 segment at 64
corpus("rle_bad_offset", bytes(b[:hdr + 4]) + b"\xff\x7f\x00\x00" + bytes(b[hdr + 8:]))
corpus("rle_bad_count", bytes(b[:hdr]) + b"\x0f\x00\x00\x00" + bytes(b[hdr + 4:]))
b = rd("codec_pal8_segmented.dcm")
corpus("pal_bad_segment", b.replace(b"\x00\x01\x00\x01\xff\xff", b"\x02\xff\x00\x00\x00\x00", 1))

# External test files (not committed): SHA-256 of each expected grey frame.
external = []
for path in ["/usr/share/octave/packages/dicom-0.5.1/imdata/US-PAL-8-10x-echo.dcm",
             "/usr/lib/python3/dist-packages/pydicom/data/test_files/SC_rgb_rle_2frame.dcm",
             "/usr/lib/python3/dist-packages/pydicom/data/test_files/SC_rgb_rle_16bit_2frame.dcm",
             "/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small_RLE.dcm",
             "/usr/lib/python3/dist-packages/pydicom/data/test_files/ExplVR_BigEnd.dcm"]:
    d, a = read_frames(path)
    g, bits = grey_of(d, a)
    if d.PixelRepresentation == 1:  # ceusrad shifts signed values by 2^(stored-1)
        g = g + (1 << (d.BitsStored - 1))
    dt_ = np.uint8 if bits == 8 else np.dtype("<u2")
    external.append({"path": path, "frames": int(g.shape[0]), "width": int(g.shape[2]),
                     "height": int(g.shape[1]), "bits": bits,
                     "frame_sha256": [hashlib.sha256(np.ascontiguousarray(f.astype(dt_)).tobytes()).hexdigest() for f in g]})

# External JPEG files, decoded by GDCM (gdcmconv --raw) as the DICOM Photometric
# Interpretation says: the expected grey frames, zlib-compressed, with a tolerance of 1.
PYTEST = "/usr/lib/python3/dist-packages/pydicom/data/test_files/"
for name in ("SC_jpeg_no_color_transform.dcm", "SC_jpeg_no_color_transform_2.dcm", "SC_rgb_jpeg_dcmd.dcm",
             "SC_rgb_jpeg_app14_dcmd.dcm", "SC_rgb_dcmtk_+eb+cr.dcm", "SC_rgb_jpeg_lossy_gdcm.dcm",
             "SC_rgb_dcmtk_+eb+cy+n1.dcm", "SC_rgb_dcmtk_+eb+cy+s2.dcm"):
    raw = os.path.join(TMP, "raw.dcm")
    run("gdcmconv", "--raw", PYTEST + name, raw)
    d, a = read_frames(raw)
    pi = d.PhotometricInterpretation
    g = a[..., 0] if pi.startswith("YBR") else luma(a)
    external.append({"path": PYTEST + name, "frames": int(g.shape[0]), "width": int(g.shape[2]),
                     "height": int(g.shape[1]), "bits": 8, "tolerance": 1, "reference": "gdcmconv --raw (" + pi + ")",
                     "pixels_zlib_b64": base64.b64encode(zlib.compress(g.astype(np.uint8).tobytes(), 9)).decode()})

# Segmented palette tables (PS3.3 C.7.9.2) expanded by pydicom's own
# _expand_segmented_lut: discrete, linear (rounding) and indirect segments, 8 and 16 bits.
from pydicom.pixel_data_handlers.util import _expand_segmented_lut
segmented = []
for bits, data in ((16, [0, 3, 0, 100, 65535, 1, 7, 1000, 1, 5, 1000, 0, 2, 7, 30000, 2, 2, 0, 0, 1, 4, 0]),
                   (8, [0, 2, 10, 20, 1, 9, 255, 1, 3, 0, 2, 1, 0, 0, 0, 0]),
                   (16, [0, 1, 40000, 1, 255, 0, 1, 6, 3])):
    fmt = ("<%dH" if bits == 16 else "<%dB") % len(data)
    segmented.append({"bits": bits, "data": data, "expected": [int(v) for v in _expand_segmented_lut(tuple(data), fmt)]})

versions = {"python": sys.version.split()[0], "pydicom": pydicom.__version__, "numpy": np.__version__,
            "Pillow": pil_version, "dcmcrle": tool_version("dcmcrle"), "dcmcjpeg": tool_version("dcmcjpeg"),
            "gdcmconv": tool_version("gdcmconv")}
with open(os.path.join(HERE, "dicom_codecs.json"), "w") as f:
    json.dump({"generator": "testdata/make_dicom_codecs.py", "versions": versions,
               "fixtures": fixtures, "external": external,
               "segmented_luts": segmented}, f, indent=1)
