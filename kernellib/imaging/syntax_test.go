package imaging

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTransferSyntaxNamesMatchPydicom checks the table against pydicom's UID dictionary
// (pydicom/_uid_dict.py, generated from DICOM PS3.6): every transfer syntax pydicom
// knows is in the table, under the same name. Skips when /usr/bin/python3 or pydicom is
// missing (Debian: python3-pydicom).
func TestTransferSyntaxNamesMatchPydicom(t *testing.T) {
	const script = `
import json
from pydicom._uid_dict import UID_dictionary as d
print(json.dumps({k: [v[0], v[3]] for k, v in d.items() if v[1] == "Transfer Syntax"}))
`
	out, err := exec.Command("/usr/bin/python3", "-c", script).Output()
	if err != nil {
		t.Skipf("pydicom's UID dictionary is not available (/usr/bin/python3 with python3-pydicom): %v", err)
	}
	var ref map[string][2]string // UID -> name, "Retired" or ""
	if err := json.Unmarshal(out, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref) < 30 {
		t.Fatalf("pydicom lists only %d transfer syntaxes", len(ref))
	}
	for uid, v := range ref {
		ts, ok := transferSyntaxes[uid]
		if !ok {
			t.Errorf("%s (%s) is missing from the table", uid, v[0])
			continue
		}
		if ts.Name != v[0] {
			t.Errorf("%s: name %q, pydicom says %q", uid, ts.Name, v[0])
		}
		if ts.Retired != (v[1] == "Retired") {
			t.Errorf("%s: retired %v, pydicom says %q", uid, ts.Retired, v[1])
		}
	}
}

func TestTransferSyntaxHandling(t *testing.T) {
	for _, c := range []struct {
		uid  string
		h    SyntaxHandling
		name string
	}{
		{"1.2.840.10008.1.2", SyntaxNative, "Implicit VR Little Endian"},
		{"1.2.840.10008.1.2.1", SyntaxNative, "Explicit VR Little Endian"},
		{"1.2.840.10008.1.2.2", SyntaxNative, "Explicit VR Big Endian"},
		{"1.2.840.10008.1.2.4.50", SyntaxJPEGBaseline, "JPEG Baseline (Process 1)"},
		{"1.2.840.10008.1.2.5", SyntaxRLE, "RLE Lossless"},
		{"1.2.840.10008.1.2.1.99", SyntaxTranscode, "Deflated Explicit VR Little Endian"},
		{"1.2.840.10008.1.2.4.51", SyntaxTranscode, "JPEG Extended (Process 2 and 4)"},
		{"1.2.840.10008.1.2.4.57", SyntaxTranscode, "JPEG Lossless, Non-Hierarchical (Process 14)"},
		{"1.2.840.10008.1.2.4.70", SyntaxTranscode, "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])"},
		{"1.2.840.10008.1.2.4.80", SyntaxTranscode, "JPEG-LS Lossless Image Compression"},
		{"1.2.840.10008.1.2.4.81", SyntaxTranscode, "JPEG-LS Lossy (Near-Lossless) Image Compression"},
		{"1.2.840.10008.1.2.4.90", SyntaxTranscode, "JPEG 2000 Image Compression (Lossless Only)"},
		{"1.2.840.10008.1.2.4.91", SyntaxTranscode, "JPEG 2000 Image Compression"},
		{"1.2.840.10008.1.2.4.102", SyntaxUnsupported, "MPEG-4 AVC/H.264 High Profile / Level 4.1"},
		{"1.2.840.10008.1.2.4.201", SyntaxUnsupported, "High-Throughput JPEG 2000 Image Compression (Lossless Only)"},
		{"1.2.3.4", SyntaxUnsupported, ""},
		{"", SyntaxUnsupported, ""},
	} {
		if got := TransferSyntaxHandling(c.uid); got != c.h {
			t.Errorf("TransferSyntaxHandling(%q) = %q, want %q", c.uid, got, c.h)
		}
		if got := TransferSyntaxName(c.uid); got != c.name {
			t.Errorf("TransferSyntaxName(%q) = %q, want %q", c.uid, got, c.name)
		}
		if got := needsTranscode(c.uid); got != (c.h == SyntaxTranscode) {
			t.Errorf("needsTranscode(%q) = %v", c.uid, got)
		}
	}
	if !syntaxLossy("1.2.840.10008.1.2.4.91") || syntaxLossy("1.2.840.10008.1.2.4.90") || syntaxLossy("1.2.840.10008.1.2.4.70") {
		t.Error("lossy flags of JPEG 2000 / JPEG Lossless are wrong")
	}
	if got := syntaxLabel("1.2.840.10008.1.2.5"); got != "1.2.840.10008.1.2.5 (RLE Lossless)" {
		t.Errorf("syntaxLabel = %q", got)
	}
	if got := syntaxLabel("1.2.3"); got != `"1.2.3" (unknown transfer syntax)` {
		t.Errorf("syntaxLabel = %q", got)
	}
}

