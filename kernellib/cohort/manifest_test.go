package cohort

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-gota/gota/series"
)

// writeFiles creates empty files (and folders, for names ending in /) under
// dir.
func writeFiles(t testing.TB, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if strings.HasSuffix(n, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func writeManifest(t testing.TB, dir, text string) string {
	t.Helper()
	p := filepath.Join(dir, "cohort.csv")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadGood(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "c/p1.dcm", "b/p1.png", "m/p1.png", "m/p1_liver.nii.gz",
		"c/p2/", "b/p2.png", "m/p2.png")
	abs := filepath.Join(dir, "b", "p2.png")
	text := "\ufeffPatient_ID, Response ,split,cine,bmode,lesion_mask,liver_mask,frame_rate,injection_offset_s,age,sex,afp\n" +
		"p1,OR,train,c/p1.dcm,b/p1.png,m/p1.png,m/p1_liver.nii.gz,,2.5,61,M,120.5\n" +
		"\n" + // blank lines are ignored
		"p2,NR,validation,c/p2,\"" + abs + "\",m/p2.png,NA,8,,47,F,NA\n"
	path := writeManifest(t, dir, text)
	c, err := ReadFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Patients) != 2 {
		t.Fatalf("%d patients, want 2", len(c.Patients))
	}
	if want := []string{"patient_id", "response", "split", "cine", "bmode", "lesion_mask", "liver_mask", "frame_rate", "injection_offset_s", "age", "sex", "afp"}; !slices.Equal(c.Columns, want) {
		t.Errorf("columns %q, want %q", c.Columns, want)
	}
	if want := []string{"age", "sex", "afp"}; !slices.Equal(c.Clinical, want) {
		t.Errorf("clinical %q, want %q", c.Clinical, want)
	}
	p1, p2 := c.Patients[0], c.Patients[1]
	if p1.ID != "p1" || !p1.OR() || p1.Split != SplitTrain || p1.Row != 1 || p1.Line != 2 {
		t.Errorf("patient 1 = %+v", p1)
	}
	if p2.ID != "p2" || p2.OR() || p2.Split != SplitValidation || p2.Row != 2 || p2.Line != 4 {
		t.Errorf("patient 2 = %+v", p2)
	}
	if p1.Cine != filepath.Join(dir, "c", "p1.dcm") || p1.LiverMask != filepath.Join(dir, "m", "p1_liver.nii.gz") {
		t.Errorf("patient 1 paths %q %q", p1.Cine, p1.LiverMask)
	}
	if p2.BMode != abs || p2.LiverMask != "" || p2.FrameRate != 8 || !math.IsNaN(p2.InjectionOffset) {
		t.Errorf("patient 2: bmode %q liver %q frame rate %g offset %g", p2.BMode, p2.LiverMask, p2.FrameRate, p2.InjectionOffset)
	}
	if p1.FrameRate != 0 || p1.InjectionOffset != 2.5 {
		t.Errorf("patient 1: frame rate %g offset %g", p1.FrameRate, p1.InjectionOffset)
	}
	if v, err := p1.Number("afp"); err != nil || v != 120.5 {
		t.Errorf("p1 afp = %g, %v", v, err)
	}
	if v, err := p2.Number("afp"); err != nil || !math.IsNaN(v) {
		t.Errorf("p2 afp = %g, %v; want NaN", v, err)
	}
	if _, err := p1.Number("sex"); err == nil {
		t.Error("Number(sex): no error for text")
	}
	if _, err := p1.Number("bmi"); err == nil {
		t.Error("Number(bmi): no error for an absent column")
	}

	df := c.Frame
	if df.Nrow() != 2 || df.Ncol() != len(c.Columns) {
		t.Fatalf("frame %d×%d", df.Nrow(), df.Ncol())
	}
	if !slices.Equal(df.Names(), c.Columns) {
		t.Errorf("frame columns %q", df.Names())
	}
	for name, typ := range map[string]series.Type{"patient_id": series.String, "frame_rate": series.Float,
		"injection_offset_s": series.Float, "age": series.Float, "sex": series.String, "afp": series.Float, "liver_mask": series.String} {
		if got := df.Col(name).Type(); got != typ {
			t.Errorf("column %s is %v, want %v", name, got, typ)
		}
	}
	if !df.Col("afp").Elem(1).IsNA() || !df.Col("liver_mask").Elem(1).IsNA() || !df.Col("frame_rate").Elem(0).IsNA() {
		t.Error("missing values are not NA in the frame")
	}
	if got := df.Col("cine").Elem(1).String(); got != filepath.Join(dir, "c", "p2") {
		t.Errorf("frame cine = %q", got)
	}
	if tr, va := SplitIndices(c.Patients); !slices.Equal(tr, []int{0}) || !slices.Equal(va, []int{1}) {
		t.Errorf("SplitIndices = %v %v", tr, va)
	}
	if y := Responses(c.Patients); !slices.Equal(y, []bool{true, false}) {
		t.Errorf("Responses = %v", y)
	}
}

// key identifies a problem for comparison.
func key(p Problem) string { return fmt.Sprintf("%d/%d/%s", p.Line, p.Row, p.Column) }

func problemsOf(t *testing.T, err error) Problems {
	t.Helper()
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error %v (%T) is not Problems", err, err)
	}
	return ps
}

