package nb

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/internal/dualtest"
	"github.com/ceusrad/ceusrad/kernellib/roi"
)

// TestROIStateSteps: vertices, undo, close and clear of the active ROI, and the
// steps refused with the state unchanged.
func TestROIStateSteps(t *testing.T) {
	s := newROIState(32, 20)
	if err := s.undo(); err == nil {
		t.Error("undo with no vertex accepted")
	}
	for _, v := range [][2]float64{{1.06, 2}, {10, 2.9}, {10, 10}} {
		if err := s.click(v[0], v[1]); err != nil {
			t.Fatal(err)
		}
	}
	// Vertices land on the 1/8-pixel grid.
	if got := s.outlines[ROILesion].vertices.String(); got != "1,2 10,2.875 10,10" {
		t.Errorf("vertices %q", got)
	}
	if err := s.click(31.6, 3); err == nil || !strings.Contains(err.Error(), "outside the 32×20 image") {
		t.Errorf("a click outside: %v", err)
	}
	if err := s.undo(); err != nil || len(s.outlines[ROILesion].vertices) != 2 {
		t.Fatalf("undo: %v, %d vertices", err, len(s.outlines[ROILesion].vertices))
	}
	if err := s.close(); !errors.Is(err, roi.ErrTooFew) {
		t.Errorf("closing 2 vertices: %v", err)
	}
	if _, err := s.closedPolygons(); err == nil {
		t.Error("saving without a closed lesion accepted")
	}
	_ = s.click(10, 10)
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	if err := s.click(5, 5); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("a click on a closed outline: %v", err)
	}
	// Undo reopens a closed outline; closing again works.
	if err := s.undo(); err != nil || s.outlines[ROILesion].closed || len(s.outlines[ROILesion].vertices) != 3 {
		t.Fatalf("undo of close: %v", err)
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	// The liver is drawn apart from the lesion; clear touches the active ROI only.
	if err := s.selectROI("spleen"); err == nil {
		t.Error("unknown ROI accepted")
	}
	if err := s.selectROI(ROILiver); err != nil {
		t.Fatal(err)
	}
	_ = s.click(20, 5)
	s.clear()
	if len(s.outlines[ROILiver].vertices) != 0 || !s.outlines[ROILesion].closed {
		t.Error("clear touched the wrong ROI")
	}
	// A polygon between pixel centres has no pixel: refused.
	for _, v := range [][2]float64{{20.25, 5.25}, {20.75, 5.25}, {20.5, 5.75}} {
		_ = s.click(v[0], v[1])
	}
	if err := s.close(); !errors.Is(err, roi.ErrEmpty) {
		t.Errorf("closing an empty polygon: %v", err)
	}
	p, err := s.closedPolygons()
	if err != nil || len(p) != 1 || p[ROILesion].String() != "1,2 10,2.875 10,10" {
		t.Errorf("closed polygons %v, %v", p, err)
	}
}

