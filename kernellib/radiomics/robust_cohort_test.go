package radiomics

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
)

// TestCohortPerturbed checks the parallel cohort extraction against
// Robustness, the serial computation over a list of cases, on the whole
// small cohort and on a subset of it.
func TestCohortPerturbed(t *testing.T) {
	c := smallCohort(t)
	o := TableOptions{Workers: 3}
	var calls int
	pt, err := CohortPerturbed(c, nil, o, nil, func(done, total int) { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	if calls != len(c.Patients) || len(pt.IDs) != len(c.Patients) || len(pt.Perturbations) != len(DefaultPerturbations()) {
		t.Fatalf("progress %d, ids %d, perturbations %d", calls, len(pt.IDs), len(pt.Perturbations))
	}
	var cases []Case
	for _, p := range c.Patients {
		cs, err := PatientCase(p, o)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, cs)
	}
	check := func(ids []string, cs []Case) {
		t.Helper()
		got, err := pt.ICC(ids)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Robustness(cs, DefaultSettings(), DefaultPerturbations())
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d features, Robustness gives %d", len(got), len(want))
		}
		for f := range want {
			if got[f].Key != want[f].Key || got[f].Defined != want[f].Defined || math.Abs(got[f].ICC-want[f].ICC) > 1e-12 {
				t.Errorf("%s: ICC %v (defined %v), Robustness %s %v (%v)", got[f].Key, got[f].ICC, got[f].Defined, want[f].Key, want[f].ICC, want[f].Defined)
			}
		}
	}
	check(nil, cases)
	sub := []int{5, 0, 2, 7}
	var ids []string
	var cs []Case
	for _, i := range sub {
		ids = append(ids, c.Patients[i].ID)
		cs = append(cs, cases[i])
	}
	check(ids, cs)

	// Extracting only the subset gives the same ICCs, on one worker.
	ps, err := CohortPerturbed(c, sub, TableOptions{Workers: 1}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := pt.ICC(ids)
	b, err := ps.ICC(nil)
	if err != nil {
		t.Fatal(err)
	}
	for f := range a {
		if a[f].Key != b[f].Key || a[f].ICC != b[f].ICC || a[f].Defined != b[f].Defined {
			t.Errorf("%s: ICC %v with the whole cohort extracted, %v with the subset on one worker", a[f].Key, a[f].ICC, b[f].ICC)
		}
	}

	// ICCTable marks as robust exactly what RobustFeatures keeps.
	iccs, _ := pt.ICC(nil)
	df := ICCTable(iccs, DefaultICCThreshold)
	keep := map[string]bool{}
	for _, k := range RobustFeatures(iccs, DefaultICCThreshold) {
		keep[k] = true
	}
	rob := df.Col("robust").Records()
	for i, k := range df.Col("feature").Records() {
		if (rob[i] == "true") != keep[k] {
			t.Errorf("%s: robust %s, RobustFeatures %v", k, rob[i], keep[k])
		}
	}
	if df.Nrow() != len(iccs) || len(keep) == 0 || len(keep) == len(iccs) {
		t.Errorf("%d rows for %d features, %d robust", df.Nrow(), len(iccs), len(keep))
	}

	for _, cc := range []struct {
		ids  []string
		want string
	}{
		{[]string{c.Patients[0].ID, "nobody"}, "nobody"},
		{[]string{c.Patients[0].ID, c.Patients[0].ID}, "twice"},
		{[]string{c.Patients[0].ID}, "at least 2"},
	} {
		if _, err := pt.ICC(cc.ids); err == nil || !strings.Contains(err.Error(), cc.want) {
			t.Errorf("ICC(%v): %v, want an error containing %q", cc.ids, err, cc.want)
		}
	}
}

func TestCohortPerturbedErrors(t *testing.T) {
	c := smallCohort(t)
	// Erosion by 40 pixels empties every lesion of a 64-pixel field.
	_, err := CohortPerturbed(c, []int{0, 1}, TableOptions{}, []Perturbation{{Name: "erode 40", Grow: -40}}, nil)
	if err == nil || !strings.Contains(err.Error(), "erode 40") || !strings.Contains(err.Error(), c.Patients[0].ID) {
		t.Errorf("emptying erosion: %v", err)
	}
	if _, err := CohortPerturbed(c, []int{0, 99}, TableOptions{}, nil, nil); err == nil {
		t.Error("index out of range: no error")
	}
	if _, err := CohortPerturbed(c, []int{}, TableOptions{}, nil, nil); err == nil {
		t.Error("no patients: no error")
	}
	if _, err := CohortPerturbed(c, nil, TableOptions{}, []Perturbation{}, nil); err == nil {
		t.Error("no perturbations: no error")
	}
	if _, err := CohortPerturbed(&cohort.Cohort{}, nil, TableOptions{}, nil, nil); err == nil {
		t.Error("empty cohort: no error")
	}
}

// ExamplePerturbed_ICC keeps the features of a small synthetic cohort
// whose ICC(3,1) under mask perturbations is at least 0.75.
func ExamplePerturbed_ICC() {
	c, err := exampleCohort()
	if err != nil {
		fmt.Println(err)
		return
	}
	pt, err := CohortPerturbed(c, nil, TableOptions{}, nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	iccs, err := pt.ICC(nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	robust := RobustFeatures(iccs, DefaultICCThreshold)
	fmt.Println(len(pt.Perturbations), "perturbations;", len(robust) > 0 && len(robust) < len(iccs))
	// Output:
	// 8 perturbations; true
}
