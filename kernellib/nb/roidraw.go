package nb

import (
	"encoding/base64"
	"fmt"
	"image"
	"math"
	"os"
	"strings"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/comms"
	"github.com/janpfeifer/gonb/gonbui/dom"

	"github.com/ceusrad/ceusrad/kernellib/roi"
)

// PeakFrame, as ROIDrawOptions.Frame, shows the cine's peak-enhancement frame first.
const PeakFrame = -1

// ROIDrawOptions configure DrawROIs.
type ROIDrawOptions struct {
	// Frame is the frame shown first, 0-based, or PeakFrame (the default of
	// DefaultROIDrawOptions): the frame at the time to peak of the analysed
	// image's curve.
	Frame int
	// Zoom is the number of screen pixels per image pixel; 0 chooses one that
	// shows the image about 480 pixels wide (1 to 16).
	Zoom int
	// Idle is how long the cell keeps listening after the last click (0:
	// CEUSRAD_SLIDER_IDLE seconds, else five minutes).
	Idle time.Duration
	// Reader is who draws: 0 or 1 the first reader (lesion_mask and
	// liver_mask), 2 a second reader re-drawing the lesion for the
	// inter-reader agreement (study.InterReaderAgreement): Save writes
	// masks/<patient>_lesion_2.png and fills lesion_mask_2, and refuses a
	// liver outline (the liver reference region is the first reader's; the
	// manifest has no second liver column).
	Reader int
}

// DefaultROIDrawOptions are the options DrawROIs uses when given none: the
// peak-enhancement frame first, the zoom chosen for the image, the default idle time.
func DefaultROIDrawOptions() ROIDrawOptions { return ROIDrawOptions{Frame: PeakFrame} }

// HeadlessEnv is the environment variable that tells a notebook's cells
// that no one is looking: nbcheck sets it when it executes notebooks
// (make test, make reproduce), so that the ROI widget does not wait for a
// browser that will never answer.
const HeadlessEnv = "CEUSRAD_HEADLESS"

// SliderIdleEnv names the environment variable with the number of seconds
// the ROI widget (DrawROIs) keeps listening after the last message (default
// 300). The name dates from when Slider, too, held its cell.
const SliderIdleEnv = "CEUSRAD_SLIDER_IDLE"

// roiFrontEnd is a Display whose front end can send the widget's messages
// (clicks, buttons, the frame slider) back: msgs receives them, stop ends the
// listening. ok is false when no front end answers.
type roiFrontEnd interface {
	roiMessages(address string) (msgs <-chan string, stop func(), ok bool)
}

// DrawROIs is the ROI drawing widget: it shows a frame of the cine of patient (a
// patient_id of the manifest at manifestPath; its masks may be missing), a slider to
// pick the frame (the peak-enhancement frame first), and lets the user click the
// vertices of two polygons — the lesion and a liver reference region — with
// buttons to pick the ROI, undo the last step, close the outline and clear it.
// Save writes each closed outline's mask beside the manifest,
// masks/<patient>_lesion.png and masks/<patient>_liver.png, and fills the manifest's
// lesion_mask and liver_mask columns with them (the rest of the manifest byte for
// byte; every file written atomically); Finish ends the cell. With
// ROIDrawOptions.Reader 2 it is a second reader's session: the lesion outline
// goes to masks/<patient>_lesion_2.png and lesion_mask_2.
//
// On a dual display (the manifest's cine_region names the contrast half) the
// outlines are drawn on the other half, the tissue (B-mode) image where the anatomy
// shows, and shown at the same offset on the contrast half; the masks are saved in
// full-frame coordinates with the ROI on the tissue half, which imaging.MaskForCine
// moves to the contrast half for analysis (CEUS quantification software mirrors ROIs
// between the two images the same way). A mask is exactly the one ceusrad roi
// writes for the same vertices (-region for the half drawn on, -frame for the
// frame): both rasterise with roi.RasterizeIn, as skimage.draw.polygon does.
// Vertices are in roi's coordinates (pixel centres at integers), on a grid of
// VertexStep pixels; the widget lists them in ceusrad roi's -polygon syntax.
//
// It works in Jupyter through GoNB's comms; executed headless (HeadlessEnv, or
// no browser answering within a few seconds) or outside a notebook it shows the
// frame and says that drawing needs Jupyter, and writes nothing.
func DrawROIs(manifestPath, patient string, o *ROIDrawOptions) error {
	return drawROIs(Current(), manifestPath, patient, o)
}

// roiWidget is a drawing session: the patient, the state the clicks change, what is
// shown.
type roiWidget struct {
	src     *roiSource
	st      *roiState
	frame   int
	peak    int    // the peak-enhancement frame, −1 when unknown
	peakErr string // why it is unknown
	zoom    int
	address string
	status  string // the last step's outcome
	failed  bool   // whether status is an error
	saved   []string
}

