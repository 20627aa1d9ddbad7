package notebook_test

import "github.com/ceusrad/ceusrad/kernellib/notebook"

// The cells of 04_deep_cine: each shows the study's CNN, read from its
// model bundle, without training it again (compiled, not run: it needs the
// study's results).
func ExampleDeep() {
	notebook.Deep().Frames()       // what the network sees
	notebook.Deep().Architecture() // its learnable tensors
	notebook.Deep().Training()     // the saved curves (CEUSRAD_LIVE_TRAINING=1: trained anew, live)
	v := notebook.Deep()
	v.AUC().ROC()              // the validation patients, scored again and checked against results.json
	notebook.Deep().GradCAM()  // where it looked
	notebook.Deep().Ablation() // without the mask channel: trained once, then read back
	notebook.Deep().Features() // the deep features
}

// The cells of 06_robustness: the study's robustness analyses, read from
// results.json.
func ExampleRobust() {
	notebook.Robust().Splits()  // re-drawn splits, the CNN kept out
	notebook.Robust().WithCNN() // re-drawn splits, the CNN retrained too
	notebook.Robust().ROI()     // another reader's ROI
}
