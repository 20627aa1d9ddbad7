package synth_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// The default cohort: 130 patients with the paper's 89/41 split, the
// responders among them, and the best AUC any model could expect.
func ExampleGenerate() {
	pts, err := synth.Generate(synth.DefaultParams(), 130, 1)
	if err != nil {
		log.Fatal(err)
	}
	nOR, nTrain := 0, 0
	for _, pt := range pts {
		if pt.Response {
			nOR++
		}
		if pt.Split == "train" {
			nTrain++
		}
	}
	p := pts[0]
	fmt.Printf("%d patients, %d train, %d OR, Bayes AUC %.3f\n", len(pts), nTrain, nOR, synth.BayesAUC(pts))
	fmt.Printf("%s: %s, %d y, %.1f cm, AFP %.1f ng/mL, viable %.2f, heterogeneity %.2f, P(OR) %.2f\n",
		p.ID, p.Clinical.Sex, p.Clinical.Age, p.Clinical.TumorSizeCM, p.Clinical.AFP,
		p.Latent.ViableFraction, p.Latent.Heterogeneity, p.Latent.ProbOR)
	// Output:
	// 130 patients, 89 train, 85 OR, Bayes AUC 0.915
	// P001: F, 49 y, 4.3 cm, AFP 51.0 ng/mL, viable 0.79, heterogeneity 0.24, P(OR) 0.96
}

// The lognormal indicator-dilution curve rises from the arrival t0 to its
// peak 1 at t0 + tp and washes out slowly.
func ExampleLognormalBolus() {
	for _, t := range []float64{10, 12, 17, 30, 60, 120} {
		fmt.Printf("t = %3.0f s: %.3f\n", t, synth.LognormalBolus(t, 10, 7, 0.45))
	}
	// Output:
	// t =  10 s: 0.000
	// t =  12 s: 0.021
	// t =  17 s: 1.000
	// t =  30 s: 0.066
	// t =  60 s: 0.000
	// t = 120 s: 0.000
}

// The tissue curves of one patient: the tumour peaks early in the arterial
// phase, the liver later, and the tumour washes out below the liver.
func ExampleKinetics_TissueCurves() {
	pts, err := synth.Generate(synth.DefaultParams(), 1, 1)
	if err != nil {
		log.Fatal(err)
	}
	k := pts[0].Kinetics
	for _, tau := range []float64{10, 20, 30, 45, 60, 90, 120} {
		v, n, r, l := k.TissueCurves(tau)
		fmt.Printf("τ = %3.0f s: tumour %.2f  necrosis %.2f  rim %.2f  liver %.2f\n", tau, v, n, r, l)
	}
	// Output:
	// τ =  10 s: tumour 0.00  necrosis 0.00  rim 0.00  liver 0.00
	// τ =  20 s: tumour 2.21  necrosis 0.00  rim 0.02  liver 0.28
	// τ =  30 s: tumour 1.10  necrosis 0.00  rim 0.29  liver 0.79
	// τ =  45 s: tumour 0.78  necrosis 0.00  rim 0.50  liver 1.00
	// τ =  60 s: tumour 0.54  necrosis 0.00  rim 0.50  liver 0.91
	// τ =  90 s: tumour 0.26  necrosis 0.00  rim 0.37  liver 0.63
	// τ = 120 s: tumour 0.13  necrosis 0.00  rim 0.25  liver 0.43
}

// One patient's images in memory.
func ExampleSimulatePatient() {
	p := synth.DefaultParams()
	pts, err := synth.Generate(p, 1, 1)
	if err != nil {
		log.Fatal(err)
	}
	im, err := synth.SimulatePatient(p, &pts[0])
	if err != nil {
		log.Fatal(err)
	}
	c := im.Cine
	fmt.Printf("cine: %d frames of %v over %.0f s, injection at %.2f s, %.3f mm/pixel\n",
		len(c.Frames), c.Frames[0].Bounds().Size(), c.Times[len(c.Times)-1], c.InjectionOffsetS, c.PixelSpacingMM)
	fmt.Printf("B-mode %v, lesion mask %v\n", im.BMode.Bounds().Size(), im.Lesion.Bounds().Size())
	// Output:
	// cine: 261 frames of (128,128) over 130 s, injection at 5.61 s, 0.591 mm/pixel
	// B-mode (128,128), lesion mask (128,128)
}

// A small cohort folder in the real formats.
func ExampleWriteCohort() {
	dir, err := os.MkdirTemp("", "synth")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	p := synth.DefaultParams()
	p.DurationS = 30 // a short cine keeps the example quick
	s, err := synth.WriteCohort(filepath.Join(dir, "cohort"), 4, 1, p, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d patients (%d train), %d OR\n", s.N, s.NTrain, s.NResponders)
	entries, _ := os.ReadDir(filepath.Join(dir, "cohort"))
	for _, e := range entries {
		fmt.Println(e.Name())
	}
	// Output:
	// 4 patients (3 train), 3 OR
	// SUMMARY.md
	// bmode
	// cines
	// cohort.csv
	// latent.csv
	// masks
}

// The population the default parameters describe.
func ExamplePopulation() {
	ps, err := synth.Population(synth.DefaultParams(), synth.PopulationN, synth.PopulationSeed)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("OR rate %.3f, Bayes AUC %.3f, cine ceiling %.3f, viable fraction alone %.3f\n",
		ps.ORRate, ps.BayesAUC, ps.AUCCine, ps.AUCViable)
	// Output:
	// OR rate 0.574, Bayes AUC 0.929, cine ceiling 0.917, viable fraction alone 0.779
}
