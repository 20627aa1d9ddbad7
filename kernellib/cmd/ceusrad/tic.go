package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
	"github.com/ceusrad/ceusrad/kernellib/tic"
)

func init() {
	register(command{
		name:    "tic",
		summary: "fit a perfusion model to a time-intensity curve, or extract and fit the curves of a CEUS cine",
		run:     runTIC,
	})
}

const ticUsage = `Usage: ceusrad tic -curve FILE.csv -model lognormal|gamma|ldrw|fpt [-json]
       ceusrad tic -cine FILE -mask FILE [-liver-mask FILE] [-model M] [-json]
                   [-dynamic-range 55 | -raw] [-injection S] [-frame-rate F] [-motion]
                   [-region K]

With -curve, fits the model by least squares to a curve given as a CSV file
with the header row time_s,intensity and one sample per row (times
increasing, in seconds), taken as it is: on a linear intensity scale with
its baseline removed. It prints the fitted parameters, R², RMSE and the
derived parameters (kernellib/tic Parameters): AT arrival time, PE peak
enhancement, TTP time to peak, RT rise time, FT fall time, MTT mean transit
time, WiR/WoR wash-in/wash-out rates, WiAUC/WoAUC/WiWoAUC wash-in,
wash-out and wash-in+wash-out areas, AUC the area over the curve's span,
WiPI the wash-in perfusion index. Times are in the curve's time, so AT, TTP
and MTT are measured from its t = 0.

The models (Strouthos et al., IEEE Trans UFFC 57:1296, 2010), all zero for
t <= t0 and of area auc:
  lognormal  auc/((t-t0)·sigma·√(2π)) · exp(-(ln(t-t0) - mu)²/(2·sigma²))
  gamma      auc·(t-t0)^alpha·exp(-(t-t0)/beta) / (beta^(alpha+1)·Γ(alpha+1))
  ldrw       auc·e^lambda/mu·√(lambda/2π)·√(mu/(t-t0))·exp(-lambda/2·(mu/(t-t0) + (t-t0)/mu))
  fpt        auc·e^lambda/mu·√(lambda/2π)·(mu/(t-t0))^1.5·exp(-lambda/2·(mu/(t-t0) + (t-t0)/mu))

With -cine, reads the cine (DICOM, a folder of frames with -frame-rate, or a
video) and the masks (PNG or NIfTI, the cine's frame size), extracts the
ROI-mean curves of the lesion and the liver reference, linearised to echo
power over the display's dynamic range (-raw keeps display values), with
flash frames rejected and, with -motion, rigid motion correction; subtracts
each curve's baseline (median of the first 3 s after the injection, or
after the first frame when the injection is unknown), and reports the fit
and the derived parameters of each ROI, the model-free parameters, and the
lesion-to-liver ratios.

It also finds the contrast arrival (kernellib/tic Arrival): the first rise
of the raw ROI mean above its pre-contrast baseline by 3 robust SDs that
lasts 3 samples, the crossing interpolated between samples, in seconds
after the first frame (the cine's clock): arrival_s for the lesion,
frame_arrival_s for the whole frame. The time origin of AT, TTP, MTT and
the fit's t0 is the injection when -injection gives it (seconds after the
first frame), else the lesion's arrival, else (no arrival found) the first
frame; time_origin says which ("injection", "arrival", "first_frame") and
origin_s where it lies on the cine's clock.

A failed or implausible fit is reported as such (exit status 1), never as
numbers.

With -json it prints one JSON object; for -curve:
  {"model": "lognormal", "params": {"auc": .., "mu": .., "sigma": .., "t0": ..},
   "r2": .., "rmse": .., "n": .., "at": .., "pe": .., "ttp": .., "rt": .., "ft": ..,
   "mtt": .., "wir": .., "wor": .., "wiauc": .., "woauc": .., "wiwoauc": ..,
   "auc_total": .., "wipi": ..}
and for -cine:
  {"cine": .., "scale": "power"|"display", "time_origin": "injection"|"arrival"|"first_frame",
   "origin_s": .., "arrival_s": .. or null, "frame_arrival_s": .. or null, "frames": ..,
   "rejected_frames": [..], "rois": [{"roi": "lesion", "pixels": .., "baseline": ..,
   <the -curve object, or "model" and "fit_error">, "model_free": {"at": .., ...}}, ...],
   "ratios": {"model_free": {..}, "fit": {..} or null}}   (ratios only with -liver-mask)

Flags:
`

