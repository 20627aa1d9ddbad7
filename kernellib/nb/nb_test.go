package nb

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// recorder is a Display that records every call.
type recorder struct {
	interactive bool
	calls       []string // kind:payload
	pngs        [][]byte
	pngSize     [][2]int
}

func (r *recorder) HTML(h string)           { r.calls = append(r.calls, "html:"+h) }
func (r *recorder) UpdateHTML(id, h string) { r.calls = append(r.calls, "update:"+id+":"+h) }
func (r *recorder) Markdown(md string)      { r.calls = append(r.calls, "md:"+md) }
func (r *recorder) UpdatePNG(id string, b []byte, w, h int) {
	r.calls = append(r.calls, "updatepng:"+id)
	r.pngs = append(r.pngs, b)
	r.pngSize = append(r.pngSize, [2]int{w, h})
}
func (r *recorder) SVG(s string)      { r.calls = append(r.calls, "svg:"+s) }
func (r *recorder) Text(s string)     { r.calls = append(r.calls, "text:"+s) }
func (r *recorder) Interactive() bool { return r.interactive }
func (r *recorder) PNG(b []byte, w, h int) {
	r.calls = append(r.calls, "png")
	r.pngs = append(r.pngs, b)
	r.pngSize = append(r.pngSize, [2]int{w, h})
}

func use(t *testing.T, d Display) {
	prev := SetDisplay(d)
	t.Cleanup(func() { SetDisplay(prev) })
}

func linePlot(t *testing.T) *plot.Plot {
	p := plot.New()
	p.Title.Text = "test"
	l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	if err != nil {
		t.Fatal(err)
	}
	p.Add(l)
	return p
}

func TestPlotPNGSizeAndDPI(t *testing.T) {
	p := linePlot(t)
	for _, c := range []struct {
		dpi          int
		wantW, wantH int
	}{{72, 288, 216}, {96, 384, 288}, {300, 1200, 900}} {
		b, err := PlotPNG(p, 4*vg.Inch, 3*vg.Inch, c.dpi)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("dpi %d: not a PNG: %v", c.dpi, err)
		}
		if got := img.Bounds().Size(); got.X != c.wantW || got.Y != c.wantH {
			t.Errorf("dpi %d: %v pixels, want %dx%d", c.dpi, got, c.wantW, c.wantH)
		}
	}
	if _, err := PlotPNG(p, 0, vg.Inch, 96); err == nil {
		t.Error("zero width: no error")
	}
	if _, err := PlotPNG(nil, vg.Inch, vg.Inch, 96); err == nil {
		t.Error("nil plot: no error")
	}
}

func TestPlotShowsSizedPNG(t *testing.T) {
	r := &recorder{interactive: true}
	use(t, r)
	if err := Plot(linePlot(t), 4*vg.Inch, 3*vg.Inch, 300); err != nil {
		t.Fatal(err)
	}
	if len(r.pngs) != 1 {
		t.Fatalf("calls %v, want one PNG", r.calls)
	}
	if r.pngSize[0] != [2]int{384, 288} {
		t.Errorf("shown at %v CSS pixels, want 384x288 (4x3 inches at 96/inch)", r.pngSize[0])
	}
}

func TestPlotSVG(t *testing.T) {
	s, err := PlotSVG(linePlot(t), 4*vg.Inch, 3*vg.Inch)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s, "<svg") || !strings.Contains(s, "test") {
		t.Errorf("not an SVG with the title: %.200s", s)
	}
	r := &recorder{interactive: true}
	use(t, r)
	if err := PlotSVGInline(linePlot(t), vg.Inch, vg.Inch); err != nil || len(r.calls) != 1 || !strings.HasPrefix(r.calls[0], "svg:<") {
		t.Errorf("PlotSVGInline: err %v, calls %.80q", err, r.calls)
	}
}

func testFrame() dataframe.DataFrame {
	return dataframe.New(
		series.New([]string{"P1", "P2<b>", "P3"}, series.String, "patient_id"),
		series.New([]float64{0.123456, math.NaN(), 12345.678}, series.Float, "auc"),
		series.New([]int{1, 2, 3}, series.Int, "n"),
	)
}

func TestTableHTML(t *testing.T) {
	h, err := TableHTML(testFrame(), TableOptions{Caption: "Table 1 & more", MaxRows: 2, Digits: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<caption", "Table 1 &amp; more", "<th", ">patient_id</th>", ">0.123</td>",
		"P2&lt;b&gt;", ">NA</td>", "… 1 more rows (3 in all)", "text-align:right",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("table HTML lacks %q:\n%s", want, h)
		}
	}
	if strings.Contains(h, "P3") {
		t.Error("row limit 2 but the third row is shown")
	}
	h, _ = TableHTML(testFrame(), TableOptions{Format: "%.1f", MaxRows: -1})
	if !strings.Contains(h, ">12345.7</td>") || !strings.Contains(h, "P3") {
		t.Errorf("Format %%.1f and all rows: %s", h)
	}
}

