"""Makes the reference fixtures of kernellib/imaging (see make_fixtures.sh).

Every file is written by pydicom, dcmtk, nibabel or Pillow, and the expected values in
fixtures.json come from those tools' own decoding (pydicom pixel_array, dcmdjpeg,
Pillow/libjpeg, nibabel get_fdata), never from the Go code under test.
"""
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

import nibabel as nib
import numpy as np
import pydicom
from PIL import Image, __version__ as pil_version
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.sequence import Sequence
from pydicom.uid import (ExplicitVRBigEndian, ExplicitVRLittleEndian,
                         ImplicitVRLittleEndian, JPEGBaseline8Bit, generate_uid)

HERE = sys.argv[1]
DCM = os.path.join(HERE, "dicom")
NII = os.path.join(HERE, "nifti")
STILL = os.path.join(HERE, "still")
for d in (DCM, NII, STILL):
    os.makedirs(d, exist_ok=True)
TMP = tempfile.mkdtemp()
US_MF = "1.2.840.10008.5.1.4.1.1.3.1"
rng = np.random.RandomState(20201)
W, H, N = 16, 12, 4
fixtures = []


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True)


def tool_version(cmd):
    out = subprocess.run([cmd, "--version"], capture_output=True, text=True).stdout
    return out.strip().splitlines()[0]


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode()


def luma(rgb):
    """ITU-R BT.601 luma, rounded half up: (299 R + 587 G + 114 B + 500) // 1000."""
    rgb = rgb.astype(np.int64)
    return ((299 * rgb[..., 0] + 587 * rgb[..., 1] + 114 * rgb[..., 2] + 500) // 1000).astype(np.uint8)


def grey_frames(n=N, h=H, w=W):
    """A moving gradient plus noise, 8-bit."""
    y, x = np.mgrid[0:h, 0:w]
    out = []
    for i in range(n):
        base = 10 + 12 * x + 5 * y + 17 * i
        out.append(np.clip(base + rng.randint(-8, 9, size=(h, w)), 0, 255).astype(np.uint8))
    return np.stack(out)


def rgb_frames(n=N, h=H, w=W):
    y, x = np.mgrid[0:h, 0:w]
    out = []
    for i in range(n):
        r = 20 + 14 * x + 9 * i
        g = 200 - 9 * y + 3 * i
        b = 60 + 6 * x + 7 * y
        f = np.stack([r, g, b], axis=-1) + rng.randint(-6, 7, size=(h, w, 3))
        out.append(np.clip(f, 0, 255).astype(np.uint8))
    return np.stack(out)


def new_ds(name, ts, sop=US_MF):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=[name, "sop"])
    meta.TransferSyntaxUID = ts
    ds = FileDataset(name, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.is_little_endian = ts != ExplicitVRBigEndian
    ds.is_implicit_VR = ts == ImplicitVRLittleEndian
    ds.SOPClassUID = sop
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid(entropy_srcs=[name, "study"])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=[name, "series"])
    ds.Modality = "US"
    ds.PatientID = "FIXTURE"
    ds.PatientName = "Fixture^" + name.split(".")[0]
    return ds


def set_pixels(ds, frames, photometric, bits=8, stored=None, signed=False, planar=None, data=None):
    n, h, w = frames.shape[:3]
    ds.NumberOfFrames = n
    ds.Rows, ds.Columns = h, w
    ds.SamplesPerPixel = 1 if photometric.startswith("MONO") else 3
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = bits
    ds.BitsStored = stored or bits
    ds.HighBit = (stored or bits) - 1
    ds.PixelRepresentation = 1 if signed else 0
    if ds.SamplesPerPixel == 3:
        ds.PlanarConfiguration = planar or 0
    ds.PixelData = data if data is not None else frames.tobytes()


def save(ds, name):
    path = os.path.join(DCM, name)
    ds.save_as(path, write_like_original=False)
    return path


def add(name, kind, expect, **kw):
    e = {"file": name, "kind": kind}
    e.update(kw)
    e.update(expect)
    fixtures.append(e)