func TestTransferSyntaxesOrdered(t *testing.T) {
	all := TransferSyntaxes()
	if len(all) != len(transferSyntaxes) {
		t.Fatalf("%d entries, table has %d", len(all), len(transferSyntaxes))
	}
	for i, ts := range all {
		if ts.Name == "" || !strings.HasPrefix(ts.UID, "1.2.840.10008.1.") {
			t.Errorf("entry %d: %+v", i, ts)
		}
		if i > 0 && !uidLess(all[i-1].UID, ts.UID) {
			t.Errorf("%s listed before %s", all[i-1].UID, ts.UID)
		}
	}
	if all[0].UID != "1.2.840.10008.1.2" || all[1].UID != "1.2.840.10008.1.2.1" {
		t.Errorf("first entries %s, %s", all[0].UID, all[1].UID)
	}
	for _, c := range [][2]string{{"1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.100"}, {"1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.100.1"}, {"1.2", "1.2.1"}} {
		if !uidLess(c[0], c[1]) || uidLess(c[1], c[0]) {
			t.Errorf("uidLess(%s, %s) wrong", c[0], c[1])
		}
	}
}

// TestTransferSyntaxOf reads the syntax of every DICOM fixture, as make_fixtures.py
// recorded it with pydicom, and refuses damaged meta groups.
func TestTransferSyntaxOf(t *testing.T) {
	fx := loadFixtures(t)
	n := 0
	for _, f := range fx.Fixtures {
		if f.TransferSyntax == "" {
			continue
		}
		b, err := os.ReadFile(filepath.Join("testdata", f.File))
		if err != nil {
			t.Fatal(err)
		}
		got, err := transferSyntaxOf(bytes.NewReader(b), int64(len(b)))
		if err != nil || got != f.TransferSyntax {
			t.Errorf("%s: %q, %v; want %s", f.File, got, err, f.TransferSyntax)
		}
		n++
		// Cut inside the meta group: an error, never a panic.
		for _, cut := range []int{100, 131, 140, 150, 200} {
			if _, err := transferSyntaxOf(bytes.NewReader(b[:cut]), int64(cut)); err == nil {
				t.Errorf("%s cut at %d: no error", f.File, cut)
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d DICOM fixtures", n)
	}
}

// FuzzTransferSyntaxOf: no panic and a bounded result on arbitrary input.
func FuzzTransferSyntaxOf(f *testing.F) {
	f.Add(readFixture(f, "dicom/go_written.dcm"))
	f.Add(readFixture(f, "dicom/dcmtk_gray16_bigendian.dcm"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, err := transferSyntaxOf(bytes.NewReader(data), int64(len(data)))
		if err == nil && len(ts) > 64 {
			t.Fatalf("UID of %d bytes", len(ts))
		}
	})
}

// TestReadmeEncodingsTable: datasets/README.md lists exactly the transfer syntaxes
// this package decodes, with their PS3.6 names and who decodes them.
func TestReadmeEncodingsTable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "datasets", "README.md"))
	if err != nil {
		t.Skip(err)
	}
	by := map[SyntaxHandling]string{SyntaxNative: "ceusrad (native)", SyntaxRLE: "ceusrad (native)",
		SyntaxJPEGBaseline: "ceusrad (Go's image/jpeg)", SyntaxTranscode: "GDCM"}
	want := map[string]bool{}
	for _, ts := range TransferSyntaxes() {
		if ts.Handling != SyntaxUnsupported {
			want[fmt.Sprintf("| %s | %s | %s |", ts.UID, ts.Name, by[ts.Handling])] = true
		}
	}
	got := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "| 1.2.840.10008.") {
			got[line] = true
		}
	}
	for l := range want {
		if !got[l] {
			t.Errorf("datasets/README.md lacks the row %s", l)
		}
	}
	for l := range got {
		if !want[l] {
			t.Errorf("datasets/README.md has the row %s, which the syntax table does not support", l)
		}
	}
}
