package nb

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"regexp"
	"strings"
	"testing"
)

func render(v int) (string, error) {
	if v == 13 {
		return "", errors.New("unlucky")
	}
	return fmt.Sprintf("<p>%d</p>", v), nil
}

// views returns the positions of the views in a Slider's HTML and which
// are shown (not hidden).
func sliderViews(t *testing.T, h string) (pos []string, shown []string) {
	t.Helper()
	re := regexp.MustCompile(`<div class="ceusrad-slider-view" data-value="(\d+)"( hidden)?><p>(\d+)</p></div>`)
	for _, m := range re.FindAllStringSubmatch(h, -1) {
		if m[1] != m[3] {
			t.Errorf("view of position %s shows %s", m[1], m[3])
		}
		pos = append(pos, m[1])
		if m[2] == "" {
			shown = append(shown, m[1])
		}
	}
	if n := strings.Count(h, `class="ceusrad-slider-view"`); n != len(pos) {
		t.Errorf("%d views, %d of them well formed", n, len(pos))
	}
	return pos, shown
}

func TestSliderEveryView(t *testing.T) {
	r := &recorder{interactive: true}
	if err := showSlider(r, SliderOptions{Label: "threshold <t>", Min: 0, Max: 12, Value: 5}, render); err != nil {
		t.Fatal(err)
	}
	if len(r.calls) != 1 || !strings.HasPrefix(r.calls[0], "html:") {
		t.Fatalf("calls %q, want one HTML output", r.calls)
	}
	h := strings.TrimPrefix(r.calls[0], "html:")
	pos, shown := sliderViews(t, h)
	if got := strings.Join(pos, ","); got != "0,1,2,3,4,5,6,7,8,9,10,11,12" {
		t.Errorf("positions %s, want every one of 0…12", got)
	}
	if len(shown) != 1 || shown[0] != "5" {
		t.Errorf("views shown %q, want the one of Value (5) alone", shown)
	}
	for _, want := range []string{
		`<input type="range" class="ceusrad-slider-range" min="0" max="12" step="1" value="5" disabled`,
		`<span class="ceusrad-slider-value">5</span>`,
		`threshold &lt;t&gt;`, // the label escaped
		`<script>(() => {`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("the output lacks %q", want)
		}
	}
	if strings.Contains(h, "http") || strings.Contains(h, " src=") {
		t.Error("the output refers to an external resource")
	}
	// The same views give the same output (a stable id), other views another id.
	h2, err := SliderHTML(SliderOptions{Label: "threshold <t>", Value: 5}, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
		[]string{"<p>0</p>", "<p>1</p>", "<p>2</p>", "<p>3</p>", "<p>4</p>", "<p>5</p>", "<p>6</p>", "<p>7</p>", "<p>8</p>", "<p>9</p>", "<p>10</p>", "<p>11</p>", "<p>12</p>"})
	if err != nil || h2 != h {
		t.Errorf("SliderHTML of the same views differs (%v)", err)
	}
	id := regexp.MustCompile(`id="(ceusrad-slider-[0-9a-f]{16})"`).FindStringSubmatch(h)
	if id == nil || !strings.Contains(h, `const id = "`+id[1]+`";`) {
		t.Errorf("the script does not look for its output's id %v", id)
	}
}

func TestSliderPositions(t *testing.T) {
	for _, c := range []struct {
		o    SliderOptions
		want string
	}{
		{SliderOptions{Min: 3, Max: 6, Value: 4}, "[3 4 5 6]"},
		{SliderOptions{Max: 20, Value: 10, MaxViews: 5}, "[0 5 10 15 20]"},
		{SliderOptions{Max: 20, Value: 7, MaxViews: 5}, "[0 7 10 15 20]"},      // Value replaces the nearest step
		{SliderOptions{Max: 20, Value: 1, MaxViews: 5}, "[0 1 10 15 20]"},      // next to Min: the inner step goes
		{SliderOptions{Max: 20, Value: 19, MaxViews: 5}, "[0 5 10 19 20]"},     // next to Max
		{SliderOptions{Max: 260, Value: 100, MaxViews: 3}, "[0 100 260]"},      // at least 3
		{SliderOptions{Min: 2, Max: 2, Value: 2}, "[2]"},                       // one position
		{SliderOptions{Max: 1000, Value: 0}, fmt.Sprint(evenly(0, 1000, 100))}, // the default bound
	} {
		if got := fmt.Sprint(sliderPositions(c.o)); got != c.want {
			t.Errorf("%+v: positions %s, want %s", c.o, got, c.want)
		}
	}
}

