package synth

import (
	"image"
	"math"
	"sort"
	"testing"
)

// testPatients returns the first n patients of the default cohort (seed 1).
func testPatients(t testing.TB, p Params, n int) []Patient {
	t.Helper()
	pts, err := Generate(p, n, 1)
	if err != nil {
		t.Fatal(err)
	}
	return pts
}

// regionMean returns the mean of img over the pixels where sel is true.
func regionMean(img *image.Gray, sel []bool) float64 {
	var s float64
	n := 0
	for i, ok := range sel {
		if ok {
			s += float64(img.Pix[i])
			n++
		}
	}
	return s / float64(n)
}

// tissueRegion returns the pixels of the field whose label is l and whose
// (2d+1)² neighbourhood holds label l only.
func tissueRegion(a *Anatomy, l uint8, d int) []bool {
	lab := a.LabelImage()
	W, H := a.Width, a.Height
	sel := make([]bool, W*H)
	for y := d; y < H-d; y++ {
		for x := d; x < W-d; x++ {
			ok := true
			for v := -d; v <= d && ok; v++ {
				for u := -d; u <= d && ok; u++ {
					ok = lab.Pix[(y+v)*lab.Stride+x+u] == l
				}
			}
			sel[y*W+x] = ok
		}
	}
	return sel
}

func maskSel(m *image.Gray) []bool {
	sel := make([]bool, len(m.Pix))
	for i, v := range m.Pix {
		sel[i] = v != 0
	}
	return sel
}

// smooth3 is a centred 3-point moving average (ends kept).
func smooth3(x []float64) []float64 {
	y := append([]float64(nil), x...)
	for i := 1; i+1 < len(x); i++ {
		y[i] = (x[i-1] + x[i] + x[i+1]) / 3
	}
	return y
}

func argmax(x []float64) int {
	k := 0
	for i, v := range x {
		if v > x[k] {
			k = i
		}
	}
	return k
}

// TestTICPhysics checks the time–intensity curves measured on the rendered
// display frames (breathing off): viable tumour peaks in the arterial phase
// (10–40 s after injection) and before the liver parenchyma, which peaks
// later and stays enhanced; necrosis (4 px clear of other tissue, beyond the
// PSF) stays within 6 grey levels of its pre-contrast level; the tumour
// washes out below the liver in the late phase.
func TestTICPhysics(t *testing.T) {
	p := DefaultParams()
	p.BreathingAmplitudePx = 0
	pts := testPatients(t, p, 6)
	checked := 0 // patients with a necrotic core 4 px clear of other tissue
	defer func() {
		if checked < 3 {
			t.Errorf("necrosis checked on %d patients, want at least 3", checked)
		}
	}()
	for i := range pts {
		pt := &pts[i]
		im, err := SimulatePatient(p, pt)
		if err != nil {
			t.Fatal(err)
		}
		viable := tissueRegion(im.Anatomy, TissueViable, 2)
		necrosis := tissueRegion(im.Anatomy, TissueNecrosis, 4)
		liver := maskSel(im.Liver)
		var tv, tl, tn []float64
		for _, f := range im.Cine.Frames {
			tv = append(tv, regionMean(f, viable))
			tl = append(tl, regionMean(f, liver))
			tn = append(tn, regionMean(f, necrosis))
		}
		tv, tl = smooth3(tv), smooth3(tl)
		after := func(k int) float64 { return im.Cine.Times[k] - pt.InjectionOffsetS }
		kv, kl := argmax(tv), argmax(tl)
		if a := after(kv); a < 10 || a > 40 {
			t.Errorf("%s: viable tumour peaks %.1f s after injection, want 10..40 s", pt.ID, a)
		}
		if after(kv) >= after(kl) {
			t.Errorf("%s: viable tumour peaks at %.1f s, liver at %.1f s: want the tumour first", pt.ID, after(kv), after(kl))
		}
		if tv[kv] < tl[kv]+15 {
			t.Errorf("%s: at the tumour's peak tumour %.0f, liver %.0f: want arterial hyperenhancement (≥ 15 grey levels)", pt.ID, tv[kv], tl[kv])
		}
		last := len(tv) - 1
		if tv[last] >= tl[last] {
			t.Errorf("%s: at %.0f s tumour %.0f ≥ liver %.0f: want late wash-out", pt.ID, after(last), tv[last], tl[last])
		}
		if tl[last] < tl[kl]-35 {
			t.Errorf("%s: liver falls from %.0f to %.0f by the end: want sustained enhancement", pt.ID, tl[kl], tl[last])
		}
		// Necrosis: the largest change from its pre-injection mean stays small
		// while viable tumour rises by far more.
		var pre float64
		npre := 0
		for k := range tn {
			if after(k) < 0 {
				pre += tn[k]
				npre++
			}
		}
		pre /= float64(npre)
		if !math.IsNaN(pre) {
			checked++
		}
		for k, v := range tn {
			if math.IsNaN(v) {
				break // no necrotic core of that size
			}
			if math.Abs(v-pre) > 6 {
				t.Errorf("%s: necrosis at %.1f s is %.1f, pre-contrast %.1f: want no enhancement", pt.ID, after(k), v, pre)
				break
			}
		}
		if !math.IsNaN(pre) && tv[kv]-pre < 80 {
			t.Errorf("%s: viable peak %.0f vs necrosis %.0f: want the contrast ≥ 80 grey levels", pt.ID, tv[kv], pre)
		}
	}
}