def frames_expect(grey, bits=8, tol=0):
    n, h, w = grey.shape
    dt = np.uint8 if bits == 8 else np.dtype("<u2")
    return {"width": w, "height": h, "frames": n, "bits": bits, "tolerance": tol,
            "pixels_b64": b64(grey.astype(dt))}


def check_pydicom(path, expect_grey=None, channel=None):
    """pydicom must decode the file; when given, its pixels must equal expect_grey."""
    d = pydicom.dcmread(path)
    a = d.pixel_array
    if int(d.get("NumberOfFrames", 1)) == 1:
        a = a[None]
    if channel is not None:
        a = a[..., channel]
    if expect_grey is not None and not np.array_equal(a, expect_grey):
        raise SystemExit("pydicom disagrees with the intended pixels of " + path)


# 1. 8-bit grey, Frame Time Vector, side-by-side Ultrasound Regions, explicit VR LE.
g = grey_frames(n=5, w=32)
ds = new_ds("py_gray8_ftv_regions.dcm", ExplicitVRLittleEndian)
set_pixels(ds, g, "MONOCHROME2")
ftv = [0, 66.7, 66.6, 70.1, 65]
ds.FrameTimeVector = ftv
ds.FrameIncrementPointer = 0x00181065
regions = []
for x0, x1, dx in ((0, 15, 0.012), (16, 31, 0.02)):
    r = Dataset()
    r.RegionSpatialFormat = 1
    r.RegionDataType = 1
    r.RegionFlags = 0
    r.RegionLocationMinX0, r.RegionLocationMinY0 = x0, 0
    r.RegionLocationMaxX1, r.RegionLocationMaxY1 = x1, 11
    r.PhysicalUnitsXDirection = 3
    r.PhysicalUnitsYDirection = 3
    r.PhysicalDeltaX = dx
    r.PhysicalDeltaY = dx
    regions.append(r)
ds.SequenceOfUltrasoundRegions = Sequence(regions)
p = save(ds, "py_gray8_ftv_regions.dcm")
check_pydicom(p, g)
add("dicom/py_gray8_ftv_regions.dcm", "cine", frames_expect(g), writer="pydicom",
    transfer_syntax=ExplicitVRLittleEndian, photometric="MONOCHROME2", timing="FrameTimeVector (0018,1065)",
    times_s=list(np.cumsum(ftv) / 1000.0), pixel_spacing_mm=None,
    regions=[{"x0": 0, "y0": 0, "x1": 15, "y1": 11, "dx_cm": 0.012}, {"x0": 16, "y0": 0, "x1": 31, "y1": 11, "dx_cm": 0.02}])

# 2. 8-bit grey, Frame Time only, implicit VR LE, Pixel Spacing.
g = grey_frames()
ds = new_ds("py_gray8_ft_implicit.dcm", ImplicitVRLittleEndian)
set_pixels(ds, g, "MONOCHROME2")
ds.FrameTime = 40
ds.PixelSpacing = [0.25, 0.25]
p = save(ds, "py_gray8_ft_implicit.dcm")
check_pydicom(p, g)
add("dicom/py_gray8_ft_implicit.dcm", "cine", frames_expect(g), writer="pydicom",
    transfer_syntax=ImplicitVRLittleEndian, photometric="MONOCHROME2", timing="FrameTime (0018,1063)",
    times_s=[i * 0.040 for i in range(N)], pixel_spacing_mm=0.25)

# 3. 8-bit grey without timing (the caller's frame rate is needed).
ds = new_ds("py_gray8_notiming.dcm", ExplicitVRLittleEndian)
set_pixels(ds, g, "MONOCHROME2")
p = save(ds, "py_gray8_notiming.dcm")
check_pydicom(p, g)
add("dicom/py_gray8_notiming.dcm", "cine", frames_expect(g), writer="pydicom",
    transfer_syntax=ExplicitVRLittleEndian, photometric="MONOCHROME2", timing="", times_s=None, pixel_spacing_mm=None)

