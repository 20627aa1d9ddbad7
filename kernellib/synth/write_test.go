package synth

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"
)

var update = flag.Bool("update", false, "rewrite testdata/default_cohort.sha256")

const checksumFile = "testdata/default_cohort.sha256"

// sha256List returns "hex  relative/path" lines for every file under dir, in
// lexical order of path (the format of sha256sum, so that sha256sum -c
// checks a cohort folder against the list).
func sha256List(t *testing.T, dir string) []string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		lines = append(lines, fmt.Sprintf("%x  %s", sha256.Sum256(b), filepath.ToSlash(rel)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// TestDefaultCohortChecksums regenerates the small default test cohort
// (n = 6, seed 1, DefaultParams) with GOMAXPROCS 1 and with 4, checks that
// both runs write the same bytes, and compares them with the committed
// SHA-256 list (go test -run TestDefaultCohortChecksums -update rewrites
// it). The committed list is for amd64: the last bits of math.Exp and
// math.Log differ between architectures.
func TestDefaultCohortChecksums(t *testing.T) {
	var runs [2][]string
	for k, procs := range []int{1, 4} {
		dir := t.TempDir()
		old := runtime.GOMAXPROCS(procs)
		_, err := WriteCohort(dir, 6, 1, DefaultParams(), nil)
		runtime.GOMAXPROCS(old)
		if err != nil {
			t.Fatal(err)
		}
		runs[k] = sha256List(t, dir)
	}
	if !reflect.DeepEqual(runs[0], runs[1]) {
		t.Fatalf("GOMAXPROCS 1 and 4 wrote different files:\n%s\n--\n%s", strings.Join(runs[0], "\n"), strings.Join(runs[1], "\n"))
	}
	if len(runs[0]) != 3+4*6 {
		t.Fatalf("%d files, want %d", len(runs[0]), 3+4*6)
	}
	got := strings.Join(runs[0], "\n") + "\n"
	if *update {
		if err := os.WriteFile(checksumFile, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if runtime.GOARCH != "amd64" {
		t.Skipf("committed checksums are for amd64, this is %s (the GOMAXPROCS comparison passed)", runtime.GOARCH)
	}
	want, err := os.ReadFile(checksumFile)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("files differ from %s:\ngot\n%s", checksumFile, got)
	}
}

// TestPatientIndependentOfN checks that patient i is the same person in
// cohorts of different sizes, and that simulating twice gives the same
// images.
func TestPatientIndependentOfN(t *testing.T) {
	p := DefaultParams()
	a, err := Generate(p, 10, 42)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(p, 40, 42)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		x, y := a[i], b[i]
		x.Split, y.Split = "", ""
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("patient %d differs between n 10 and n 40", i)
		}
	}
	c1, err := SimulateCine(p, &a[3])
	if err != nil {
		t.Fatal(err)
	}
	c2, err := SimulateCine(p, &b[3])
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c1, c2) {
		t.Fatal("same patient, different cines")
	}
}