// TestDisplayRange checks that the 8-bit display range is used without heavy
// clipping: under 1 % of all cine pixels at 0 and at 255, the 1st to 99th
// percentiles span at least 150 grey levels; the pre-contrast background and
// enhanced liver sit where the package documentation says (near 40 and 190),
// and the B-mode liver near 130.
func TestDisplayRange(t *testing.T) {
	p := DefaultParams()
	pts := testPatients(t, p, 4)
	for i := range pts {
		pt := &pts[i]
		im, err := SimulatePatient(p, pt)
		if err != nil {
			t.Fatal(err)
		}
		var hist [256]int
		total := 0
		for _, f := range im.Cine.Frames {
			for _, v := range f.Pix {
				hist[v]++
			}
			total += len(f.Pix)
		}
		q := func(frac float64) int {
			c := 0
			for v, h := range hist {
				c += h
				if float64(c) >= frac*float64(total) {
					return v
				}
			}
			return 255
		}
		if f0, f255 := float64(hist[0])/float64(total), float64(hist[255])/float64(total); f0 > 0.01 || f255 > 0.01 {
			t.Errorf("%s: %.2f %% of pixels at 0 and %.2f %% at 255: want under 1 %% each", pt.ID, 100*f0, 100*f255)
		}
		if lo, hi := q(0.01), q(0.99); hi-lo < 150 {
			t.Errorf("%s: 1st–99th percentile %d..%d: want a span of at least 150 levels", pt.ID, lo, hi)
		}
		liver := maskSel(im.Liver)
		pre := regionMean(im.Cine.Frames[0], liver)
		var peak float64
		for _, f := range im.Cine.Frames {
			peak = math.Max(peak, regionMean(f, liver))
		}
		if pre < 20 || pre > 70 || peak < 165 || peak > 215 {
			t.Errorf("%s: liver pre-contrast %.0f, peak %.0f: want about 40 and 190", pt.ID, pre, peak)
		}
		if b := regionMean(im.BMode, liver); b < 105 || b > 155 {
			t.Errorf("%s: B-mode liver %.0f: want about 130", pt.ID, b)
		}
	}
}

