package study

import (
	"slices"
	"strings"
	"testing"
)

// TestSummaryFewSplits: below MinQuantileSplits the robustness tables list
// every split's value and count the shares; from it on they print the
// type-7 quantiles and the SD.
func TestSummaryFewSplits(t *testing.T) {
	r := &Robustness{Models: []string{"A", "B"}, AUC: [][]float64{{0.81, 0.84}, {0.80, 0.86}}, Splits: 2, Alpha: 0.05,
		Pairs: []RobustPair{{A: "A", B: "B", AHigher: 0.5, Significant: 0, SigHolm: 0, MedianDiff: -0.005}}}
	tb := r.Table().Records()
	if slices.Contains(tb[0], "2.5%") || slices.Contains(tb[0], "SD") || !slices.Contains(tb[0], "AUC on each split") {
		t.Errorf("2 splits: columns %v", tb[0])
	}
	if tb[1][0] != "A" || tb[1][2] != "0.810, 0.840" || tb[1][3] != "0.825" || tb[2][2] != "0.800, 0.860" {
		t.Errorf("2 splits: rows %v", tb[1:])
	}
	pt := r.PairTable().Records()
	if slices.Contains(pt[0], "2.5%") || pt[1][2] != "1 of 2" || pt[1][3] != "0.010, -0.020" || pt[1][5] != "0 of 2" {
		t.Errorf("2 splits: pair table %v", pt)
	}

	// 12 splits: 0.70, 0.71, …, 0.81. Type-7 quantiles: h = 0.025·11 =
	// 0.275 → 0.70275; h = 0.975·11 = 10.725 → 0.80725 (numpy.quantile,
	// R's quantile(type = 7)); SD of 0.70 + 0.01·k, k = 0…11, is
	// 0.01·√13 = 0.0360555.
	var a, b []float64
	for k := 0; k < 12; k++ {
		a = append(a, 0.70+0.01*float64(k))
		b = append(b, 0.5)
	}
	r = &Robustness{Models: []string{"A", "B"}, AUC: [][]float64{a, b}, Splits: 12, Alpha: 0.05,
		Pairs: []RobustPair{{A: "A", B: "B", AHigher: 1, Significant: 0.75, SigHolm: 0.5, MedianDiff: 0.255, Q025: 0.20275, Q975: 0.31725}}}
	tb = r.Table().Records()
	want := []string{"A", "12", "0.755", "0.703", "0.807", "0.755", "0.036"}
	if !slices.Contains(tb[0], "2.5%") || strings.Join(tb[1], "|") != strings.Join(want, "|") {
		t.Errorf("12 splits: %v, want %v", tb, want)
	}
	pt = r.PairTable().Records()
	if pt[1][2] != "1.000" || pt[1][4] != "0.203" || pt[1][6] != "0.750" {
		t.Errorf("12 splits: pair table %v", pt)
	}
}

// TestSplitsSentence: paper_vs_reproduction.md says how many splits each
// model was retrained on, the CNN's few included.
func TestSplitsSentence(t *testing.T) {
	classic := &Robustness{Models: []string{"Clinical", RTICName, RBModeName}, Splits: 100}
	all := []string{"Clinical", RTICName, RBModeName, "R-DLCEUS"}
	cnn := &Robustness{Models: all, Splits: 2}
	s := splitsSentence(classic, cnn, all)
	for _, w := range []string{"on each of 100 re-drawn", "R-DLCEUS retrained on only 2 re-drawn splits", "lists each split's AUC"} {
		if !strings.Contains(s, w) {
			t.Errorf("with the CNN on 2 splits: %q lacks %q", s, w)
		}
	}
	s = splitsSentence(classic, nil, all)
	if !strings.Contains(s, "R-DLCEUS not retrained") {
		t.Errorf("without the CNN's splits: %q", s)
	}
	s = splitsSentence(classic, &Robustness{Models: all, Splits: 20}, all)
	if !strings.Contains(s, "only 20 re-drawn splits") || strings.Contains(s, "lists each split") {
		t.Errorf("with the CNN on 20 splits: %q", s)
	}
	if s := splitsSentence(classic, nil, classic.Models); strings.Contains(s, "not retrained") {
		t.Errorf("no CNN in the study: %q", s)
	}
}
