package imaging

// uidRLELossless is the RLE Lossless transfer syntax (PS3.5 Annex G).
const uidRLELossless = "1.2.840.10008.1.2.5"

// readsNatively reports whether this package decodes pixel data of transfer syntax
// ts itself, streaming frame by frame.
func readsNatively(ts string) bool {
	switch TransferSyntaxHandling(ts) {
	case SyntaxNative, SyntaxJPEGBaseline, SyntaxRLE:
		return true
	}
	return false
}

// supportedSyntaxes is the list given in refusals.
const supportedSyntaxes = "Implicit VR Little Endian, Explicit VR Little/Big Endian, JPEG Baseline 1.2.840.10008.1.2.4.50 or RLE Lossless 1.2.840.10008.1.2.5; JPEG Lossless, JPEG Extended, JPEG-LS, JPEG 2000 and Deflated through GDCM"
