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
//     Little Endian (1.2.840.10008.1.2.1), Explicit VR Big Endian (1.2.840.10008.1.2.2;
//     8-bit data stored as OB is a byte stream, as OW its bytes are swapped in pairs),
//     JPEG Baseline process 1 (1.2.840.10008.1.2.4.50) and RLE Lossless
//     (1.2.840.10008.1.2.5, PS3.5 Annex G: 8- and 16-bit, 1 or 3 samples, one
//     fragment per frame), the last two encapsulated (PS3.5 A.4), decoded here;
//   - JPEG Lossless (1.2.840.10008.1.2.4.57, .4.70), JPEG Extended (.4.51), JPEG-LS
//     (.4.80, .4.81), JPEG 2000 (.4.90, .4.91; YBR_RCT/YBR_ICT) and Deflated Explicit
//     VR Little Endian (1.2.840.10008.1.2.1.99) through GDCM: `gdcmconv --raw` writes a
//     native copy into a private temporary folder, which is unlinked as soon as it is
//     opened and then streamed like any native file (see transcodeNative; needs
//     Debian's libgdcm-tools, and TMPDIR room for the uncompressed cine);
//   - any other syntax is refused, naming its UID and PS3.6 name
//     ([TransferSyntaxName], [TransferSyntaxes]), before the metadata parser sees
//     the file;
//   - 8- and 16-bit MONOCHROME1/MONOCHROME2, RGB (interleaved or planar),
//     YBR_FULL / YBR_FULL_422 and PALETTE COLOR (PS3.3 C.7.6.3.1.5/6: 8- or 16-bit
//     entries, a descriptor count of 0 meaning 65536, the first mapped value; and
//     segmented tables, C.7.9.2: discrete, linear and indirect segments);
//   - a JPEG frame follows the Photometric Interpretation, as GDCM does: RGB frames
//     are taken without a colour transform even without an Adobe marker;
//   - only the top-level Pixel Data (7FE0,0010) is the image: pixel data inside a
//     sequence (an Icon Image Sequence (0088,0200), encapsulated or not) is skipped;
//   - Pixel Data longer than its frames by less than a frame (padding) is accepted, as
//     pydicom does; shorter is an error;
//   - frame timing (PS3.3 C.7.6.5 Cine module) from Frame Time Vector (0018,1065),
//     else Frame Time (0018,1063), else Cine Rate (0018,0040), else the caller's
//     [CineOptions].FrameRate; a frame rate outside 0.1–1000 frames per second is
//     refused, naming the element;
//   - physical pixel size from Pixel Spacing (0028,0030) or from the Sequence of
//     Ultrasound Regions (0018,6011, PS3.3 C.8.5.5), each within 1 µm–10 mm.
//
// Colour is converted to grey with the ITU-R BT.601 luma,
// Y = 0.299 R + 0.587 G + 0.114 B (rounded to nearest); for YBR photometric
// interpretations and YCbCr JPEG frames the stored Y is taken as is. PALETTE COLOR
// indices are mapped through the palette to R, G, B on the palette's own scale
// (values below the first mapped value take the first entry, values past the last
// entry the last one, as pydicom's apply_color_lut) and then take the same luma: the
// grey output is 8-bit when the palette's entries are 8-bit (one byte per entry, or
// 16-bit words declared 8-bit whose values all fit in 8 bits), 16-bit otherwise.
//
// Burned-in coloured annotations (calipers, text, colour bars, ECG traces, Doppler
// boxes) are found while colour frames are converted: Frame.Overlay marks the
// pixels whose chroma max(R, G, B) − min(R, G, B) exceeds CineOptions.ChromaThreshold
// (DefaultChromaThreshold, 24 on the 8-bit scale, above the chroma noise measured on
// a third-party ultrasound cine and its JPEG compressions; see its doc), frame by
// frame, in the delivered (cropped) geometry; ReadImageOverlay does the same for a
// still. Grey sources have no overlay and pay nothing for it; videos get none.
// kernellib/tic and kernellib/radiomics leave these pixels out of ROI statistics.
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
// [CineOptions] before anything is allocated; multi-valued elements are bounded by the
// header before the metadata parser reads them (a Frame Time Vector by Number of
// Frames, LUT data by 65536 entries, at most 64 Ultrasound Regions, other multi-valued
// numbers and strings by 2 MiB); truncated or corrupt files are answered with an error
// that names the file and the field, and a failure inside the metadata parser is
// reported as "could not parse FILE: … while reading ELEMENT".
//
// Writers: [WriteDICOMCine] (8-bit MONOCHROME2 Ultrasound Multi-frame Image, explicit
// VR little endian, readable by pydicom and dcmtk), [WritePNG] and [WriteNIfTI].
package imaging