// ticFit is the JSON object of one fit.
type ticFit struct {
	Model  string               `json:"model"`
	Params map[string]jsonFloat `json:"params,omitempty"`
	R2     *jsonFloat           `json:"r2,omitempty"`
	RMSE   *jsonFloat           `json:"rmse,omitempty"`
	N      int                  `json:"n,omitempty"`
	Error  string               `json:"fit_error,omitempty"`
	// Derived parameters, flattened into the object.
	Derived map[string]jsonFloat `json:"-"`
}

// MarshalJSON writes the fit with the derived parameters at the top level.
func (f ticFit) MarshalJSON() ([]byte, error) {
	type plain ticFit
	b, err := json.Marshal(plain(f))
	if err != nil || len(f.Derived) == 0 {
		return b, err
	}
	var sb strings.Builder
	sb.Write(b[:len(b)-1])
	for _, n := range tic.ParameterNames {
		v, err := json.Marshal(f.Derived[n])
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&sb, ",%q:%s", n, v)
	}
	sb.WriteByte('}')
	return []byte(sb.String()), nil
}

func paramsMap(p tic.Parameters) map[string]jsonFloat {
	m := map[string]jsonFloat{}
	for i, v := range p.Values() {
		m[tic.ParameterNames[i]] = jsonFloat(v)
	}
	return m
}

func fitJSON(m *tic.Model, r *tic.FitResult, err error) ticFit {
	f := ticFit{Model: m.Name()}
	if err != nil {
		f.Error = err.Error()
		return f
	}
	f.Params = map[string]jsonFloat{}
	for i, n := range m.ParamNames() {
		f.Params[n] = jsonFloat(r.Params[i])
	}
	r2, rmse := jsonFloat(r.R2), jsonFloat(r.RMSE)
	f.R2, f.RMSE, f.N = &r2, &rmse, r.N
	f.Derived = paramsMap(r.Parameters())
	return f
}

type ticROI struct {
	ROI       string               `json:"roi"`
	Pixels    int                  `json:"pixels"`
	Baseline  jsonFloat            `json:"baseline"`
	Fit       ticFit               `json:"-"`
	ModelFree map[string]jsonFloat `json:"model_free"`
}

// MarshalJSON writes the ROI with its fit's fields at the top level.
func (r ticROI) MarshalJSON() ([]byte, error) {
	type plain ticROI
	a, err := json.Marshal(plain(r))
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(r.Fit)
	if err != nil {
		return nil, err
	}
	return []byte(string(a[:len(a)-1]) + "," + string(b[1:])), nil
}

type ticRatios struct {
	ModelFree map[string]jsonFloat `json:"model_free"`
	Fit       map[string]jsonFloat `json:"fit"`
}

type ticCineReport struct {
	Cine  string `json:"cine"`
	Scale string `json:"scale"`
	// TimeOrigin is tic.Analysis.TimeOrigin, Origin where it lies (s after
	// the first frame); Arrival and FrameArrival the lesion's and the
	// whole frame's contrast arrival on the cine's clock (null when none).
	TimeOrigin   string     `json:"time_origin"`
	Origin       jsonFloat  `json:"origin_s"`
	Arrival      jsonFloat  `json:"arrival_s"`
	FrameArrival jsonFloat  `json:"frame_arrival_s"`
	Frames       int        `json:"frames"`
	Rejected     []int      `json:"rejected_frames"`
	ROIs         []ticROI   `json:"rois"`
	Ratios       *ticRatios `json:"ratios,omitempty"`
}

