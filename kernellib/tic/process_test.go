package tic

import (
	"errors"
	"image"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestRejectFlash(t *testing.T) {
	y := make([]float64, 60)
	for i := range y {
		y[i] = 10 + 5*math.Sin(float64(i)/8) + 0.1*math.Cos(float64(i)*2.1)
	}
	y[20] += 30 // flash
	y[21] += 12
	y[45] -= 8 // sudden drop for one frame
	got, err := RejectFlash(y, 3, 6)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []int{20, 21, 45}) {
		t.Errorf("rejected %v, want [20 21 45]", got)
	}
	// Quantised, mostly flat data: only the jump is flagged.
	q := make([]float64, 30)
	q[12] = 40
	q[5] = 1
	if got, _ := RejectFlash(q, 3, 6); !reflect.DeepEqual(got, []int{12}) {
		t.Errorf("quantised: rejected %v, want [12]", got)
	}
	if _, err := RejectFlash(y, 0, 6); err == nil {
		t.Error("half-window 0: no error")
	}
	if _, err := RejectFlash(y, 3, 0); err == nil {
		t.Error("threshold 0: no error")
	}
}

func TestSmoothBaseline(t *testing.T) {
	s, err := Smooth([]float64{0, 3, 6, 9, 30}, 3)
	if err != nil || !reflect.DeepEqual(s, []float64{0, 3, 6, 15, 30}) {
		t.Errorf("Smooth = %v, %v", s, err)
	}
	if _, err := Smooth(s, 4); err == nil {
		t.Error("even window: no error")
	}
	b, err := Baseline([]float64{-2, -1, 0, 1, 2}, []float64{5, 1, 3, 100, 100}, 0.5)
	if err != nil || b != 3 {
		t.Errorf("Baseline = %v, %v; want median 3", b, err)
	}
	if _, err := Baseline([]float64{1, 2}, []float64{0, 0}, 1); err == nil || !strings.Contains(err.Error(), "no sample before") {
		t.Errorf("no pre-contrast sample: %v", err)
	}
}

// flashCine is 40 frames of 16×16 whose value is 20 + k (frame k), frame 15
// a flash at 250, in 8 or 16 bits.
func flashCine(bits16 bool) *memCine {
	c := &memCine{}
	for k := 0; k < 40; k++ {
		v := 20 + k
		if k == 15 {
			v = 250
		}
		var img image.Image
		if bits16 {
			g := image.NewGray16(image.Rect(0, 0, 16, 16))
			for i := 0; i < len(g.Pix); i += 2 {
				g.Pix[i], g.Pix[i+1] = uint8(v*256>>8), 0
			}
			img = g
		} else {
			g := image.NewGray(image.Rect(0, 0, 16, 16))
			for i := range g.Pix {
				g.Pix[i] = uint8(v)
			}
			img = g
		}
		c.frames = append(c.frames, img)
		c.times = append(c.times, 0.5*float64(k))
	}
	return c
}

