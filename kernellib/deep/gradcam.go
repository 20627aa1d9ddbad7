package deep

import (
	"fmt"
	"image"
	"image/color"
	"math"
)

// CAM holds a Grad-CAM map for every sampled frame of one cine.
type CAM struct {
	ID string
	// Frames (T) and Size (S): Maps[t][y·S + x], in [0, 1], scaled by the
	// largest value over all frames (so that frames compare).
	Frames, Size int
	Times        []float64
	Maps         [][]float64
	// Logit is the network's output z for the cine; Target the class
	// explained.
	Logit  float64
	Target Target
}

// Target is the class a saliency map explains.
type Target int

const (
	// TargetOR explains the evidence for objective response, the logit z.
	TargetOR Target = iota
	// TargetNR explains the evidence for non-response, −z.
	TargetNR
)

// GradCAM returns the Grad-CAM maps of clip (Selvaraju et al., "Grad-CAM:
// visual explanations from deep networks via gradient-based
// localization", ICCV 2017, eq. 1–2) at the last spatial block, whose
// maps A (after batch norm and ReLU, before pooling) are shared by the
// frames: for frame t and channel k,
//
//	α_{t,k} = (1/Z) Σ_{i,j} ∂s/∂A_{t,k,i,j},   L_t = ReLU(Σ_k α_{t,k} A_{t,k}),
//
// s = z for TargetOR and −z for TargetNR, the gradient taken through the
// temporal convolution, so a frame's map also reflects what its
// neighbours in time make of it. Each L_t is upsampled to the input size
// with the bilinear filter of Resize, and all maps are divided by their
// common maximum (left at zero when it is zero).
func (m *Model) GradCAM(c *Clip, target Target) (*CAM, error) {
	if target != TargetOR && target != TargetNR {
		return nil, fmt.Errorf("deep: GradCAM target %d, expected TargetOR or TargetNR", target)
	}
	net, err := m.build(1, modeCAM)
	if err != nil {
		return nil, err
	}
	if err := m.fill(net, 0, c, identity(m.Config.Frames, m.Config.JitterSteps)); err != nil {
		return nil, err
	}
	if err := net.run(); err != nil {
		return nil, err
	}
	a, err := float32s(net.camV, "last spatial maps")
	if err != nil {
		return nil, err
	}
	da, err := float32s(net.camGradV, "gradient of the last spatial maps")
	if err != nil {
		return nil, err
	}
	z, err := float32s(net.logitV, "logit")
	if err != nil {
		return nil, err
	}
	sign := 1.0
	if target == TargetNR {
		sign = -1
	}
	T, K, h, w := net.camShape[0], net.camShape[1], net.camShape[2], net.camShape[3]
	S := m.Config.Size
	out := &CAM{ID: c.ID, Frames: T, Size: S, Times: append([]float64(nil), c.Times...), Maps: make([][]float64, T),
		Logit: float64(z[0]), Target: target}
	hw := h * w
	top := 0.0
	for t := 0; t < T; t++ {
		l := make([]float32, hw)
		for k := 0; k < K; k++ {
			o := (t*K + k) * hw
			alpha := 0.0
			for _, g := range da[o : o+hw] {
				alpha += float64(g)
			}
			alpha *= sign / float64(hw)
			for i, v := range a[o : o+hw] {
				l[i] += float32(alpha * float64(v))
			}
		}
		for i, v := range l {
			l[i] = max(v, 0)
		}
		up := Resize(l, w, h, S, S)
		mp := make([]float64, S*S)
		for i, v := range up {
			mp[i] = float64(v)
			top = math.Max(top, mp[i])
		}
		out.Maps[t] = mp
	}
	if top > 0 {
		for _, mp := range out.Maps {
			for i := range mp {
				mp[i] /= top
			}
		}
	}
	return out, nil
}

// Jet is MATLAB's "jet" colour map, the one of the Grad-CAM paper's
// figures: for v in [0, 1], r = clamp(1.5 − |4v − 3|), g = clamp(1.5 −
// |4v − 2|), b = clamp(1.5 − |4v − 1|), clamp to [0, 1].
func Jet(v float64) color.RGBA {
	c := func(x float64) uint8 { return uint8(math.Round(255 * math.Min(math.Max(x, 0), 1))) }
	v = math.Min(math.Max(v, 0), 1)
	return color.RGBA{c(1.5 - math.Abs(4*v-3)), c(1.5 - math.Abs(4*v-2)), c(1.5 - math.Abs(4*v-1)), 255}
}

// Overlay blends a heat map over a grey frame, both S×S row by row with
// values in [0, 1]: each pixel is (1 − w)·grey + w·Jet(h), w = alpha·h, so
// the frame shows where the map is low.
func Overlay(frame []float32, heat []float64, size int, alpha float64) (*image.RGBA, error) {
	if len(frame) != size*size || len(heat) != size*size {
		return nil, fmt.Errorf("deep: Overlay: frame has %d values and heat map %d, expected %d×%d", len(frame), len(heat), size, size)
	}
	if !(alpha >= 0 && alpha <= 1) {
		return nil, fmt.Errorf("deep: Overlay: alpha = %v, expected a value in [0, 1]", alpha)
	}
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	for i := range frame {
		h := math.Min(math.Max(heat[i], 0), 1)
		g := 255 * math.Min(math.Max(float64(frame[i]), 0), 1)
		j := Jet(h)
		w := alpha * h
		mix := func(c uint8) uint8 { return uint8(math.Round((1-w)*g + w*float64(c))) }
		img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = mix(j.R), mix(j.G), mix(j.B), 255
	}
	return img, nil
}

// Overlays returns, for every sampled frame of the clip (the frame nearest
// to the sampled time), the frame with its Grad-CAM map blended by
// Overlay, and a label "12 s" giving the time after the injection (ASCII, for
// the bitmap font of plots.Montage): the
// tiles of a montage (plots.Montage).
func (cam *CAM) Overlays(c *Clip, alpha float64) ([]image.Image, []string, error) {
	if c.Frames != cam.Frames || c.Size != cam.Size {
		return nil, nil, fmt.Errorf("deep: clip %s (%d frames of %d×%d) does not match its CAM (%d frames of %d×%d)", c.ID, c.Frames, c.Size, c.Size, cam.Frames, cam.Size, cam.Size)
	}
	centre := (c.Candidates - 1) / 2
	imgs := make([]image.Image, c.Frames)
	labels := make([]string, c.Frames)
	for t := 0; t < c.Frames; t++ {
		img, err := Overlay(c.Frame(t, centre), cam.Maps[t], c.Size, alpha)
		if err != nil {
			return nil, nil, err
		}
		imgs[t] = img
		labels[t] = fmt.Sprintf("%.0f s", c.Times[t])
	}
	return imgs, labels, nil
}