func TestReadReportsEveryProblem(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "c1.dcm", "b1.png", "m1.png", "frames/", "bfolder/")
	text := `patient_id,response,split,cine,bmode,lesion_mask,liver_mask,frame_rate,injection_offset_s,age
p1,OR,train,c1.dcm,b1.png,m1.png,,,,60
p1,PR,test,c1.dcm,b1.png,m1.png,,,,61
,NR,validation,nothere.dcm,b1.png,,,fast,soon,62
p4,NR,train,frames,bfolder,m1.png,gone.png,,,63
p5,OR,train,frames,b1.png,m1.png,,-2,,64
p6,OR,train,c1.dcm,b1.png
p7,NR,validation,c1.dcm,b1.png,m1.png,,Inf,NaN,65
`
	_, err := ReadFile(writeManifest(t, dir, text), nil)
	ps := problemsOf(t, err)
	want := []string{
		"3/2/patient_id", "3/2/response", "3/2/split",
		"4/3/patient_id", "4/3/cine", "4/3/lesion_mask", "4/3/frame_rate", "4/3/injection_offset_s",
		"5/4/bmode", "5/4/liver_mask", "5/4/frame_rate",
		"6/5/frame_rate",
		"7/6/",
		"8/7/frame_rate",
	}
	var got []string
	for _, p := range ps {
		got = append(got, key(p))
		if !strings.HasSuffix(p.File, "cohort.csv") {
			t.Errorf("problem %v does not name the manifest", p)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems\n%s\nwant %q\ngot  %q", err, want, got)
	}
	msg := err.Error()
	for _, s := range []string{"14 problems", `"PR": want OR or NR`, `"test": want train, validation or external`,
		"repeats the identifier of row 1", "nothere.dcm: no such file", "bfolder is a folder", "gone.png: no such file",
		"folder of frames", `"fast"`, `"-2"`, "row 6: 5 fields, want 10", `"Inf"`} {
		if !strings.Contains(msg, s) {
			t.Errorf("error does not say %q:\n%s", s, msg)
		}
	}
}

func TestReadHeaderProblems(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, text string
		want       []string
	}{
		{"empty", "", []string{"0/0/"}},
		{"header only", "patient_id,response,split,cine,bmode,lesion_mask\n", []string{"0/0/"}},
		{"missing columns", "patient_id,split,cine,age,age,\n", []string{
			"1/0/age", "1/0/", "1/0/response", "1/0/bmode", "1/0/lesion_mask"}},
		{"syntax", "patient_id,response,split,cine,bmode,lesion_mask\np1,\"OR,train\n", []string{"2/0/"}},
		{"bare quote", "patient_id,response,split,cine,bmode,lesion_mask\np1,O\"R,train,a,b,c\n", []string{"2/0/"}},
	}
	for _, tc := range cases {
		_, err := Read(strings.NewReader(tc.text), "m.csv", dir, &Options{Stat: everyFileExists})
		ps := problemsOf(t, err)
		var got []string
		for _, p := range ps {
			got = append(got, key(p))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: problems %q, want %q\n%v", tc.name, got, tc.want, err)
		}
	}
}

