package radiomics

import (
	"errors"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// FuzzExtract builds small 2D and 3D images and masks from the input and checks that
// Extract either returns one of its documented errors or finite features, and never
// panics.
func FuzzExtract(f *testing.F) {
	f.Add([]byte{4, 3, 1, 0, 9, 200, 7, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13})
	f.Add([]byte{2, 2, 2, 1, 255, 255, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})
	f.Add([]byte{6, 5, 1, 2, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 5 {
			return
		}
		nx, ny, nz := 1+int(b[0])%7, 1+int(b[1])%7, 1+int(b[2])%4
		mode := int(b[3]) % 3
		b = b[4:]
		n := nx * ny * nz
		img := &imaging.Volume{Nx: nx, Ny: ny, Nz: nz, Spacing: [3]float64{1, 0.5 + float64(b[0]%3)/2, 2}, Data: make([]float64, n)}
		m := &imaging.Mask{Width: nx, Height: ny, Depth: nz, Data: make([]bool, n)}
		for i := 0; i < n; i++ {
			v := b[i%len(b)]
			img.Data[i] = float64(v>>1) + 1
			m.Data[i] = v&1 == 1 || v > 200
		}
		s := DefaultSettings()
		switch mode {
		case 0:
			s.Discretisation = Discretisation{Method: FixedBinNumber, Bins: 1 + int(b[0])%16}
		case 1:
			s.Discretisation = Discretisation{Method: FixedBinSize, Width: 1 + float64(b[0]%20)}
		case 2:
			s.Discretisation = Discretisation{Method: Identity}
		}
		fs, err := Extract(img, m, s)
		if err != nil {
			if !errors.Is(err, ErrEmptyMask) && !errors.Is(err, ErrTooSmall) && !errors.Is(err, ErrInput) {
				t.Fatalf("undocumented error: %v", err)
			}
			return
		}
		if err := checkFinite(fs); err != nil {
			t.Fatal(err)
		}
	})
}