// TestBreathing checks the motion: the displacement's largest magnitude is
// the set amplitude (to 5 %), the rendered frames move by it (the shift that
// best aligns a late frame at peak inspiration with one at rest, found by
// search over smoothed frames, is the recorded displacement to 1 px), and
// amplitude 0 gives still frames.
func TestBreathing(t *testing.T) {
	for _, amp := range []float64{3, 6} {
		p := DefaultParams()
		p.BreathingAmplitudePx = amp
		pts := testPatients(t, p, 2)
		pt := &pts[1]
		c, err := SimulateCine(p, pt)
		if err != nil {
			t.Fatal(err)
		}
		var maxD float64
		kMax, kRest := -1, -1
		for k, d := range c.Displacement {
			m := math.Hypot(d[0], d[1])
			maxD = math.Max(maxD, m)
			late := c.Times[k]-pt.InjectionOffsetS > 60
			if late && (kMax < 0 || m > math.Hypot(c.Displacement[kMax][0], c.Displacement[kMax][1])) {
				kMax = k
			}
			if late && m < 0.05 && (kRest < 0 || c.Times[k]-c.Times[kMax] < 0) {
				kRest = k
			}
		}
		if maxD > amp+1e-9 || maxD < 0.95*amp {
			t.Errorf("amplitude %v: largest displacement %.3f px", amp, maxD)
		}
		if kRest < 0 {
			t.Fatalf("amplitude %v: no late frame at rest", amp)
		}
		dx, dy := bestShift(c.Frames[kRest], c.Frames[kMax], 9)
		want := c.Displacement[kMax]
		if math.Abs(float64(dx)-want[0]) > 1 || math.Abs(float64(dy)-want[1]) > 1 {
			t.Errorf("amplitude %v: frames moved by (%d, %d), displacement (%.2f, %.2f)", amp, dx, dy, want[0], want[1])
		}
	}
	p := DefaultParams()
	p.BreathingAmplitudePx = 0
	pts := testPatients(t, p, 1)
	c, err := SimulateCine(p, &pts[0])
	if err != nil {
		t.Fatal(err)
	}
	for k, d := range c.Displacement {
		if d != [2]float64{} {
			t.Fatalf("amplitude 0: frame %d displaced by %v", k, d)
		}
	}
}

// boxBlur returns the mean of img over (2r+1)² windows, as float64.
func boxBlur(img *image.Gray, r int) []float64 {
	W, H := img.Rect.Dx(), img.Rect.Dy()
	f := make([]float64, W*H)
	for i, v := range img.Pix {
		f[i] = float64(v)
	}
	blurSame(f, W, H, float64(r)/1.5)
	return f
}

// bestShift returns the integer shift (dx, dy), |dx|, |dy| ≤ s, for which
// b(x) best matches a(x − (dx, dy)) in mean squared difference of the
// smoothed frames over the central part of the field.
func bestShift(a, b *image.Gray, s int) (int, int) {
	W, H := a.Rect.Dx(), a.Rect.Dy()
	fa, fb := boxBlur(a, 3), boxBlur(b, 3)
	best, bx, by := math.Inf(1), 0, 0
	for dy := -s; dy <= s; dy++ {
		for dx := -s; dx <= s; dx++ {
			var e float64
			for y := 2 * s; y < H-2*s; y++ {
				for x := 2 * s; x < W-2*s; x++ {
					d := fb[y*W+x] - fa[(y-dy)*W+x-dx]
					e += d * d
				}
			}
			if e < best {
				best, bx, by = e, dx, dy
			}
		}
	}
	return bx, by
}

// TestFrameTimes checks the timing: frame 0 at 0, strictly increasing, at
// least 2 frames/s on average over at least 120 s after the injection, the
// jitter's SD as set (to 25 %) and within its clip.
func TestFrameTimes(t *testing.T) {
	p := DefaultParams()
	pts := testPatients(t, p, 3)
	for i := range pts {
		ts := FrameTimes(p, &pts[i])
		if ts[0] != 0 {
			t.Fatalf("first frame at %v", ts[0])
		}
		var ss float64
		for k := 1; k < len(ts); k++ {
			if !(ts[k] > ts[k-1]) {
				t.Fatalf("frame %d at %v after %v", k, ts[k], ts[k-1])
			}
			e := ts[k] - float64(k)/p.FrameRate
			if math.Abs(e) > 0.25/p.FrameRate+1e-12 {
				t.Fatalf("frame %d jitter %v beyond the clip", k, e)
			}
			ss += e * e
		}
		sd := math.Sqrt(ss / float64(len(ts)-1))
		if sd < 0.75*p.FrameJitterS || sd > 1.25*p.FrameJitterS {
			t.Errorf("%s: jitter SD %.4f s, want %.4f", pts[i].ID, sd, p.FrameJitterS)
		}
		span := ts[len(ts)-1] - pts[i].InjectionOffsetS
		if span < 120 || float64(len(ts)-1)/ts[len(ts)-1] < 0.995*p.FrameRate || p.FrameRate < 2 {
			t.Errorf("%s: %d frames over %.1f s, %.1f s after injection", pts[i].ID, len(ts), ts[len(ts)-1], span)
		}
	}
}

