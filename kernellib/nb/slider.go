package nb

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// SliderOptions configure a Slider.
type SliderOptions struct {
	// Label is shown before the slider.
	Label string
	// Min, Max and Value are integer positions; Value is the first one
	// shown.
	Min, Max, Value int
	// MaxViews bounds the number of views rendered and embedded (0:
	// DefaultSliderViews): a longer range is walked in even steps that
	// keep Min, Max and Value.
	MaxViews int
	// MaxBytes bounds the HTML output (0: DefaultSliderBytes); a Slider
	// whose views add up to more fails, saying by how much, rather than
	// swell the saved notebook.
	MaxBytes int
}

// DefaultSliderViews is the default SliderOptions.MaxViews.
const DefaultSliderViews = 100

// DefaultSliderBytes is the default SliderOptions.MaxBytes: 8 MiB.
const DefaultSliderBytes = 8 << 20

// Slider shows views that a slider switches between: render(v) returns the
// HTML of position v (PlotHTML, ImageHTML, TableHTML pieces, Row). Every
// position is rendered up front (a progress bar shows when that is slow)
// and embedded in one self-contained HTML output (SliderHTML): an
// <input type=range> and a few lines of inline JavaScript show the view of
// the position picked. The cell ends at once and the kernel is not needed
// to move the slider, so it works the same in Jupyter, in an executed
// notebook opened later and in its HTML export (nbconvert --to html).
//
// Where Jupyter runs no JavaScript (an untrusted notebook: one executed
// elsewhere, before File → Trust Notebook) the output shows the view of
// Value, the slider greyed out and a note saying how to make it move.
//
// Size: each view is embedded once, so the output is about the sum of the
// views (images in base64, 4/3 of their bytes), at most MaxViews views in
// at most MaxBytes. Measured on the synthetic cohort (package doc):
// 02_tic's cine slider, 60 views (frame as JPEG beside the curves as a
// paletted PNG), adds 2.9 MB to the executed notebook; 05_comparison's
// threshold slider, 40 views, 0.43 MB.
//
// On a terminal (a non-interactive Display) only the view of Value is
// rendered and shown, with a note.
func Slider(o SliderOptions, render func(v int) (string, error)) error {
	return showSlider(Current(), o, render)
}

func showSlider(d Display, o SliderOptions, render func(v int) (string, error)) error {
	if o.Min > o.Max || o.Value < o.Min || o.Value > o.Max {
		return fmt.Errorf("nb: slider %q: value %d outside [%d, %d]", o.Label, o.Value, o.Min, o.Max)
	}
	if !d.Interactive() {
		first, err := render(o.Value)
		if err != nil {
			return err
		}
		d.HTML(first)
		d.Markdown(fmt.Sprintf("*%s: a slider redraws this view in the notebook.*", o.Label))
		return nil
	}
	pos := sliderPositions(o)
	views := make([]string, len(pos))
	bar := NewProgressOn(d, o.Label+": rendering the slider's views", len(pos))
	defer bar.Done()
	for i, v := range pos {
		h, err := render(v)
		if err != nil {
			return fmt.Errorf("nb: slider %q at %d: %w", o.Label, v, err)
		}
		views[i] = h
		bar.Add(1)
	}
	h, err := SliderHTML(o, pos, views)
	if err != nil {
		return err
	}
	bar.Done()
	d.HTML(h)
	return nil
}