func drawROIs(d Display, manifestPath, patient string, o *ROIDrawOptions) error {
	if o == nil {
		def := DefaultROIDrawOptions()
		o = &def
	}
	idle, err := listenIdle(o.Idle)
	if err != nil {
		return err
	}
	if o.Reader < 0 || o.Reader > 2 {
		return fmt.Errorf("nb: DrawROIs: reader %d: want 1 (or 0) for the first reader, 2 for the second", o.Reader)
	}
	src, err := openROISource(manifestPath, patient)
	if err != nil {
		return err
	}
	src.reader = o.Reader
	w := &roiWidget{src: src, st: newROIState(src.w, src.h), peak: -1, zoom: o.Zoom,
		address: "/ceusrad/roi/" + gonbui.UniqueID()}
	if w.zoom <= 0 {
		w.zoom = min(max(int(math.Round(480/float64(src.w))), 1), 16)
	}
	if pk, err := src.peakFrame(); err == nil {
		w.peak = pk
	} else {
		w.peakErr = err.Error()
	}
	switch {
	case o.Frame >= 0:
		w.frame = o.Frame
	case w.peak >= 0:
		w.frame = w.peak
	}
	if w.frame >= src.frames {
		return fmt.Errorf("nb: DrawROIs: frame %d: the cine has %d frames (0 to %d)", w.frame, src.frames, src.frames-1)
	}
	var msgs <-chan string
	stop := func() {}
	fe, ok := d.(roiFrontEnd)
	if ok && d.Interactive() {
		msgs, stop, ok = fe.roiMessages(w.address)
	} else {
		ok = false
	}
	if !ok {
		h, err := w.render(false)
		if err != nil {
			return err
		}
		d.HTML(h)
		d.Markdown(fmt.Sprintf("*Patient %s: drawing ROIs needs Jupyter — run this notebook in Jupyter Notebook to click the outlines; nothing was saved.*", escape(patient)))
		return nil
	}
	defer stop()
	id := "ceusrad-roi-" + gonbui.UniqueID()
	w.status = "click the lesion's vertices on the tissue image, then Close"
	if err := w.show(d, id); err != nil {
		return err
	}
	timer := time.NewTimer(idle)
	defer timer.Stop()
loop:
	for {
		select {
		case m, open := <-msgs:
			if !open {
				break loop
			}
			finish, redraw := w.handle(m)
			if finish {
				break loop
			}
			if !redraw {
				continue
			}
			if err := w.show(d, id); err != nil {
				w.status, w.failed = err.Error(), true
			}
			timer.Reset(idle)
		case <-timer.C:
			break loop
		}
	}
	// The last view stays, without its controls.
	h, err := w.render(false)
	if err != nil {
		return err
	}
	d.UpdateHTML(id, h)
	return nil
}

// listenIdle is how long a widget listens after the last message: idle when
// positive, else CEUSRAD_SLIDER_IDLE seconds (default 300).
func listenIdle(idle time.Duration) (time.Duration, error) {
	if idle > 0 {
		return idle, nil
	}
	s, err := EnvInt(SliderIdleEnv, 300)
	return time.Duration(s) * time.Second, err
}

// show redraws the live view.
func (w *roiWidget) show(d Display, id string) error {
	h, err := w.render(true)
	if err != nil {
		return err
	}
	d.UpdateHTML(id, h)
	return nil
}

// handle applies one front-end message; it reports whether the session ends and
// whether the view changed.
func (w *roiWidget) handle(msg string) (finish, redraw bool) {
	c, err := parseROICommand(msg)
	if err == nil {
		switch c.verb {
		case "hello":
			return false, false
		case "finish":
			return true, false
		case "click":
			var x, y float64
			if x, y, err = clickToPixel(c.args[0], c.args[1], c.args[2], c.args[3], w.src.w, w.src.h); err == nil {
				if err = w.st.click(x, y); err == nil {
					w.status = fmt.Sprintf("%s: vertex %d at %s", w.st.active, len(w.st.outlines[w.st.active].vertices), w.st.outlines[w.st.active].vertices[len(w.st.outlines[w.st.active].vertices)-1:].String())
				}
			}
		case "undo":
			if err = w.st.undo(); err == nil {
				w.status = w.st.active + ": undone"
			}
		case "close":
			if err = w.st.close(); err == nil {
				w.status = w.st.active + ": outline closed"
			}
		case "clear":
			w.st.clear()
			w.status = w.st.active + ": cleared"
		case "roi":
			if err = w.st.selectROI(c.name); err == nil {
				w.status = "drawing the " + c.name
			}
		case "frame":
			k := int(c.args[0])
			if float64(k) != c.args[0] || k < 0 || k >= w.src.frames {
				err = fmt.Errorf("frame %g: want 0 to %d", c.args[0], w.src.frames-1)
			} else {
				w.frame = k
				w.status = fmt.Sprintf("frame %d", k)
			}
		case "save":
			var polys map[string]roi.Polygon
			if polys, err = w.st.closedPolygons(); err == nil {
				var written []string
				if written, err = w.src.save(polys); err == nil {
					w.saved = written
					w.status = "saved " + strings.Join(written, " and ") + "; manifest updated"
				}
			}
		}
	}
	w.failed = err != nil
	if err != nil {
		w.status = err.Error()
	}
	return false, true
}

