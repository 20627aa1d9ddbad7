package imaging

import (
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestExpandSegmentedLUT compares the expansion of segmented palette tables (PS3.3
// C.7.9.2: discrete, linear and indirect segments) with pydicom's
// _expand_segmented_lut, recorded in dicom_codecs.json by make_dicom_codecs.py.
func TestExpandSegmentedLUT(t *testing.T) {
	var fx struct {
		Segmented []struct {
			Bits     int   `json:"bits"`
			Data     []int `json:"data"`
			Expected []int `json:"expected"`
		} `json:"segmented_luts"`
	}
	loadJSON(t, "dicom_codecs.json", &fx)
	if len(fx.Segmented) < 3 {
		t.Fatalf("%d segmented tables", len(fx.Segmented))
	}
	for k, c := range fx.Segmented {
		var raw []byte
		for _, v := range c.Data {
			if c.Bits == 8 {
				raw = append(raw, byte(v))
			} else {
				raw = binary.LittleEndian.AppendUint16(raw, uint16(v))
			}
		}
		got, err := expandSegmentedLUT(raw, c.Bits, binary.LittleEndian, len(c.Expected))
		if err != nil {
			t.Fatalf("table %d: %v", k, err)
		}
		want := make([]uint16, len(c.Expected))
		for i, v := range c.Expected {
			want[i] = uint16(v)
		}
		if !slices.Equal(got, want) {
			t.Errorf("table %d: %v, pydicom %v", k, got, want)
		}
	}
}

// TestSegmentedLUTHostile: tables that loop, overrun or expand without end give an
// error, quickly.
func TestSegmentedLUTHostile(t *testing.T) {
	w := func(v ...int) []byte {
		var b []byte
		for _, x := range v {
			b = binary.LittleEndian.AppendUint16(b, uint16(x))
		}
		return b
	}
	for _, tc := range []struct {
		name string
		raw  []byte
		want string
	}{
		{"self-referencing indirect", w(0, 1, 5, 2, 65535, 0, 0), "nested deeper"},
		{"discrete past the end", w(0, 9, 1, 2), "passes the end"},
		{"linear first", w(1, 4, 9), "first segment is linear"},
		{"unknown opcode", w(0, 1, 5, 7, 1, 1), "unknown type 7"},
		{"too long", w(0, 1, 5, 1, 65535, 9, 1, 65535, 9), "past 65536 entries"},
		{"short", w(0, 2, 5, 6), "expands to 2 entries"},
	} {
		_, err := expandSegmentedLUT(tc.raw, 16, binary.LittleEndian, 4)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want %q", tc.name, err, tc.want)
		}
	}
}

// TestUnpackBits checks the PackBits runs of RLE segments (PS3.5 G.3.1): literal and
// replicate runs, the no-op -128, bytes past the frame ignored, and short data refused.
func TestUnpackBits(t *testing.T) {
	dst := make([]byte, 8)
	// literal 3 bytes, no-op, replicate 0x07 four times, literal 1 byte, then padding.
	if err := unpackBits([]byte{2, 1, 2, 3, 0x80, 0xFD, 7, 0, 9, 0, 0}, dst, 8, 1); err != nil {
		t.Fatal(err)
	}
	if want := []byte{1, 2, 3, 7, 7, 7, 7, 9}; !slices.Equal(dst, want) {
		t.Errorf("%v, want %v", dst, want)
	}
	if err := unpackBits([]byte{0xFD, 7}, dst, 8, 1); err == nil || !strings.Contains(err.Error(), "decodes to 4 bytes, 8 expected") {
		t.Errorf("short segment: %v", err)
	}
	if err := unpackBits([]byte{5, 1, 2}, dst, 8, 1); err == nil || !strings.Contains(err.Error(), "passes the end") {
		t.Errorf("literal run past the end: %v", err)
	}
	// 16-bit samples: segments of most then least significant bytes, little endian out.
	frame := []byte{2, 0, 0, 0, 64, 0, 0, 0, 68, 0, 0, 0}
	frame = append(frame, make([]byte, 64-len(frame))...)
	frame = append(frame, 1, 0x12, 0x34, 0, 0xFF, 0xFF) // MSB: 12 34; LSB: FF FF (with a pad byte)
	out := make([]byte, 4)
	if err := decodeRLEFrame(frame, out, 2, 1, 2); err != nil {
		t.Fatal(err)
	}
	if want := []byte{0xFF, 0x12, 0xFF, 0x34}; !slices.Equal(out, want) {
		t.Errorf("16-bit frame %x, want %x", out, want)
	}
}

func loadJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}
