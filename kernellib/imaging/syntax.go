package imaging

import (
	"fmt"
	"sort"
)

// SyntaxHandling says how this package decodes the pixel data of a DICOM transfer
// syntax.
type SyntaxHandling string

// The ways a transfer syntax is decoded.
const (
	// SyntaxNative: uncompressed pixel data, read in place frame by frame (PS3.5 8.1, 8.2).
	SyntaxNative SyntaxHandling = "native"
	// SyntaxJPEGBaseline: encapsulated JPEG process 1 frames, decoded by Go's image/jpeg.
	SyntaxJPEGBaseline SyntaxHandling = "jpeg-baseline"
	// SyntaxRLE: encapsulated DICOM RLE frames (PS3.5 Annex G), decoded in Go.
	SyntaxRLE SyntaxHandling = "rle"
	// SyntaxTranscode: GDCM's gdcmconv --raw writes a temporary native copy, which is
	// then streamed (see transcodeNative); needs Debian's libgdcm-tools.
	SyntaxTranscode SyntaxHandling = "transcode"
	// SyntaxUnsupported: refused with a message that names the syntax.
	SyntaxUnsupported SyntaxHandling = "unsupported"
)

// TransferSyntax is one entry of the transfer syntax table.
type TransferSyntax struct {
	UID  string
	Name string // as in DICOM PS3.6 Annex A (Table A-1), without "Default Transfer Syntax for ..."
	// Handling is how this package decodes it.
	Handling SyntaxHandling
	// Lossy is true when the syntax can hold lossy-compressed pixel data (JPEG lossy
	// processes, JPEG-LS near-lossless, JPEG 2000 irreversible, video); the pixels may
	// then differ slightly between decoders.
	Lossy bool
	// Retired is true for syntaxes PS3.6 lists as retired.
	Retired bool
}

// transferSyntaxes is DICOM PS3.6 Annex A, Table A-1 (UID Values, type Transfer
// Syntax), with the names of PS3.6; PS3.5 Annex A describes each encoding. The names
// of the UIDs pydicom knows are checked against its dictionary by
// TestTransferSyntaxNamesMatchPydicom.
var transferSyntaxes = func() map[string]TransferSyntax {
	const (
		nat = SyntaxNative
		tr  = SyntaxTranscode
		no  = SyntaxUnsupported
	)
	rows := []TransferSyntax{
		{"1.2.840.10008.1.2", "Implicit VR Little Endian", nat, false, false},
		{"1.2.840.10008.1.2.1", "Explicit VR Little Endian", nat, false, false},
		{"1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian", no, false, false},
		{"1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", tr, false, false},
		{"1.2.840.10008.1.2.2", "Explicit VR Big Endian", nat, false, true},
		{"1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", SyntaxJPEGBaseline, true, false},
		{"1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 and 4)", tr, true, false},
		{"1.2.840.10008.1.2.4.52", "JPEG Extended (Process 3 and 5)", no, true, true},
		{"1.2.840.10008.1.2.4.53", "JPEG Spectral Selection, Non-Hierarchical (Process 6 and 8)", no, true, true},
		{"1.2.840.10008.1.2.4.54", "JPEG Spectral Selection, Non-Hierarchical (Process 7 and 9)", no, true, true},
		{"1.2.840.10008.1.2.4.55", "JPEG Full Progression, Non-Hierarchical (Process 10 and 12)", no, true, true},
		{"1.2.840.10008.1.2.4.56", "JPEG Full Progression, Non-Hierarchical (Process 11 and 13)", no, true, true},
		{"1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", tr, false, false},
		{"1.2.840.10008.1.2.4.58", "JPEG Lossless, Non-Hierarchical (Process 15)", no, false, true},
		{"1.2.840.10008.1.2.4.59", "JPEG Extended, Hierarchical (Process 16 and 18)", no, true, true},
		{"1.2.840.10008.1.2.4.60", "JPEG Extended, Hierarchical (Process 17 and 19)", no, true, true},
		{"1.2.840.10008.1.2.4.61", "JPEG Spectral Selection, Hierarchical (Process 20 and 22)", no, true, true},
		{"1.2.840.10008.1.2.4.62", "JPEG Spectral Selection, Hierarchical (Process 21 and 23)", no, true, true},
		{"1.2.840.10008.1.2.4.63", "JPEG Full Progression, Hierarchical (Process 24 and 26)", no, true, true},
		{"1.2.840.10008.1.2.4.64", "JPEG Full Progression, Hierarchical (Process 25 and 27)", no, true, true},
		{"1.2.840.10008.1.2.4.65", "JPEG Lossless, Hierarchical (Process 28)", no, false, true},
		{"1.2.840.10008.1.2.4.66", "JPEG Lossless, Hierarchical (Process 29)", no, false, true},
		{"1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", tr, false, false},
		{"1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression", tr, false, false},
		{"1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression", tr, true, false},
		{"1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", tr, false, false},
		{"1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", tr, true, false},
		// Part 2 multi-component: GDCM knows the UIDs, but no test file exercises them here.
		{"1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)", no, false, false},
		{"1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression", no, true, false},
		{"1.2.840.10008.1.2.4.94", "JPIP Referenced", no, false, false},
		{"1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate", no, false, false},
		{"1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level", no, true, false},
		{"1.2.840.10008.1.2.4.100.1", "Fragmentable MPEG2 Main Profile / Main Level", no, true, false},
		{"1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level", no, true, false},
		{"1.2.840.10008.1.2.4.101.1", "Fragmentable MPEG2 Main Profile / High Level", no, true, false},
		{"1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1", no, true, false},
		{"1.2.840.10008.1.2.4.102.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1", no, true, false},
		{"1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", no, true, false},
		{"1.2.840.10008.1.2.4.103.1", "Fragmentable MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", no, true, false},
		{"1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", no, true, false},
		{"1.2.840.10008.1.2.4.104.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", no, true, false},
		{"1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video", no, true, false},
		{"1.2.840.10008.1.2.4.105.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video", no, true, false},
		{"1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2", no, true, false},
		{"1.2.840.10008.1.2.4.106.1", "Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2", no, true, false},
		{"1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1", no, true, false},
		{"1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1", no, true, false},
		{"1.2.840.10008.1.2.4.110", "JPEG XL Lossless", no, false, false},
		{"1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression", no, true, false},
		{"1.2.840.10008.1.2.4.112", "JPEG XL", no, true, false},
		{"1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)", no, false, false},
		{"1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)", no, false, false},
		{"1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression", no, true, false},
		{"1.2.840.10008.1.2.4.204", "JPIP HTJ2K Referenced", no, false, false},
		{"1.2.840.10008.1.2.4.205", "JPIP HTJ2K Referenced Deflate", no, false, false},
		{"1.2.840.10008.1.2.5", "RLE Lossless", SyntaxRLE, false, false},
		{"1.2.840.10008.1.2.6.1", "RFC 2557 MIME encapsulation", no, false, true},
		{"1.2.840.10008.1.2.6.2", "XML Encoding", no, false, true},
		{"1.2.840.10008.1.2.7.1", "SMPTE ST 2110-20 Uncompressed Progressive Active Video", no, false, false},
		{"1.2.840.10008.1.2.7.2", "SMPTE ST 2110-20 Uncompressed Interlaced Active Video", no, false, false},
		{"1.2.840.10008.1.2.7.3", "SMPTE ST 2110-30 PCM Digital Audio", no, false, false},
		{"1.2.840.10008.1.2.8.1", "Deflated Image Frame Compression", no, false, false},
		{"1.2.840.10008.1.20", "Papyrus 3 Implicit VR Little Endian", no, false, true},
	}
	m := make(map[string]TransferSyntax, len(rows))
	for _, r := range rows {
		m[r.UID] = r
	}
	return m
}()