// TestParseROICommand: the front end's messages, and the bad ones.
func TestParseROICommand(t *testing.T) {
	c, err := parseROICommand("7 click 36 100.5 256 256")
	if err != nil || c.verb != "click" || len(c.args) != 4 || c.args[1] != 100.5 {
		t.Errorf("click: %+v, %v", c, err)
	}
	if c, err := parseROICommand("8 roi liver"); err != nil || c.name != ROILiver {
		t.Errorf("roi: %+v, %v", c, err)
	}
	for _, bad := range []string{"", "save", "1 jump", "1 frame", "1 frame x", "1 click 1 2 3", "1 click 1 2 3 NaN", "1 roi"} {
		if _, err := parseROICommand(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	// A click at the centre of CSS pixel block (i, j) of an image zoomed 8× is at
	// pixel (i, j); the top-left corner is at (−0.5, −0.5).
	x, y, err := clickToPixel(8*3+4, 8*5+4, 256, 160, 32, 20)
	if err != nil || x != 3 || y != 5 {
		t.Errorf("clickToPixel: %g, %g, %v", x, y, err)
	}
	if x, y, _ := clickToPixel(0, 0, 256, 160, 32, 20); x != -0.5 || y != -0.5 {
		t.Errorf("corner: %g, %g", x, y)
	}
	if _, _, err := clickToPixel(1, 1, 0, 160, 32, 20); err == nil {
		t.Error("zero display width accepted")
	}
}

// fakeROIFront is an interactive Display whose front end sends the given messages.
type fakeROIFront struct {
	recorder
	msgs    []string
	address string
}

func (f *fakeROIFront) roiMessages(address string) (<-chan string, func(), bool) {
	f.address = address
	ch := make(chan string, len(f.msgs))
	for _, m := range f.msgs {
		ch <- m
	}
	close(ch)
	return ch, func() {}, true
}

// dualManifest writes a manifest for the dual-display fixture (cine_region right, no
// masks yet) and returns its path and content.
func dualManifest(t testing.TB) (string, string) {
	t.Helper()
	dir := t.TempDir()
	in := "patient_id,response,split,cine,bmode,lesion_mask,liver_mask,cine_region,age\n" +
		"D0,NR,train,elsewhere.dcm,b.png,masks/D0_lesion.png,,,61\n" +
		fmt.Sprintf("D1,OR,validation,%s,b.png,,,right,\"7,5\"\n", dualtest.Cine())
	path := filepath.Join(dir, "cohort.csv")
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, in
}

// checkSavedMask checks that the mask file saved is byte for byte the one ceusrad
// roi -region writes for the polygon poly drawn in the region box of a stored frame
// of size stored (roi.RasterizeIn, roi.Gray, imaging.WritePNG), and returns that
// mask.
func checkSavedMask(t *testing.T, saved, poly string, box image.Rectangle, stored image.Point) *imaging.Mask {
	t.Helper()
	p, _ := roi.ParsePolygon(poly)
	m, err := roi.RasterizeIn(p, box, stored)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := roi.Gray(m)
	ref := filepath.Join(t.TempDir(), "ref.png")
	if err := imaging.WritePNG(ref, g); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(ref)
	got, err := os.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: the saved mask differs from ceusrad roi's for %q", saved, poly)
	}
	return m
}

// click is the message of a click at the centre of image pixel (i, j) of the
// fixture's 32×32 tissue region shown at zoom 8.
func click(seq, i, j int) string {
	return fmt.Sprintf("%d click %d %d 256 256", seq, 8*i+4, 8*j+4)
}

// TestDrawROIsDualDisplay: clicks on the tissue half of the dual-display fixture, a
// lesion and a liver outline, saved: each mask file is byte for byte what ceusrad roi
// writes for the same vertices with -region left (roi.RasterizeIn in the left
// region's box, roi.Gray, imaging.WritePNG), imaging.MaskForCine moves it to the
// contrast half at the same offset, and the manifest changes in the two mask cells
// only. The first frame shown is the peak-enhancement frame.
func TestDrawROIsDualDisplay(t *testing.T) {
	path, in := dualManifest(t)
	lesion := "10,12 22,10 24,24 9,21"
	liver := "3,3 12,3 12,8 3,8"
	msgs := []string{"1 hello", click(2, 10, 12), click(3, 22, 10), click(4, 5, 5), "5 undo", click(6, 24, 24), click(7, 9, 21), "8 close",
		"9 roi liver", click(10, 3, 3), click(11, 12, 3), click(12, 12, 8), click(13, 3, 8), "14 close", "15 frame 4", "16 save", "17 finish"}
	f := &fakeROIFront{recorder: recorder{interactive: true}, msgs: msgs}
	if err := drawROIs(f, path, "D1", &ROIDrawOptions{Frame: PeakFrame, Zoom: 8, Idle: time.Minute}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	left := dualLeftRegion(t)
	for name, poly := range map[string]string{ROILesion: lesion, ROILiver: liver} {
		m := checkSavedMask(t, filepath.Join(dir, "masks", "D1_"+name+".png"), poly, left.Box, left.Stored)
		// Carried to the contrast half at the same offset.
		right, err := imaging.OpenCine(dualtest.Cine(), imaging.CineOptions{Region: "right"})
		if err != nil {
			t.Fatal(err)
		}
		moved, err := imaging.MaskForCine(m, right.Info())
		right.Close()
		if err != nil {
			t.Fatal(err)
		}
		inLeft, _ := imaging.CropMask(m, left.Box)
		if moved.Count() != m.Count() || !reflect.DeepEqual(moved, inLeft) {
			t.Errorf("%s: not moved to the contrast half at the same offset", name)
		}
	}
	got, _ := os.ReadFile(path)
	want := strings.Replace(in, "b.png,,,right", "b.png,masks/D1_lesion.png,masks/D1_liver.png,right", 1)
	if string(got) != want {
		t.Errorf("manifest\n%s\nwant\n%s", got, want)
	}
	// The views: peak frame (11: the contrast half brightens to the last frame)
	// first, the polygons listed, frame 4 after the slider, the last view without
	// controls and naming the files.
	var updates []string
	for _, c := range f.calls {
		if strings.HasPrefix(c, "update:") {
			updates = append(updates, c)
		}
	}
	if len(updates) != len(msgs) { // the first view, one per message but hello and finish, the last view
		t.Fatalf("%d updates for %d messages", len(updates), len(msgs))
	}
	if !strings.Contains(updates[0], "frame 11 of 12 (peak enhancement: frame 11)") || !strings.Contains(updates[0], `data-address="`+f.address+`"`) {
		t.Errorf("first view: %.300s", updates[0])
	}
	last := updates[len(updates)-1]
	if !strings.Contains(last, "frame 4 of 12") || strings.Contains(last, "<button") || !strings.Contains(last, "saved masks/D1_lesion.png and masks/D1_liver.png") ||
		!strings.Contains(last, `data-roi="lesion">`+lesion+`<`) || !strings.Contains(last, `data-roi="liver">`+liver+`<`) {
		t.Errorf("last view: %s", last[strings.Index(last, "</svg>"):])
	}
	if !strings.Contains(updates[4], ">lesion: undone<") || !strings.Contains(updates[4], `data-roi="lesion">10,12 22,10<`) {
		t.Errorf("the view after undo: %s", updates[4][strings.Index(updates[4], "</svg>"):])
	}
}

// TestDrawROIsRefusedSave: saving before the lesion is closed says so and writes
// nothing; an ROI refused by the front end's step is reported in red.
func TestDrawROIsRefusedSave(t *testing.T) {
	path, in := dualManifest(t)
	f := &fakeROIFront{recorder: recorder{interactive: true}, msgs: []string{"1 hello", click(2, 10, 12), "3 save", "4 close", "5 frame 12"}}
	if err := drawROIs(f, path, "D1", &ROIDrawOptions{Frame: 0, Zoom: 8, Idle: time.Minute}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != in {
		t.Error("the manifest changed")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(path), "masks")); err == nil {
		t.Error("a masks folder was made")
	}
	var statuses []string
	for _, c := range f.calls {
		if i := strings.Index(c, `class="ceusrad-roi-status" style="color:#b00">`); i >= 0 {
			statuses = append(statuses, c[i+44:i+44+strings.Index(c[i+44:], "<")])
		}
	}
	want := []string{"close the lesion outline before saving", "too few vertices", "frame 12: want 0 to 11"}
	if len(statuses) != len(want) {
		t.Fatalf("error statuses %q", statuses)
	}
	for i, w := range want {
		if !strings.Contains(statuses[i], w) {
			t.Errorf("status %q, want %q", statuses[i], w)
		}
	}
}

// TestDrawROIsHeadless: without a front end the widget shows the frame (the tissue
// and contrast halves) and says that drawing needs Jupyter; nothing is written.
func TestDrawROIsHeadless(t *testing.T) {
	path, in := dualManifest(t)
	r := &recorder{}
	if err := drawROIs(r, path, "D1", nil); err != nil {
		t.Fatal(err)
	}
	if len(r.calls) != 2 || !strings.HasPrefix(r.calls[0], "html:") || !strings.Contains(r.calls[1], "drawing ROIs needs Jupyter") {
		t.Fatalf("calls %.200q", r.calls)
	}
	h := r.calls[0]
	if strings.Count(h, "<img") != 2 || strings.Contains(h, "<button") || !strings.Contains(h, "tissue image, region 1") || !strings.Contains(h, "contrast image, region right") {
		t.Errorf("view %.400s", h)
	}
	if got, _ := os.ReadFile(path); string(got) != in {
		t.Error("the manifest changed")
	}
	// An interactive Display without the widget's front end is headless too.
	r = &recorder{interactive: true}
	if err := drawROIs(r, path, "D1", nil); err != nil || len(r.calls) != 2 {
		t.Errorf("interactive without front end: %v, %d calls", err, len(r.calls))
	}
}

// TestDrawROIsRefusals: a missing patient, an unsafe patient_id, a frame out of range.
func TestDrawROIsRefusals(t *testing.T) {
	path, _ := dualManifest(t)
	for _, c := range []struct {
		patient string
		frame   int
		want    string
	}{
		{"D9", 0, `no row with patient_id "D9"`},
		{"../D1", 0, "a mask file is named after the patient_id"},
		{"D0", 0, "elsewhere.dcm"},
		{"D1", 12, "frame 12: the cine has 12 frames"},
	} {
		err := drawROIs(&recorder{}, path, c.patient, &ROIDrawOptions{Frame: c.frame})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s frame %d: %v, want %q", c.patient, c.frame, err, c.want)
		}
	}
}

// TestDrawRegion: the region drawn on is the one 2D region beside the analysed one.
func TestDrawRegion(t *testing.T) {
	c, err := imaging.OpenCine(dualtest.Cine(), imaging.CineOptions{Region: "right"})
	if err != nil {
		t.Fatal(err)
	}
	info := c.Info()
	c.Close()
	k, err := drawRegion(info)
	if err != nil {
		t.Fatal(err)
	}
	box := info.Regions[k].Bounds.Intersect(image.Rect(0, 0, 72, 40))
	if box != image.Rect(2, 6, 34, 38) {
		t.Errorf("region %d %v, want the left half (2,6)-(34,38)", k, box)
	}
	// With the tissue half analysed, the contrast half is drawn on.
	info.Selected = &imaging.RegionSelection{Spec: "0", Index: k, Box: box, Stored: image.Pt(72, 40)}
	if j, err := drawRegion(info); err != nil || j == k || info.Regions[j].Bounds.Min.X != 38 {
		t.Errorf("other way: %d, %v", j, err)
	}
}

// TestDrawROIsNeverOverwritesTheCine: a mask file that would land on the cine
// it was drawn on is refused at save; the cine and the manifest stay as they were.
func TestDrawROIsNeverOverwritesTheCine(t *testing.T) {
	dir := t.TempDir()
	cine := filepath.Join(dir, "masks", "D1_lesion.png") // a DICOM cine under a mask's name
	src, err := os.ReadFile(dualtest.Cine())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(cine), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cine, src, 0o644); err != nil {
		t.Fatal(err)
	}
	in := "patient_id,response,split,cine,bmode,lesion_mask,cine_region\nD1,OR,train,masks/D1_lesion.png,b.png,,right\n"
	path := filepath.Join(dir, "cohort.csv")
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	msgs := []string{"1 hello", click(2, 10, 12), click(3, 22, 10), click(4, 24, 24), "5 close", "6 save", "7 finish"}
	f := &fakeROIFront{recorder: recorder{interactive: true}, msgs: msgs}
	if err := drawROIs(f, path, "D1", &ROIDrawOptions{Frame: 0, Zoom: 8, Idle: time.Minute}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(cine); !bytes.Equal(got, src) {
		t.Error("the cine was overwritten by a mask")
	}
	if got, _ := os.ReadFile(path); string(got) != in {
		t.Error("the manifest changed")
	}
	refused := false
	for _, c := range f.calls {
		if strings.Contains(c, "ceusrad-roi-status") && strings.Contains(c, "input") {
			refused = true
		}
	}
	if !refused {
		t.Errorf("no refusal shown: %q", f.calls)
	}
}

// dualLeftRegion returns the tissue (left) region of the dual-display
// fixture, where the widget draws.
func dualLeftRegion(t *testing.T) *imaging.RegionSelection {
	t.Helper()
	c, err := imaging.OpenCine(dualtest.Cine(), imaging.CineOptions{Region: "left"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.Info().Selected
}
