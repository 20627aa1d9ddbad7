// Package deep is R-DLCEUS, the cine CNN of Liu et al. ("Accurate prediction
// of responses to transarterial chemoembolization for patients with
// hepatocellular carcinoma by using artificial intelligence in
// contrast-enhanced ultrasound", Eur Radiol 30:2365, 2020): a network that
// reads the CEUS cine itself, and so sees where and when the tumour
// enhances, not only the ROI-average time–intensity curve. It is built on
// gorgonia (gorgonia.org/gorgonia v0.9.18): graphs, symbolic
// differentiation and the tape machine are gorgonia's; the convolution, the
// batch normalisation (fused with the ReLU) and the max-pooling are Ops of
// this package (see Speed).
//
// # Input
//
// Prepare reads a cine once, as a stream, and keeps only the frames it
// needs (PrepareAll does a cohort in parallel). For each of T sampled times
// τ after the injection (Config.SampleTimes: half of the default 16 in the
// arterial phase 10–35 s, a quarter in the portal phase 35–60 s and a
// quarter in 60–120 s, DefaultPhases) it takes the frame nearest to
// τ + injection_offset_s on the cine's clock, and, for the temporal jitter
// of training, the frames nearest to τ ± JitterS. Each frame is cropped to
// a square around the lesion (CropBox: the mask's bounding box plus 15 % of
// its side on every side, zero outside the frame) and resized to 64×64 with
// Pillow's antialiased bilinear filter (Resize); the lesion mask, cropped
// and resized the same way, is a second input channel. The intensities
// are normalised by the mean and standard deviation of the training frames.
// A Clip holds the result (16 bits a value: 0.4 MB for a default cine), so
// that a cohort is preprocessed once and every epoch reads memory.
//
// Training augments every cine afresh (Augment): left–right and up–down
// flips, a rotation within ±10°, a shift within ±5 % of the size, an
// intensity gamma within 1.25^±1 and, per sampled time, one of the three
// jitter candidates. Inference never augments (Config.TTA averages over
// the four flips instead).
//
// # Network
//
// gorgonia has no 3D convolution, so the network is (2+1)D (Tran et al.,
// "A closer look at spatiotemporal convolutions for action recognition",
// CVPR 2018): a 2D CNN shared by the T frames of a cine, then a
// convolution over time, global average pooling and a dense logit. For a
// batch of B cines the default (DefaultConfig) is
//
//	input                         B·16 × 2 × 64 × 64   intensity, mask
//	block 1: conv 3×3, BN, ReLU   B·16 × 8 × 64 × 64   then 2×2 max-pool
//	block 2: conv 3×3, BN, ReLU   B·16 × 16 × 32 × 32  then 2×2 max-pool
//	block 3: conv 3×3, BN, ReLU   B·16 × 32 × 16 × 16  then 2×2 max-pool (Grad-CAM reads here)
//	to time: reshape, transpose   B × 32 × 16 × 64     channels × frames × space
//	temporal conv 3×1, BN, ReLU   B × 32 × 16 × 64
//	mean over space, over time    B × 32               the deep features
//	dense                         B                    the logit z; P(OR) = 1/(1 + e^−z)
//
// with 9185 parameters: convolutions 144 + 1152 + 4608 + 3072 (no bias:
// each is followed by batch norm), batch-norm scales and shifts 16 + 32 +
// 64 + 64, dense 32 + 1 (ExampleNewModel lists them). Channels, kernels,
// T and the size are configurable. Batch normalisation (Ioffe & Szegedy,
// ICML 2015) uses the batch statistics in training and running averages at
// inference. gorgonia's own BatchNorm is not used: it handles 4D input only
// and keeps its running statistics inside the op, out of reach of a
// checkpoint; GlobalAveragePool2D is not used either (it has no gradient in
// v0.9.18): global pooling is two gorgonia Means.
//
// # Training
//
// Train holds out a stratified 20 % of the training cines (Config.Split)
// for early stopping, so the validation cohort is never seen, and
// minimises the class-balanced binary cross-entropy with AdamW
// (Loshchilov & Hutter, ICLR 2019; learning rate 10⁻³, weight decay
// 10⁻² on convolution and dense weights) in batches of 8 cines; after every
// epoch it scores the inner validation cines, reports the epoch (loss,
// inner loss, inner AUC) to a Progress callback, keeps the weights of the
// epoch with the lowest inner loss, and stops after 15 epochs without
// improvement (at most 60). The class-balanced loss fits the network as
// if each outcome were half of the cohort; Train sets Model.LogitOffset =
// log(π/(1−π)), π the responders' share of the inner training cines, and
// Predict adds it to the logit so that the probabilities refer to the
// training prevalence (prior correction: Saerens, Latinne & Decaestecker,
// Neural Computation 14:21, 2002; King & Zeng, Political Analysis 9:137,
// 2001). The ranking, hence the AUC, is unchanged.
//
// # Determinism
//
// Every random choice (initial weights, inner split, batch order,
// augmentation) comes from its own PCG stream seeded from (Config.Seed,
// purpose, epoch, sample) through SplitMix64. The ops split their work into
// fixed chunks (4 images for the convolutions, one channel or plane for
// batch norm and pooling) and sum partial results in a fixed order, so the
// same Config and clips give the same weights and scores, bit for bit, on
// any number of cores and for any Config.Workers (TestDeterministic).
//
// # Inference, features, explanation, checkpoints
//
// Model.Predict returns probabilities of objective response (prior
// corrected), Model.Logits the network's logits (before the correction),
// Model.Features the penultimate layer (the 32 deep features of
// "deep-learning radiomics", for a learn pipeline) and Model.Input what the
// network sees. Model.GradCAM computes Grad-CAM maps (Selvaraju et al.,
// ICCV 2017) of every frame at the last spatial block; Overlay and
// CAM.Overlays blend them over the frames with the Jet colour map, ready
// for a montage (study.CAMMontage). Model.Save and Load write and read a
// JSON checkpoint (configuration, weights, batch-norm statistics,
// normalisation, history), checked on reading.
//
// # Speed
//
// gorgonia's Conv2d lowers the input with im2col into N×H×W×(C·k·k),
// multiplies, and transposes the result back to N×C×H×W; im2col, col2im
// and that transpose dominate its time. The convolution here lowers each
// image to (C·k·k)×(H·W) and multiplies it from the left by the filters,
// which writes N×C×H×W directly, with gonum's SIMD AXPY and dot products,
// images in parallel. Batch norm is fused with the ReLU, max-pooling keeps
// its arg-max for the gradient, and the ops reuse their output buffers from
// one step to the next. The batch norm's sums run four rows at a time (each
// row its own chain of float32 additions, the rows added in order as
// before), the ReLU, its gradient gate and the 2×2 maximum are branch-free
// (after a ReLU half of the values are zero, in no pattern a branch
// predictor follows), and a batch's cines are augmented in parallel: the
// same weights bit for bit, BenchmarkEpoch 2.39 → 1.83 → 1.67 s on the idle
// 2-core machine. Measured on the project's 2-core machine, shared with
// other work (so the ranges), before those changes:
//
//   - BenchmarkConv, forward and backward of the second block (128 frames of
//     8×32×32 to 16 channels, 3×3): 0.11–0.29 s against 0.59–3.2 s for
//     gorgonia's Conv2d, 5–11 times faster;
//   - one epoch of the default network on the default cohort's training
//     split (71 cines in 9 steps of 8, 18 scored): 1.6 s with the machine
//     to itself (ceusrad train-cnn, 26 epochs in 41 s at 171 % CPU), 2.6–4.9 s
//     under load (BenchmarkEpoch); scoring 41 cines 0.85 s (BenchmarkPredict);
//   - preprocessing the 130 cines of the default cohort: 0.6–1.6 s.
//
// The committed bench/ (run.sh) trains the same network on the same
// tensors in PyTorch (torch_epoch.py, CPU, 2 threads) and prints the ratio
// of epoch times; the NOTES' figure for a comparable PyTorch net is 1.75 s
// per epoch.
//
// The data are simulated unless a real cohort is given: the default
// synthetic cohort is a teaching and testing device, not evidence.
package deep
