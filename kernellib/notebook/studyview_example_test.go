package notebook_test

import "github.com/ceusrad/ceusrad/kernellib/notebook"

// A cell of the comparison notebook: the study's results are read (or the
// study run), compared once, and each method shows one table or figure.
// The first error is shown once, as the cell's message, and stops the cell.
func ExampleStudy() {
	s := notebook.Study()
	s.AUC().ROC().PR()
	s.Operating().Threshold()
	s.Calibration().DecisionCurves()
	s.Pairs().PaperVsReproduction()
}