func TestReadCheckHook(t *testing.T) {
	text := "patient_id,response,split,cine,bmode,lesion_mask\n" +
		"p1,OR,train,a.dcm,a.png,am.png\n" +
		"p2,XX,train,b.dcm,b.png,bm.png\n" +
		"p3,NR,validation,c.dcm,c.png,cm.png\n"
	var seen []string
	check := func(p Patient) []error {
		seen = append(seen, p.ID)
		if p.ID == "p3" {
			return []error{
				&FieldError{Column: ColCine, Err: fmt.Errorf("%s: 3 frames, header says 90", p.Cine)},
				fmt.Errorf("mask size differs from %s", p.BMode),
			}
		}
		return nil
	}
	_, err := Read(strings.NewReader(text), "m.csv", "/data", &Options{Stat: everyFileExists, Check: check})
	ps := problemsOf(t, err)
	if !slices.Equal(seen, []string{"p1", "p3"}) {
		t.Errorf("Check saw %q, want p1 and p3 (not the bad row)", seen)
	}
	var got []string
	for _, p := range ps {
		got = append(got, key(p))
	}
	if want := []string{"3/2/response", "4/3/cine", "4/3/"}; !slices.Equal(got, want) {
		t.Errorf("problems %q, want %q", got, want)
	}
	if !strings.Contains(ps[1].Error(), "/data/c.dcm: 3 frames") {
		t.Errorf("checker problem %q does not carry the message", ps[1].Error())
	}
	var fe *FieldError
	if !errors.As(error(&FieldError{Column: "x", Err: os.ErrNotExist}), &fe) || !errors.Is(fe, os.ErrNotExist) {
		t.Error("FieldError does not unwrap")
	}
}

func TestReadFileMissing(t *testing.T) {
	_, err := ReadFile(filepath.Join(t.TempDir(), "none.csv"), nil)
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want not-exist", err)
	}
}

func TestProblemError(t *testing.T) {
	p := Problem{File: "a.csv", Line: 3, Row: 2, Column: "split", Msg: "bad"}
	if got, want := p.Error(), "a.csv:3: row 2, column split: bad"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	p = Problem{File: "a.csv", Msg: "empty"}
	if got, want := p.Error(), "a.csv: empty"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got := (Problems{p, p}).Error(); !strings.HasPrefix(got, "2 problems") || strings.Count(got, "\n") != 2 {
		t.Errorf("Problems.Error = %q", got)
	}
}

func TestIsMissing(t *testing.T) {
	for _, s := range []string{"", " ", "NA", "na", "N/A", "NaN", "nan", "."} {
		if !IsMissing(s) {
			t.Errorf("IsMissing(%q) = false", s)
		}
	}
	for _, s := range []string{"0", "none", "-", "M", "NAN1"} {
		if IsMissing(s) {
			t.Errorf("IsMissing(%q) = true", s)
		}
	}
}

func TestTrainingPatients(t *testing.T) {
	ps := []Patient{{ID: "a", Split: SplitTrain, Response: "OR"}, {ID: "b", Split: SplitValidation, Response: "NR"},
		{ID: "c", Split: SplitTrain, Response: "NR"}}
	tr, y := TrainingPatients(ps)
	if len(tr) != 2 || tr[0].ID != "a" || tr[1].ID != "c" || len(y) != 2 || !y[0] || y[1] {
		t.Errorf("training patients %v, outcomes %v", tr, y)
	}
}

// TestSplitExternal: an external cohort's patients are read, and are in
// neither the training nor the validation cohort.
func TestSplitExternal(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"c.dcm", "b.png", "m.png"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, "cohort.csv")
	os.WriteFile(p, []byte("patient_id,response,split,cine,bmode,lesion_mask\nE1,OR,external,c.dcm,b.png,m.png\nE2,NR,external,c.dcm,b.png,m.png\n"), 0o644)
	c, err := ReadFile(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tr, va := SplitIndices(c.Patients); len(tr) != 0 || len(va) != 0 || c.Patients[0].Split != SplitExternal {
		t.Errorf("train %v, validation %v, split %q", tr, va, c.Patients[0].Split)
	}
}
