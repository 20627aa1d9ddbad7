package plots

import (
	"strings"

	"golang.org/x/text/encoding/charmap"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgpdf"
)

// pdfCanvas is gonum's PDF canvas with its text encoded for the PDF's
// font: vgpdf (v0.17) embeds TrueType fonts with the Windows-1252
// (WinAnsi) encoding but passes Go's UTF-8 strings on unchanged, so that
// every non-ASCII character (the en dash of "0.05–0.95", the minus of
// "1 − specificity") prints as two or three wrong glyphs ("âˆ’").
// FillString re-encodes the text first (pdfText).
type pdfCanvas struct{ *vgpdf.Canvas }

// FillString draws s, re-encoded by pdfText.
func (c pdfCanvas) FillString(f font.Face, pt vg.Point, s string) {
	c.Canvas.FillString(f, pt, pdfText(s))
}

// pdfSubstitutes are the characters figures use that Windows-1252 lacks,
// with what stands in for them: the minus sign becomes the en dash (the
// same length in Liberation), Greek letters and relations their names.
var pdfSubstitutes = map[rune]string{
	'−': "–", '≥': ">=", '≤': "<=", '≈': "~",
	'α': "alpha", 'β': "beta", 'χ': "chi", 'Δ': "Delta", 'ε': "e", 'κ': "kappa",
	'μ': "µ", 'σ': "sigma", 'τ': "tau", '√': "sqrt", '∞': "inf",
}

// pdfText encodes s in Windows-1252, the PDF fonts' encoding: characters
// of that code page map to their byte, others to their pdfSubstitutes
// entry, and any other to "?".
func pdfText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 {
			b.WriteRune(r)
			continue
		}
		if sub, ok := pdfSubstitutes[r]; ok {
			b.WriteString(pdfText(sub))
			continue
		}
		if c, ok := charmap.Windows1252.EncodeRune(r); ok {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('?')
	}
	return b.String()
}