func runTIC(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tic", flag.ContinueOnError)
	fs.SetOutput(stderr)
	curve := fs.String("curve", "", "CSV `file` with the header time_s,intensity")
	cine := fs.String("cine", "", "CEUS cine `file` (DICOM, video) or folder of frames")
	maskPath := fs.String("mask", "", "lesion mask `file` (PNG or NIfTI), with -cine")
	liverPath := fs.String("liver-mask", "", "liver reference mask `file`, with -cine (optional)")
	modelName := fs.String("model", "lognormal", "perfusion `model`: lognormal, gamma, ldrw or fpt")
	dr := fs.Float64("dynamic-range", tic.DefaultDynamicRangeDB, "display dynamic range in `dB` for linearisation, with -cine")
	raw := fs.Bool("raw", false, "keep display values (no linearisation), with -cine")
	inj := fs.Float64("injection", math.NaN(), "injection time in `seconds` after the first frame, with -cine (default unknown)")
	fr := fs.Float64("frame-rate", 0, "frame rate in `frames/s` (0.1 to 1000) for a folder of frames or a cine without timing, with -cine")
	region := fs.String("region", "", "Ultrasound Region of a dual display to analyse: 0-based `index`, left or right, with -cine (masks in full-frame or region coordinates)")
	motion := fs.Bool("motion", false, "rigid motion correction, with -cine")
	asJSON := fs.Bool("json", false, "print one JSON object")
	fs.Usage = func() {}
	if code, done := parseFlags(fs, args, ticUsage, stdout); done {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "ceusrad tic: "+format+" (see ceusrad help tic)\n", a...)
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	m, err := tic.ParseModel(*modelName)
	if err != nil {
		return usageErr("-model: %v", err)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case (*curve == "") == (*cine == ""):
		return usageErr("give either -curve or -cine")
	case *curve != "":
		for _, n := range []string{"mask", "liver-mask", "dynamic-range", "raw", "injection", "frame-rate", "motion", "region"} {
			if set[n] {
				return usageErr("-%s goes with -cine, not -curve", n)
			}
		}
		return ticCurve(*curve, m, *asJSON, stdout, stderr)
	}
	if *maskPath == "" {
		return usageErr("-cine needs -mask")
	}
	if set["raw"] && set["dynamic-range"] {
		return usageErr("-raw and -dynamic-range exclude each other")
	}
	if !(*dr > 0) || math.IsInf(*dr, 0) {
		return usageErr("-dynamic-range %v: want a number of dB > 0", *dr)
	}
	if set["frame-rate"] && !(*fr >= cohort.MinFrameRate && *fr <= cohort.MaxFrameRate) {
		return usageErr("-frame-rate %v: want a number of frames per second from %g to %g", *fr, cohort.MinFrameRate, cohort.MaxFrameRate)
	}
	if set["injection"] && (math.IsNaN(*inj) || math.IsInf(*inj, 0)) {
		return usageErr("-injection %v: want a finite number of seconds", *inj)
	}
	o := tic.DefaultOptions()
	o.Models = []*tic.Model{m}
	o.InjectionS = *inj
	o.Extract.Compression.DynamicRangeDB = *dr
	if *raw {
		o.Extract.Scale = tic.Display
	}
	if *motion {
		o.Extract.Motion = &tic.MotionOptions{}
	}
	return ticCine(*cine, *maskPath, *liverPath, imaging.CineOptions{FrameRate: *fr, Region: *region}, o, *asJSON, stdout, stderr)
}

