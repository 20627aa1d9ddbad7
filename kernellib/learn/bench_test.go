package learn

import (
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// benchLassoData returns the data of the side-by-side benchmark: the CSV
// file named by $LEARN_BENCH_CSV (a header row, features then a 0/1 label
// in the last column; bench/lasso_side_by_side.sh writes it), or, without
// it, n × p standard normal features with a logistic outcome of the first
// ten.
func benchLassoData(b *testing.B, n, p int) ([][]float64, []bool) {
	if path := os.Getenv("LEARN_BENCH_CSV"); path != "" {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			b.Fatal(err)
		}
		var X [][]float64
		var y []bool
		for _, rec := range recs[1:] {
			row := make([]float64, len(rec)-1)
			for j := range row {
				if row[j], err = strconv.ParseFloat(rec[j], 64); err != nil {
					b.Fatal(err)
				}
			}
			X = append(X, row)
			y = append(y, rec[len(rec)-1] == "1")
		}
		return X, y
	}
	r := rand.New(rand.NewPCG(2024, 6))
	X := make([][]float64, n)
	y := make([]bool, n)
	for i := range X {
		X[i] = make([]float64, p)
		eta := 0.0
		for j := range X[i] {
			X[i][j] = r.NormFloat64()
			if j < 10 {
				eta += X[i][j]
			}
		}
		y[i] = r.Float64() < 1/(1+math.Exp(-eta))
	}
	return X, y
}

// BenchmarkLassoCV is the target: the LASSO-logistic path (100 λ)
// on 130 × 1,000 features with 10-fold CV (11 path fits), against
// scikit-learn's LogisticRegressionCV(penalty="l1", solver="liblinear",
// Cs=100, cv=10) in bench/lasso_side_by_side.sh. Folds run on GOMAXPROCS
// goroutines (-cpu 1 for one core).
func BenchmarkLassoCV(b *testing.B) {
	X, y := benchLassoData(b, 130, 1000)
	b.ResetTimer()
	for b.Loop() {
		if _, err := (LogisticCV{Penalty: L1, Folds: 10, Seed: 1}).Fit(X, y); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLogisticPath is one LASSO path (100 λ) on 130 × 1,000.
func BenchmarkLogisticPath(b *testing.B) {
	X, y := benchLassoData(b, 130, 1000)
	for b.Loop() {
		if _, err := (LogisticPath{}).Fit(X, y); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRidgeFit is one L2 fit at C = 1 on 130 × 1,000.
func BenchmarkRidgeFit(b *testing.B) {
	X, y := benchLassoData(b, 130, 1000)
	for b.Loop() {
		if _, err := (Logistic{Penalty: L2, C: 1}).Fit(X, y); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSelectors fits each filter on 130 × 1,000.
func BenchmarkSelectors(b *testing.B) {
	X, y := benchLassoData(b, 130, 1000)
	for _, c := range []struct {
		name string
		t    Transformer
	}{
		{"MannWhitney", MannWhitneyFilter{K: 50}},
		{"Correlation", CorrelationFilter{Threshold: 0.8}},
		{"MRMR20", MRMR{K: 20}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := c.t.Fit(X, y); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPipelineCV is a radiomics pipeline (standardise → Mann–Whitney
// top 50 → LASSO with inner 5-fold CV) under 5-fold × 2 outer CV on
// 130 × 1,000.
func BenchmarkPipelineCV(b *testing.B) {
	X, y := benchLassoData(b, 130, 1000)
	pl := Pipeline{Steps: []Transformer{Standardizer{}, MannWhitneyFilter{K: 50}}, Model: LogisticCV{Folds: 5, Seed: 1}}
	for b.Loop() {
		if _, err := CrossValidate(pl, X, y, CVOptions{Folds: 5, Repeats: 2, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
