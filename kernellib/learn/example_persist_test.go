package learn_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/ceusrad/ceusrad/kernellib/learn"
)

// Save a fitted radiomics pipeline, load it where another centre's table
// is, and predict: the columns are matched by name, the loaded model gives
// the same probabilities bit for bit, and a table lacking a feature the
// model uses is refused with the feature's name.
func ExampleSaveModel() {
	X, y, names := cohort(120, 8, 5)
	X[4][2] = math.NaN() // a missing value, imputed by the training median
	pl := learn.Pipeline{
		Steps: []learn.Transformer{learn.Standardizer{}, learn.Imputer{Strategy: learn.MedianImpute}, learn.MannWhitneyFilter{K: 3}},
		Model: learn.LogisticCV{Penalty: learn.L2, Folds: 5, Seed: 1},
		Names: names,
	}
	fitted, err := pl.Fit(X[:80], y[:80])
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "model")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "r-bmode.json")
	if err := learn.SaveModel(path, fitted); err != nil {
		fmt.Println(err)
		return
	}

	loaded, err := learn.LoadPipeline(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("model inputs:", loaded.Features())

	// The other centre's table: its columns in another order.
	columns := append([]string{"centre"}, names[4:]...)
	columns = append(columns, names[:4]...)
	table := make([][]float64, 0, 40)
	for _, row := range X[80:] {
		r := append([]float64{2}, row[4:]...)
		table = append(table, append(r, row[:4]...))
	}
	Xnew, err := loaded.SelectColumns(columns, table)
	if err != nil {
		fmt.Println(err)
		return
	}
	got, _ := loaded.PredictProba(Xnew)
	want, _ := fitted.PredictProba(X[80:])
	same := true
	for i := range want {
		same = same && math.Float64bits(got[i]) == math.Float64bits(want[i])
	}
	fmt.Printf("%d patients scored, identical to the fitted model: %v\n", len(got), same)

	// A table needs only the features the model uses.
	fmt.Println("needed:", loaded.NeededFeatures())
	_, err = loaded.ColumnIndex([]string{"glcm_contrast", "shape_sphericity"})
	fmt.Println(err)
	// Output:
	// model inputs: [glcm_contrast firstorder_mean shape_sphericity]
	// 40 patients scored, identical to the fitted model: true
	// needed: [glcm_contrast firstorder_mean shape_sphericity]
	// learn: missing feature: the model needs the feature column(s) "firstorder_mean", which the table lacks
}
