package nb

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
)

// Image shows img inline as a PNG at its own size in pixels (a montage of
// cine frames, a B-mode image with its mask outlined).
func Image(img image.Image) error {
	b, err := encodePNG(img)
	if err != nil {
		return err
	}
	Current().PNG(b, 0, 0)
	return nil
}

// ImageHTML returns img as an inline PNG <img> element at its own size.
func ImageHTML(img image.Image) (string, error) {
	b, err := encodePNG(img)
	if err != nil {
		return "", err
	}
	r := img.Bounds()
	return pngHTML(b, r.Dx(), r.Dy()), nil
}

func encodePNG(img image.Image) ([]byte, error) {
	if img == nil {
		return nil, fmt.Errorf("nb: nil image")
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("nb: encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// JPEGQuality is the quality ImageJPEGHTML encodes at: a cine frame is
// speckle that PNG compresses poorly, and a slider embeds many of them.
const JPEGQuality = 80

// ImageJPEGHTML returns img as an inline JPEG <img> element at its own size
// (quality JPEGQuality): a slider's cine frames, about a third of their PNG.
func ImageJPEGHTML(img image.Image) (string, error) {
	if img == nil {
		return "", fmt.Errorf("nb: nil image")
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: JPEGQuality}); err != nil {
		return "", fmt.Errorf("nb: encoding JPEG: %w", err)
	}
	r := img.Bounds()
	return fmt.Sprintf(`<img src="data:image/jpeg;base64,%s" width="%d" height="%d"/>`,
		base64.StdEncoding.EncodeToString(buf.Bytes()), r.Dx(), r.Dy()), nil
}