// readCurveCSV reads the two-column curve file of `ceusrad tic -curve`.
func readCurveCSV(path string) (t, y []float64, err error) {
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, nil, fmt.Errorf("%s: empty file, want a header row time_s,intensity", path)
	}
	h := recs[0]
	if len(h) > 0 {
		h[0] = strings.TrimPrefix(h[0], "\ufeff")
	}
	if len(h) != 2 || !strings.EqualFold(strings.TrimSpace(h[0]), "time_s") || !strings.EqualFold(strings.TrimSpace(h[1]), "intensity") {
		return nil, nil, fmt.Errorf("%s: line 1: header %q, want time_s,intensity", path, strings.Join(h, ","))
	}
	for i, rec := range recs[1:] {
		if len(rec) != 2 {
			return nil, nil, fmt.Errorf("%s: line %d: %d fields, want 2 (time_s,intensity)", path, i+2, len(rec))
		}
		var v [2]float64
		for k, s := range rec {
			v[k], err = strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || math.IsNaN(v[k]) || math.IsInf(v[k], 0) {
				return nil, nil, fmt.Errorf("%s: line %d: %s %q is not a finite number", path, i+2, h[k], s)
			}
		}
		if len(t) > 0 && !(v[0] > t[len(t)-1]) {
			return nil, nil, fmt.Errorf("%s: line %d: time_s %v does not increase (previous %v)", path, i+2, v[0], t[len(t)-1])
		}
		t, y = append(t, v[0]), append(y, v[1])
	}
	return t, y, nil
}

func ticCurve(path string, m *tic.Model, asJSON bool, stdout, stderr io.Writer) int {
	t, y, err := readCurveCSV(path)
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad tic: %v\n", err)
		return exitError
	}
	r, err := tic.Fit(m, t, y, nil)
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad tic: %s: %v\n", path, err)
		return exitError
	}
	if asJSON {
		return writeJSON(fitJSON(m, r, nil), stdout, stderr)
	}
	fmt.Fprintf(stdout, "%s: %d samples, %s model\n", path, len(t), m.Name())
	writeFitText(stdout, "", m, r)
	return exitOK
}

func writeFitText(w io.Writer, indent string, m *tic.Model, r *tic.FitResult) {
	fmt.Fprintf(w, "%sf(t) = %s\n%s", indent, m.Formula(), indent)
	for i, n := range m.ParamNames() {
		fmt.Fprintf(w, "%s = %.6g  ", n, r.Params[i])
	}
	fmt.Fprintf(w, "R² = %.4f  RMSE = %.4g\n", r.R2, r.RMSE)
	writeParamsText(w, indent, r.Parameters())
}

func writeParamsText(w io.Writer, indent string, p tic.Parameters) {
	labels := []string{"AT", "PE", "TTP", "RT", "FT", "MTT", "WiR", "WoR", "WiAUC", "WoAUC", "WiWoAUC", "AUC", "WiPI"}
	fmt.Fprint(w, indent)
	for i, v := range p.Values() {
		if i == 7 {
			fmt.Fprint(w, "\n"+indent)
		}
		fmt.Fprintf(w, "%s %.4g  ", labels[i], v)
	}
	fmt.Fprintln(w)
}

// cliTimingError words a library error about the cine's timing for the
// command line: the library names its option CineOptions.FrameRate, the
// command its flag -frame-rate.
func cliTimingError(err error) error {
	msg := err.Error()
	if !strings.Contains(msg, "CineOptions.FrameRate") {
		return err
	}
	return errors.New(strings.ReplaceAll(msg, "CineOptions.FrameRate", "-frame-rate"))
}

func writeJSON(v any, stdout, stderr io.Writer) int {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad tic: %v\n", err)
		return exitError
	}
	stdout.Write(append(b, '\n'))
	return exitOK
}

