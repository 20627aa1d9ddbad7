package nb

import (
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"strings"
	"testing"
	"time"

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

// widgetRecorder is a recorder with a slider front end fed by a channel.
type widgetRecorder struct {
	recorder
	values   chan int
	stopped  bool
	label    string
	noAnswer bool
}

func (w *widgetRecorder) slider(label string, lo, hi, value int) (<-chan int, func(), bool) {
	w.label = label
	if w.noAnswer {
		return nil, nil, false
	}
	return w.values, func() { w.stopped = true }, true
}

func render(v int) (string, error) {
	if v == 13 {
		return "", errors.New("unlucky")
	}
	return fmt.Sprintf("<p>%d</p>", v), nil
}

func TestSliderInteractive(t *testing.T) {
	w := &widgetRecorder{recorder: recorder{interactive: true}, values: make(chan int, 8)}
	for _, v := range []int{3, 13, 99, 7} {
		w.values <- v
	}
	close(w.values)
	if err := showSlider(w, SliderOptions{Label: "threshold", Min: 0, Max: 20, Value: 5, Idle: time.Minute}, render); err != nil {
		t.Fatal(err)
	}
	if !w.stopped {
		t.Error("the widget was not removed")
	}
	if !strings.HasPrefix(w.label, "threshold (listening until 1m0s after the last move") {
		t.Errorf("label %q", w.label)
	}
	var got []string
	for _, c := range w.calls {
		got = append(got, c[:strings.Index(c, ":")]+c[strings.LastIndex(c, ":"):])
	}
	want := []string{"update:<p>5</p>", "update:<p>3</p>", `update:#b00">unlucky</pre>`, "update:<p>20</p>", "update:<p>7</p>"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("calls\n got %q\nwant %q", got, want)
	}
}

func TestSliderIdleEnds(t *testing.T) {
	w := &widgetRecorder{recorder: recorder{interactive: true}, values: make(chan int)}
	start := time.Now()
	if err := showSlider(w, SliderOptions{Label: "frame", Max: 3, Value: 1, Idle: 20 * time.Millisecond}, render); err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("an idle slider did not end")
	}
	if n := len(w.calls); n != 1 || w.calls[0] != "update:"+w.calls[0][len("update:"):len(w.calls[0])-len("<p>1</p>")]+"<p>1</p>" {
		t.Errorf("calls %q", w.calls)
	}
}

func TestSliderHeadless(t *testing.T) {
	for _, d := range []Display{
		&recorder{interactive: false},
		&recorder{interactive: true}, // no slider front end
		&widgetRecorder{recorder: recorder{interactive: true}, noAnswer: true},
	} {
		if err := showSlider(d, SliderOptions{Label: "threshold", Min: 0, Max: 10, Value: 4}, render); err != nil {
			t.Fatal(err)
		}
		var calls []string
		switch r := d.(type) {
		case *recorder:
			calls = r.calls
		case *widgetRecorder:
			calls = r.calls
		}
		if len(calls) != 2 || calls[0] != "html:<p>4</p>" || !strings.Contains(calls[1], "when the notebook runs in Jupyter") {
			t.Errorf("%T: calls %q", d, calls)
		}
	}
	if err := showSlider(&recorder{}, SliderOptions{Min: 0, Max: 10, Value: 11}, render); err == nil {
		t.Error("a value outside the range gave no error")
	}
	if err := showSlider(&recorder{}, SliderOptions{Min: 0, Max: 10, Value: 13}, render); err == nil {
		t.Error("a failing first view gave no error")
	}
}

func TestRow(t *testing.T) {
	got := Row("<p>a</p>", "<p>b</p>")
	want := `<div style="display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start"><div><p>a</p></div><div><p>b</p></div></div>`
	if got != want {
		t.Errorf("Row = %q", got)
	}
}