func evenly(lo, hi, n int) []int {
	var p []int
	for i := 0; i < n; i++ {
		p = append(p, lo+int(float64(i)*float64(hi-lo)/float64(n-1)+0.5))
	}
	return p
}

func TestSliderBounded(t *testing.T) {
	r := &recorder{interactive: true}
	calls := 0
	count := func(v int) (string, error) { calls++; return render(v) }
	if err := showSlider(r, SliderOptions{Label: "frame", Max: 260, Value: 100, MaxViews: 30}, count); err != nil {
		t.Fatal(err)
	}
	pos, shown := sliderViews(t, strings.TrimPrefix(r.calls[0], "html:"))
	if len(pos) != 30 || calls != 30 || pos[0] != "0" || pos[29] != "260" || len(shown) != 1 || shown[0] != "100" {
		t.Errorf("%d views (%d rendered) from %s to %s, shown %q; want 30 from 0 to 260, 100 shown", len(pos), calls, pos[0], pos[len(pos)-1], shown)
	}
	big := func(v int) (string, error) { return strings.Repeat("x", 1000), nil }
	err := showSlider(&recorder{interactive: true}, SliderOptions{Label: "frame", Max: 9, MaxBytes: 5000}, big)
	if err == nil || !strings.Contains(err.Error(), "over the bound of 5000") {
		t.Errorf("10 views of 1000 bytes under a bound of 5000: %v", err)
	}
	if err := showSlider(&recorder{interactive: true}, SliderOptions{Label: "frame", Max: 9, MaxBytes: 20000}, big); err != nil {
		t.Errorf("10 views of 1000 bytes under a bound of 20000: %v", err)
	}
}

func TestSliderTerminalAndErrors(t *testing.T) {
	r := &recorder{}
	calls := 0
	count := func(v int) (string, error) { calls++; return render(v) }
	if err := showSlider(r, SliderOptions{Label: "threshold", Min: 0, Max: 10, Value: 4}, count); err != nil {
		t.Fatal(err)
	}
	if calls != 1 || len(r.calls) != 2 || r.calls[0] != "html:<p>4</p>" || !strings.Contains(r.calls[1], "a slider redraws this view") {
		t.Errorf("terminal: %d views rendered, calls %q; want the view of Value and a note", calls, r.calls)
	}
	if err := showSlider(&recorder{}, SliderOptions{Min: 0, Max: 10, Value: 11}, render); err == nil {
		t.Error("a value outside the range gave no error")
	}
	err := showSlider(&recorder{interactive: true}, SliderOptions{Label: "t", Min: 0, Max: 20, Value: 2}, render)
	if err == nil || !strings.Contains(err.Error(), `slider "t" at 13: unlucky`) {
		t.Errorf("a failing view: %v", err)
	}
	for _, c := range []struct {
		pos   []int
		views []string
	}{{nil, nil}, {[]int{1, 2}, []string{"a"}}, {[]int{2, 1}, []string{"a", "b"}}, {[]int{0, 2}, []string{"a", "b"}}} {
		if _, err := SliderHTML(SliderOptions{Value: 1}, c.pos, c.views); err == nil {
			t.Errorf("SliderHTML(%v, %q) with Value 1 gave no error", c.pos, c.views)
		}
	}
}

func TestImageJPEGHTML(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 30, 20))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	h, err := ImageJPEGHTML(img)
	if err != nil {
		t.Fatal(err)
	}
	const pre = `<img src="data:image/jpeg;base64,`
	if !strings.HasPrefix(h, pre) || !strings.HasSuffix(h, `" width="30" height="20"/>`) {
		t.Fatalf("ImageJPEGHTML = %.60q…", h)
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(h[:strings.Index(h, `" width`)], pre))
	if err != nil {
		t.Fatal(err)
	}
	got, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil || got.Bounds().Dx() != 30 || got.Bounds().Dy() != 20 {
		t.Fatalf("ImageJPEGHTML does not carry a 30×20 JPEG: %v", err)
	}
	if _, err := ImageJPEGHTML(nil); err == nil {
		t.Error("ImageJPEGHTML(nil) gave no error")
	}
}