// roiColors are the outline colours: the lesion yellow, the liver cyan (as in the
// other notebooks' ROI overlays).
var roiColors = map[string]string{ROILesion: "#ffd400", ROILiver: "#00c8ff"}

// render returns the widget's HTML: with live controls (a live session) or without
// (headless, or the view left when the session ends).
func (w *roiWidget) render(live bool) (string, error) {
	img, err := w.src.frame(w.frame)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(`<div class="ceusrad-roi" style="font-family:sans-serif;font-size:small">`)
	fmt.Fprintf(&b, `<div>Patient %s · frame %d of %d`, escape(w.src.patient), w.frame, w.src.frames)
	if w.src.reader == 2 {
		b.WriteString(` · second reader (lesion_mask_2)`)
	}
	if w.peak >= 0 {
		fmt.Fprintf(&b, ` (peak enhancement: frame %d)`, w.peak)
	} else {
		fmt.Fprintf(&b, ` (peak enhancement unknown: %s)`, escape(w.peakErr))
	}
	b.WriteString(`</div><div style="display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start">`)
	drawTitle := "the frame: click here"
	if w.src.draw.Selected != nil {
		drawTitle = fmt.Sprintf("tissue image, region %s: click here", w.src.drawSpec)
	}
	if !live {
		drawTitle = strings.TrimSuffix(drawTitle, ": click here")
	}
	if err := w.panel(&b, crop(img, w.src.draw), drawTitle, live); err != nil {
		return "", err
	}
	if w.src.contrast.Selected != nil {
		title := fmt.Sprintf("contrast image, region %s (cine_region): the same outlines", w.src.contrastSpec)
		if err := w.panel(&b, crop(img, w.src.contrast), title, false); err != nil {
			return "", err
		}
	}
	b.WriteString(`</div>`)
	if live {
		fmt.Fprintf(&b, `<div style="margin:6px 0">frame <input type="range" class="ceusrad-roi-frame" data-address="%s" min="0" max="%d" value="%d" style="width:240px;vertical-align:middle"/> `,
			w.address, w.src.frames-1, w.frame)
		for _, n := range roiNames {
			style := ""
			if n == w.st.active {
				style = ` style="font-weight:bold;outline:2px solid ` + roiColors[n] + `"`
			}
			fmt.Fprintf(&b, `<button type="button" data-address="%s" data-ceusrad-roi-cmd="roi %s"%s>%s</button> `, w.address, n, style, n)
		}
		for _, c := range []string{"undo", "close", "clear", "save", "finish"} {
			fmt.Fprintf(&b, `<button type="button" data-address="%s" data-ceusrad-roi-cmd="%s">%s</button> `, w.address, c, c)
		}
		b.WriteString(`</div>`)
		color := "#333"
		if w.failed {
			color = "#b00"
		}
		fmt.Fprintf(&b, `<div class="ceusrad-roi-status" style="color:%s">%s</div>`, color, escape(w.status))
	} else if len(w.saved) > 0 {
		fmt.Fprintf(&b, `<div class="ceusrad-roi-status">saved %s</div>`, escape(strings.Join(w.saved, " and ")))
	}
	for _, n := range roiNames {
		o := w.st.outlines[n]
		if len(o.vertices) == 0 {
			continue
		}
		state := "open"
		if o.closed {
			state = "closed"
		}
		fmt.Fprintf(&b, `<div>%s (%s): <code class="ceusrad-roi-polygon" data-roi="%s">%s</code></div>`, n, state, n, escape(o.vertices.String()))
	}
	b.WriteString(`</div>`)
	return b.String(), nil
}

