package study

import (
	"fmt"

	"github.com/go-gota/gota/dataframe"
)

// TransportTable sets each model's external validation (external, the
// frozen models on another cohort: Validate) beside its internal validation
// (internal, the study's own validation split), for the models both hold:
// discrimination (AUC with its DeLong CI), calibration-in-the-large and
// slope (Steyerberg, Clinical Prediction Models, 2019, ch. 15: a shift of
// the intercept alone is calibration drift from another case mix or
// outcome rate, a slope below 1 weaker discrimination or overfitting), and
// sensitivity and specificity at the threshold fixed in training (Debray
// et al., J Clin Epidemiol 68:279, 2015, on telling case mix from model
// invalidity in external validation).
func TransportTable(internal, external *Comparison) dataframe.DataFrame {
	cols := []string{"model", "AUC internal (95% CI)", "AUC external (95% CI)", "in-the-large internal", "in-the-large external",
		"slope internal", "slope external", "sens/spec internal", "sens/spec external"}
	in := map[string]ModelResult{}
	for _, m := range internal.Models {
		in[m.Name] = m
	}
	auc := func(m ModelResult) string { return fmt.Sprintf("%s (%s)", f3(m.AUC), ci(m.CIDeLong)) }
	ss := func(m ModelResult) string {
		return fmt.Sprintf("%s / %s", f3(m.Metrics.Sensitivity.Est), f3(m.Metrics.Specificity.Est))
	}
	var rows [][]string
	for _, e := range external.Models {
		i, ok := in[e.Name]
		if !ok {
			continue
		}
		rows = append(rows, []string{e.Name, auc(i), auc(e), f3(i.Recalibration.InTheLarge.Est), f3(e.Recalibration.InTheLarge.Est),
			f3(i.Recalibration.Slope.Est), f3(e.Recalibration.Slope.Est), ss(i), ss(e)})
	}
	return frame(cols, rows)
}
