#!/usr/bin/python3
"""Measures the chroma noise of grey ultrasound, to choose and check
kernellib/imaging's DefaultChromaThreshold, and writes the fixtures of
overlay_test.go. Run: /usr/bin/python3 kernellib/imaging/testdata/overlay/measure_chroma_noise.py
(Debian: python3-pydicom python3-pil python3-numpy python3-scipy octave-dicom).

Chroma is max(R, G, B) - min(R, G, B) on the 8-bit scale.

1. The third-party ultrasound cine US-PAL-8-10x-echo.dcm (Debian octave-dicom: 10
   palette-colour frames, 600x430, a grey echo with colour-Doppler pixels) is mapped
   to RGB by pydicom's apply_color_lut and compressed by Pillow (libjpeg) at several
   qualities and subsamplings, as the echo itself (grey + colour) and as its grey
   version (luma in all three channels). Recorded: the largest chroma and its
   99.99th percentile of the pixels more than 16 pixels (Euclidean) from any colour
   pixel of the source, and of the grey version.
2. Two frames of the echo at quality 50 (4:2:0), one frame of its grey version, and
   the source's colour pixels (chroma > 0) as PNG masks are written for the Go test.
3. For every colour DICOM fixture of ../dicom decoded losslessly by pydicom (native
   and RLE RGB, native YBR_FULL/YBR_FULL_422 converted by convert_color_space,
   palette colour through apply_color_lut; and a JPEG Baseline RGB file without a
   colour transform, whose planes pydicom returns as stored), the number of pixels
   with chroma above 24 in every frame: the reference for Frame.Overlay.
"""
import io
import json
import os

import numpy as np
import pydicom
import scipy
from PIL import Image, __version__ as pil_version
from pydicom.pixel_data_handlers.util import apply_color_lut, convert_color_space
from scipy import ndimage

HERE = os.path.dirname(os.path.abspath(__file__))
ECHO = "/usr/share/octave/packages/dicom-0.5.1/imdata/US-PAL-8-10x-echo.dcm"
THRESHOLD = 24


def chroma(a):
    a = a.astype(np.int64)
    return a.max(-1) - a.min(-1)


def jpeg(rgb, q, ss):
    b = io.BytesIO()
    Image.fromarray(rgb).save(b, "JPEG", quality=q, subsampling=ss)
    return b.getvalue()


def decode(data):
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


ds = pydicom.dcmread(ECHO)
echo = (apply_color_lut(ds.pixel_array, ds) >> 8).astype(np.uint8)  # 16-bit LUT, 8-bit values
c0 = chroma(echo)
grey = np.rint(echo @ [0.299, 0.587, 0.114]).clip(0, 255).astype(np.uint8)
grey = np.repeat(grey[..., None], 3, -1)
out = {"tools": {"pydicom": pydicom.__version__, "Pillow": pil_version, "numpy": np.__version__, "scipy": scipy.__version__},
       "source": ECHO, "threshold": THRESHOLD,
       "source_colour_chroma_min": int(c0[c0 > 0].min()), "source_grey_chroma_max": 0 if (c0 == 0).all() else int(c0[c0 == 0].max()),
       "jpeg": []}
for q, ss in ((30, 2), (50, 2), (75, 2), (90, 2), (95, 0)):
    far, g = [], []
    for f in range(echo.shape[0]):
        c = chroma(decode(jpeg(echo[f], q, ss)))
        far.append(c[ndimage.distance_transform_edt(c0[f] == 0) > 16])
        g.append(chroma(decode(jpeg(grey[f], q, ss))).ravel())
    far, g = np.concatenate(far), np.concatenate(g)
    out["jpeg"].append({"quality": q, "subsampling": {2: "4:2:0", 0: "4:4:4"}[ss],
                        "far_max": int(far.max()), "far_p99_99": float(np.percentile(far, 99.99)),
                        "grey_max": int(g.max())})

# Fixtures for the Go test: frames 0 and 5 at quality 50, 4:2:0.
for k, f in enumerate((0, 5)):
    d = os.path.join(HERE, "echo_q50")
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "%04d.jpg" % k), "wb").write(jpeg(echo[f], 50, 2))
    Image.fromarray(((c0[f] > 0) * 255).astype(np.uint8)).save(os.path.join(HERE, "echo_colour_%04d.png" % k))
d = os.path.join(HERE, "echo_grey_q50")
os.makedirs(d, exist_ok=True)
open(os.path.join(d, "0000.jpg"), "wb").write(jpeg(grey[0], 50, 2))
out["echo_frames"] = [0, 5]

# Reference counts for the colour DICOM fixtures.
DCM = os.path.join(HERE, "..", "dicom")
out["fixtures"] = []
for name in ("py_rgb_interleaved.dcm", "py_rgb_planar.dcm", "py_ybr_full_422.dcm", "codec_rle_rgb8.dcm",
             "codec_rle_pal8_hotiron.dcm", "codec_pal8_segmented.dcm", "codec_rle_pal16.dcm", "dcmtk_img2dcm_rgb_still.dcm",
             "codec_jpeg_rgb_noadobe.dcm"):
    d = pydicom.dcmread(os.path.join(DCM, name))
    a = d.pixel_array
    if int(d.get("NumberOfFrames", 1)) == 1:
        a = a[None]
    pi = d.PhotometricInterpretation
    if pi == "PALETTE COLOR":
        rgb = apply_color_lut(a, d).astype(np.float64)
        if rgb.max() > 255 or d.RedPaletteColorLookupTableDescriptor[2] == 16:
            rgb = rgb / 257.0  # 16-bit entries: the 8-bit scale
    elif pi.startswith("YBR"):
        rgb = convert_color_space(a, "YBR_FULL", "RGB").astype(np.float64)
    else:
        rgb = a.astype(np.float64)
    c = rgb.max(-1) - rgb.min(-1)
    out["fixtures"].append({"file": "dicom/" + name, "photometric": pi,
                            "chromatic_per_frame": [int((cf > THRESHOLD).sum()) for cf in c]})

with open(os.path.join(HERE, "chroma_noise.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(json.dumps(out["jpeg"], indent=1))
print(json.dumps(out["fixtures"]))