# 4. 16-bit unsigned, 12 bits stored, Cine Rate, explicit VR LE; dcmtk transcodes it to
#    explicit big endian and implicit little endian.
y, x = np.mgrid[0:H, 0:W]
g16 = np.stack([(37 * x * y + 300 * i + rng.randint(0, 50, size=(H, W))) % 4096 for i in range(N)]).astype(np.uint16)
ds = new_ds("py_gray16_cinerate.dcm", ExplicitVRLittleEndian)
set_pixels(ds, g16, "MONOCHROME2", bits=16, stored=12, data=g16.astype("<u2").tobytes())
ds.CineRate = 25
p = save(ds, "py_gray16_cinerate.dcm")
check_pydicom(p, g16)
common16 = dict(photometric="MONOCHROME2", timing="CineRate (0018,0040)", times_s=[i / 25 for i in range(N)], pixel_spacing_mm=None)
add("dicom/py_gray16_cinerate.dcm", "cine", frames_expect(g16, bits=16), writer="pydicom",
    transfer_syntax=ExplicitVRLittleEndian, **common16)
for flag, ts, name in (("+tb", ExplicitVRBigEndian, "dcmtk_gray16_bigendian.dcm"), ("+ti", ImplicitVRLittleEndian, "dcmtk_gray16_implicit.dcm")):
    out = os.path.join(DCM, name)
    run("dcmconv", flag, p, out)
    check_pydicom(out, g16)
    add("dicom/" + name, "cine", frames_expect(g16, bits=16), writer="dcmconv " + flag,
        transfer_syntax=ts, **common16)

# 5. 16-bit signed, 12 bits stored: delivered as value + 2^11.
s16 = (g16.astype(np.int32) - 2048).astype(np.int16)
ds = new_ds("py_signed16.dcm", ExplicitVRLittleEndian)
set_pixels(ds, s16, "MONOCHROME2", bits=16, stored=12, signed=True, data=s16.astype("<i2").tobytes())
ds.FrameTime = 50
p = save(ds, "py_signed16.dcm")
check_pydicom(p, s16)
add("dicom/py_signed16.dcm", "cine", frames_expect((s16.astype(np.int32) + 2048).astype(np.uint16), bits=16),
    writer="pydicom", transfer_syntax=ExplicitVRLittleEndian, photometric="MONOCHROME2",
    timing="FrameTime (0018,1063)", times_s=[i * 0.05 for i in range(N)], pixel_spacing_mm=None)

# 6. RGB, interleaved and planar.
rgb = rgb_frames()
for planar, name in ((0, "py_rgb_interleaved.dcm"), (1, "py_rgb_planar.dcm")):
    ds = new_ds(name, ExplicitVRLittleEndian)
    data = rgb.tobytes() if planar == 0 else np.ascontiguousarray(rgb.transpose(0, 3, 1, 2)).tobytes()
    set_pixels(ds, rgb, "RGB", planar=planar, data=data)
    ds.FrameTime = 40
    p = save(ds, name)
    check_pydicom(p, rgb)
    add("dicom/" + name, "cine", frames_expect(luma(rgb)), writer="pydicom",
        transfer_syntax=ExplicitVRLittleEndian, photometric="RGB", timing="FrameTime (0018,1063)",
        times_s=[i * 0.04 for i in range(N)], pixel_spacing_mm=None)

