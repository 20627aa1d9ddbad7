package nb

import (
	"bytes"
	"fmt"
	"image"
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
