package study

import (
	"image"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/learn"
	"github.com/ceusrad/ceusrad/kernellib/radiomics"
)

// writeSecondReader writes, for the patients of c at idx, a second reader's
// lesion mask — the first reader's after p — as masks/<id>_lesion_2.png,
// and sets their lesion_mask_2.
func writeSecondReader(t testing.TB, c *cohort.Cohort, idx []int, p radiomics.Perturbation) {
	t.Helper()
	for _, i := range idx {
		pt := &c.Patients[i]
		m, err := imaging.ReadMask(pt.LesionMask)
		if err != nil {
			t.Fatal(err)
		}
		m2 := radiomics.PerturbMask(m, p)
		img := image.NewGray(image.Rect(0, 0, m2.Width, m2.Height))
		for k, on := range m2.Data {
			if on {
				img.Pix[k] = 255
			}
		}
		pt.LesionMask2 = filepath.Join(filepath.Dir(pt.LesionMask), pt.ID+"_lesion_2.png")
		if err := imaging.WritePNG(pt.LesionMask2, img); err != nil {
			t.Fatal(err)
		}
	}
}

// threeInFour returns the indices i < n with i % 4 ≠ 3: the patients a
// second reader re-draws.
func threeInFour(n int) []int {
	var idx []int
	for i := 0; i < n; i++ {
		if i%4 != 3 {
			idx = append(idx, i)
		}
	}
	return idx
}

// readerICCOf returns feature's agreement in a.
func readerICCOf(t testing.TB, a []ReaderICC, feature string) ReaderICC {
	t.Helper()
	for _, r := range a {
		if r.Feature == feature {
			return r
		}
	}
	t.Fatalf("no feature %s", feature)
	return ReaderICC{}
}