// TransferSyntaxName returns the PS3.6 name of a transfer syntax UID, such as "RLE
// Lossless" for 1.2.840.10008.1.2.5, or "" when the UID is not a transfer syntax of
// PS3.6 Table A-1 (private or mistyped).
func TransferSyntaxName(uid string) string {
	return transferSyntaxes[uid].Name
}

// TransferSyntaxHandling says how this package decodes pixel data in the transfer
// syntax uid; SyntaxUnsupported for unknown UIDs.
func TransferSyntaxHandling(uid string) SyntaxHandling {
	if ts, ok := transferSyntaxes[uid]; ok {
		return ts.Handling
	}
	return SyntaxUnsupported
}

// TransferSyntaxes lists the known transfer syntaxes in UID order (numerically by
// component), for documentation and for `ceusrad cine -info`.
func TransferSyntaxes() []TransferSyntax {
	out := make([]TransferSyntax, 0, len(transferSyntaxes))
	for _, ts := range transferSyntaxes {
		out = append(out, ts)
	}
	sort.Slice(out, func(i, j int) bool { return uidLess(out[i].UID, out[j].UID) })
	return out
}

// uidLess orders dotted UIDs component by component, numerically.
func uidLess(a, b string) bool {
	for a != "" && b != "" {
		ca, ra := cutDot(a)
		cb, rb := cutDot(b)
		if len(ca) != len(cb) {
			return len(ca) < len(cb)
		}
		if ca != cb {
			return ca < cb
		}
		a, b = ra, rb
	}
	return a == "" && b != ""
}

func cutDot(s string) (head, rest string) {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// syntaxLabel names a transfer syntax for messages: "UID (name)", or "UID (unknown
// transfer syntax)" when it is not in PS3.6.
func syntaxLabel(uid string) string {
	if n := TransferSyntaxName(uid); n != "" {
		return uid + " (" + n + ")"
	}
	return fmt.Sprintf("%q (unknown transfer syntax)", uid)
}

// syntaxLossy reports whether uid can hold lossy-compressed pixel data.
func syntaxLossy(uid string) bool { return transferSyntaxes[uid].Lossy }

// needsTranscode reports whether pixel data in transfer syntax uid is decoded by
// transcoding the file with GDCM (transcodeNative) rather than in Go.
func needsTranscode(uid string) bool { return TransferSyntaxHandling(uid) == SyntaxTranscode }