func TestTableText(t *testing.T) {
	s, err := TableText(testFrame(), TableOptions{Digits: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := "patient_id      auc  n\n" +
		"P1             0.12  1\n" +
		"P2<b>            NA  2\n" +
		"P3          1.2e+04  3\n"
	if s != want {
		t.Errorf("text table:\n%s\nwant:\n%s", s, want)
	}
	bad := dataframe.DataFrame{Err: errString("ragged rows")}
	if _, err := TableText(bad, TableOptions{}); err == nil {
		t.Error("DataFrame with an error: no error")
	}
}

func TestTableChoosesHTMLInNotebook(t *testing.T) {
	r := &recorder{interactive: true}
	use(t, r)
	if err := Table(testFrame(), TableOptions{}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	use(t, NewTextDisplay(&buf))
	if err := Table(testFrame(), TableOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(r.calls) != 1 || !strings.HasPrefix(r.calls[0], "html:<table") {
		t.Errorf("notebook calls %.60q", r.calls)
	}
	if !strings.HasPrefix(buf.String(), "patient_id") {
		t.Errorf("terminal output %q", buf.String())
	}
}

func TestMarkdownAndError(t *testing.T) {
	r := &recorder{interactive: true}
	use(t, r)
	Markdownf("AUC = $%.2f$", 0.93)
	Error(nil)
	Error(errString("bad <file>"))
	if len(r.calls) != 2 || r.calls[0] != "md:AUC = $0.93$" || !strings.Contains(r.calls[1], "bad &lt;file&gt;") {
		t.Errorf("calls %q", r.calls)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

// fakeClock advances by step at every call.
type fakeClock struct {
	t    time.Time
	step time.Duration
}

func (c *fakeClock) now() time.Time { c.t = c.t.Add(c.step); return c.t }

func TestProgressNotebook(t *testing.T) {
	r := &recorder{interactive: true}
	clk := &fakeClock{t: time.Unix(0, 0), step: 100 * time.Millisecond}
	p := newProgress(r, "bootstrap", 10, clk.now)
	for i := 0; i < 10; i++ {
		p.Add(1)
	}
	p.Done()
	p.Done() // idempotent
	updates := 0
	for _, c := range r.calls {
		if !strings.HasPrefix(c, "update:"+p.id+":") {
			t.Errorf("a call other than an in-place update: %q", c)
		}
		if c == "update:"+p.id+":" {
			t.Errorf("the bar was removed, leaving an empty output: %q", r.calls)
		}
		updates++
	}
	// drawn once ShowAfter (500 ms of fake time, each Add 100 ms) has
	// passed, then every 200 ms, the last step, and the summary in place.
	if updates < 3 || updates > 8 {
		t.Errorf("%d in-place updates for 10 steps with throttling, calls %q", updates, r.calls)
	}
	if last := r.calls[len(r.calls)-1]; !strings.Contains(last, "bootstrap: 10/10 done") || strings.Contains(last, "<progress") {
		t.Errorf("the bar did not end as its summary, in place: %q", last)
	}
}

func TestProgressQuickOrCached(t *testing.T) {
	// Work reused from a cache: no step counted, nothing shown at all.
	r := &recorder{interactive: true}
	clk := &fakeClock{t: time.Unix(0, 0), step: time.Millisecond}
	newProgress(r, "simulating patients", 130, clk.now).Done()
	if len(r.calls) != 0 {
		t.Errorf("a bar with no step counted showed %q", r.calls)
	}
	// Work done before ShowAfter (hashing a cached cohort): nothing either.
	p := newProgress(r, "features", 4, clk.now)
	p.Func()(4, 0)
	p.Done()
	if len(r.calls) != 0 {
		t.Errorf("quick work showed %q", r.calls)
	}
	// On a terminal, nothing for a reused result, the final state for quick
	// work.
	var buf bytes.Buffer
	newProgress(newTextDisplay(&buf, true, clk.now), "cines", 9, clk.now).Done()
	if buf.Len() != 0 {
		t.Errorf("terminal: a bar with no step counted wrote %q", buf.String())
	}
	p = newProgress(newTextDisplay(&buf, true, clk.now), "cines", 9, clk.now)
	p.Add(9)
	p.Done()
	if !strings.Contains(buf.String(), "100% 9/9") || !strings.HasSuffix(buf.String(), "\n") {
		t.Errorf("terminal: quick work wrote %q, want its final state", buf.String())
	}
}

func TestProgressTerminal(t *testing.T) {
	var buf bytes.Buffer
	clk := &fakeClock{t: time.Unix(0, 0), step: time.Second}
	p := newProgress(newTextDisplay(&buf, true, clk.now), "folds", 4, clk.now)
	cb := p.Func()
	cb(2, 0)
	cb(4, 0)
	p.Done()
	out := buf.String()
	if !strings.Contains(out, "\rfolds [###############---------------]  50% 2/4") {
		t.Errorf("half-way bar missing: %q", out)
	}
	if !strings.Contains(out, "100% 4/4") || !strings.HasSuffix(out, "\n") {
		t.Errorf("final bar or newline missing: %q", out)
	}
}

// TestProgressLogFinalOnce: in a log, a bar whose last step is written at
// once (long after the line before) does not write its final state again
// when it ends.
func TestProgressLogFinalOnce(t *testing.T) {
	var buf bytes.Buffer
	clk := &fakeClock{t: time.Unix(0, 0), step: 7 * time.Second}
	p := newProgress(newTextDisplay(&buf, false, clk.now), "splits", 2, clk.now)
	p.Add(1)
	p.Add(1)
	p.Done()
	if n := strings.Count(buf.String(), "2/2"); n != 1 {
		t.Errorf("the final state written %d times: %q", n, buf.String())
	}
}

func TestProgressLog(t *testing.T) {
	// Standard error redirected to a log: whole lines, one per LogInterval,
	// and the final state always.
	var buf bytes.Buffer
	clk := &fakeClock{t: time.Unix(0, 0), step: time.Second}
	logClk := &fakeClock{t: time.Unix(0, 0), step: time.Second} // one step per redraw
	p := newProgress(newTextDisplay(&buf, false, logClk.now), "splits", 30, clk.now)
	for i := 0; i < 30; i++ {
		p.Add(1)
	}
	p.Done()
	out := buf.String()
	if strings.Contains(out, "\r") {
		t.Errorf("carriage returns in a log: %q", out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	// 30 steps of about 1 s each: a line about every 5 s, and the last.
	if len(lines) < 5 || len(lines) > 9 {
		t.Errorf("%d lines for 30 s of work, want about one per %v: %q", len(lines), LogInterval, out)
	}
	if !strings.Contains(lines[len(lines)-1], "100% 30/30") {
		t.Errorf("last line is not the final state: %q", lines[len(lines)-1])
	}
	if NewTextDisplay(&buf).tty {
		t.Error("a bytes.Buffer taken for a terminal")
	}
}

func TestState(t *testing.T) {
	s := State{Done: 50, Total: 200, Elapsed: 10 * time.Second}
	if s.Rate() != 5 || s.ETA() != 30*time.Second || s.Fraction() != 0.25 {
		t.Errorf("rate %v eta %v fraction %v", s.Rate(), s.ETA(), s.Fraction())
	}
	if got := s.Text("x", 8); got != "x [##------]  25% 50/200  5.0/s  ETA 30.0s" {
		t.Errorf("Text = %q", got)
	}
	if (State{Total: 3}).ETA() != -1 {
		t.Error("ETA with no time elapsed should be unknown")
	}
	for d, want := range map[time.Duration]string{850 * time.Millisecond: "850ms", 125 * time.Second: "2m05s", 62 * time.Minute: "1h02m"} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestDirAndEnvInt(t *testing.T) {
	t.Setenv("GONB_DIR", "/some/notebooks")
	if Dir() != "/some/notebooks" {
		t.Errorf("Dir() = %q", Dir())
	}
	t.Setenv("CEUSRAD_TEST_N", "")
	if v, err := EnvInt("CEUSRAD_TEST_N", 7); v != 7 || err != nil {
		t.Errorf("unset: %v %v", v, err)
	}
	t.Setenv("CEUSRAD_TEST_N", "250")
	if v, err := EnvInt("CEUSRAD_TEST_N", 7); v != 250 || err != nil {
		t.Errorf("250: %v %v", v, err)
	}
	t.Setenv("CEUSRAD_TEST_N", "-3")
	if _, err := EnvInt("CEUSRAD_TEST_N", 7); err == nil || !strings.Contains(err.Error(), "CEUSRAD_TEST_N") {
		t.Errorf("negative: %v", err)
	}
}

func TestImage(t *testing.T) {
	r := &recorder{interactive: true}
	use(t, r)
	if err := Image(image.NewGray(image.Rect(0, 0, 7, 5))); err != nil {
		t.Fatal(err)
	}
	if len(r.pngs) != 1 || r.pngSize[0] != [2]int{0, 0} {
		t.Fatalf("calls %v sizes %v", r.calls, r.pngSize)
	}
	img, err := png.Decode(bytes.NewReader(r.pngs[0]))
	if err != nil || img.Bounds().Dx() != 7 {
		t.Errorf("decoded %v, %v", img.Bounds(), err)
	}
	if Image(nil) == nil {
		t.Error("nil image: no error")
	}
}