// TestWriteCohortFiles checks a written cohort: the manifest's columns and
// rows, the DICOM cines as github.com/suyashkumar/dicom parses them (frame
// count, size, pixels equal to SimulateCine's frames, one Frame Time Vector
// entry per frame), PNG sizes, 0/255 masks, latent.csv and SUMMARY.md, and
// the progress calls.
func TestWriteCohortFiles(t *testing.T) {
	dir := t.TempDir()
	p := DefaultParams()
	p.DurationS = 20
	var calls []int
	s, err := WriteCohort(dir, 3, 5, p, func(done, total int) {
		if total != 3 {
			t.Errorf("progress total %d", total)
		}
		calls = append(calls, done)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(calls, []int{1, 2, 3}) {
		t.Errorf("progress calls %v", calls)
	}
	if s.N != 3 || s.NTrain+s.NValidation != 3 {
		t.Errorf("summary %+v", s)
	}
	rows := readCSV(t, filepath.Join(dir, "cohort.csv"))
	want := "patient_id,response,split,cine,bmode,lesion_mask,liver_mask,frame_rate,injection_offset_s,age,sex,afp,tumor_size_cm,tumor_number,child_pugh,bclc"
	if got := strings.Join(rows[0], ","); got != want {
		t.Fatalf("cohort.csv header\n%s\nwant\n%s", got, want)
	}
	if len(rows) != 4 {
		t.Fatalf("cohort.csv has %d rows", len(rows))
	}
	pts, err := Generate(p, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	nOR := 0
	for i, r := range rows[1:] {
		pt := &pts[i]
		if r[0] != pt.ID || r[1] != responseLabel(pt.Response) || r[2] != pt.Split || r[3] != "cines/"+pt.ID+".dcm" ||
			r[4] != "bmode/"+pt.ID+".png" || r[5] != "masks/"+pt.ID+"_lesion.png" || r[6] != "masks/"+pt.ID+"_liver.png" || r[7] != "2" {
			t.Errorf("row %d: %v", i+1, r)
		}
		if r[1] == "OR" {
			nOR++
		}
		cine, err := SimulateCine(p, pt)
		if err != nil {
			t.Fatal(err)
		}
		checkDICOM(t, filepath.Join(dir, r[3]), cine)
		for k, path := range r[4:7] {
			img := readPNG(t, filepath.Join(dir, path))
			if img.Bounds() != image.Rect(0, 0, p.Width, p.Height) {
				t.Errorf("%s: bounds %v", path, img.Bounds())
			}
			if k > 0 {
				for _, v := range img.Pix {
					if v != 0 && v != 255 {
						t.Fatalf("%s: mask value %d", path, v)
					}
				}
			}
		}
	}
	if nOR != s.NResponders {
		t.Errorf("%d OR rows, summary %d", nOR, s.NResponders)
	}
	lat := readCSV(t, filepath.Join(dir, "latent.csv"))
	if strings.Join(lat[0], ",") != strings.Join(LatentColumns(), ",") || len(lat) != 4 {
		t.Errorf("latent.csv: header %v, %d rows", lat[0], len(lat))
	}
	sum, err := os.ReadFile(filepath.Join(dir, "SUMMARY.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(sum), SummaryMarker+"\n") || !strings.Contains(string(sum), "simulated") || !strings.Contains(string(sum), "seed: 5") {
		t.Errorf("SUMMARY.md:\n%s", sum)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(bufio.NewReader(f)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func readPNG(t *testing.T, path string) *image.Gray {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	g, ok := img.(*image.Gray)
	if !ok {
		t.Fatalf("%s: %T, want 8-bit grey", path, img)
	}
	return g
}

// checkDICOM parses path with github.com/suyashkumar/dicom and compares it
// with the cine it should hold.
func checkDICOM(t *testing.T, path string, c *Cine) {
	t.Helper()
	ds, err := dicom.ParseFile(path, nil)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	get := func(tg tag.Tag) dicom.Value {
		e, err := ds.FindElementByTag(tg)
		if err != nil {
			t.Fatalf("%s: %v: %v", path, tg, err)
		}
		return e.Value
	}
	if n := dicom.MustGetStrings(get(tag.NumberOfFrames)); len(n) != 1 || n[0] != fmt.Sprint(len(c.Frames)) {
		t.Errorf("%s: NumberOfFrames %v, want %d", path, n, len(c.Frames))
	}
	if ftv := dicom.MustGetStrings(get(tag.FrameTimeVector)); len(ftv) != len(c.Frames) {
		t.Errorf("%s: Frame Time Vector of %d entries, want %d", path, len(ftv), len(c.Frames))
	}
	info := dicom.MustGetPixelDataInfo(get(tag.PixelData))
	if len(info.Frames) != len(c.Frames) {
		t.Fatalf("%s: %d frames, want %d", path, len(info.Frames), len(c.Frames))
	}
	for k, f := range info.Frames {
		nf := f.NativeData
		if nf.Rows() != c.Frames[k].Rect.Dy() || nf.Cols() != c.Frames[k].Rect.Dx() {
			t.Fatalf("%s: frame %d is %d×%d", path, k, nf.Cols(), nf.Rows())
		}
		raw, ok := nf.RawDataSlice().([]uint8)
		if !ok || !bytes.Equal(raw, c.Frames[k].Pix) {
			t.Fatalf("%s: frame %d pixels differ from SimulateCine", path, k)
		}
	}
}

// TestWriteCohortOverwrite checks the folder rules: a folder with other
// content is refused and left untouched; a previous synth output is
// replaced, files of patients no longer in the cohort included; a previous
// output with a foreign file is refused.
func TestWriteCohortOverwrite(t *testing.T) {
	p := DefaultParams()
	p.DurationS = 12
	dir := t.TempDir()
	mine := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(mine, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteCohort(dir, 2, 1, p, nil); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("foreign folder: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("foreign folder changed: %d entries", len(entries))
	}

	out := filepath.Join(dir, "cohort")
	if _, err := WriteCohort(out, 3, 1, p, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteCohort(out, 2, 1, p, nil); err != nil {
		t.Fatalf("overwriting a previous output: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "cines", "P003.dcm")); err == nil {
		t.Error("P003.dcm of the previous, larger cohort is still there")
	}
	if got := len(sha256List(t, out)); got != 3+4*2 {
		t.Errorf("%d files after overwrite, want %d", got, 3+4*2)
	}
	stray := filepath.Join(out, "masks", "extra.png")
	if err := os.WriteFile(stray, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteCohort(out, 2, 1, p, nil); err == nil || !strings.Contains(err.Error(), "extra.png") {
		t.Fatalf("previous output with a foreign file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "cohort.csv")); err != nil {
		t.Error("refused overwrite removed files")
	}
}
