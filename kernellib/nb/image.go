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
	if img == nil {
		return fmt.Errorf("nb: nil image")
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return fmt.Errorf("nb: encoding PNG: %w", err)
	}
	Current().PNG(buf.Bytes(), 0, 0)
	return nil
}
