#!/usr/bin/python3
"""Reference header values for kernellib/imaging/header_test.go, read by pydicom.

Reads third-party test files shipped by Debian's python3-pydicom and octave-dicom
(none written by ceusrad) and writes header_ref.json: for each file the attributes
imaging.ReadDICOMHeader returns, as pydicom reads them. Run:

    /usr/bin/python3 kernellib/imaging/testdata/header/make_header_ref.py
"""
import json
import os
import sys

import pydicom

PYD = "/usr/lib/python3/dist-packages/pydicom/data/test_files"
OCT = "/usr/share/octave/packages/dicom-0.5.1/imdata"
FILES = [
    f"{PYD}/CT_small.dcm",
    f"{PYD}/MR_small.dcm",
    f"{PYD}/MR_small_bigendian.dcm",
    f"{PYD}/MR_small_implicit.dcm",
    f"{PYD}/JPEG2000.dcm",
    f"{PYD}/SC_rgb_rle_2frame.dcm",
    f"{PYD}/ExplVR_BigEnd.dcm",
    f"{PYD}/waveform_ecg.dcm",
    f"{PYD}/rtplan.dcm",
    f"{PYD}/reportsi.dcm",
    f"{OCT}/US-PAL-8-10x-echo.dcm",
    f"{OCT}/simpleImageWithIcon.dcm",
]
NOT_DICOM = [f"{PYD}/ExplVR_BigEndNoMeta.dcm", f"{PYD}/no_meta.dcm"]


def s(ds, kw):
    v = ds.get(kw)
    if v is None:
        return ""
    if isinstance(v, pydicom.multival.MultiValue):
        return "\\".join(str(x) for x in v).strip(" \x00")
    return str(v).strip(" \x00")


def num(ds, kw):
    v = ds.get(kw)
    if v is None or v == "":
        return 0
    if isinstance(v, pydicom.multival.MultiValue):
        v = v[0]
    return float(v)


out = {"pydicom": pydicom.__version__, "files": [], "not_dicom": NOT_DICOM}
for f in FILES:
    ds = pydicom.dcmread(f)
    has_px = "PixelData" in ds
    nf = ds.get("NumberOfFrames")
    ftv = ds.get("FrameTimeVector")
    out["files"].append({
        "path": f,
        "TransferSyntaxUID": str(ds.file_meta.get("TransferSyntaxUID", "")),
        "SOPClassUID": s(ds, "SOPClassUID") or str(ds.file_meta.get("MediaStorageSOPClassUID", "")),
        "SOPInstanceUID": s(ds, "SOPInstanceUID"),
        "Modality": s(ds, "Modality"),
        "StudyInstanceUID": s(ds, "StudyInstanceUID"),
        "SeriesInstanceUID": s(ds, "SeriesInstanceUID"),
        "StudyDate": s(ds, "StudyDate"),
        "StudyTime": s(ds, "StudyTime"),
        "SeriesTime": s(ds, "SeriesTime"),
        "AcquisitionTime": s(ds, "AcquisitionTime"),
        "ContentTime": s(ds, "ContentTime"),
        "HasPixelData": has_px,
        "NumberOfFrames": int(nf) if nf not in (None, "") else (1 if has_px else 0),
        "Rows": int(ds.get("Rows", 0) or 0),
        "Columns": int(ds.get("Columns", 0) or 0),
        "ContrastBolusAgent": s(ds, "ContrastBolusAgent"),
        "ContrastBolusStartTime": s(ds, "ContrastBolusStartTime"),
        "FrameTime": num(ds, "FrameTime"),
        "FrameTimeVector": [float(x) for x in ftv] if ftv is not None else None,
        "CineRate": num(ds, "CineRate"),
        "RecommendedDisplayFrameRate": num(ds, "RecommendedDisplayFrameRate"),
        "PatientID": s(ds, "PatientID"),
        "PatientName": s(ds, "PatientName"),
        "BirthDate": s(ds, "PatientBirthDate"),
    })
json.dump(out, open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "header_ref.json"), "w"), indent=1)
print("wrote header_ref.json with pydicom", pydicom.__version__, file=sys.stderr)
