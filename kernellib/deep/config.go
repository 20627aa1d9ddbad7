package deep

import (
	"errors"
	"fmt"
	"math"
)

// Phase is a window of time after the contrast injection from which frames
// are sampled, with the share of the T frames it receives.
type Phase struct {
	Name string
	// From and To are seconds after the injection, From < To.
	From, To float64
	// Share is the phase's share of the frames (the shares are normalised
	// to sum to one; frames are apportioned by largest remainder).
	Share float64
}

// DefaultPhases are the sampling windows of the default input: the arterial
// phase 10–35 s after the injection (EFSUMB guidelines, Claudon et al.,
// Ultrasound Med Biol 39:187, 2013: arterial phase from 10–20 s to 25–35 s)
// with half of the frames, because the arterial hyperenhancement shows the
// viable tumour and its heterogeneity; the early portal phase 35–60 s (the
// tumour turns iso-enhancing) and the later part of the cine 60–120 s (the
// mild wash-out of HCC, CEUS LI-RADS, ACR 2017) with a quarter each. A cine
// must cover 120 s after the injection plus the temporal jitter.
func DefaultPhases() []Phase {
	return []Phase{
		{Name: "arterial", From: 10, To: 35, Share: 0.5},
		{Name: "portal", From: 35, To: 60, Share: 0.25},
		{Name: "late", From: 60, To: 120, Share: 0.25},
	}
}

// Augment sets the training-time augmentation. Every draw is seeded by
// (Config.Seed, epoch, sample); inference never augments.
type Augment struct {
	// FlipX and FlipY are the probabilities of a left–right and an
	// up–down flip.
	FlipX, FlipY float64
	// RotateDeg is the largest rotation in degrees, uniform in
	// ±RotateDeg.
	RotateDeg float64
	// Shift is the largest translation as a fraction of the input size,
	// uniform in ±Shift along each axis.
	Shift float64
	// Gamma is the largest intensity gamma: x ↦ x^γ on intensities in
	// [0, 1], log γ uniform in ±log Gamma (Gamma ≥ 1; 1 disables it).
	Gamma float64
	// Jitter enables temporal jitter: each of the T frames is drawn from
	// the 2·Config.JitterSteps+1 candidates cached around its time.
	Jitter bool
}

// Config sets the input, the architecture and the training of the cine
// CNN. DefaultConfig gives the values the study uses.
type Config struct {
	// Frames is T, the number of frames sampled per cine.
	Frames int
	// Size is the side, in pixels, of the square input frames.
	Size int
	// Margin is added on every side of the lesion's bounding box, as a
	// fraction of the box's longer side, before the square crop.
	Margin float64
	// Phases are the sampling windows, relative to the injection.
	Phases []Phase
	// JitterSteps and JitterS define the temporal-jitter candidates: frames
	// at τ + j·JitterS for j = −JitterSteps..JitterSteps are cached for
	// every sampled time τ.
	JitterSteps int
	JitterS     float64
	// MaskChannel adds the lesion mask, cropped and resized like the
	// frames, as a second input channel.
	MaskChannel bool
	// MaskedPooling pools the last maps over the lesion instead of the
	// whole crop: a mean weighted by the mask averaged over each pooled
	// cell (needs MaskChannel).
	MaskedPooling bool

	// Channels are the output channels of the spatial blocks (conv 3×3 –
	// batch norm – ReLU – 2×2 max-pool), shared across frames.
	Channels []int
	// Kernel is the spatial kernel size (odd).
	Kernel int
	// TemporalChannels and TemporalKernel define the temporal convolution
	// (kernel TemporalKernel×1 over frames, then batch norm and ReLU).
	TemporalChannels, TemporalKernel int

	// Augment is the training-time augmentation.
	Augment Augment

	// Epochs is the largest number of epochs; Patience stops training
	// when the inner-validation criterion has not improved for that many
	// epochs (0: never stop early).
	Epochs, Patience int
	// BatchSize is the number of cines per step.
	BatchSize int
	// LearningRate, WeightDecay, Beta1, Beta2 and Eps are AdamW's
	// (Loshchilov & Hutter, ICLR 2019).
	LearningRate, WeightDecay, Beta1, Beta2, Eps float64
	// Momentum of the batch-norm running statistics (PyTorch's convention:
	// running = (1−m)·running + m·batch).
	BNMomentum float64
	// InnerValidation is the share of the training cines held out,
	// stratified by outcome, for early stopping.
	InnerValidation float64
	// TTA averages the network over the four flips of each cine at
	// inference (test-time augmentation): the features, and so the logit,
	// are the means over the identity, the left–right, the up–down and
	// both flips.
	TTA bool
	// Seed drives every random choice: initial weights, inner split,
	// batch order and augmentation.
	Seed uint64
	// Workers bounds the goroutines of preprocessing and of the
	// convolutions (0: GOMAXPROCS). It never changes a result.
	Workers int
}