func TestExtractFlashAndScale(t *testing.T) {
	roi := []ROI{{"all", mask(16, 16, func(x, y int) bool { return x > 3 })}}
	for _, b16 := range []bool{false, true} {
		l := LogCompression{DynamicRangeDB: 50}
		scale := 1.0
		if b16 {
			scale = 256 // the 16-bit frames hold v·256
		}
		cv, err := ExtractWith(flashCine(b16), roi, ExtractOptions{Scale: Power, Compression: l, RejectFlash: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(cv.Rejected, []int{15}) || len(cv.Time) != 39 || cv.Frames[15] != 16 || len(cv.FrameMean) != 40 || cv.Scale != Power {
			t.Fatalf("16-bit %v: rejected %v, %d samples, frames[15] = %d", b16, cv.Rejected, len(cv.Time), cv.Frames[15])
		}
		max := 255.0
		if b16 {
			max = 65535
		}
		for i, k := range cv.Frames {
			want := LogCompression{DynamicRangeDB: 50, MaxLevel: max}.Power(float64(20+k) * scale)
			if math.Abs(cv.Mean[0][i]-want) > 1e-12*want || cv.Time[i] != 0.5*float64(k) {
				t.Errorf("16-bit %v frame %d: %v at %v, want %v", b16, k, cv.Mean[0][i], cv.Time[i], want)
			}
		}
	}
	// Without rejection the flash stays, on the display scale.
	cv, err := ExtractWith(flashCine(false), roi, ExtractOptions{}, nil)
	if err != nil || len(cv.Time) != 40 || cv.Mean[0][15] != 250 || cv.FrameMean != nil || cv.Rejected != nil {
		t.Errorf("no rejection: %v", err)
	}
	if _, err := ExtractWith(flashCine(false), roi, ExtractOptions{Scale: Power}, nil); err == nil || !strings.Contains(err.Error(), "dynamic range") {
		t.Errorf("Power without a dynamic range: %v", err)
	}
}

func TestAnalyseCurves(t *testing.T) {
	// A lognormal bolus on a baseline of 2, injection at 4 s after the
	// first frame.
	p := []float64{30, 2.3, 0.5, 8}
	cv := &Curves{Names: []string{"lesion", "liver"}, Mean: make([][]float64, 2)}
	for x := 0.0; x <= 90; x += 0.5 {
		cv.Time = append(cv.Time, x)
		cv.Mean[0] = append(cv.Mean[0], 2+Lognormal.Eval(x-4, p))
		cv.Mean[1] = append(cv.Mean[1], 1+0.5*Lognormal.Eval(x-4, p))
	}
	o := DefaultOptions()
	o.Models = Models()
	o.InjectionS = 4
	a, err := AnalyseCurves(cv, o)
	if err != nil {
		t.Fatal(err)
	}
	les, _ := a.ROI("lesion")
	if a.Origin != 4 || les.Time[0] != -4 || les.Baseline != 2 || len(les.Fits) != 4 {
		t.Fatalf("origin %v, first time %v, baseline %v, %d fits", a.Origin, les.Time[0], les.Baseline, len(les.Fits))
	}
	f := les.Fit(Lognormal)
	if f == nil || f.Err != nil || math.Abs(f.Result.Params[3]-8) > 1e-6 || math.Abs(f.Result.Params[0]-30) > 1e-5 {
		t.Fatalf("lognormal fit in injection time: %+v", f)
	}
	names, vals, status := a.Features()
	if status != "" || len(names) != len(vals) {
		t.Fatalf("status %q, %d names, %d values", status, len(names), len(vals))
	}
	at := map[string]float64{}
	for i, n := range names {
		at[n] = vals[i]
	}
	if v := at["ratio_lognormal_pe"]; math.Abs(v-2) > 1e-6 {
		t.Errorf("ratio_lognormal_pe = %v, want 2", v)
	}
	if v := at["ratio_lognormal_ttp"]; math.Abs(v-1) > 1e-6 {
		t.Errorf("ratio_lognormal_ttp = %v, want 1", v)
	}
	if v := at["lesion_lognormal_t0"]; math.Abs(v-8) > 1e-6 {
		t.Errorf("lesion_lognormal_t0 = %v", v)
	}
	// 2 ROIs × (13 model-free + 4 models × (4 + 13 + 1)) + 5 × 13 ratios.
	if len(names) != 2*(13+4*18)+5*13 {
		t.Errorf("%d features", len(names))
	}
	// The lesion's arrival is reported on the cine's clock: the bolus starts
	// at 4 + t0 = 12 s and reaches the noise-free threshold (0.3 % of the
	// peak) 1.3 s later.
	if a.TimeOrigin != OriginInjection || !(a.Arrival > 12 && a.Arrival < 14) || a.ArrivalErr != nil {
		t.Errorf("known injection: time origin %q, arrival %v (%v)", a.TimeOrigin, a.Arrival, a.ArrivalErr)
	}
	arrival := a.Arrival
	// Unknown injection: the origin is the lesion's arrival, and the
	// baseline is still the first 3 s of the cine.
	o.InjectionS = math.NaN()
	if a, err = AnalyseCurves(cv, o); err != nil || a.Origin != arrival || a.TimeOrigin != OriginArrival {
		t.Fatalf("unknown injection: origin %v (%q), want the arrival %v; %v", a.Origin, a.TimeOrigin, arrival, err)
	}
	les, _ = a.ROI("lesion")
	if les.Baseline != 2 || les.Time[0] != -arrival {
		t.Errorf("arrival origin: baseline %v, first time %v", les.Baseline, les.Time[0])
	}
	if f := les.Fit(Lognormal); f.Err != nil || math.Abs(f.Result.Params[3]-(12-arrival)) > 1e-6 {
		t.Errorf("lognormal t0 from the arrival: %+v, want %v", f.Result, 12-arrival)
	}
	// A flat curve: no arrival, the origin is the first frame; its fits fail
	// and are reported, the analysis does not.
	flat := &Curves{Time: cv.Time, Names: []string{"lesion"}, Mean: [][]float64{make([]float64, len(cv.Time))}}
	a, err = AnalyseCurves(flat, o)
	if err != nil {
		t.Fatal(err)
	}
	if a.Origin != 0 || a.TimeOrigin != OriginFirstFrame || !math.IsNaN(a.Arrival) || !errors.Is(a.ArrivalErr, ErrNoArrival) {
		t.Errorf("flat curve: origin %v (%q), arrival %v (%v)", a.Origin, a.TimeOrigin, a.Arrival, a.ArrivalErr)
	}
	if _, vals, status := a.Features(); !strings.Contains(status, "lesion: tic: lognormal fit") || !math.IsNaN(vals[13]) {
		t.Errorf("flat curve: status %q", status)
	}
	// A cine at 0.5 frames/s has 2 samples in its first 3 s: too few for the
	// arrival's baseline noise, enough for the baseline; the analysis goes on
	// from the first frame.
	slow := &Curves{Names: []string{"lesion"}, Mean: [][]float64{nil}}
	for i := 0; i < len(cv.Time); i += 4 {
		slow.Time = append(slow.Time, cv.Time[i])
		slow.Mean[0] = append(slow.Mean[0], cv.Mean[0][i])
	}
	a, err = AnalyseCurves(slow, o)
	if err != nil || a.TimeOrigin != OriginFirstFrame || !errors.Is(a.ArrivalErr, ErrNoArrival) {
		t.Errorf("0.5 frames/s: %v; time origin %q, arrival %v", err, a.TimeOrigin, a.ArrivalErr)
	}
	o.SmoothWindow = 4
	if _, err := AnalyseCurves(cv, o); err == nil {
		t.Error("even smoothing window: no error")
	}
}

// TestFlashSynth: on a simulated cine no frame is rejected; a flash added
// to one frame (+60 grey levels everywhere) is, and only it.
func TestFlashSynth(t *testing.T) {
	s := patient0(t)
	o := DefaultOptions().Extract
	cv, err := ExtractWith(s.cine(), s.rois, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cv.Rejected) != 0 {
		t.Errorf("clean cine: rejected %v", cv.Rejected)
	}
	c := s.cine()
	g := image.NewGray(c.frames[100].Bounds())
	copy(g.Pix, c.frames[100].(*image.Gray).Pix)
	for i, v := range g.Pix {
		g.Pix[i] = uint8(min(int(v)+60, 255))
	}
	c.frames[100] = g
	cv, err = ExtractWith(c, s.rois, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cv.Rejected, []int{100}) || len(cv.Time) != len(c.frames)-1 {
		t.Errorf("flash at frame 100: rejected %v", cv.Rejected)
	}
}