func ticCine(cinePath, maskPath, liverPath string, opt imaging.CineOptions, o tic.Options, asJSON bool, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "ceusrad tic: %v\n", err)
		return exitError
	}
	les, err := imaging.ReadMask(maskPath)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", maskPath, err))
	}
	rois := []tic.ROI{{Name: "lesion", Mask: les}}
	if liverPath != "" {
		liv, err := imaging.ReadMask(liverPath)
		if err != nil {
			return fail(fmt.Errorf("%s: %w", liverPath, err))
		}
		rois = append(rois, tic.ROI{Name: "liver", Mask: liv})
	}
	c, err := imaging.OpenCine(cinePath, opt)
	if err != nil {
		return fail(cliTimingError(err))
	}
	defer c.Close()
	for i, path := range []string{maskPath, liverPath}[:len(rois)] {
		if rois[i].Mask, err = imaging.MaskForCine(rois[i].Mask, c.Info()); err != nil {
			return fail(fmt.Errorf("%s: %w", path, err))
		}
	}
	a, err := tic.Analyse(c, rois, o, nil)
	if err != nil {
		return fail(err)
	}
	m := o.Models[0]
	rep := ticCineReport{Cine: cinePath, Scale: a.Curves.Scale.String(), TimeOrigin: a.TimeOrigin, Origin: jsonFloat(a.Origin),
		Arrival: jsonFloat(a.Arrival), FrameArrival: jsonFloat(a.FrameArrival),
		Frames: len(a.Curves.Time) + len(a.Curves.Rejected), Rejected: a.Curves.Rejected}
	if rep.Rejected == nil {
		rep.Rejected = []int{}
	}
	failed := false
	for i, rc := range a.ROIs {
		f := rc.Fits[0]
		failed = failed || f.Err != nil
		rep.ROIs = append(rep.ROIs, ticROI{ROI: rc.Name, Pixels: a.Curves.Pixels[i], Baseline: jsonFloat(rc.Baseline),
			Fit: fitJSON(m, f.Result, f.Err), ModelFree: paramsMap(rc.ModelFree)})
	}
	var ratioMF, ratioFit tic.Parameters
	haveFitRatio := false
	if len(a.ROIs) == 2 {
		l, v := a.ROIs[0], a.ROIs[1]
		ratioMF = tic.Ratios(l.ModelFree, v.ModelFree)
		rep.Ratios = &ticRatios{ModelFree: paramsMap(ratioMF)}
		if l.Fits[0].Result != nil && v.Fits[0].Result != nil {
			ratioFit = tic.Ratios(l.Fits[0].Result.Parameters(), v.Fits[0].Result.Parameters())
			rep.Ratios.Fit = paramsMap(ratioFit)
			haveFitRatio = true
		}
	}
	code := exitOK
	if failed {
		code = exitError
	}
	if asJSON {
		if c := writeJSON(rep, stdout, stderr); c != exitOK {
			return c
		}
		return code
	}
	origin := "first frame (the injection time is unknown and the lesion shows no contrast arrival)"
	switch a.TimeOrigin {
	case tic.OriginInjection:
		origin = fmt.Sprintf("injection (%.4g s after the first frame)", a.Origin)
	case tic.OriginArrival:
		origin = fmt.Sprintf("lesion's contrast arrival (%.4g s after the first frame; the injection time is unknown)", a.Origin)
	}
	fmt.Fprintf(stdout, "%s: %d frames (%d rejected as flashes), %s scale, times from the %s\n", cinePath, rep.Frames, len(rep.Rejected), rep.Scale, origin)
	fmt.Fprintf(stdout, "contrast arrival (s after the first frame): lesion %s, whole frame %s\n", secondsOrNone(a.Arrival), secondsOrNone(a.FrameArrival))
	for i, rc := range a.ROIs {
		fmt.Fprintf(stdout, "\n%s (%d pixels, baseline %.4g):\n", rc.Name, a.Curves.Pixels[i], rc.Baseline)
		if f := rc.Fits[0]; f.Err != nil {
			fmt.Fprintf(stdout, "  %v\n", f.Err)
		} else {
			writeFitText(stdout, "  ", m, f.Result)
		}
		fmt.Fprintln(stdout, "  model-free:")
		writeParamsText(stdout, "  ", rc.ModelFree)
	}
	if rep.Ratios != nil {
		fmt.Fprintln(stdout, "\nlesion/liver ratios, model-free:")
		writeParamsText(stdout, "  ", ratioMF)
		if haveFitRatio {
			fmt.Fprintf(stdout, "lesion/liver ratios, %s fit:\n", m.Name())
			writeParamsText(stdout, "  ", ratioFit)
		}
	}
	if failed {
		fmt.Fprintln(stderr, "ceusrad tic: a fit failed or was implausible (see above)")
	}
	return code
}

// secondsOrNone formats a time in seconds, "none found" for NaN.
func secondsOrNone(v float64) string {
	if math.IsNaN(v) {
		return "none found"
	}
	return fmt.Sprintf("%.4g", v)
}
