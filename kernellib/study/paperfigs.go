package study

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/deep"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
	"github.com/ceusrad/ceusrad/kernellib/plots"
	"github.com/ceusrad/ceusrad/kernellib/roc"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// The print sizes of the paper's composite figures: the full page width
// (plots.DoubleColumn).
var (
	paperFigure2Size = [2]vg.Length{plots.DoubleColumn, 200 * vg.Millimeter}
	paperFigure3Size = [2]vg.Length{plots.DoubleColumn, 200 * vg.Millimeter}
)

// simulatedNote is the caption's last sentence for figures of the
// synthetic cohort.
const simulatedNote = "**The data are simulated**: the synthetic cohort of `kernellib/synth`, which mimics the paper's design; the figure shows the method, not evidence about patients."

// PaperFigure2 is the composite of the validation comparison as a paper
// prints it, with its caption (Markdown): (A) the ROC curves with their
// bootstrap bands, the AUCs with DeLong CIs in the legend; (B)
// calibration; (C) decision curves; (D) the validation AUC over the
// re-drawn splits (the robustness box plots of Robust, else RobustCNN; the
// panel is left out when neither ran). The panels are the single figures
// (ROCFigure, CalibrationFigure, DecisionFigure, Robustness.Figure) without
// their titles, which the caption replaces.
func (s *Study) PaperFigure2(simulated bool) (*plots.Panels, string, error) {
	c := s.Comparison
	if c == nil {
		return nil, "", fmt.Errorf("study: paper figure 2: no comparison")
	}
	var ps []*plot.Plot
	for _, mk := range []func() (*plot.Plot, error){c.ROCFigure, c.CalibrationFigure, c.DecisionFigure} {
		p, err := mk()
		if err != nil {
			return nil, "", fmt.Errorf("study: paper figure 2: %w", err)
		}
		p.Title.Text = ""
		ps = append(ps, p)
	}
	r := s.Robust
	if r == nil {
		r = s.RobustCNN
	}
	if r != nil {
		p, err := r.Figure()
		if err != nil {
			return nil, "", fmt.Errorf("study: paper figure 2: %w", err)
		}
		p.Title.Text = ""
		ps = append(ps, p)
	} else {
		ps = append(ps, nil)
	}
	f := &plots.Panels{Rows: [][]*plot.Plot{ps[:2], ps[2:]}}

	reps := c.Options.Boot.Replicates
	if reps == 0 {
		reps = roc.DefaultReplicates
	}
	lvl := 100 * c.Options.Level
	var names []string
	for _, m := range c.Models {
		names = append(names, m.Name)
	}
	th := c.Options.Thresholds
	var b strings.Builder
	fmt.Fprintf(&b, "# Figure 2. Validation performance of %s\n\n", strings.Join(names, ", "))
	fmt.Fprintf(&b, "Validation cohort: n = %d (%d objective responders, OR; %d non-responders, NR). ", c.Cases+c.Controls, c.Cases, c.Controls)
	fmt.Fprintf(&b, "**(A)** ROC curves, sensitivity against 1 − specificity; each model's %.0f%% pointwise bootstrap band of the sensitivity at fixed specificity (%d stratified replicates, percentile; ", lvl, reps)
	if len(c.Models) > 2 {
		b.WriteString("dotted outlines, ")
	} else {
		b.WriteString("light fill, ")
	}
	fmt.Fprintf(&b, "in the model's colour), its operating point (marker) and, in the legend, its AUC with the %.0f%% DeLong CI; dashed: chance. ", lvl)
	fmt.Fprintf(&b, "**(B)** Calibration: observed fraction of responders against mean predicted probability in %d equal-count bins, with %.0f%% Wilson intervals; dashed: perfect calibration. ", c.Options.CalibrationBins, lvl)
	if len(th) > 0 {
		fmt.Fprintf(&b, "**(C)** Decision curves: net benefit at threshold probabilities %.2f–%.2f (Vickers & Elkin 2006) against treating all and treating none. ", th[0], th[len(th)-1])
	}
	if r != nil {
		fmt.Fprintf(&b, "**(D)** Validation AUC of each model over %d re-drawn training/validation splits of the cohort (the models retrained on each); boxes: median and quartiles, whiskers: the furthest values within 1.5 IQR, points: beyond.", r.Splits)
	} else {
		b.WriteString("No re-drawn splits were run, so the panel of their AUCs is left out.")
	}
	if simulated {
		b.WriteString("\n\n" + simulatedNote)
	}
	b.WriteString("\n")
	return f, b.String(), nil
}

// lesionCurve is the mean grey level (display value / 255) inside the
// lesion mask of each of a clip's sampled frames (the candidate at the
// sampled time itself), weighted by the mask's share of each pixel: the
// time–intensity curve of what the network sees.
func lesionCurve(c *deep.Clip) ([]float64, error) {
	var w float64
	for _, m := range c.Mask {
		w += float64(m) / 65535
	}
	if w == 0 {
		return nil, fmt.Errorf("study: clip %d×%d has an empty lesion mask", c.Size, c.Size)
	}
	centre := (c.Candidates - 1) / 2
	out := make([]float64, c.Frames)
	for t := range out {
		f := c.Frame(t, centre)
		var s float64
		for i, v := range f {
			s += float64(v) * float64(c.Mask[i]) / 65535
		}
		out[t] = s / w
	}
	return out, nil
}

