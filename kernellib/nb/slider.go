package nb

import (
	"fmt"
	"os"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/widgets"
)

// HeadlessEnv is the environment variable that tells a notebook's cells
// that no one is looking: nbcheck sets it when it executes notebooks
// (make test, make reproduce), so that a Slider shows its first view at
// once instead of waiting for a browser that will never answer.
const HeadlessEnv = "CEUSRAD_HEADLESS"

// SliderIdleEnv names the environment variable with the number of seconds
// a Slider keeps listening after the last move (default 300).
const SliderIdleEnv = "CEUSRAD_SLIDER_IDLE"

// frontEndWait is how long a Slider waits for the browser's first message
// before it concludes that no front end is connected.
const frontEndWait = 5 * time.Second

// SliderOptions configure a Slider.
type SliderOptions struct {
	// Label is shown before the slider.
	Label string
	// Min, Max and Value are integer positions; Value is the first one
	// shown.
	Min, Max, Value int
	// Idle is how long the cell keeps listening after the last move; then
	// it ends and leaves the last view as a permanent output. Zero means
	// the CEUSRAD_SLIDER_IDLE environment variable (seconds), else five
	// minutes.
	Idle time.Duration
}

// sliderFrontEnd is a Display that can show a slider widget: values
// receives the positions the user picks (the latest only), stop removes
// the widget. ok is false when no front end answers.
type sliderFrontEnd interface {
	slider(label string, min, max, value int) (values <-chan int, stop func(), ok bool)
}

// Slider shows a view that a slider redraws: render(v) returns the HTML of
// position v (PlotHTML, ImageHTML, TableHTML pieces). In a notebook open in
// a browser the view is an output updated in place (through GoNB's widgets)
// while the cell listens, until it has been idle for SliderOptions.Idle or
// is interrupted; then the last view stays as a permanent output. Executed
// headless (HeadlessEnv set, or no browser answering within a few seconds)
// or on a terminal, it shows the first view with a note saying the slider
// works when the notebook is run interactively.
func Slider(o SliderOptions, render func(v int) (string, error)) error {
	return showSlider(Current(), o, render)
}

func showSlider(d Display, o SliderOptions, render func(v int) (string, error)) error {
	if o.Min > o.Max || o.Value < o.Min || o.Value > o.Max {
		return fmt.Errorf("nb: slider %q: value %d outside [%d, %d]", o.Label, o.Value, o.Min, o.Max)
	}
	idle := o.Idle
	if idle <= 0 {
		s, err := EnvInt(SliderIdleEnv, 300)
		if err != nil {
			return err
		}
		idle = time.Duration(s) * time.Second
	}
	first, err := render(o.Value)
	if err != nil {
		return err
	}
	fe, ok := d.(sliderFrontEnd)
	var values <-chan int
	var stop func()
	if ok && d.Interactive() {
		note := fmt.Sprintf("%s (listening until %s after the last move; interrupt the cell to stop)", o.Label, idle.Round(time.Second))
		values, stop, ok = fe.slider(note, o.Min, o.Max, o.Value)
	} else {
		ok = false
	}
	if !ok {
		d.HTML(first)
		d.Markdown(fmt.Sprintf("*%s: a slider redraws this view when the notebook runs in Jupyter.*", o.Label))
		return nil
	}
	defer stop()
	id := "ceusrad-slider-" + gonbui.UniqueID()
	last, cur := first, first
	d.UpdateHTML(id, last)
	timer := time.NewTimer(idle)
	defer timer.Stop()
loop:
	for {
		select {
		case v, open := <-values:
			if !open {
				break loop
			}
			h, err := render(min(max(v, o.Min), o.Max))
			if err != nil {
				h = `<pre style="color:#b00">` + escape(err.Error()) + `</pre>`
			} else {
				last = h
			}
			d.UpdateHTML(id, h)
			cur = h
			timer.Reset(idle)
		case <-timer.C:
			break loop
		}
	}
	if cur != last {
		d.UpdateHTML(id, last) // the last good view stays, in place
	}
	return nil
}

// slider builds a GoNB slider widget in a transient block under label.
// GoNB's SliderBuilder.Done waits for the browser's first message, which
// never comes when the notebook runs headless, so it is built in a
// goroutine and given frontEndWait to answer.
func (notebookDisplay) slider(label string, lo, hi, value int) (<-chan int, func(), bool) {
	if os.Getenv(HeadlessEnv) != "" {
		return nil, nil, false
	}
	// The widget lives in a transient output of its own, which an update
	// replaces by a note when it stops listening (dom.Remove's script can
	// be lost when the cell ends; an empty update would leave an empty
	// output in the saved notebook).
	out := "ceusrad-slider-widget-" + gonbui.UniqueID()
	div := out + "-div"
	gonbui.UpdateHTML(out, `<div id="`+div+`"><span style="font-family:sans-serif;font-size:small">`+escape(label)+`</span> </div>`)
	built := make(chan *widgets.SliderBuilder, 1)
	go func() { built <- widgets.Slider(lo, hi, value).AppendTo(div).Done() }()
	select {
	case s := <-built:
		ch := s.Listen().LatestOnly()
		closed := `<span style="font-family:sans-serif;font-size:small">slider closed: run the cell again to move it</span>`
		return ch.C, func() { ch.Close(); gonbui.UpdateHTML(out, closed); gonbui.Sync() }, true
	case <-time.After(frontEndWait):
		gonbui.UpdateHTML(out, "")
		return nil, nil, false
	}
}
