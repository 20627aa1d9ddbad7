package deep

import (
	"math"
	"math/rand/v2"
)

// transform is one draw of the augmentation of a clip.
type transform struct {
	flipX, flipY bool
	angle        float64 // radians
	dx, dy       float64 // pixels
	gamma        float64
	pick         []int // candidate per sampled time
}

// identity returns the transform that changes nothing: no flip, rotation,
// shift or gamma, and the central candidate of every sampled time.
func identity(frames, jitterSteps int) transform {
	pick := make([]int, frames)
	for i := range pick {
		pick[i] = jitterSteps
	}
	return transform{gamma: 1, pick: pick}
}

// draw returns a random transform of Augment a.
func (a Augment) draw(r *rand.Rand, cfg Config) transform {
	t := identity(cfg.Frames, cfg.JitterSteps)
	t.flipX = r.Float64() < a.FlipX
	t.flipY = r.Float64() < a.FlipY
	t.angle = (2*r.Float64() - 1) * a.RotateDeg * math.Pi / 180
	t.dx = (2*r.Float64() - 1) * a.Shift * float64(cfg.Size)
	t.dy = (2*r.Float64() - 1) * a.Shift * float64(cfg.Size)
	lg := math.Log(a.Gamma)
	t.gamma = math.Exp((2*r.Float64() - 1) * lg)
	if a.Jitter {
		for i := range t.pick {
			t.pick[i] = r.IntN(cfg.Candidates())
		}
	}
	return t
}

// sampler is a precomputed bilinear resampling: output pixel i is
// Σ_k w[4i+k]·in[idx[4i+k]].
type sampler struct {
	idx []int32
	w   []float32
}

// newSampler returns the resampling of an s×s image by the inverse of the
// map "flip, then rotate by angle about the centre, then shift by (dx, dy)":
// output pixel p = (x, y) reads the input at
//
//	q = c + F·R(−angle)·(p − c − (dx, dy)),  c = ((s−1)/2, (s−1)/2),
//
// F the flips, with bilinear interpolation and the border pixels repeated
// outside the image. (With no flip, angle 0 and an integer shift it is a
// pure translation.)
func newSampler(s int, t transform) sampler {
	sm := sampler{idx: make([]int32, 4*s*s), w: make([]float32, 4*s*s)}
	c := float64(s-1) / 2
	cos, sin := math.Cos(t.angle), math.Sin(t.angle)
	clampi := func(v int) int { return min(max(v, 0), s-1) }
	for y := 0; y < s; y++ {
		for x := 0; x < s; x++ {
			u := float64(x) - c - t.dx
			v := float64(y) - c - t.dy
			qx := cos*u + sin*v
			qy := -sin*u + cos*v
			if t.flipX {
				qx = -qx
			}
			if t.flipY {
				qy = -qy
			}
			qx += c
			qy += c
			x0f, y0f := math.Floor(qx), math.Floor(qy)
			fx, fy := qx-x0f, qy-y0f
			x0, y0 := int(x0f), int(y0f)
			xa, xb := clampi(x0), clampi(x0+1)
			ya, yb := clampi(y0), clampi(y0+1)
			o := 4 * (y*s + x)
			sm.idx[o], sm.w[o] = int32(ya*s+xa), float32((1-fx)*(1-fy))
			sm.idx[o+1], sm.w[o+1] = int32(ya*s+xb), float32(fx*(1-fy))
			sm.idx[o+2], sm.w[o+2] = int32(yb*s+xa), float32((1-fx)*fy)
			sm.idx[o+3], sm.w[o+3] = int32(yb*s+xb), float32(fx*fy)
		}
	}
	return sm
}

// apply resamples in into out.
func (sm sampler) apply(in, out []float32) {
	for i := range out {
		o := 4 * i
		out[i] = sm.w[o]*in[sm.idx[o]] + sm.w[o+1]*in[sm.idx[o+1]] + sm.w[o+2]*in[sm.idx[o+2]] + sm.w[o+3]*in[sm.idx[o+3]]
	}
}

// Augmented returns the clip's network input after transform t, as values
// in [0, 1] before normalisation: Frames×C×Size×Size, C = 1 (intensity) or
// 2 (intensity, mask). It is what training feeds to the network; the
// identity transform gives the inference input.
func (c *Clip) augmented(t transform, maskChannel bool, dst []float32) {
	s2 := c.Size * c.Size
	ch := 1
	if maskChannel {
		ch = 2
	}
	geometric := t.flipX || t.flipY || t.angle != 0 || t.dx != 0 || t.dy != 0
	var sm sampler
	if geometric {
		sm = newSampler(c.Size, t)
	}
	buf := make([]float32, s2)
	for f := 0; f < c.Frames; f++ {
		src := c.Pix[(f*c.Candidates+t.pick[f])*s2:][:s2]
		for i, v := range src {
			x := float64(v) / 65535
			if t.gamma != 1 && x > 0 {
				x = math.Pow(x, t.gamma)
			}
			buf[i] = float32(x)
		}
		out := dst[f*ch*s2 : f*ch*s2+s2]
		if geometric {
			sm.apply(buf, out)
		} else {
			copy(out, buf)
		}
	}
	if maskChannel {
		for i, v := range c.Mask {
			buf[i] = float32(v) / 65535
		}
		out := dst[s2 : 2*s2]
		if geometric {
			sm.apply(buf, out)
		} else {
			copy(out, buf)
		}
		for f := 1; f < c.Frames; f++ {
			copy(dst[(f*ch+1)*s2:(f*ch+2)*s2], out)
		}
	}
}