// panel writes one image with the outlines over it (an SVG in the image's pixel
// coordinates, so that the outlines sit where roi places the vertices).
func (w *roiWidget) panel(b *strings.Builder, img image.Image, title string, clickable bool) error {
	png, err := encodePNG(img)
	if err != nil {
		return err
	}
	iw, ih := img.Bounds().Dx(), img.Bounds().Dy()
	cw, ch := iw*w.zoom, ih*w.zoom
	fmt.Fprintf(b, `<div><div>%s</div><div style="position:relative;width:%dpx;height:%dpx">`, escape(title), cw, ch)
	class, cursor := "", ""
	if clickable {
		class = fmt.Sprintf(` class="ceusrad-roi-img" data-address="%s"`, w.address)
		cursor = "cursor:crosshair;"
	}
	fmt.Fprintf(b, `<img%s src="data:image/png;base64,%s" width="%d" height="%d" style="%simage-rendering:pixelated;display:block;border:0;margin:0;padding:0" draggable="false"/>`,
		class, base64.StdEncoding.EncodeToString(png), cw, ch, cursor)
	fmt.Fprintf(b, `<svg viewBox="-0.5 -0.5 %d %d" width="%d" height="%d" style="position:absolute;left:0;top:0;pointer-events:none">`, iw, ih, cw, ch)
	r := 3 / float64(w.zoom)
	for _, n := range roiNames {
		o := w.st.outlines[n]
		if len(o.vertices) == 0 {
			continue
		}
		var pts strings.Builder
		for i, v := range o.vertices {
			if i > 0 {
				pts.WriteByte(' ')
			}
			fmt.Fprintf(&pts, "%g,%g", v.X, v.Y)
		}
		tag := "polyline"
		if o.closed {
			tag = "polygon"
		}
		fmt.Fprintf(b, `<%s points="%s" fill="none" stroke="%s" stroke-width="1.5" vector-effect="non-scaling-stroke"/>`, tag, pts.String(), roiColors[n])
		for _, v := range o.vertices {
			fmt.Fprintf(b, `<circle cx="%g" cy="%g" r="%g" fill="%s"/>`, v.X, v.Y, r, roiColors[n])
		}
	}
	b.WriteString(`</svg></div></div>`)
	return nil
}

// roiScript is the front end of the widgets: one pair of listeners on the page
// (installed once), which send a widget's clicks, buttons and frame slider to its
// address as "<seq> <verb> [args]" (the elements carry the address, so that a
// redrawn view needs no new listener); then a hello to the address given.
const roiScript = `(() => {
  const hello = %q;
  const st = globalThis.__ceusradROI || (globalThis.__ceusradROI = {seq: 0});
  const send = (address, msg) => {
    const c = globalThis.gonb_comm;
    if (!c) { console.error("ceusrad ROI widget: GoNB comms are not set up"); return; }
    st.seq += 1;
    c.send(address, st.seq + " " + msg);
  };
  if (!st.installed) {
    st.installed = true;
    document.addEventListener("click", (e) => {
      const t = e.target;
      if (!t || !t.closest) return;
      if (t.classList.contains("ceusrad-roi-img")) {
        // offsetX/Y: from the image's corner, not rounded to the page's pixel
        // grid as clientX/Y are (the image need not start on a whole pixel).
        const r = t.getBoundingClientRect();
        send(t.dataset.address, "click " + e.offsetX + " " + e.offsetY + " " + r.width + " " + r.height);
        e.preventDefault();
        return;
      }
      const b = t.closest("[data-ceusrad-roi-cmd]");
      if (b) send(b.dataset.address, b.dataset.ceusradRoiCmd);
    }, true);
    document.addEventListener("change", (e) => {
      const t = e.target;
      if (t && t.classList && t.classList.contains("ceusrad-roi-frame")) send(t.dataset.address, "frame " + t.value);
    }, true);
  }
  let tries = 0;
  const greet = () => {
    if (globalThis.gonb_comm) { send(hello, "hello"); return; }
    if (++tries < 100) setTimeout(greet, 100);
  };
  greet();
})();`

// roiFrontEndWait is how long DrawROIs waits for the browser's hello before it
// concludes that no one is looking: long, since a loaded machine can be slow
// to answer, and a widget that gives up too soon shows no controls at all.
const roiFrontEndWait = 15 * time.Second

// roiMessages listens on address through GoNB's comms and installs the front end;
// the browser's hello (within roiFrontEndWait) says that someone is looking.
func (notebookDisplay) roiMessages(address string) (<-chan string, func(), bool) {
	if os.Getenv(HeadlessEnv) != "" {
		return nil, nil, false
	}
	comms.Start()
	ch := comms.Listen[string](address)
	dom.TransientJavascript(fmt.Sprintf(roiScript, address))
	select {
	case <-ch.C:
		return ch.C, ch.Close, true
	case <-time.After(roiFrontEndWait):
		ch.Close()
		return nil, nil, false
	}
}
