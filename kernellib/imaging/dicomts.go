package imaging

import "fmt"

// knownSyntaxNames names the transfer syntaxes of DICOM PS3.6 Annex A (Table A-1), so
// that a refusal can say which encoding a file uses. Kept local to the DICOM reader;
// the package-wide table of syntaxes and how each is handled may supersede it.
var knownSyntaxNames = map[string]string{
	"1.2.840.10008.1.2":         "Implicit VR Little Endian",
	"1.2.840.10008.1.2.1":       "Explicit VR Little Endian",
	"1.2.840.10008.1.2.1.98":    "Encapsulated Uncompressed Explicit VR Little Endian",
	"1.2.840.10008.1.2.1.99":    "Deflated Explicit VR Little Endian",
	"1.2.840.10008.1.2.2":       "Explicit VR Big Endian",
	"1.2.840.10008.1.2.4.50":    "JPEG Baseline (Process 1)",
	"1.2.840.10008.1.2.4.51":    "JPEG Extended (Process 2 & 4)",
	"1.2.840.10008.1.2.4.57":    "JPEG Lossless, Non-Hierarchical (Process 14)",
	"1.2.840.10008.1.2.4.70":    "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14, Selection Value 1)",
	"1.2.840.10008.1.2.4.80":    "JPEG-LS Lossless",
	"1.2.840.10008.1.2.4.81":    "JPEG-LS Lossy (Near-Lossless)",
	"1.2.840.10008.1.2.4.90":    "JPEG 2000 (Lossless Only)",
	"1.2.840.10008.1.2.4.91":    "JPEG 2000",
	"1.2.840.10008.1.2.4.92":    "JPEG 2000 Part 2 Multi-component (Lossless Only)",
	"1.2.840.10008.1.2.4.93":    "JPEG 2000 Part 2 Multi-component",
	"1.2.840.10008.1.2.4.94":    "JPIP Referenced",
	"1.2.840.10008.1.2.4.95":    "JPIP Referenced Deflate",
	"1.2.840.10008.1.2.4.100":   "MPEG2 Main Profile / Main Level",
	"1.2.840.10008.1.2.4.101":   "MPEG2 Main Profile / High Level",
	"1.2.840.10008.1.2.4.102":   "MPEG-4 AVC/H.264 High Profile / Level 4.1",
	"1.2.840.10008.1.2.4.103":   "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1",
	"1.2.840.10008.1.2.4.104":   "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video",
	"1.2.840.10008.1.2.4.105":   "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video",
	"1.2.840.10008.1.2.4.106":   "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2",
	"1.2.840.10008.1.2.4.107":   "HEVC/H.265 Main Profile / Level 5.1",
	"1.2.840.10008.1.2.4.108":   "HEVC/H.265 Main 10 Profile / Level 5.1",
	"1.2.840.10008.1.2.4.201":   "High-Throughput JPEG 2000 (Lossless Only)",
	"1.2.840.10008.1.2.4.202":   "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)",
	"1.2.840.10008.1.2.4.203":   "High-Throughput JPEG 2000",
	"1.2.840.10008.1.2.5":       "RLE Lossless",
	"1.2.840.10008.1.2.6.1":     "RFC 2557 MIME encapsulation",
	"1.2.840.10008.1.2.6.2":     "XML Encoding",
	"1.2.840.10008.1.2.7.1":     "SMPTE ST 2110-20 Uncompressed Progressive Active Video",
	"1.2.840.10008.1.2.7.2":     "SMPTE ST 2110-20 Uncompressed Interlaced Active Video",
	"1.2.840.10008.1.2.7.3":     "SMPTE ST 2110-30 PCM Digital Audio",
	"1.2.840.113619.5.2":        "GE Implicit VR Big Endian (private)",
	"1.3.46.670589.33.1.4.1":    "Philips Private (CT/MR)",
	"1.2.840.10008.1.2.4.100.1": "Fragmentable MPEG2 Main Profile / Main Level",
}

// uidRLELossless is the RLE Lossless transfer syntax (PS3.5 Annex G).
const uidRLELossless = "1.2.840.10008.1.2.5"

// describeSyntax renders a transfer syntax UID with its name, e.g.
// "1.2.840.10008.1.2.5 (RLE Lossless)", or "… (not a transfer syntax of PS3.6)".
func describeSyntax(ts string) string {
	if n, ok := knownSyntaxNames[ts]; ok {
		return fmt.Sprintf("%s (%s)", ts, n)
	}
	return fmt.Sprintf("%q (not a transfer syntax listed in DICOM PS3.6)", ts)
}

// readsNatively reports whether this package decodes pixel data of transfer syntax
// ts itself, streaming frame by frame.
func readsNatively(ts string) bool {
	switch ts {
	case uidImplicitLE, uidExplicitLE, uidExplicitBE, uidJPEGBaseline, uidRLELossless:
		return true
	}
	return false
}

// supportedSyntaxes is the list given in refusals.
const supportedSyntaxes = "Implicit VR Little Endian, Explicit VR Little/Big Endian, JPEG Baseline 1.2.840.10008.1.2.4.50 or RLE Lossless 1.2.840.10008.1.2.5"
