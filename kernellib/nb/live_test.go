package nb

import (
	"encoding/base64"
	"image"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

func TestLivePlotNotebook(t *testing.T) {
	r := &recorder{interactive: true}
	l := NewLivePlotOn(r, 2*vg.Inch, 1*vg.Inch, 96)
	if err := l.Done(); err != nil { // nothing drawn yet: nothing shown
		t.Fatal(err)
	}
	if len(r.calls) != 0 {
		t.Fatalf("Done before Update: %q", r.calls)
	}
	r = &recorder{interactive: true}
	l = NewLivePlotOn(r, 2*vg.Inch, 1*vg.Inch, 96)
	for i := 0; i < 3; i++ {
		if err := l.Update(linePlot(t)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Done(); err != nil {
		t.Fatal(err)
	}
	if err := l.Update(linePlot(t)); err != nil { // after Done: ignored
		t.Fatal(err)
	}
	if len(r.calls) != 4 {
		t.Fatalf("calls %d, want 3 updates and the final PNG in place: %q", len(r.calls), r.calls)
	}
	for _, c := range r.calls[:3] {
		if !strings.HasPrefix(c, "update:"+l.id+`:<img src="data:image/png;base64,`) {
			t.Fatalf("update %.80q is not an inline PNG in the live output", c)
		}
	}
	if r.calls[3] != "updatepng:"+l.id {
		t.Fatalf("end of a live plot: %q, want the PNG in place of the live output", r.calls[3])
	}
	if r.pngSize[0] != [2]int{192, 96} {
		t.Errorf("final PNG shown at %v CSS pixels, want 192×96", r.pngSize[0])
	}
}

func TestLivePlotTerminal(t *testing.T) {
	r := &recorder{}
	l := NewLivePlotOn(r, 2*vg.Inch, 1*vg.Inch, 72)
	for i := 0; i < 3; i++ {
		if err := l.Update(linePlot(t)); err != nil {
			t.Fatal(err)
		}
	}
	if len(r.calls) != 0 {
		t.Fatalf("a terminal got live updates: %q", r.calls)
	}
	if err := l.Done(); err != nil {
		t.Fatal(err)
	}
	if len(r.calls) != 1 || r.calls[0] != "png" {
		t.Fatalf("terminal Done: %q", r.calls)
	}
}

func TestPlotAndImageHTML(t *testing.T) {
	h, err := PlotHTML(linePlot(t), 2*vg.Inch, 1*vg.Inch, 144)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(h, `width="192" height="96"/>`) {
		t.Errorf("PlotHTML size: %q", h[len(h)-40:])
	}
	img := image.NewGray(image.Rect(0, 0, 7, 5))
	h, err = ImageHTML(img)
	if err != nil {
		t.Fatal(err)
	}
	const pre = `<img src="data:image/png;base64,`
	b64 := strings.TrimPrefix(h[:strings.Index(h, `" width`)], pre)
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || string(b[1:4]) != "PNG" {
		t.Fatalf("ImageHTML does not carry a PNG: %v", err)
	}
	if !strings.HasSuffix(h, `width="7" height="5"/>`) {
		t.Errorf("ImageHTML size: %q", h[len(h)-30:])
	}
	if _, err := ImageHTML(nil); err == nil {
		t.Error("ImageHTML(nil) gave no error")
	}
}

func TestRow(t *testing.T) {
	got := Row("<p>a</p>", "<p>b</p>")
	want := `<div style="display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start"><div><p>a</p></div><div><p>b</p></div></div>`
	if got != want {
		t.Errorf("Row = %q", got)
	}
}