# 7. YBR_FULL_422 native: Y1 Y2 Cb Cr per pixel pair (PS3.3 C.7.6.3.1.2).
Y = grey_frames()
Cb = rng.randint(0, 256, size=(N, H, W // 2)).astype(np.uint8)
Cr = rng.randint(0, 256, size=(N, H, W // 2)).astype(np.uint8)
packed = np.stack([Y[..., 0::2], Y[..., 1::2], Cb, Cr], axis=-1)
ds = new_ds("py_ybr_full_422.dcm", ExplicitVRLittleEndian)
set_pixels(ds, Y, "YBR_FULL_422", data=packed.tobytes())
ds.FrameTime = 40
p = save(ds, "py_ybr_full_422.dcm")
check_pydicom(p, Y, channel=0)
add("dicom/py_ybr_full_422.dcm", "cine", frames_expect(Y), writer="pydicom",
    transfer_syntax=ExplicitVRLittleEndian, photometric="YBR_FULL_422", timing="FrameTime (0018,1063)",
    times_s=[i * 0.04 for i in range(N)], pixel_spacing_mm=None)


# 8. JPEG baseline, encapsulated by pydicom (Pillow/libjpeg encodes); grey, with a Basic
#    Offset Table and one fragment per frame, two fragments per frame with a BOT, and two
#    fragments per frame without a BOT (frames found by their SOI markers).
def jpeg_bytes(img, **kw):
    path = os.path.join(TMP, "f.jpg")
    img.save(path, format="JPEG", **kw)
    return open(path, "rb").read()


def pil_y(data):
    """libjpeg's decoding of a JPEG, as Y without colour conversion."""
    path = os.path.join(TMP, "d.jpg")
    open(path, "wb").write(data)
    im = Image.open(path)
    if im.mode == "L":
        return np.asarray(im)
    im.draft("YCbCr", im.size)
    return np.asarray(im.convert("YCbCr") if im.mode != "YCbCr" else im)[..., 0]


g = grey_frames()
jpgs = [jpeg_bytes(Image.fromarray(f), quality=90) for f in g]
expect = np.stack([pil_y(j) for j in jpgs])
for fpf, bot, name in ((1, True, "py_jpeg_gray.dcm"), (2, True, "py_jpeg_gray_2frag_bot.dcm"), (2, False, "py_jpeg_gray_2frag_nobot.dcm")):
    ds = new_ds(name, JPEGBaseline8Bit)
    set_pixels(ds, g, "MONOCHROME2", data=encapsulate(jpgs, fragments_per_frame=fpf, has_bot=bot))
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
    ds.LossyImageCompression = "01"
    ds.FrameTime = 33.3
    p = save(ds, name)
    if fpf == 1:  # pydicom 2.3 with Pillow cannot split multi-fragment frames
        check_pydicom(p, expect)
    add("dicom/" + name, "cine", frames_expect(expect, tol=0), writer="pydicom + Pillow JPEG",
        transfer_syntax=JPEGBaseline8Bit, photometric="MONOCHROME2", timing="FrameTime (0018,1063)",
        times_s=[i * 0.0333 for i in range(N)], pixel_spacing_mm=None, jpeg=True)

# 9. JPEG baseline colour (YBR_FULL_422, 4:2:2 subsampled), encapsulated by pydicom.
rgb = rgb_frames()
jpgs = [jpeg_bytes(Image.fromarray(f), quality=92, subsampling=1) for f in rgb]
expect = np.stack([pil_y(j) for j in jpgs])
ds = new_ds("py_jpeg_ybr422.dcm", JPEGBaseline8Bit)
set_pixels(ds, rgb, "YBR_FULL_422", data=encapsulate(jpgs))
ds["PixelData"].VR = "OB"
ds["PixelData"].is_undefined_length = True
ds.LossyImageCompression = "01"
ds.FrameTimeVector = [0, 50, 50, 50]
p = save(ds, "py_jpeg_ybr422.dcm")
pydicom.dcmread(p).pixel_array  # must decode
add("dicom/py_jpeg_ybr422.dcm", "cine", frames_expect(expect, tol=0), writer="pydicom + Pillow JPEG",
    transfer_syntax=JPEGBaseline8Bit, photometric="YBR_FULL_422", timing="FrameTimeVector (0018,1065)",
    times_s=[0, 0.05, 0.1, 0.15], pixel_spacing_mm=None, jpeg=True)

# 10. dcmtk: img2dcm multi-frame JPEG (grey and colour) from Pillow JPEG files.
for mode, name in (("L", "dcmtk_img2dcm_gray.dcm"), ("RGB", "dcmtk_img2dcm_color.dcm")):
    src = grey_frames() if mode == "L" else rgb_frames()
    files = []
    for i, f in enumerate(src):
        fp = os.path.join(TMP, "in%d.jpg" % i)
        Image.fromarray(f).save(fp, quality=90, subsampling=1)
        files.append(fp)
    out = os.path.join(DCM, name)
    run("img2dcm", "-nsc", "-k", "FrameTime=40", *files, out)
    expect = np.stack([pil_y(open(fp, "rb").read()) for fp in files])
    d = pydicom.dcmread(out)
    add("dicom/" + name, "cine", frames_expect(expect, tol=0), writer="img2dcm -nsc",
        transfer_syntax=str(d.file_meta.TransferSyntaxUID), photometric=str(d.PhotometricInterpretation),
        timing="FrameTime (0018,1063)", times_s=[i * 0.04 for i in range(N)], pixel_spacing_mm=None, jpeg=True)

# 11. dcmtk: dcmcjpeg baseline re-encoding of native grey and RGB cines; expected pixels
#     from dcmdjpeg (IJG libjpeg in dcmtk), the colour one without colour conversion.
for src, name, conv in (("py_gray8_ft_implicit.dcm", "dcmtk_cjpeg_gray.dcm", []), ("py_rgb_interleaved.dcm", "dcmtk_cjpeg_ybr.dcm", ["+cn"])):
    out = os.path.join(DCM, name)
    run("dcmcjpeg", "+eb", os.path.join(DCM, src), out)
    dec = os.path.join(TMP, "dec.dcm")
    run("dcmdjpeg", *conv, out, dec)
    d = pydicom.dcmread(dec)
    a = d.pixel_array
    if a.ndim == 4:
        a = a[..., 0]
    e = pydicom.dcmread(out)
    add("dicom/" + name, "cine", frames_expect(a, tol=0), writer="dcmcjpeg +eb (expected: dcmdjpeg %s)" % " ".join(conv),
        transfer_syntax=str(e.file_meta.TransferSyntaxUID), photometric=str(e.PhotometricInterpretation),
        timing="FrameTime (0018,1063)", times_s=[i * 0.04 for i in range(N)],
        pixel_spacing_mm=0.25 if "gray" in name else None, jpeg=True)

# 12. dcmtk: img2dcm single-frame native RGB from a BMP (a B-mode still).
rgb1 = rgb_frames(n=1)[0]
bmp = os.path.join(TMP, "still.bmp")
Image.fromarray(rgb1).save(bmp)
out = os.path.join(DCM, "dcmtk_img2dcm_rgb_still.dcm")
run("img2dcm", "-i", "BMP", bmp, out)
check_pydicom(out, rgb1[None])
add("dicom/dcmtk_img2dcm_rgb_still.dcm", "still", frames_expect(luma(rgb1)[None]), writer="img2dcm -i BMP")

# 13. PNG/JPEG stills and PNG masks (Pillow).
p = os.path.join(STILL, "rgb.png")
Image.fromarray(rgb1).save(p)
add("still/rgb.png", "still", frames_expect(luma(np.asarray(Image.open(p).convert("RGB")))[None]), writer="Pillow")
g16 = (np.mgrid[0:H, 0:W][1] * 3000 + np.mgrid[0:H, 0:W][0] * 17).astype(np.uint16)
p = os.path.join(STILL, "gray16.png")
Image.fromarray(g16).save(p)
add("still/gray16.png", "still", frames_expect(np.asarray(Image.open(p)).astype(np.uint16)[None], bits=16), writer="Pillow")
p = os.path.join(STILL, "rgb.jpg")
Image.fromarray(rgb1).save(p, quality=90)
add("still/rgb.jpg", "still", frames_expect(pil_y(open(p, "rb").read())[None], tol=0), writer="Pillow", jpeg=True)
m = np.zeros((H, W, 4), np.uint8)
m[3:9, 4:12] = (255, 0, 0, 255)      # red ROI, opaque
m[0:2, 0:3] = (0, 0, 0, 255)         # opaque black: outside
m[10:12, 12:16] = (0, 200, 0, 0)     # transparent green: outside
m[9, 1] = (0, 0, 7, 1)               # barely visible blue: inside
p = os.path.join(STILL, "mask_rgba.png")
Image.fromarray(m, "RGBA").save(p)
a = np.asarray(Image.open(p).convert("RGBA")).astype(int)
inside = (a[..., 3] > 0) & ((a[..., 0] | a[..., 1] | a[..., 2]) > 0)
add("still/mask_rgba.png", "mask", {"width": W, "height": H, "depth": 1, "mask_b64": b64(inside.astype(np.uint8))}, writer="Pillow")
mg = np.zeros((H, W), np.uint8)
mg[2:10, 5:9] = 1
mg[11, 15] = 255
p = os.path.join(STILL, "mask_gray.png")
Image.fromarray(mg).save(p)
add("still/mask_gray.png", "mask", {"width": W, "height": H, "depth": 1, "mask_b64": b64((np.asarray(Image.open(p)) > 0).astype(np.uint8))}, writer="Pillow")

# 14. NIfTI-1 (nibabel): datatypes, 2D/3D, scaling, both byte orders, gzip.
aff = np.diag([0.7, 0.8, 2.5, 1.0])


def nifti(name, data, dtype, endian="<", slope=None, units="mm"):
    hdr = nib.Nifti1Header(endianness=endian)
    hdr.set_data_dtype(dtype)
    hdr.set_xyzt_units(units)
    img = nib.Nifti1Image(data, aff, header=hdr)
    if slope is not None:
        img.header.set_slope_inter(*slope)
    p = os.path.join(NII, name)
    nib.save(img, p)
    back = nib.load(p)
    v = np.asarray(back.get_fdata(), dtype=np.float64)
    shape = list(v.shape) + [1] * (3 - v.ndim)
    scale = {"mm": 1.0, "meter": 1000.0, "micron": 0.001}[units]
    zooms = [float(z) * scale for z in back.header.get_zooms()] + [1.0] * (3 - v.ndim)
    add("nifti/" + name, "nifti", {"shape": shape, "spacing": zooms[:3],
        "datatype": int(back.header["datatype"]), "values_b64": b64(v.reshape(-1, order="F").astype("<f8"))},
        writer="nibabel", endian=endian)


nifti("u8_2d_mask.nii", (np.mgrid[0:W, 0:H][0] % 3 == 0).astype(np.uint8), np.uint8)
nifti("i16_3d_scaled.nii.gz", rng.randint(-300, 300, size=(8, 6, 4)).astype(np.int16), np.int16, slope=(0.5, 10))
nifti("f32_3d_bigendian.nii", rng.normal(size=(7, 5, 3)).astype(">f4"), ">f4", endian=">")
nifti("f64_3d.nii.gz", rng.normal(size=(5, 4, 3)), np.float64)
nifti("i32_2d_metre.nii", rng.randint(-10 ** 6, 10 ** 6, size=(6, 5)).astype(np.int32), np.int32, units="meter")

# 15. The cine and the volume written by WriteDICOMCine and WriteNIfTI (by the Go test, see make_fixtures.sh): read it
#     with pydicom and dcmdump and record what they see.
gw = os.path.join(DCM, "go_written.dcm")
d = pydicom.dcmread(gw)
px = d.pixel_array
dump = subprocess.run(["dcmdump", "-E", gw], capture_output=True, text=True)
gowritten = {
    "pydicom": {"sop_class": str(d.SOPClassUID), "transfer_syntax": str(d.file_meta.TransferSyntaxUID),
                "frames": int(d.NumberOfFrames), "rows": int(d.Rows), "columns": int(d.Columns),
                "photometric": str(d.PhotometricInterpretation),
                "frame_time_ms": float(d.FrameTime), "frame_time_vector_ms": [float(v) for v in d.FrameTimeVector],
                "pixel_spacing_mm": [float(v) for v in d.PixelSpacing],
                "physical_delta_x_cm": float(d.SequenceOfUltrasoundRegions[0].PhysicalDeltaX),
                "physical_units_x": int(d.SequenceOfUltrasoundRegions[0].PhysicalUnitsXDirection),
                "patient_id": str(d.PatientID), "series_description": str(d.SeriesDescription),
                "pixel_sha256": hashlib.sha256(px.astype(np.uint8).tobytes()).hexdigest()},
    "dcmdump": {"exit_code": dump.returncode, "stderr": dump.stderr.strip(),
                "lines": len(dump.stdout.splitlines())},
    "file_sha256": hashlib.sha256(open(gw, "rb").read()).hexdigest(),
}

gn = nib.load(os.path.join(NII, "go_written.nii"))
gowritten_nifti = {
    "shape": [int(v) for v in gn.shape], "zooms": [float(z) for z in gn.header.get_zooms()],
    "datatype": int(gn.header["datatype"]), "units": gn.header.get_xyzt_units()[0],
    "values_sha256": hashlib.sha256(np.asarray(gn.get_fdata(), dtype="<f8").reshape(-1, order="F").tobytes()).hexdigest(),
}


# 16. Seed corpora for the fuzz targets: valid files and damaged copies.
def go_quote(b):
    return "".join(chr(c) if 32 <= c < 127 and c not in (34, 92) else "\\x%02x" % c for c in b)


def corpus(target, name, data):
    d = os.path.join(HERE, "fuzz", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "w") as f:
        f.write("go test fuzz v1\n[]byte(\"%s\")\n" % go_quote(data))


for src in ("py_gray8_ft_implicit.dcm", "py_jpeg_gray_2frag_nobot.dcm", "dcmtk_gray16_bigendian.dcm", "py_ybr_full_422.dcm"):
    corpus("FuzzOpenCineDICOM", src.replace(".dcm", ""), open(os.path.join(DCM, src), "rb").read())
full = open(os.path.join(DCM, "py_gray8_ftv_regions.dcm"), "rb").read()
corpus("FuzzOpenCineDICOM", "regions", full)
corpus("FuzzOpenCineDICOM", "truncated", full[: len(full) - 700])
corpus("FuzzOpenCineDICOM", "many_frames", full.replace(b"IS\x02\x005 ", b"IS\x02\x009 ") if b"IS\x02\x005 " in full else full)
for src in ("u8_2d_mask.nii", "f32_3d_bigendian.nii", "i32_2d_metre.nii"):
    b = open(os.path.join(NII, src), "rb").read()
    corpus("FuzzReadNIfTI", src.replace(".nii", ""), b)
b = bytearray(open(os.path.join(NII, "u8_2d_mask.nii"), "rb").read())
corpus("FuzzReadNIfTI", "truncated", bytes(b[:400]))
b[42:44] = (30000).to_bytes(2, "little")
corpus("FuzzReadNIfTI", "huge_dim", bytes(b))

versions = {
    "python": sys.version.split()[0], "pydicom": pydicom.__version__, "nibabel": nib.__version__,
    "numpy": np.__version__, "Pillow": pil_version,
    "img2dcm": tool_version("img2dcm"), "dcmcjpeg": tool_version("dcmcjpeg"),
    "dcmdjpeg": tool_version("dcmdjpeg"), "dcmconv": tool_version("dcmconv"), "dcmdump": tool_version("dcmdump"),
}
with open(os.path.join(HERE, "fixtures.json"), "w") as f:
    json.dump({"generator": "testdata/make_fixtures.sh", "versions": versions, "fixtures": fixtures,
               "go_written": gowritten, "go_written_nifti": gowritten_nifti}, f, indent=1)
    f.write("\n")
shutil.rmtree(TMP)
print("wrote %d fixtures" % len(fixtures))
