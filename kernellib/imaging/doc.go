// Package imaging reads and writes the images of a CEUS study: contrast-enhanced
// ultrasound cines, B-mode stills, masks and NIfTI-1 volumes.
//
// A cine is a stream (see [Cine]): [OpenCine] reads a DICOM multi-frame object
// (Ultrasound Multi-frame Image Storage and friends, DICOM PS3.3 A.7), a folder of
// numbered PNG/JPEG frames, or a video file through ffmpeg, and yields one frame at a
// time with its acquisition time, so a whole cine is never held in memory.
//
// DICOM support (PS3.5 and PS3.3 C.7.6.3 Image Pixel module):
//
//   - transfer syntaxes: Implicit VR Little Endian (1.2.840.10008.1.2), Explicit VR
//     Little Endian (1.2.840.10008.1.2.1), Explicit VR Big Endian (1.2.840.10008.1.2.2)
//     and JPEG Baseline process 1 (1.2.840.10008.1.2.4.50, encapsulated, PS3.5 A.4);
//   - 8- and 16-bit MONOCHROME1/MONOCHROME2, RGB (interleaved or planar) and
//     YBR_FULL / YBR_FULL_422;
//   - frame timing (PS3.3 C.7.6.5 Cine module) from Frame Time Vector (0018,1065),
//     else Frame Time (0018,1063), else Cine Rate (0018,0040), else the caller's
//     [CineOptions].FrameRate;
//   - physical pixel size from Pixel Spacing (0028,0030) or from the Sequence of
//     Ultrasound Regions (0018,6011, PS3.3 C.8.5.5).
//
// Colour is converted to grey with the ITU-R BT.601 luma,
// Y = 0.299 R + 0.587 G + 0.114 B (rounded to nearest); for YBR photometric
// interpretations and YCbCr JPEG frames the stored Y is taken as is.
//
// The metadata of a DICOM file is decoded by github.com/suyashkumar/dicom; the pixel
// data is read by this package, frame by frame, from the file offsets found by a
// bounds-checked scan of the element structure. (dicom.Parse with a frame channel
// still keeps every frame in the returned Dataset, so it cannot stream a long cine.)
//
// Measured on a 2-core machine (kernellib/imaging/internal/cinemem, /usr/bin/time -v):
// streaming a 2,700-frame 800×600 cine (1.3 GB) takes about 23 MB of resident memory
// and 2 s; dicom.ParseFile with a frame channel needs 1.29 GB and 23 s for the same file.
//
// Every declared size is checked against the file and against the limits of
// [CineOptions] before anything is allocated; truncated or corrupt files are
// answered with an error that names the file and the field.
//
// Writers: [WriteDICOMCine] (8-bit MONOCHROME2 Ultrasound Multi-frame Image, explicit
// VR little endian, readable by pydicom and dcmtk), [WritePNG] and [WriteNIfTI].
package imaging