// TestHeterogeneityHiddenFromMean checks the design that makes the cine more
// informative than the ROI-mean curve: for the same patient with h = 0.1 and
// h = 0.9, the noise-free ROI-mean contrast signal over the lesion (before
// the PSF) differs by under 2 % at every time, while the spatial SD of the
// viable tumour's perfusion grows several-fold.
func TestHeterogeneityHiddenFromMean(t *testing.T) {
	p := DefaultParams()
	pts := testPatients(t, p, 5)
	for i := range pts {
		var means [2][]float64
		var sds [2]float64
		for j, h := range []float64{0.1, 0.9} {
			pt := pts[i]
			pt.Latent.Heterogeneity = h
			a, err := SimulateAnatomy(p, &pt)
			if err != nil {
				t.Fatal(err)
			}
			var s, ss float64
			nv, nl := 0, 0
			for k, l := range a.Labels {
				if l == TissueViable {
					s += a.Perfusion[k]
					ss += a.Perfusion[k] * a.Perfusion[k]
					nv++
				}
				if l == TissueViable || l == TissueNecrosis {
					nl++
				}
			}
			mean := s / float64(nv)
			sds[j] = math.Sqrt(ss/float64(nv) - mean*mean)
			var cv [nComp]float64
			for tau := 0.0; tau <= 120; tau += 2 {
				pt.Kinetics.curves(tau, &cv)
				var sum float64
				for k, l := range a.Labels {
					if l == TissueViable {
						sum += pt.Kinetics.TumourPeak * a.Perfusion[k] * (cv[compTumourArterial] + pt.Kinetics.TumourLateFrac*a.LateFrac[k]*cv[compTumourLate])
					}
				}
				means[j] = append(means[j], sum/float64(nl))
			}
		}
		for k := range means[0] {
			a, b := means[0][k], means[1][k]
			if a > 1e-3 && math.Abs(a-b)/a > 0.02 {
				t.Errorf("%s: ROI-mean signal at %d s: %.4f (h 0.1) vs %.4f (h 0.9)", pts[i].ID, 2*k, a, b)
			}
		}
		if sds[1] < 3*sds[0] {
			t.Errorf("%s: perfusion SD %.3f (h 0.1) vs %.3f (h 0.9): want several-fold", pts[i].ID, sds[0], sds[1])
		}
	}
}

// spearman returns Spearman's rank correlation of x and y (no ties expected).
func spearman(x, y []float64) float64 {
	rank := func(v []float64) []float64 {
		idx := make([]int, len(v))
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
		r := make([]float64, len(v))
		for k, i := range idx {
			r[i] = float64(k)
		}
		return r
	}
	rx, ry := rank(x), rank(y)
	n := float64(len(x))
	var d2 float64
	for i := range rx {
		d2 += (rx[i] - ry[i]) * (rx[i] - ry[i])
	}
	return 1 - 6*d2/(n*(n*n-1))
}