// DefaultConfig returns the configuration the study, the notebook and
// `ceusrad train-cnn` use: T = 16 frames at 64×64 with the mask channel,
// spatial blocks of 8, 16 and 32 channels, a temporal convolution of 32
// channels and kernel 3, AdamW (learning rate 10⁻³, weight decay 10⁻²),
// batches of 8 cines, at most 60 epochs with patience 15 on a 20 % inner
// validation split, no test-time augmentation or lesion pooling, and the
// augmentation described in Augment.
//
// These settings were chosen on two synthetic cohorts other than the
// default one (synth seeds 7 and 8): trained on the 89 training patients of
// the first and scored on its 41 validation patients / on all 130 of the
// second, never on the default cohort. Learning rate 3·10⁻³ gave AUCs
// 0.877/0.896 and 0.909/0.831 (network seeds 1, 2); 10⁻³ gave 0.904/0.901,
// 0.902/0.904, 0.895/0.912, 0.900/0.910, 0.843/0.876, 0.904/0.873 (seeds
// 1–3, 11–13). With 10⁻³, TTA changed the AUCs by −0.007 to +0.010,
// MaskedPooling gave 0.885/0.918, 0.775/0.753, 0.895/0.890 (seeds 11–13),
// stopping on the inner AUC instead of the inner loss 0.860/0.896 and
// 0.863/0.890 (3·10⁻³), smoothing the stopping criterion over 5 epochs
// 0.882/0.918, 0.831/0.854, 0.902/0.887, averaging the logits of the three
// networks of seeds 11–13 0.897/0.890, and a cap of 90 epochs instead of
// 60 nothing: none of them beat the spread between seeds, so the default
// stays the plain network.
func DefaultConfig() Config {
	return Config{
		Frames:      16,
		Size:        64,
		Margin:      0.15,
		Phases:      DefaultPhases(),
		JitterSteps: 1,
		JitterS:     1.5,
		MaskChannel: true,

		Channels:         []int{8, 16, 32},
		Kernel:           3,
		TemporalChannels: 32,
		TemporalKernel:   3,

		Augment: Augment{FlipX: 0.5, FlipY: 0.5, RotateDeg: 10, Shift: 0.05, Gamma: 1.25, Jitter: true},

		Epochs:          60,
		Patience:        15,
		BatchSize:       8,
		LearningRate:    1e-3,
		WeightDecay:     1e-2,
		Beta1:           0.9,
		Beta2:           0.999,
		Eps:             1e-8,
		BNMomentum:      0.1,
		InnerValidation: 0.2,
		Seed:            1,
	}
}

// InputChannels is the number of input channels: 1, or 2 with the mask.
func (c Config) InputChannels() int {
	if c.MaskChannel {
		return 2
	}
	return 1
}

// Candidates is the number of cached frames per sampled time,
// 2·JitterSteps+1.
func (c Config) Candidates() int { return 2*c.JitterSteps + 1 }

// Bounds Validate puts on a Config, whether typed by a library user or read from a
// checkpoint, so that no configuration asks for more memory than a workstation has
// before anything is allocated (a checkpoint edited to ask for 65536-pixel frames
// would otherwise make Prepare allocate 412 GB). The defaults (DefaultConfig) are far
// inside them: T = 16, K = 3, S = 64, about 10⁴ parameters.
const (
	MaxFrames      = 1024 // Frames, T
	MaxSize        = 1024 // Size, S (pixels)
	MaxJitterSteps = 16   // JitterSteps (K = 2·JitterSteps + 1 ≤ 33 candidates)
	MaxPhases      = 64   // len(Phases)
	MaxBlocks      = 8    // len(Channels)
	MaxChannels    = 1024 // each of Channels, and TemporalChannels
	MaxKernel      = 31   // Kernel and TemporalKernel
	MaxBatchSize   = 1024 // BatchSize
	MaxEpochs      = 100000
	MaxWorkers     = 4096
	// MaxClipValues bounds T·K·S², the pixels of one prepared Clip (uint16: 128 MiB).
	MaxClipValues = 1 << 26
	// MaxActivationValues bounds the largest activation of a training batch,
	// BatchSize·T·C·S² for the input and BatchSize·T·Channels[i]·(S/2^i)² for the
	// output of block i (float32: 256 MiB; the graph keeps a few such tensors).
	MaxActivationValues = 1 << 26
	// MaxParams bounds the learnable values (float32: 64 MiB; AdamW keeps two float64
	// moments of each more).
	MaxParams = 1 << 24
)

