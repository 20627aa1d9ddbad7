package tic

import (
	"image"
	"io"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/synth"
)

// memCine is an imaging.Cine over frames in memory.
type memCine struct {
	frames []image.Image
	times  []float64
	k      int
}

func (m *memCine) Info() imaging.CineInfo {
	b := m.frames[0].Bounds()
	bits := 8
	if _, ok := m.frames[0].(*image.Gray16); ok {
		bits = 16
	}
	return imaging.CineInfo{Path: "memory", Format: "memory", Width: b.Dx(), Height: b.Dy(), NumFrames: len(m.frames), BitsAllocated: bits}
}

func (m *memCine) Next() (imaging.Frame, error) {
	if m.k >= len(m.frames) {
		return imaging.Frame{}, io.EOF
	}
	f := imaging.Frame{Index: m.k, Time: m.times[m.k], Img: m.frames[m.k]}
	m.k++
	return f, nil
}

func (m *memCine) Close() error { return nil }

func grayMask(g *image.Gray) *imaging.Mask {
	b := g.Bounds()
	m := &imaging.Mask{Width: b.Dx(), Height: b.Dy(), Depth: 1, Data: make([]bool, b.Dx()*b.Dy())}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			m.Data[y*b.Dx()+x] = g.Pix[y*g.Stride+x] != 0
		}
	}
	return m
}

// simPatient is one simulated patient of the default cohort (seed 1).
type simPatient struct {
	pt     *synth.Patient
	params synth.Params
	img    *synth.Images
	rois   []ROI
}

func simulate(t testing.TB, n, i int) *simPatient {
	t.Helper()
	p := synth.DefaultParams()
	pts, err := synth.Generate(p, n, 1)
	if err != nil {
		t.Fatal(err)
	}
	img, err := synth.SimulatePatient(p, &pts[i])
	if err != nil {
		t.Fatal(err)
	}
	return &simPatient{pt: &pts[i], params: p, img: img,
		rois: []ROI{{"lesion", grayMask(img.Lesion)}, {"liver", grayMask(img.Liver)}}}
}

func (s *simPatient) cine() *memCine {
	fr := make([]image.Image, len(s.img.Cine.Frames))
	for i, f := range s.img.Cine.Frames {
		fr[i] = f
	}
	return &memCine{frames: fr, times: s.img.Cine.Times}
}