// sliderPositions returns the positions a Slider renders: every one from
// Min to Max when they are at most MaxViews, else MaxViews of them evenly
// spread, with Min, Max and Value among them (Value takes the place of the
// nearest inner step).
func sliderPositions(o SliderOptions) []int {
	n := o.Max - o.Min + 1
	m := o.MaxViews
	if m <= 0 {
		m = DefaultSliderViews
	}
	m = max(m, 3)
	pos := make([]int, min(n, m))
	near := 0
	for i := range pos {
		if n <= m {
			pos[i] = o.Min + i
			continue
		}
		pos[i] = o.Min + int(float64(i)*float64(n-1)/float64(m-1)+0.5)
		if abs(pos[i]-o.Value) < abs(pos[near]-o.Value) {
			near = i
		}
	}
	if n > m && pos[near] != o.Value {
		// Value lies strictly between Min and Max, nearer pos[near] than its
		// neighbours: it replaces it, or the inner neighbour of an end.
		pos[min(max(near, 1), len(pos)-2)] = o.Value
	}
	return pos
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// SliderHTML is the self-contained output of a Slider: views[i] is the
// HTML of position pos[i] (increasing), the view of o.Value (one of pos) is
// the one shown first. The views are <div class="ceusrad-slider-view">
// siblings, all but the first one shown marked hidden (an attribute that
// Jupyter's sanitiser keeps, unlike style); an inline script enables the
// range input, hides the note and shows the view of the position picked.
// It fails when the result exceeds o.MaxBytes (0: DefaultSliderBytes).
func SliderHTML(o SliderOptions, pos []int, views []string) (string, error) {
	if len(pos) == 0 || len(pos) != len(views) {
		return "", fmt.Errorf("nb: slider %q: %d positions for %d views, want as many, at least one", o.Label, len(pos), len(views))
	}
	first := -1
	for i, v := range pos {
		if i > 0 && v <= pos[i-1] {
			return "", fmt.Errorf("nb: slider %q: positions %d then %d, want them increasing", o.Label, pos[i-1], v)
		}
		if v == o.Value {
			first = i
		}
	}
	if first < 0 {
		return "", fmt.Errorf("nb: slider %q: value %d is not one of the %d positions", o.Label, o.Value, len(pos))
	}
	sum := sha256.New()
	sum.Write([]byte(o.Label))
	for _, v := range views {
		sum.Write([]byte(v))
	}
	id := "ceusrad-slider-" + hex.EncodeToString(sum.Sum(nil)[:8])
	var b strings.Builder
	b.WriteString(`<div class="ceusrad-slider" id="` + id + `">`)
	label := escape(o.Label)
	fmt.Fprintf(&b, `<div style="font-family:sans-serif;font-size:small;margin-bottom:4px"><label>%s `+
		`<input type="range" class="ceusrad-slider-range" min="0" max="%d" step="1" value="%d" disabled style="width:320px;vertical-align:middle"/></label> `+
		`<span class="ceusrad-slider-value">%d</span> <span class="ceusrad-slider-note"><i>(the view at %d: the slider moves when Jupyter runs the notebook's JavaScript — `+
		`trust the notebook (File → Trust Notebook) or run the cell)</i></span></div>`, label, len(pos)-1, first, o.Value, o.Value)
	for i, v := range views {
		hidden := ""
		if i != first {
			hidden = " hidden"
		}
		fmt.Fprintf(&b, `<div class="ceusrad-slider-view" data-value="%d"%s>%s</div>`, pos[i], hidden, v)
	}
	b.WriteString(`<script>` + strings.Replace(sliderScript, "@ID@", strconv.Quote(id), 1) + `</script></div>`)
	limit := o.MaxBytes
	if limit <= 0 {
		limit = DefaultSliderBytes
	}
	if b.Len() > limit {
		return "", fmt.Errorf("nb: slider %q: %d views take %d bytes, over the bound of %d: embed fewer views (SliderOptions.MaxViews) or smaller ones",
			o.Label, len(views), b.Len(), limit)
	}
	return b.String(), nil
}

// sliderScript wires every not yet wired slider output with the id given
// (the element may reach the page after its script runs, as in Jupyter
// Notebook, so it is looked for again for a few seconds).
const sliderScript = `(() => {
  const id = @ID@;
  const wire = (root) => {
    root.dataset.ready = "1";
    const range = root.querySelector("input.ceusrad-slider-range");
    const value = root.querySelector(".ceusrad-slider-value");
    const views = [...root.children].filter((e) => e.classList.contains("ceusrad-slider-view"));
    root.querySelector(".ceusrad-slider-note").hidden = true;
    range.disabled = false;
    range.addEventListener("input", () => {
      const k = Number(range.value);
      views.forEach((v, i) => { v.hidden = i !== k; });
      value.textContent = views[k].dataset.value;
    });
  };
  let tries = 0;
  const find = () => {
    const roots = [...document.querySelectorAll(".ceusrad-slider")].filter((e) => e.id === id && !e.dataset.ready);
    roots.forEach(wire);
    if (roots.length === 0 && ++tries < 50) setTimeout(find, 100);
  };
  find();
})();`