// NumParams returns the number of learnable values of the network c describes (the
// Params NewModel makes), without allocating them. c must pass Validate's bounds on
// the sizes (it does not overflow then).
func (c Config) NumParams() int {
	n := 0
	cin := c.InputChannels()
	for _, ch := range c.Channels {
		n += ch*cin*c.Kernel*c.Kernel + 2*ch // conv weight, batch-norm γ and β
		cin = ch
	}
	n += c.TemporalChannels*cin*c.TemporalKernel + 2*c.TemporalChannels
	return n + c.TemporalChannels + 1 // dense weight and bias
}

// Validate reports the first invalid field of c: a value outside its range, or
// sizes that together exceed MaxClipValues, MaxActivationValues or MaxParams.
func (c Config) Validate() error {
	bad := func(field, want string, v any) error {
		return fmt.Errorf("deep: Config.%s = %v, expected %s", field, v, want)
	}
	switch {
	case c.Frames < 1 || c.Frames > MaxFrames:
		return bad("Frames", fmt.Sprintf("in 1..%d (MaxFrames)", MaxFrames), c.Frames)
	case c.Size < 8 || c.Size > MaxSize:
		return bad("Size", fmt.Sprintf("in 8..%d (MaxSize)", MaxSize), c.Size)
	case !(c.Margin >= 0 && c.Margin <= 2):
		return bad("Margin", "in [0, 2]", c.Margin)
	case len(c.Phases) == 0 || len(c.Phases) > MaxPhases:
		return bad("Phases", fmt.Sprintf("1..%d phases (MaxPhases)", MaxPhases), len(c.Phases))
	case c.JitterSteps < 0 || c.JitterSteps > MaxJitterSteps:
		return bad("JitterSteps", fmt.Sprintf("in 0..%d (MaxJitterSteps)", MaxJitterSteps), c.JitterSteps)
	case !(c.JitterS >= 0) || math.IsInf(c.JitterS, 0):
		return bad("JitterS", "finite and ≥ 0", c.JitterS)
	case len(c.Channels) == 0 || len(c.Channels) > MaxBlocks:
		return bad("Channels", fmt.Sprintf("1..%d blocks (MaxBlocks)", MaxBlocks), c.Channels)
	case c.Kernel < 1 || c.Kernel%2 == 0 || c.Kernel > MaxKernel:
		return bad("Kernel", fmt.Sprintf("odd and in 1..%d (MaxKernel)", MaxKernel), c.Kernel)
	case c.TemporalChannels < 1 || c.TemporalChannels > MaxChannels:
		return bad("TemporalChannels", fmt.Sprintf("in 1..%d (MaxChannels)", MaxChannels), c.TemporalChannels)
	case c.TemporalKernel < 1 || c.TemporalKernel%2 == 0 || c.TemporalKernel > MaxKernel:
		return bad("TemporalKernel", fmt.Sprintf("odd and in 1..%d (MaxKernel)", MaxKernel), c.TemporalKernel)
	case c.Epochs < 1 || c.Epochs > MaxEpochs:
		return bad("Epochs", fmt.Sprintf("in 1..%d (MaxEpochs)", MaxEpochs), c.Epochs)
	case c.Patience < 0:
		return bad("Patience", "≥ 0", c.Patience)
	case c.BatchSize < 1 || c.BatchSize > MaxBatchSize:
		return bad("BatchSize", fmt.Sprintf("in 1..%d (MaxBatchSize)", MaxBatchSize), c.BatchSize)
	case !(c.LearningRate > 0):
		return bad("LearningRate", "> 0", c.LearningRate)
	case !(c.WeightDecay >= 0):
		return bad("WeightDecay", "≥ 0", c.WeightDecay)
	case !(c.Beta1 >= 0 && c.Beta1 < 1):
		return bad("Beta1", "in [0, 1)", c.Beta1)
	case !(c.Beta2 >= 0 && c.Beta2 < 1):
		return bad("Beta2", "in [0, 1)", c.Beta2)
	case !(c.Eps > 0):
		return bad("Eps", "> 0", c.Eps)
	case !(c.BNMomentum > 0 && c.BNMomentum <= 1):
		return bad("BNMomentum", "in (0, 1]", c.BNMomentum)
	case !(c.InnerValidation > 0 && c.InnerValidation < 1):
		return bad("InnerValidation", "in (0, 1)", c.InnerValidation)
	case c.Workers < 0 || c.Workers > MaxWorkers:
		return bad("Workers", fmt.Sprintf("in 0..%d (MaxWorkers)", MaxWorkers), c.Workers)
	case c.MaskedPooling && !c.MaskChannel:
		return bad("MaskedPooling", "false unless MaskChannel is set", c.MaskedPooling)
	}
	s := c.Size
	for i, ch := range c.Channels {
		if ch < 1 || ch > MaxChannels {
			return bad(fmt.Sprintf("Channels[%d]", i), fmt.Sprintf("in 1..%d (MaxChannels)", MaxChannels), ch)
		}
		if s%2 != 0 {
			return bad("Size", fmt.Sprintf("divisible by 2^%d (one 2×2 pooling per block)", len(c.Channels)), c.Size)
		}
		s /= 2
	}
	if s < 1 {
		return bad("Size", "large enough for the pooling", c.Size)
	}
	// Joint sizes, each factor bounded above, so no product overflows.
	if v := c.Frames * c.Candidates() * c.Size * c.Size; v > MaxClipValues {
		return fmt.Errorf("deep: Config.Frames × (2·JitterSteps+1) × Size² = %d × %d × %d² = %d pixels per clip, expected at most %d (MaxClipValues)",
			c.Frames, c.Candidates(), c.Size, v, MaxClipValues)
	}
	if v := c.BatchSize * c.Frames * c.InputChannels() * c.Size * c.Size; v > MaxActivationValues {
		return fmt.Errorf("deep: Config.BatchSize × Frames × input channels × Size² = %d × %d × %d × %d² = %d input values per batch, expected at most %d (MaxActivationValues)",
			c.BatchSize, c.Frames, c.InputChannels(), c.Size, v, MaxActivationValues)
	}
	for i, ch := range c.Channels {
		side := c.Size >> i
		if v := c.BatchSize * c.Frames * ch * side * side; v > MaxActivationValues {
			return fmt.Errorf("deep: Config.BatchSize × Frames × Channels[%d] × (Size/2^%d)² = %d × %d × %d × %d² = %d values in block %d's maps per batch, expected at most %d (MaxActivationValues)",
				i, i, c.BatchSize, c.Frames, ch, side, v, i+1, MaxActivationValues)
		}
	}
	if n := c.NumParams(); n > MaxParams {
		return fmt.Errorf("deep: Config.Channels %v, Kernel %d, TemporalChannels %d and TemporalKernel %d make %d learnable values, expected at most %d (MaxParams)",
			c.Channels, c.Kernel, c.TemporalChannels, c.TemporalKernel, n, MaxParams)
	}
	total := 0.0
	for i, p := range c.Phases {
		if !(p.From >= 0 && p.To > p.From) || math.IsInf(p.To, 0) {
			return bad(fmt.Sprintf("Phases[%d]", i), "0 ≤ From < To, finite", p)
		}
		if !(p.Share >= 0) || math.IsInf(p.Share, 0) {
			return bad(fmt.Sprintf("Phases[%d].Share", i), "finite and ≥ 0", p.Share)
		}
		total += p.Share
	}
	if !(total > 0) {
		return errors.New("deep: Config.Phases: the shares sum to 0, expected > 0")
	}
	a := c.Augment
	if !(a.FlipX >= 0 && a.FlipX <= 1) || !(a.FlipY >= 0 && a.FlipY <= 1) {
		return bad("Augment.FlipX/FlipY", "probabilities in [0, 1]", [2]float64{a.FlipX, a.FlipY})
	}
	if !(a.RotateDeg >= 0 && a.RotateDeg <= 180) {
		return bad("Augment.RotateDeg", "in [0, 180]", a.RotateDeg)
	}
	if !(a.Shift >= 0 && a.Shift <= 0.5) {
		return bad("Augment.Shift", "in [0, 0.5]", a.Shift)
	}
	if !(a.Gamma >= 1) || math.IsInf(a.Gamma, 0) {
		return bad("Augment.Gamma", "finite and ≥ 1", a.Gamma)
	}
	return nil
}

// SampleTimes returns the T sampling times, in seconds after the injection:
// the frames are apportioned to the phases by share (largest remainder, ties
// to the earlier phase) and placed at the centres of equal sub-intervals,
// τ = From + (i + ½)(To − From)/n, i = 0..n−1.
func (c Config) SampleTimes() []float64 {
	total := 0.0
	for _, p := range c.Phases {
		total += p.Share
	}
	n := make([]int, len(c.Phases))
	rem := make([]float64, len(c.Phases))
	used := 0
	for i, p := range c.Phases {
		q := float64(c.Frames) * p.Share / total
		n[i] = int(math.Floor(q))
		rem[i] = q - float64(n[i])
		used += n[i]
	}
	for ; used < c.Frames; used++ {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		n[best]++
		rem[best] = -1
	}
	var t []float64
	for i, p := range c.Phases {
		for k := 0; k < n[i]; k++ {
			t = append(t, p.From+(float64(k)+0.5)*(p.To-p.From)/float64(n[i]))
		}
	}
	return t
}
