package nb

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/roi"
)

// The ROIs the drawing widget outlines, named as the manifest's mask columns name
// them (lesion_mask, liver_mask) and as the mask files are (masks/<patient>_lesion.png).
const (
	ROILesion = "lesion"
	ROILiver  = "liver"
)

// roiNames are the ROIs of the widget, in the order shown.
var roiNames = []string{ROILesion, ROILiver}

// VertexStep is the grid the widget's vertices are kept on, in pixels: a click is at
// most half a screen pixel from where it lands on a zoomed frame, and on a grid of
// 1/8 pixel every vertex is written exactly ("12.375,4.5") and read back by
// ceusrad roi -polygon as the same number.
const VertexStep = 1.0 / 8

// roiOutline is one ROI being drawn: its vertices, in the coordinates of the image
// drawn on (roi's convention: pixel centres at integers), and whether the outline was
// closed.
type roiOutline struct {
	vertices roi.Polygon
	closed   bool
}

// roiState is the state of the drawing widget that the clicks change: the ROI being
// drawn and each ROI's outline. Its methods return an error saying why a step was
// refused (the state is then unchanged); the widget shows it.
type roiState struct {
	active   string // the ROI clicks go to
	outlines map[string]*roiOutline
	w, h     int // the size of the image drawn on
}

func newROIState(w, h int) *roiState {
	s := &roiState{active: ROILesion, outlines: map[string]*roiOutline{}, w: w, h: h}
	for _, n := range roiNames {
		s.outlines[n] = &roiOutline{}
	}
	return s
}

// snap puts a coordinate on the VertexStep grid.
func snap(v float64) float64 { return math.Round(v/VertexStep) * VertexStep }

// click adds the vertex (x, y), image coordinates, to the active ROI. A closed outline
// takes no more vertices (clear it first); points outside the image are refused.
func (s *roiState) click(x, y float64) error {
	o := s.outlines[s.active]
	if o.closed {
		return fmt.Errorf("the %s outline is closed: clear it to draw it again", s.active)
	}
	if math.IsNaN(x) || math.IsNaN(y) || x < -0.5 || y < -0.5 || x > float64(s.w)-0.5 || y > float64(s.h)-0.5 {
		return fmt.Errorf("the point (%g, %g) is outside the %d×%d image", x, y, s.w, s.h)
	}
	o.vertices = append(o.vertices, roi.Point{X: snap(x), Y: snap(y)})
	return nil
}

// undo removes the active ROI's last step: it reopens a closed outline, else drops
// its last vertex.
func (s *roiState) undo() error {
	o := s.outlines[s.active]
	switch {
	case o.closed:
		o.closed = false
	case len(o.vertices) > 0:
		o.vertices = o.vertices[:len(o.vertices)-1]
	default:
		return fmt.Errorf("the %s outline has no vertex to undo", s.active)
	}
	return nil
}

// close closes the active outline: it needs a valid polygon (roi.Polygon.Validate:
// three vertices or more) with at least one pixel centre inside the image.
func (s *roiState) close() error {
	o := s.outlines[s.active]
	if o.closed {
		return fmt.Errorf("the %s outline is already closed", s.active)
	}
	if err := o.vertices.Validate(); err != nil {
		return fmt.Errorf("%s: %w", s.active, err)
	}
	m, err := roi.Rasterize(o.vertices, s.w, s.h)
	if err != nil {
		return err
	}
	if err := roi.NonEmpty(m, o.vertices); err != nil {
		return fmt.Errorf("%s: %w", s.active, err)
	}
	o.closed = true
	return nil
}

// clear removes the active ROI's outline.
func (s *roiState) clear() {
	s.outlines[s.active] = &roiOutline{}
}

// selectROI makes name the active ROI.
func (s *roiState) selectROI(name string) error {
	if _, ok := s.outlines[name]; !ok {
		return fmt.Errorf("no ROI %q: want %s", name, strings.Join(roiNames, " or "))
	}
	s.active = name
	return nil
}

// closedPolygons returns the closed outlines by ROI name; the lesion's is required.
func (s *roiState) closedPolygons() (map[string]roi.Polygon, error) {
	out := map[string]roi.Polygon{}
	for _, n := range roiNames {
		if o := s.outlines[n]; o.closed {
			out[n] = o.vertices
		}
	}
	if _, ok := out[ROILesion]; !ok {
		return nil, fmt.Errorf("close the lesion outline before saving (click its vertices, then Close)")
	}
	return out, nil
}

// roiCommand is one message of the widget's front end: "<seq> <verb> [args]", seq a
// counter that makes repeated messages distinct.
type roiCommand struct {
	verb string
	args []float64
	name string // the ROI of "roi"
}

// parseROICommand reads a front-end message.
func parseROICommand(msg string) (roiCommand, error) {
	f := strings.Fields(msg)
	if len(f) < 2 {
		return roiCommand{}, fmt.Errorf("message %q: want \"<seq> <verb> [args]\"", msg)
	}
	c := roiCommand{verb: f[1]}
	want := 0
	switch c.verb {
	case "hello", "undo", "close", "clear", "save", "finish":
	case "roi":
		if len(f) != 3 {
			return roiCommand{}, fmt.Errorf("message %q: want \"<seq> roi lesion|liver\"", msg)
		}
		c.name = f[2]
		return c, nil
	case "frame":
		want = 1
	case "click":
		want = 4 // x, y in CSS pixels from the image's corner, the image's width and height in CSS pixels
	default:
		return roiCommand{}, fmt.Errorf("message %q: unknown verb %q", msg, c.verb)
	}
	if len(f)-2 != want {
		return roiCommand{}, fmt.Errorf("message %q: %s takes %d numbers", msg, c.verb, want)
	}
	for _, a := range f[2:] {
		v, err := strconv.ParseFloat(a, 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			return roiCommand{}, fmt.Errorf("message %q: %q is not a finite number", msg, a)
		}
		c.args = append(c.args, v)
	}
	return c, nil
}

// clickToPixel turns a click at (u, v) CSS pixels from the corner of an image shown
// at dispW×dispH CSS pixels into the coordinates of the w×h image it shows, in roi's
// convention (pixel centres at integers: a click on a pixel's corner is at −0.5).
func clickToPixel(u, v, dispW, dispH float64, w, h int) (x, y float64, err error) {
	if !(dispW > 0) || !(dispH > 0) {
		return 0, 0, fmt.Errorf("image shown at %g×%g: want a positive size", dispW, dispH)
	}
	return u*float64(w)/dispW - 0.5, v*float64(h)/dispH - 0.5, nil
}
