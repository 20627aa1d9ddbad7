package nb

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
)

// Progress is a live progress bar for a long loop: count, percentage, rate
// and estimated time to completion. In a notebook it is a transient HTML
// block updated in place, which Done turns into a one-line summary (count
// and elapsed time) in the same place, so that the saved notebook records
// the final state and no empty output; on a terminal it is a text bar
// redrawn with carriage returns, in a log a line every few seconds
// (TextDisplay).
//
// A bar appears only once its work has lasted ShowAfter: in a notebook,
// work that ends sooner (hashing a cached cohort) or that was all reused
// (Done with no step counted: a cached cohort, cached features) shows
// nothing, rather than a line in every cell or a "0/130 done" that reads as
// if nothing worked. It is safe for concurrent use, so parallel workers can
// share one.
type Progress struct {
	mu       sync.Mutex
	d        Display
	id       string
	label    string
	total    int
	done     int
	start    time.Time
	last     time.Time
	now      func() time.Time
	interval time.Duration
	shown    bool
	drawn    int // the count last drawn
	timer    *time.Timer
	finished bool
}

// ShowAfter is how long a Progress waits before it draws its bar.
const ShowAfter = 500 * time.Millisecond

// NewProgress starts a progress bar for total steps on the current Display.
func NewProgress(label string, total int) *Progress {
	return newProgress(Current(), label, total, time.Now)
}

// NewProgressOn starts a progress bar for total steps on the Display d (a
// command line passes a TextDisplay on standard error).
func NewProgressOn(d Display, label string, total int) *Progress {
	return newProgress(d, label, total, time.Now)
}

func newProgress(d Display, label string, total int, now func() time.Time) *Progress {
	p := &Progress{d: d, id: "ceusrad-progress-" + gonbui.UniqueID(), label: label, total: total,
		now: now, interval: 200 * time.Millisecond}
	p.start = now()
	p.last = p.start
	// The bar appears after ShowAfter even when no step has ended by then
	// (a slow first step, such as an epoch).
	p.timer = time.AfterFunc(ShowAfter, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.finished && !p.shown {
			p.draw(p.now())
		}
	})
	return p
}

// draw shows the bar's current state; p.mu is held.
func (p *Progress) draw(t time.Time) {
	p.shown = true
	p.last = t
	p.drawn = p.done
	p.d.UpdateHTML(p.id, p.html(t))
}

// Add records n more completed steps and redraws the bar at most every
// 200 ms (and always on the last step) once it is shown.
func (p *Progress) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return
	}
	p.done += n
	t := p.now()
	switch {
	case !p.shown:
		if t.Sub(p.start) >= ShowAfter {
			p.draw(t)
		}
	case t.Sub(p.last) >= p.interval || p.done >= p.total:
		p.draw(t)
	}
}

// Func returns a callback func(done, total int) that sets the bar's count,
// the form in which ceusrad's library packages report progress. total
// replaces the bar's total when positive.
func (p *Progress) Func() func(done, total int) {
	return func(done, total int) {
		p.mu.Lock()
		if total > 0 {
			p.total = total
		}
		delta := done - p.done
		p.mu.Unlock()
		if delta > 0 {
			p.Add(delta)
		}
	}
}

// Done ends the bar. In a notebook the bar, when shown, is replaced in
// place by a one-line summary (count and elapsed time); a bar never shown
// (its work took less than ShowAfter, or was reused) shows nothing. On a
// terminal or in a log the final state is written (a command's user wants
// to know what was done, however quickly), unless no step was counted.
// Only the first call counts.
func (p *Progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return
	}
	p.finished = true
	p.timer.Stop()
	if !p.shown && (p.d.Interactive() || p.done == 0) {
		return
	}
	t := p.now()
	if p.d.Interactive() {
		p.d.UpdateHTML(p.id, `<div style="font-family:monospace">`+escape(p.summary(t))+`</div>`)
		return
	}
	if !p.shown || p.drawn != p.done { // else the final state is drawn already
		p.d.UpdateHTML(p.id, p.html(t))
	}
	p.d.UpdateHTML(p.id, "")
}

// State is the numbers a progress bar shows.
type State struct {
	Done, Total int
	Elapsed     time.Duration
}

// Rate is the steps per second so far (0 before any time has passed).
func (s State) Rate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Done) / s.Elapsed.Seconds()
}

// ETA is the estimated time left at the current rate; −1 when unknown.
func (s State) ETA() time.Duration {
	r := s.Rate()
	if r <= 0 || s.Total <= 0 {
		return -1
	}
	left := s.Total - s.Done
	if left < 0 {
		left = 0
	}
	return time.Duration(float64(left) / r * float64(time.Second))
}

// Fraction is Done/Total clipped to [0, 1].
func (s State) Fraction() float64 {
	if s.Total <= 0 {
		return 0
	}
	return min(1, max(0, float64(s.Done)/float64(s.Total)))
}

// Text formats the state as a one-line text bar of the given width, e.g.
// "bootstrap [#########-----------]  45% 900/2000  312.4/s  ETA 3.5s".
func (s State) Text(label string, width int) string {
	fill := int(s.Fraction()*float64(width) + 0.5)
	eta := "ETA ?"
	if e := s.ETA(); e >= 0 {
		eta = "ETA " + shortDuration(e)
	}
	return fmt.Sprintf("%s [%s%s] %3.0f%% %d/%d  %.1f/s  %s", label, strings.Repeat("#", fill),
		strings.Repeat("-", width-fill), 100*s.Fraction(), s.Done, s.Total, s.Rate(), eta)
}

// HTML formats the state as an HTML progress element with the same text.
func (s State) HTML(label string) string {
	eta := "?"
	if e := s.ETA(); e >= 0 {
		eta = shortDuration(e)
	}
	return fmt.Sprintf(`<div style="font-family:monospace">%s <progress value="%d" max="%d" style="width:240px"></progress> %3.0f%% %d/%d &nbsp;%.1f/s &nbsp;ETA %s</div>`,
		escape(label), s.Done, max(s.Total, 1), 100*s.Fraction(), s.Done, s.Total, s.Rate(), eta)
}

func (p *Progress) state(t time.Time) State {
	return State{Done: p.done, Total: p.total, Elapsed: t.Sub(p.start)}
}

func (p *Progress) html(t time.Time) string {
	if p.d.Interactive() {
		return p.state(t).HTML(p.label)
	}
	return escape(p.state(t).Text(p.label, 30))
}

func (p *Progress) summary(t time.Time) string {
	s := p.state(t)
	return fmt.Sprintf("%s: %d/%d done in %s (%.1f/s)", p.label, s.Done, s.Total, shortDuration(s.Elapsed), s.Rate())
}

// shortDuration prints a duration rounded for humans: 850ms, 3.5s, 2m05s, 1h02m.
func shortDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}
