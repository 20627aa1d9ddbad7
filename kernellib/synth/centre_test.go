package synth

import (
	"image"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// TestCentreParamsValidate checks that Validate names each centre field out
// of range, and that CentreParams knows A and B only.
func TestCentreParamsValidate(t *testing.T) {
	for _, c := range []struct {
		field string
		set   func(*Params)
	}{
		{"CEUSGainOffsetDB", func(p *Params) { p.CEUSGainOffsetDB = 31 }},
		{"BModeGainOffsetDB", func(p *Params) { p.BModeGainOffsetDB = math.NaN() }},
		{"ZSizeShift", func(p *Params) { p.ZSizeShift = -3.5 }},
		{"ZAFPShift", func(p *Params) { p.ZAFPShift = math.Inf(1) }},
		{"ZViableShift", func(p *Params) { p.ZViableShift = 4 }},
		{"ZHeteroShift", func(p *Params) { p.ZHeteroShift = 4 }},
		{"Centre", func(p *Params) { p.Centre = "B\n" }},
		{"ZSpread", func(p *Params) { p.ZSpread = -0.8 }},
	} {
		p := SecondCentre()
		c.set(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "Params."+c.field) {
			t.Errorf("%s out of range: error %v", c.field, err)
		}
	}
	if err := SecondCentre().Validate(); err != nil {
		t.Fatal(err)
	}
	if !DefaultParams().IsDefaultCentre() || SecondCentre().IsDefaultCentre() {
		t.Error("IsDefaultCentre: want true for DefaultParams, false for SecondCentre")
	}
	for name, want := range map[string]Params{"": DefaultParams(), "A": DefaultParams(), "B": SecondCentre()} {
		if got, err := CentreParams(name); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("CentreParams(%q) = %+v, %v", name, got, err)
		}
	}
	if _, err := CentreParams("C"); err == nil {
		t.Error("CentreParams(C): no error")
	}
}

// TestCaseMixShift checks the latent shifts: the same seed gives the same
// patients with z moved by exactly the shift, tumour sizes ×exp(0.5·δs)
// (clipping and rounding aside), the same outcome draws, and the responder
// share and Bayes-optimal AUC of SecondCentre's population.
func TestCaseMixShift(t *testing.T) {
	a, err := Generate(DefaultParams(), 200, 7)
	if err != nil {
		t.Fatal(err)
	}
	pb := SecondCentre()
	b, err := Generate(pb, 200, 7)
	if err != nil {
		t.Fatal(err)
	}
	var logRatio float64
	nr := 0
	for i := range a {
		la, lb := a[i].Latent, b[i].Latent
		for k, d := range [][3]float64{{la.ZViable, lb.ZViable, pb.ZViableShift}, {la.ZHetero, lb.ZHetero, pb.ZHeteroShift},
			{la.ZSize, lb.ZSize, pb.ZSizeShift}, {la.ZAFP, lb.ZAFP, pb.ZAFPShift}} {
			if math.Abs(d[1]-d[0]-d[2]) > 1e-12 {
				t.Fatalf("patient %d score %d: %v → %v, want a shift of %v", i, k, d[0], d[1], d[2])
			}
		}
		if b[i].Split != "validation" {
			t.Fatalf("patient %d: split %q, want validation (AllValidation)", i, b[i].Split)
		}
		sa, sb := a[i].Clinical.TumorSizeCM, b[i].Clinical.TumorSizeCM
		if sb < sa {
			t.Errorf("patient %d: size %v cm at B < %v cm at A", i, sb, sa)
		}
		if sa > 2 && sb < 15 {
			logRatio += math.Log(sb / sa)
			nr++
		}
	}
	if got, want := math.Exp(logRatio/float64(nr)), math.Exp(0.5*pb.ZSizeShift); math.Abs(got-want) > 0.01 {
		t.Errorf("geometric mean size ratio B/A %.4f, want %.4f", got, want)
	}
	sa, err := Population(DefaultParams(), 100000, 3)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := Population(pb, 100000, 3)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("OR rate %.3f → %.3f, Bayes AUC %.4f → %.4f", sa.ORRate, sb.ORRate, sa.BayesAUC, sb.BayesAUC)
	// SE of a rate near 0.5 at n = 100000 is 0.0016.
	if math.Abs(sa.ORRate-0.574) > 0.008 || math.Abs(sb.ORRate-0.483) > 0.008 {
		t.Errorf("OR rate A %.3f (want 0.574), B %.3f (want 0.483)", sa.ORRate, sb.ORRate)
	}
	if math.Abs(sa.BayesAUC-sb.BayesAUC) > 0.005 {
		t.Errorf("Bayes AUC A %.4f, B %.4f: a mean shift of the case mix should leave it nearly unchanged", sa.BayesAUC, sb.BayesAUC)
	}
	// A wider case mix: every z scaled by 1.3, the Bayes AUC up by about
	// 0.024 (SE of a difference of AUCs near 0.93 at n = 100000 about 0.001).
	pw := DefaultParams()
	pw.ZSpread = 0.3
	sw, err := Population(pw, 100000, 3)
	if err != nil {
		t.Fatal(err)
	}
	if d := sw.BayesAUC - sa.BayesAUC; d < 0.015 || d > 0.035 {
		t.Errorf("Bayes AUC %.4f at ZSpread 0.3, %.4f at 0: want about 0.024 higher", sw.BayesAUC, sa.BayesAUC)
	}
	w, err := Generate(pw, 20, 7)
	if err != nil {
		t.Fatal(err)
	}
	for i := range w {
		if got, want := w[i].Latent.ZSize, 1.3*a[i].Latent.ZSize; math.Abs(got-want) > 1e-12 {
			t.Fatalf("patient %d: z_s %v at ZSpread 0.3, want %v", i, got, want)
		}
	}
}

