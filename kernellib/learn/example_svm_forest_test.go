package learn_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ceusrad/ceusrad/kernellib/learn"
)

// exampleData draws n rows of p standard-normal features; the case
// probability is the logistic of 2·x0 − 1.5·x1.
func exampleData(n, p int, seed uint64) ([][]float64, []bool) {
	rng := rand.New(rand.NewPCG(seed, 1))
	X := make([][]float64, n)
	y := make([]bool, n)
	for i := range X {
		X[i] = make([]float64, p)
		for j := range X[i] {
			X[i][j] = rng.NormFloat64()
		}
		y[i] = rng.Float64() < 1/(1+math.Exp(-(2*X[i][0]-1.5*X[i][1])))
	}
	return X, y
}

// A linear SVM on standardised features: the weight vector, the intercept
// and Platt-scaled probabilities for two new patients.
func ExampleSVM() {
	X, y := exampleData(120, 3, 1)
	m, err := learn.SVM{Kernel: learn.Linear, C: 1, Seed: 1}.FitSVM(X, y)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("w = (%.2f, %.2f, %.2f), b = %.2f, %d support vectors\n",
		m.W[0], m.W[1], m.W[2], m.B, len(m.Support))
	newRows := [][]float64{{0.5, -0.5, 0}, {-0.5, 0.5, 0}}
	f, _ := m.DecisionFunction(newRows)
	p, _ := m.PredictProba(newRows)
	fmt.Printf("f = %.2f, %.2f\n", f[0], f[1])
	fmt.Printf("P(case) = %.2f, %.2f\n", p[0], p[1])
	// Output:
	// w = (1.71, -1.27, -0.01), b = 0.14, 48 support vectors
	// f = 1.63, -1.35
	// P(case) = 0.87, 0.14
}

// A random forest: out-of-bag accuracy and the most important feature by
// mean decrease in Gini impurity.
func ExampleRandomForest() {
	X, y := exampleData(200, 6, 2)
	m, err := learn.RandomForest{Trees: 300, Seed: 1}.FitForest(X, y)
	if err != nil {
		fmt.Println(err)
		return
	}
	imp := m.ImpurityImportance()
	best := 0
	for j, v := range imp {
		if v > imp[best] {
			best = j
		}
	}
	fmt.Printf("OOB accuracy %.2f\n", m.OOBAccuracy())
	fmt.Printf("most important feature: x%d (%.2f)\n", best, imp[best])
	// Output:
	// OOB accuracy 0.81
	// most important feature: x0 (0.39)
}
