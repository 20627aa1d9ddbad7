package synth_test

import (
	"fmt"
	"log"

	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// A second centre for external validation: the same response model, a
// hotter scanner at 3 frames/s, and a case mix of larger, less viable
// tumours with more AFP, hence fewer responders but the same Bayes-optimal
// AUC.
func ExampleSecondCentre() {
	for _, p := range []synth.Params{synth.DefaultParams(), synth.SecondCentre()} {
		s, err := synth.Population(p, 200000, 1)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("centre %q: gain %+g dB, %g frames/s, size shift %g SD, OR rate %.2f, Bayes AUC %.2f, all validation %v\n",
			p.Centre, p.CEUSGainOffsetDB, p.FrameRate, p.ZSizeShift, s.ORRate, s.BayesAUC, p.AllValidation)
	}
	// Output:
	// centre "": gain +0 dB, 2 frames/s, size shift 0 SD, OR rate 0.57, Bayes AUC 0.93, all validation false
	// centre "B": gain +4 dB, 3 frames/s, size shift 0.5 SD, OR rate 0.48, Bayes AUC 0.93, all validation true
}
