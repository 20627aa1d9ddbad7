package deep_test

import (
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/deep"
)

// The default input samples 16 frames: half of them in the arterial phase.
func ExampleConfig_SampleTimes() {
	for _, t := range deep.DefaultConfig().SampleTimes() {
		fmt.Printf("%.1f ", t)
	}
	fmt.Println()
	// Output:
	// 11.6 14.7 17.8 20.9 24.1 27.2 30.3 33.4 38.1 44.4 50.6 56.9 67.5 82.5 97.5 112.5
}

// The default network and its size.
func ExampleNewModel() {
	m, err := deep.NewModel(deep.DefaultConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range m.Params {
		fmt.Println(p.Name, p.Shape)
	}
	fmt.Println("parameters:", m.NumParams())
	// Output:
	// block1.conv.weight [8 2 3 3]
	// block1.bn.gamma [8]
	// block1.bn.beta [8]
	// block2.conv.weight [16 8 3 3]
	// block2.bn.gamma [16]
	// block2.bn.beta [16]
	// block3.conv.weight [32 16 3 3]
	// block3.bn.gamma [32]
	// block3.bn.beta [32]
	// temporal.conv.weight [32 32 3 1]
	// temporal.bn.gamma [32]
	// temporal.bn.beta [32]
	// dense.weight [32 1]
	// dense.bias [1 1]
	// parameters: 9185
}

// A heat map over a mid-grey 2×2 frame at alpha 0.5: no heat leaves the
// grey, full heat mixes it half and half with the dark red of Jet(1).
func ExampleOverlay() {
	img, err := deep.Overlay([]float32{0.5, 0.5, 0.5, 0.5}, []float64{0, 0.5, 1, 1}, 2, 0.5)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := 0; i < 4; i++ {
		fmt.Println(img.Pix[4*i : 4*i+3])
	}
	// Output:
	// [128 128 128]
	// [128 159 128]
	// [128 64 64]
	// [128 64 64]
}