// TestInterReaderAgreement: the second reader's masks are the first's
// dilated by one pixel, for 12 of 16 patients. The analysis uses those 12;
// the first reader's values are those of the study's own tables; the mean
// intensity (of the B-mode lesion and of its TIC's peak) agrees well, while
// fragile features (the intensity variance, the variance of zone sizes)
// agree less than "good".
func TestInterReaderAgreement(t *testing.T) {
	c := smallCohort(t, 16)
	idx := threeInFour(len(c.Patients))
	writeSecondReader(t, c, idx, radiomics.Perturbation{Name: "dilate 1", Grow: 1})
	ir, err := InterReaderAgreement(c, []string{RBModeName, RTICName, ClinicalName}, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ir.IDs) != 12 || ir.IDs[0] != c.Patients[0].ID || ir.IDs[3] != c.Patients[4].ID || ir.Level != 0.95 {
		t.Fatalf("IDs %v, level %g: want the 12 patients with lesion_mask_2", ir.IDs, ir.Level)
	}
	if !slices.Equal(ir.Models, []string{RTICName, RBModeName}) {
		t.Errorf("models %v", ir.Models)
	}
	full, err := RBModeFeatures(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	const mean = "intensity_statistics/mean_intensity"
	want := full.Col(mean).Float()[4]
	if got := ir.Tables[RBModeName][0].Col(mean).Float()[3]; got != want {
		t.Errorf("first reader's %s of %s = %g, the study's table %g", mean, c.Patients[4].ID, got, want)
	}
	if got := ir.Tables[RBModeName][1].Col(mean).Float()[3]; got == want {
		t.Errorf("second reader's %s equals the first's: lesion_mask_2 not used", mean)
	}
	b := ir.ICC[RBModeName]
	m := readerICCOf(t, b, mean)
	t.Logf("R-BMode %s: ICC %.3f [%.3f, %.3f]", mean, m.ICC, m.CI[0], m.CI[1])
	if !m.Defined || m.N != 12 || m.ICC < 0.9 || !(m.CI[0] < m.ICC && m.ICC < m.CI[1]) {
		t.Errorf("%s: %+v, want ICC ≥ 0.9 over 12 patients inside its CI", mean, m)
	}
	// The rim's pixels, darker or brighter than the lesion's, move the
	// spread of the intensities and the zones' sizes.
	for _, f := range []string{"intensity_statistics/intensity_variance", "glszm/zone_size_variance [2D]"} {
		r := readerICCOf(t, b, f)
		t.Logf("R-BMode %s: ICC %.3f [%.3f, %.3f]", f, r.ICC, r.CI[0], r.CI[1])
		if !(r.ICC < 0.75) {
			t.Errorf("%s: ICC %.3f, want below 0.75 (less than good, Koo & Li 2016)", f, r.ICC)
		}
	}
	low := 0
	for _, r := range b {
		if r.Defined && r.ICC < 0.75 {
			low++
		}
	}
	if low < len(b)/10 {
		t.Errorf("%d of %d features with ICC below 0.75: want the fragile ones, at least a tenth", low, len(b))
	}
	pe := readerICCOf(t, ir.ICC[RTICName], "lesion_mf_pe")
	t.Logf("R-TIC lesion_mf_pe: ICC %.3f [%.3f, %.3f]", pe.ICC, pe.CI[0], pe.CI[1])
	if !pe.Defined || pe.ICC < 0.9 {
		t.Errorf("R-TIC lesion_mf_pe: %+v, want ICC ≥ 0.9", pe)
	}
	// The agreement is radiomics.ICC21CI of the two columns.
	x := make([][]float64, 12)
	for i := range x {
		x[i] = []float64{ir.Tables[RBModeName][0].Col(mean).Float()[i], ir.Tables[RBModeName][1].Col(mean).Float()[i]}
	}
	if a, _ := radiomics.ICC21CI(x, 0.95); a.ICC != m.ICC || a.CI != m.CI {
		t.Errorf("ICC21CI gives %+v, the analysis %+v", a, m)
	}
	recs := ir.Table().Records()
	if len(recs) != 1+len(b)+len(ir.ICC[RTICName]) || !slices.Equal(recs[0], []string{"model", "feature", "n_patients", "icc", "ci_lower", "ci_upper"}) || recs[1][0] != RTICName {
		t.Errorf("table header %v, %d rows", recs[0], len(recs)-1)
	}
}

// TestInterReaderNone: a cohort without lesion_mask_2 has no inter-reader
// analysis (and the study no inter_reader section), one with a single such
// patient is an error, and MinReaderICC without second-reader tables too.
func TestInterReaderNone(t *testing.T) {
	c, feats := ticToy(t, 30)
	if a, b := ReaderCohorts(c); a != nil || b != nil {
		t.Errorf("ReaderCohorts without lesion_mask_2: %v %v", a, b)
	}
	ir, err := InterReaderAgreement(c, []string{RTICName}, 0, nil)
	if ir != nil || err != nil {
		t.Errorf("InterReaderAgreement without lesion_mask_2: %v, %v", ir, err)
	}
	s := &Study{}
	if s.resultInterReader() != nil {
		t.Error("results have an inter_reader section without the analysis")
	}
	if _, err := NewInterReader([]string{"Aa"}, []string{RTICName}, nil, 0); err == nil || !strings.Contains(err.Error(), "at least 2 patients with lesion_mask_2, got 1") {
		t.Errorf("one patient: %v", err)
	}
	if _, err := RTIC(c, feats, RTICOptions{MinReaderICC: 0.75, Candidates: DefaultRTICCandidates()[1:2], Repeats: 1}); err == nil || !strings.Contains(err.Error(), "needs the second reader's feature tables") {
		t.Errorf("MinReaderICC without readers: %v", err)
	}
}

// secondReaderTable returns feats with f1 and f2 re-measured by a second
// reader: on the training patients f1 agrees closely and f2 not at all; on
// the validation patients the reverse, f1 wildly off.
func secondReaderTable(c *cohort.Cohort, feats dataframe.DataFrame) dataframe.DataFrame {
	r := rand.New(rand.NewPCG(3, 4))
	split := map[string]string{}
	for _, p := range c.Patients {
		split[p.ID] = p.Split
	}
	ids := feats.Col(cohort.ColPatientID).Records()
	var ss []series.Series
	for _, n := range feats.Names() {
		col := feats.Col(n)
		if n != "f1" && n != "f2" {
			ss = append(ss, col.Copy())
			continue
		}
		v := col.Float()
		for i, id := range ids {
			train := split[id] == cohort.SplitTrain
			switch {
			case n == "f1" && train, n == "f2" && !train:
				v[i] += 0.05 * r.NormFloat64()
			case n == "f1":
				v[i] = -20 * v[i]
			default:
				v[i] = 3 * r.NormFloat64()
			}
		}
		ss = append(ss, series.New(v, series.Float, n))
	}
	return dataframe.New(ss...)
}

// TestReaderFilterTrainingOnly: the inter-reader filter is chosen on the
// training patients only. f1 agrees on them and disagrees badly on the
// validation patients (its ICC over all patients is poor), f2 the reverse:
// the filter keeps f1 and drops f2, which it would not do if it saw the
// validation patients. Its ICCs are those over the training patients.
func TestReaderFilterTrainingOnly(t *testing.T) {
	c, feats := ticToy(t, 60)
	ids := make([]string, len(c.Patients))
	var ntrain int
	for i, p := range c.Patients {
		ids[i] = p.ID
		if p.Split == cohort.SplitTrain {
			ntrain++
		}
	}
	r2 := secondReaderTable(c, feats)
	ir, err := NewInterReader(ids, []string{RTICName, RBModeName}, map[string][2]dataframe.DataFrame{RTICName: {feats, r2}, RBModeName: {feats, r2}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	all1, all2 := readerICCOf(t, ir.ICC[RTICName], "f1"), readerICCOf(t, ir.ICC[RTICName], "f2")
	if all1.ICC > 0.5 || all2.ICC > 0.5 {
		t.Fatalf("over all patients f1 %.3f, f2 %.3f: the test needs both below 0.5", all1.ICC, all2.ICC)
	}
	if r := readerICCOf(t, ir.ICC[RTICName], "f3"); r.ICC != 1 || r.CI != [2]float64{1, 1} {
		t.Errorf("f3, the same for both readers: %+v, want ICC 1, CI [1, 1]", r)
	}
	opt := RTICOptions{Candidates: DefaultRTICCandidates()[1:2], Repeats: 1, Readers: ir}
	base, err := RTIC(c, feats, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.MinReaderICC = 0.75
	r, err := RTIC(c, feats, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(r.Inputs, "f1") || slices.Contains(r.Inputs, "f2") || len(r.Inputs) >= len(base.Inputs) {
		t.Errorf("inputs %v (of %v): want f1 kept and f2 dropped", r.Inputs, base.Inputs)
	}
	tr1 := readerICCOf(t, r.ReaderICC, "f1")
	if tr1.N != ntrain-countMissing(feats, "f1", c, cohort.SplitTrain) || tr1.ICC < 0.95 {
		t.Errorf("f1 over the training patients: %+v, want ICC ≥ 0.95 over %d patients", tr1, ntrain)
	}
	if pm, ok := r.Model.(*learn.PipelineModel); !ok || !slices.Equal(pm.Names, r.Inputs) {
		t.Errorf("fitted model %T: want a pipeline on %v", r.Model, r.Inputs)
	}
	// R-BMode's filter (after its ICC filter, here off) the same way.
	bm, err := RBMode(c, feats, RBModeOptions{Features: []string{"f1", "f2", "f5", "f6", "f7", "f8"}, Candidates: DefaultRBModeCandidates()[3:4],
		Repeats: 1, Readers: ir, MinReaderICC: 0.75})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(bm.Robust, "f1") || slices.Contains(bm.Robust, "f2") || readerICCOf(t, bm.ReaderICC, "f1").ICC != tr1.ICC {
		t.Errorf("R-BMode inputs %v: want f1 kept and f2 dropped", bm.Robust)
	}
	// The re-drawn splits choose the filter on their own training patients.
	spec, err := RTICSpec(c, feats, opt)
	if err != nil {
		t.Fatal(err)
	}
	train, valid := cohort.SplitIndices(c.Patients)
	if p, err := spec.Fit(train, valid, 1); err != nil || len(p) != len(valid) {
		t.Errorf("spec on the paper split: %d probabilities, %v", len(p), err)
	}
}

// countMissing is the number of patients of split whose feature is missing.
func countMissing(feats dataframe.DataFrame, f string, c *cohort.Cohort, split string) int {
	in := map[string]bool{}
	for _, p := range c.Patients {
		in[p.ID] = p.Split == split
	}
	n := 0
	for i, id := range feats.Col(cohort.ColPatientID).Records() {
		if v := feats.Col(f).Float()[i]; in[id] && (math.IsNaN(v) || math.IsInf(v, 0)) {
			n++
		}
	}
	return n
}

// TestReaderFilterOffIsOld: with the second reader's tables but the filter
// off, R-TIC and R-BMode are exactly what they were without them.
func TestReaderFilterOffIsOld(t *testing.T) {
	c, feats := ticToy(t, 40)
	ids := make([]string, len(c.Patients))
	for i, p := range c.Patients {
		ids[i] = p.ID
	}
	ir, err := NewInterReader(ids, []string{RTICName, RBModeName}, map[string][2]dataframe.DataFrame{
		RTICName: {feats, secondReaderTable(c, feats)}, RBModeName: {feats, secondReaderTable(c, feats)}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	num := []string{"f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8"}
	a, err := RTIC(c, feats, RTICOptions{Candidates: DefaultRTICCandidates()[1:2], Repeats: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := RTIC(c, feats, RTICOptions{Candidates: DefaultRTICCandidates()[1:2], Repeats: 1, Readers: ir})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.ValidProb, b.ValidProb) || !slices.Equal(a.Inputs, b.Inputs) || b.ReaderICC != nil {
		t.Errorf("R-TIC with readers but the filter off differs")
	}
	clean := feats.Select(append([]string{cohort.ColPatientID}, num...))
	ra, err := RBMode(c, clean, RBModeOptions{Features: num[4:], Candidates: DefaultRBModeCandidates()[3:4], Repeats: 1})
	if err != nil {
		t.Fatal(err)
	}
	rb, err := RBMode(c, clean, RBModeOptions{Features: num[4:], Candidates: DefaultRBModeCandidates()[3:4], Repeats: 1, Readers: ir})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ra.ValidProb, rb.ValidProb) || !slices.Equal(ra.Robust, rb.Robust) || rb.ReaderICC != nil {
		t.Errorf("R-BMode with readers but the filter off differs")
	}
}

// TestStudyInterReader runs a small study whose cohort has second-reader
// masks for 30 of 40 patients, with the inter-reader filter on: results.json
// has the inter_reader section (n_patients 30, per-feature ICC and CI, the
// threshold and the features kept) and options.min_reader_icc, and the run
// writes inter_reader.csv; a stored run without the filter is not reused.
func TestStudyInterReader(t *testing.T) {
	c := smallCohort(t, 40)
	idx := threeInFour(len(c.Patients))
	writeSecondReader(t, c, idx, radiomics.Perturbation{Name: "shift +x", Shift: [3]int{1, 0, 0}})
	dir := t.TempDir()
	opt := RunOptions{Models: []string{RTICName}, Splits: -1, BootReplicates: 200, MinReaderICC: 0.9}
	r, err := LoadOrRun(c, dir, opt, true)
	if err != nil {
		t.Fatal(err)
	}
	ir := r.InterReader
	if ir == nil || ir.NPatients != 30 || ir.MinReaderICC != 0.9 || r.Options.MinReaderICC != 0.9 || len(ir.Models["r_tic"]) == 0 || len(ir.Kept["r_tic"]) == 0 {
		t.Fatalf("inter_reader %+v, options %+v", ir, r.Options)
	}
	if len(ir.Kept["r_tic"]) >= len(ir.Models["r_tic"]) {
		t.Errorf("the filter kept all %d features", len(ir.Kept["r_tic"]))
	}
	for _, f := range ir.Models["r_tic"] {
		if f.NPatients > 30 || (!math.IsNaN(float64(f.ICC)) && !(float64(f.CI[0]) <= float64(f.ICC) && float64(f.ICC) <= float64(f.CI[1]))) {
			t.Errorf("%+v", f)
		}
	}
	if !slices.Contains(r.Files, "inter_reader.csv") || !slices.Contains(r.Files, "inter_reader.md") {
		t.Errorf("files %v lack inter_reader.csv/.md", r.Files)
	}
	opt.MinReaderICC = 0
	loadOrRun(t, c, dir, opt, false, "")
}
