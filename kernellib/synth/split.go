package synth

import "math"

// PaperTrain and PaperN are the training-cohort size and the cohort size of
// Liu et al. (Eur Radiol 2020): 89 of 130 patients trained the models, 41
// validated them.
const (
	PaperTrain = 89
	PaperN     = 130
)

// Split returns a stratified random train/validation split of the patients
// whose outcomes are response (true = OR): true marks a training patient.
// The training set has round(n·89/130) patients (89 of 130, the paper's
// split), of whom round(n_OR·n_train/n) are responders, so the OR rate is the
// same in both sets up to rounding. Within each outcome the training
// patients are the first of a Fisher–Yates shuffle (Durstenfeld 1964) drawn
// from seed.
func Split(response []bool, seed uint64) []bool {
	n := len(response)
	train := make([]bool, n)
	if n == 0 {
		return train
	}
	nTrain := int(math.Round(float64(n) * PaperTrain / PaperN))
	var or, nr []int
	for i, y := range response {
		if y {
			or = append(or, i)
		} else {
			nr = append(nr, i)
		}
	}
	orTrain := int(math.Round(float64(len(or)) * float64(nTrain) / float64(n)))
	nrTrain := min(nTrain-orTrain, len(nr))
	r := newRNG(seed, streamSplit, 0)
	for _, g := range []struct {
		idx []int
		k   int
	}{{or, orTrain}, {nr, nrTrain}} {
		for i := len(g.idx) - 1; i > 0; i-- {
			j := r.IntN(i + 1)
			g.idx[i], g.idx[j] = g.idx[j], g.idx[i]
		}
		for _, i := range g.idx[:g.k] {
			train[i] = true
		}
	}
	return train
}