// TestImageInformation checks, over 40 patients, where the images put the
// latent biology. At the arterial peak, the spread (SD) of the smoothed CEUS
// values over the enhancing part of the lesion (above the midpoint between
// its pre-contrast mean and its maximum) tracks the heterogeneity h; the
// spread of the smoothed B-mode lesion tracks it more weakly; the lesion's
// ROI-mean (linearised) intensity hardly tracks h but tracks the viable
// fraction v.
func TestImageInformation(t *testing.T) {
	if testing.Short() {
		t.Skip("40 patients")
	}
	p := DefaultParams()
	p.BreathingAmplitudePx = 0
	p.DurationS = 40
	p.FrameRate = 1
	pts := testPatients(t, p, 40)
	n := len(pts)
	h, v := make([]float64, n), make([]float64, n)
	ceusSD, bmodeSD, roiMean := make([]float64, n), make([]float64, n), make([]float64, n)
	meanSD := func(f []float64, sel []bool) (float64, float64) {
		var s, ss float64
		k := 0
		for i, ok := range sel {
			if ok {
				s += f[i]
				ss += f[i] * f[i]
				k++
			}
		}
		m := s / float64(k)
		return m, math.Sqrt(ss/float64(k) - m*m)
	}
	err := parallelFor(n, func(i int) error {
		pt := &pts[i]
		im, err := SimulatePatient(p, pt)
		if err != nil {
			return err
		}
		h[i], v[i] = pt.Latent.Heterogeneity, pt.Latent.ViableFraction
		lesion := maskSel(im.Lesion)
		tPeak := pt.InjectionOffsetS + pt.Kinetics.ArrivalS + pt.Kinetics.TumourRiseS
		k := 0
		for j, tt := range im.Cine.Times {
			if math.Abs(tt-tPeak) < math.Abs(im.Cine.Times[k]-tPeak) {
				k = j
			}
		}
		peak, pre := boxBlur(im.Cine.Frames[k], 2), boxBlur(im.Cine.Frames[0], 2)
		preMean, _ := meanSD(pre, lesion)
		var maxV float64
		for j, ok := range lesion {
			if ok {
				maxV = math.Max(maxV, peak[j])
			}
		}
		enhancing := make([]bool, len(lesion))
		for j, ok := range lesion {
			enhancing[j] = ok && peak[j] > (preMean+maxV)/2
		}
		_, ceusSD[i] = meanSD(peak, enhancing)
		_, bmodeSD[i] = meanSD(boxBlur(im.BMode, 2), lesion)
		lin := make([]float64, len(lesion))
		for j, d := range im.Cine.Frames[k].Pix {
			lin[j] = math.Pow(10, float64(d)/255*p.CEUSDynamicRangeDB/10)
		}
		roiMean[i], _ = meanSD(lin, lesion)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rc, rb, rm, rv := spearman(h, ceusSD), spearman(h, bmodeSD), spearman(h, roiMean), spearman(v, roiMean)
	t.Logf("Spearman with h: CEUS spread %.2f, B-mode spread %.2f, CEUS ROI mean %.2f; ROI mean with v %.2f", rc, rb, rm, rv)
	if rc < 0.45 || rb > rc-0.2 || math.Abs(rm) > rc-0.2 || rv < 0.5 {
		t.Errorf("want CEUS spread vs h ≥ 0.45, B-mode spread and ROI mean at least 0.2 weaker, ROI mean vs v ≥ 0.5")
	}
}

// TestSpeckleStatistics checks the speckle generator against the theory of
// fully developed speckle: the intensity is exponential with mean 1 (SD 1,
// P(I > 1) = e^−1) and correlated over the PSF (neighbours correlate, pixels
// 8 px apart do not).
func TestSpeckleStatistics(t *testing.T) {
	const W, H = 256, 256
	sp := newSpeckler(W, H, 1.3, 0.9)
	f := make([]float64, W*H)
	sp.draw(newRNG(9, streamCine, 0), f)
	var s, ss float64
	above := 0
	for _, v := range f {
		s += v
		ss += v * v
		if v > 1 {
			above++
		}
	}
	n := float64(len(f))
	mean := s / n
	sd := math.Sqrt(ss/n - mean*mean)
	if math.Abs(mean-1) > 0.05 || math.Abs(sd-1) > 0.07 || math.Abs(float64(above)/n-math.Exp(-1)) > 0.02 {
		t.Errorf("speckle mean %.3f, SD %.3f, P(I>1) %.3f: want 1, 1, %.3f", mean, sd, float64(above)/n, math.Exp(-1))
	}
	corr := func(dx int) float64 {
		var c float64
		k := 0
		for y := 0; y < H; y++ {
			for x := 0; x+dx < W; x++ {
				c += (f[y*W+x] - mean) * (f[y*W+x+dx] - mean)
				k++
			}
		}
		return c / float64(k) / (sd * sd)
	}
	// For a Gaussian PSF of σ, the intensity correlation at lag d is
	// exp(−d²/(2σ²)) (|field correlation|² with field correlation exp(−d²/(4σ²))).
	if c1, want := corr(1), math.Exp(-1/(2*1.3*1.3)); math.Abs(c1-want) > 0.05 {
		t.Errorf("lateral lag-1 correlation %.3f, want %.3f", c1, want)
	}
	if c8 := corr(8); math.Abs(c8) > 0.03 {
		t.Errorf("lag-8 correlation %.3f, want about 0", c8)
	}
}