// greyDiff returns the differences b−a of the pixels that are clipped in
// neither image (0 < v < 255 in both).
func greyDiff(a, b *image.Gray) []float64 {
	var d []float64
	for i, va := range a.Pix {
		vb := b.Pix[i]
		if va > 0 && va < 255 && vb > 0 && vb < 255 {
			d = append(d, float64(vb)-float64(va))
		}
	}
	return d
}

// TestGainOffset checks that the scanner gain offset moves every unclipped
// grey level of the CEUS frames and the B-mode image by g·255/DR (the log
// compression's b term), ±1 level of rounding, and changes nothing else
// about the patient.
func TestGainOffset(t *testing.T) {
	pa := DefaultParams()
	pa.DurationS = 30
	pb := pa
	pb.CEUSGainOffsetDB, pb.BModeGainOffsetDB = 4, -3
	pts, err := Generate(pa, 3, 11)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pts {
		ia, err := SimulatePatient(pa, &pts[i])
		if err != nil {
			t.Fatal(err)
		}
		ib, err := SimulatePatient(pb, &pts[i])
		if err != nil {
			t.Fatal(err)
		}
		check := func(what string, a, b *image.Gray, g, dr float64) {
			want := g * 255 / dr
			d := greyDiff(a, b)
			if len(d) < len(a.Pix)/4 {
				t.Fatalf("%s: only %d of %d pixels unclipped", what, len(d), len(a.Pix))
			}
			var sum float64
			for _, v := range d {
				if math.Abs(v-want) > 1 {
					t.Fatalf("%s: a pixel moved by %v levels, want %.2f ± 1", what, v, want)
				}
				sum += v
			}
			if m := sum / float64(len(d)); math.Abs(m-want) > 0.1 {
				t.Errorf("%s: mean shift %.3f levels, want %.3f", what, m, want)
			}
		}
		check("B-mode", ia.BMode, ib.BMode, pb.BModeGainOffsetDB, pb.BModeDynamicRangeDB)
		for _, f := range []int{0, 20, len(ia.Cine.Frames) - 1} {
			check("CEUS frame", ia.Cine.Frames[f], ib.Cine.Frames[f], pb.CEUSGainOffsetDB, pb.CEUSDynamicRangeDB)
		}
		if !reflect.DeepEqual(ia.Lesion, ib.Lesion) || !reflect.DeepEqual(ia.Cine.Times, ib.Cine.Times) {
			t.Error("the gain changed the masks or the frame times")
		}
	}
}

// TestSecondCentreCohort writes a small SecondCentre cohort with GOMAXPROCS
// 1 and 4 and checks that the bytes are the same, that SUMMARY.md names the
// centre and its settings, and that a default cohort's SUMMARY.md has no
// centre section.
func TestSecondCentreCohort(t *testing.T) {
	p := SecondCentre()
	p.DurationS = 20
	var runs [2][]string
	var dirs [2]string
	for k, procs := range []int{1, 4} {
		dirs[k] = t.TempDir()
		old := runtime.GOMAXPROCS(procs)
		s, err := WriteCohort(dirs[k], 5, 2, p, nil)
		runtime.GOMAXPROCS(old)
		if err != nil {
			t.Fatal(err)
		}
		if s.NTrain != 0 || s.NValidation != 5 {
			t.Errorf("train %d, validation %d: want 0 and 5", s.NTrain, s.NValidation)
		}
		runs[k] = sha256List(t, dirs[k])
	}
	if !reflect.DeepEqual(runs[0], runs[1]) {
		t.Fatal("GOMAXPROCS 1 and 4 wrote different files")
	}
	sum, err := os.ReadFile(filepath.Join(dirs[0], "SUMMARY.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Centre B", "* CEUSGainOffsetDB: 4", "* ZSizeShift: 0.5", "* FrameRate: 3", "every one in the validation split"} {
		if !strings.Contains(string(sum), want) {
			t.Errorf("SUMMARY.md lacks %q:\n%s", want, sum)
		}
	}
	def := Summary{Params: DefaultParams()}.Markdown()
	if strings.Contains(def, "## Centre") || strings.Contains(def, "GainOffset") {
		t.Errorf("the default centre's SUMMARY.md has centre lines:\n%s", def)
	}
}