// PaperFigure3 is the composite that explains R-DLCEUS, with its caption
// (Markdown): the validation responder and non-responder it is most sure
// of (MostConfident), (A) and (B) each one's Grad-CAM montage for its own
// class (CAMMontage: the map blended over the sampled frames, each
// labelled with its time after injection), and (C) their lesion
// time–intensity curves over the same frames (lesionCurve). No patient
// identifier appears in the figure.
func PaperFigure3(r *RDLCEUSResult, simulated bool) (*plots.Panels, string, error) {
	if r == nil || r.Model == nil || len(r.Valid) == 0 {
		return nil, "", fmt.Errorf("study: paper figure 3: no trained %s", RDLCEUSName)
	}
	or, nr := MostConfident(r.ValidProb, r.ValidTruth)
	if or < 0 || nr < 0 {
		return nil, "", fmt.Errorf("study: paper figure 3: the validation split needs a responder and a non-responder")
	}
	var rows [][]*plot.Plot
	var times []float64
	var curves [][]float64
	for _, w := range []struct {
		i      int
		target deep.Target
		who    string
	}{{or, deep.TargetOR, "responder (OR)"}, {nr, deep.TargetNR, "non-responder (NR)"}} {
		clip := r.Clips[r.Valid[w.i]]
		// Eight frames a row at zoom 1: the montage's 13-pixel labels then
		// print at about 11 pt across the page (64-pixel frames).
		img, err := CAMMontage(r.Model, clip, w.target, min(8, clip.Frames), 1)
		if err != nil {
			return nil, "", fmt.Errorf("study: paper figure 3: %w", err)
		}
		p, err := plots.ImagePlot(img, fmt.Sprintf("Validation %s, predicted probability of OR %.2f", w.who, r.ValidProb[w.i]))
		if err != nil {
			return nil, "", err
		}
		rows = append(rows, []*plot.Plot{p})
		y, err := lesionCurve(clip)
		if err != nil {
			return nil, "", err
		}
		times, curves = clip.Times, append(curves, y)
	}
	if len(curves[0]) != len(curves[1]) {
		return nil, "", fmt.Errorf("study: paper figure 3: clips of %d and %d frames", len(curves[0]), len(curves[1]))
	}
	tic, err := plots.Lines(times, curves, []string{"responder (A)", "non-responder (B)"}, "time after injection (s)", "mean lesion grey level (0–1)")
	if err != nil {
		return nil, "", fmt.Errorf("study: paper figure 3: %w", err)
	}
	rows = append(rows, []*plot.Plot{tic})
	f := &plots.Panels{Rows: rows}

	var b strings.Builder
	fmt.Fprintf(&b, "# Figure 3. What %s looks at\n\n", RDLCEUSName)
	fmt.Fprintf(&b, "Two patients of the validation cohort (n = %d), the responder and the non-responder %s is most confident about. ", len(r.Valid), RDLCEUSName)
	fmt.Fprintf(&b, "**(A, B)** Grad-CAM maps (Selvaraju et al. 2017) of the evidence for each patient's own class, blended (α = 0.5) over the %d frames the network samples from the cine, cropped around the lesion; labels: seconds after injection. ", len(times))
	b.WriteString("**(C)** Their lesion time–intensity curves over the same frames: mean grey level inside the lesion mask (display values / 255). ")
	b.WriteString("Two patients illustrate the maps; they are no measure of performance (Figure 2).")
	if simulated {
		b.WriteString("\n\n" + simulatedNote)
	}
	b.WriteString("\n")
	return f, b.String(), nil
}

// writePaperFigure writes a composite (plots.SavePanels: PDF, PNG at 300
// dpi, SVG) and its caption, base+".md", and returns the paths.
func writePaperFigure(f *plots.Panels, caption, base string, size [2]vg.Length) ([]string, error) {
	paths, err := plots.SavePanels(f, base, size[0], size[1], 300)
	if err != nil {
		return paths, err
	}
	if err := safeio.WriteFile(base+".md", []byte(caption)); err != nil {
		return paths, fmt.Errorf("study: %w", err)
	}
	return append(paths, base+".md"), nil
}

// writePaperFigures writes paper_figure_2 (PaperFigure2) and, when
// R-DLCEUS was trained in this run, paper_figure_3 (PaperFigure3) into
// dir, each with its caption.
func (s *Study) writePaperFigures(dir string, simulated bool) ([]string, error) {
	f, caption, err := s.PaperFigure2(simulated)
	if err != nil {
		return nil, err
	}
	paths, err := writePaperFigure(f, caption, filepath.Join(dir, "paper_figure_2"), paperFigure2Size)
	if err != nil {
		return paths, err
	}
	for _, run := range s.Runs {
		r, ok := run.Result.(*RDLCEUSResult)
		if !ok || r == nil || r.Model == nil {
			continue
		}
		f, caption, err := PaperFigure3(r, simulated)
		if err != nil {
			return paths, err
		}
		ps, err := writePaperFigure(f, caption, filepath.Join(dir, "paper_figure_3"), paperFigure3Size)
		return append(paths, ps...), err
	}
	return paths, nil
}
