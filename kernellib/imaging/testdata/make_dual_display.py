"""Makes testdata/dicom/py_dual_display.dcm and testdata/dual_display.json.

A small dual-display CEUS cine as many scanners export it: one frame holds the
low-MI tissue (B-mode-like) image on the left and the contrast image on the right,
each described by an item of the Sequence of Ultrasound Regions (0018,6011, DICOM
PS3.3 C.8.5.5). The items are deliberately not in left-to-right order (item 0 is the
contrast image on the right) and a third, non-2D item (a grey bar, Region Spatial
Format 5) lies right of both, so that "left"/"right" must be chosen by position among
the 2D regions, not by item order.

Written with pydicom (Explicit VR Little Endian, 8-bit MONOCHROME2, Ultrasound
Multi-frame Image Storage). dual_display.json records the tool versions, the regions
(inclusive Min/Max as stored) and the SHA-256 of each region's pixels as numpy slices
pydicom's own pixel_array (frames × rows × columns, uint8, C order), so that the Go
tests compare against pydicom, not against the Go reader.

Run: /usr/bin/python3 kernellib/imaging/testdata/make_dual_display.py
"""
import hashlib
import json
import os

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

HERE = os.path.dirname(os.path.abspath(__file__))
NAME = "py_dual_display.dcm"
PATH = os.path.join(HERE, "dicom", NAME)
US_MF = "1.2.840.10008.5.1.4.1.1.3.1"
N, H, W = 12, 40, 72
# (x0, y0, x1, y1) inclusive, spatial format, data type, units, delta (cm)
REGIONS = [
    ((38, 6, 69, 37), 1, 0x01, 3, 0.01),  # contrast image (right)
    ((2, 6, 33, 37), 1, 0x01, 3, 0.01),   # tissue image (left)
    ((70, 6, 71, 37), 5, 0x0D, 0, 0.0),   # grey bar
]
LESION = (18 - 2, 22 - 6, 6)  # centre (x, y) within its region and radius

rng = np.random.RandomState(13)
yy, xx = np.mgrid[0:32, 0:32]
inside = (xx - LESION[0]) ** 2 + (yy - LESION[1]) ** 2 <= LESION[2] ** 2
tissue = np.clip(90 + rng.randint(-30, 31, size=(32, 32)) - 40 * inside, 0, 255)
frames = np.zeros((N, H, W), dtype=np.uint8)
frames[:, 0:3, :] = 200                 # an annotation band outside every region
for i in range(N):
    frames[i, 6:38, 2:34] = tissue
    enh = 10 + 3 * i + 15 * i * inside   # wash-in, faster in the lesion
    frames[i, 6:38, 38:70] = np.clip(enh + rng.randint(0, 6, size=(32, 32)), 0, 255)
    frames[i, 6:38, 70:72] = np.linspace(0, 255, 32, dtype=np.uint8)[:, None]

meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = US_MF
meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=[NAME, "sop"])
meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds = FileDataset(NAME, {}, file_meta=meta, preamble=b"\0" * 128)
ds.is_little_endian, ds.is_implicit_VR = True, False
ds.SOPClassUID = US_MF
ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
ds.StudyInstanceUID = generate_uid(entropy_srcs=[NAME, "study"])
ds.SeriesInstanceUID = generate_uid(entropy_srcs=[NAME, "series"])
ds.Modality = "US"
ds.PatientName = "Dual^Display"   # must never appear in any ceusrad output
ds.PatientID = "DUAL-0001"
ds.PatientBirthDate = "19500101"
ds.NumberOfFrames = N
ds.Rows, ds.Columns = H, W
ds.SamplesPerPixel = 1
ds.PhotometricInterpretation = "MONOCHROME2"
ds.BitsAllocated = ds.BitsStored = 8
ds.HighBit = 7
ds.PixelRepresentation = 0
ds.FrameTime = 100
ds.FrameIncrementPointer = 0x00181063
items = []
for (x0, y0, x1, y1), sf, dt, units, delta in REGIONS:
    r = Dataset()
    r.RegionSpatialFormat = sf
    r.RegionDataType = dt
    r.RegionFlags = 0
    r.RegionLocationMinX0, r.RegionLocationMinY0 = x0, y0
    r.RegionLocationMaxX1, r.RegionLocationMaxY1 = x1, y1
    r.PhysicalUnitsXDirection = r.PhysicalUnitsYDirection = units
    r.PhysicalDeltaX = r.PhysicalDeltaY = delta
    items.append(r)
ds.SequenceOfUltrasoundRegions = Sequence(items)
ds.PixelData = frames.tobytes()
ds.save_as(PATH, write_like_original=False)

a = pydicom.dcmread(PATH).pixel_array
assert a.shape == (N, H, W) and (a == frames).all()


def sha(x):
    return hashlib.sha256(np.ascontiguousarray(x, dtype=np.uint8).tobytes()).hexdigest()


out = {
    "file": "dicom/" + NAME,
    "versions": {"pydicom": pydicom.__version__, "numpy": np.__version__},
    "frames": N, "rows": H, "columns": W, "frame_time_ms": 100,
    "regions": [{"x0": b[0], "y0": b[1], "x1": b[2], "y1": b[3], "spatial_format": sf,
                 "data_type": dt, "units": u, "delta_cm": d} for b, sf, dt, u, d in REGIONS],
    "full_sha256": sha(a),
    "region_sha256": [sha(a[:, b[1]:b[3] + 1, b[0]:b[2] + 1]) for b, *_ in REGIONS],
    "lesion": {"x": LESION[0], "y": LESION[1], "r": LESION[2]},
}
with open(os.path.join(HERE, "dual_display.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
