package tic

import (
	"errors"
	"fmt"
	"math"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// Options control the analysis of a cine's curves (Analyse, AnalyseCurves,
// CohortFeatures).
type Options struct {
	// Extract controls the extraction (scale, motion, flashes).
	Extract ExtractOptions
	// InjectionS is the time of the injection in seconds after the first
	// frame, the time origin of every parameter; NaN when unknown, and
	// the origin is then the contrast arrival in the first ROI (Arrival),
	// or the first frame when there is none (Analysis.TimeOrigin).
	// CohortFeatures takes it from each patient's injection_offset_s.
	InjectionS float64
	// BaselineEndS ends the pre-contrast period, in seconds after the
	// origin: the baseline is the median of the samples before it
	// (Baseline). Contrast reaches the liver 10–20 s after a peripheral
	// injection (Claudon et al., Ultrasound Med Biol 39:187, 2013), so
	// the default 3 s after the injection is safely pre-contrast; without
	// a known injection the cine must start before the contrast arrives.
	BaselineEndS float64
	// SmoothWindow is the moving-average window, in samples (odd), of the
	// curve the model-free parameters are computed on; 1 means none.
	SmoothWindow int
	// Arrival controls the detection of the contrast arrival (Arrival);
	// its BaselineEndS is ignored: the pre-contrast period is the one above,
	// on the cine's clock. The zero value gives the defaults.
	Arrival ArrivalOptions
	// Models are the perfusion models fitted to each enhancement curve.
	Models []*Model
	// Fit controls the fits.
	Fit FitOptions
	// Lesion, when not nil, is applied by AnalysePatient to the lesion
	// mask it reads before the extraction (the liver mask is used as
	// drawn): a changed ROI, such as the eroded, dilated or shifted mask
	// of a segmentation-robustness analysis (radiomics.PerturbMask;
	// Zwanenburg et al., Sci Rep 9:614, 2019), without writing a mask file.
	Lesion func(*imaging.Mask) *imaging.Mask
}

// DefaultOptions are the options of the R-TIC features: curves linearised
// to echo power with a dynamic range of DefaultDynamicRangeDB, flash
// frames rejected, no motion correction (the masks are drawn on the
// cine), injection unknown, baseline over the first 3 s after the origin,
// model-free parameters on a 5-sample moving average, and the lognormal
// model fitted (the model of the simulator's kinetics; on its tumour curves
// the gamma variate and FPT often end at implausible boundary optima, see
// Fit).
func DefaultOptions() Options {
	return Options{
		Extract: ExtractOptions{
			Scale:       Power,
			Compression: LogCompression{DynamicRangeDB: DefaultDynamicRangeDB},
			RejectFlash: true,
		},
		InjectionS:   math.NaN(),
		BaselineEndS: 3,
		SmoothWindow: 5,
		Models:       []*Model{Lognormal},
	}
}

// ModelFit is the fit of one model to one curve: Result when accepted,
// Err (a *FitError for a failed or implausible fit) otherwise.
type ModelFit struct {
	Model  *Model
	Result *FitResult
	Err    error
}

// ROICurve is the analysis of one ROI's curve.
type ROICurve struct {
	Name string
	// Time is in seconds from the origin (Analysis.Origin).
	Time []float64
	// Signal is the ROI mean as extracted (on Analysis.Curves.Scale);
	// Baseline its pre-contrast level; Enhancement = Signal − Baseline,
	// the curve the models are fitted to; Smoothed the enhancement after
	// the moving average, the curve of the model-free parameters.
	Signal, Enhancement, Smoothed []float64
	Baseline                      float64
	// ModelFree are the parameters of Smoothed.
	ModelFree Parameters
	// Fits holds one entry per model of Options.Models, in that order.
	Fits []ModelFit
}

// Fit returns the fit of model m, nil when m was not fitted.
func (r *ROICurve) Fit(m *Model) *ModelFit {
	for i := range r.Fits {
		if r.Fits[i].Model == m {
			return &r.Fits[i]
		}
	}
	return nil
}

// Time origins of an Analysis (Analysis.TimeOrigin).
const (
	// OriginInjection: the injection, Options.InjectionS (the cohort's
	// injection_offset_s).
	OriginInjection = "injection"
	// OriginArrival: the contrast arrival in the first ROI (the lesion),
	// Analysis.Arrival, when the injection time is unknown.
	OriginArrival = "arrival"
	// OriginFirstFrame: the first frame, when the injection time is unknown
	// and no arrival was found in the first ROI.
	OriginFirstFrame = "first_frame"
)

// Analysis is the analysis of a cine's curves.
type Analysis struct {
	Curves *Curves
	// Origin is the time origin in seconds after the first frame: the
	// injection when known, else the arrival in the first ROI when found,
	// else 0; TimeOrigin says which (OriginInjection, OriginArrival,
	// OriginFirstFrame).
	Origin     float64
	TimeOrigin string
	// Arrival is the contrast arrival in the first ROI (the lesion of
	// AnalysePatient), in seconds after the first frame (Arrival, on the
	// raw ROI mean); NaN when the curve shows no sustained rise, and
	// ArrivalErr then says why. FrameArrival is the same for the
	// whole-frame mean (Curves.FrameMean at the samples kept), NaN when
	// FrameMean was not recorded (no flash rejection) or shows no rise.
	Arrival, FrameArrival float64
	ArrivalErr            error
	ROIs                  []ROICurve
}

// ROI returns the analysis of the ROI called name.
func (a *Analysis) ROI(name string) (*ROICurve, error) {
	for i := range a.ROIs {
		if a.ROIs[i].Name == name {
			return &a.ROIs[i], nil
		}
	}
	names := make([]string, len(a.ROIs))
	for i, r := range a.ROIs {
		names[i] = r.Name
	}
	return nil, fmt.Errorf("tic: no ROI named %q (have %v)", name, names)
}

// Analyse extracts the curves of the ROIs from the cine (ExtractWith with
// o.Extract) and analyses them (AnalyseCurves).
func Analyse(c imaging.Cine, rois []ROI, o Options, progress func(done, total int)) (*Analysis, error) {
	cv, err := ExtractWith(c, rois, o.Extract, progress)
	if err != nil {
		return nil, err
	}
	return AnalyseCurves(cv, o)
}

// AnalyseCurves analyses extracted curves: the contrast arrival of the first
// ROI and of the whole frame is found (Arrival, after the pre-contrast
// period), the times are moved to the origin (the injection when
// o.InjectionS is known, else the first ROI's arrival when found, else the
// first frame: Analysis.TimeOrigin), each curve's baseline (median of the
// pre-contrast period, the first o.BaselineEndS seconds after the injection,
// or after the first frame when the injection is unknown) is subtracted, the
// model-free Parameters
// are computed on the enhancement smoothed over o.SmoothWindow samples,
// and every model of o.Models is fitted to the unsmoothed enhancement. A
// failed or implausible fit is recorded in its ModelFit.Err, not returned
// as an error; bad options or curves are.
func AnalyseCurves(cv *Curves, o Options) (*Analysis, error) {
	if cv == nil || len(cv.Time) == 0 {
		return nil, errors.New("tic: AnalyseCurves: no curves")
	}
	if o.SmoothWindow == 0 {
		o.SmoothWindow = 1
	}
	if o.SmoothWindow < 1 || o.SmoothWindow%2 == 0 {
		return nil, fmt.Errorf("tic: SmoothWindow %d: want an odd number ≥ 1", o.SmoothWindow)
	}
	if math.IsInf(o.InjectionS, 0) || math.IsNaN(o.BaselineEndS) || math.IsInf(o.BaselineEndS, 0) {
		return nil, fmt.Errorf("tic: InjectionS %v, BaselineEndS %v: want finite values (InjectionS NaN when unknown)", o.InjectionS, o.BaselineEndS)
	}
	a := &Analysis{Curves: cv, TimeOrigin: OriginFirstFrame, Arrival: math.NaN(), FrameArrival: math.NaN()}
	// The pre-contrast period ends BaselineEndS after the injection, or
	// after the first frame when the injection is unknown (cine clock).
	preEnd := o.BaselineEndS
	if !math.IsNaN(o.InjectionS) {
		preEnd += o.InjectionS
	}
	ao := o.Arrival
	ao.BaselineEndS = preEnd
	if len(cv.Mean) > 0 {
		a.Arrival, a.ArrivalErr = Arrival(cv.Time, cv.Mean[0], ao)
		if a.ArrivalErr != nil && !errors.Is(a.ArrivalErr, ErrNoArrival) {
			return nil, fmt.Errorf("tic: ROI %q: %w", cv.Names[0], a.ArrivalErr)
		}
	}
	if len(cv.FrameMean) > 0 && len(cv.Frames) == len(cv.Time) {
		fm := make([]float64, len(cv.Frames))
		for k, f := range cv.Frames {
			fm[k] = cv.FrameMean[f]
		}
		if at, err := Arrival(cv.Time, fm, ao); err == nil {
			a.FrameArrival = at
		}
	}
	switch {
	case !math.IsNaN(o.InjectionS):
		a.Origin, a.TimeOrigin = o.InjectionS, OriginInjection
	case !math.IsNaN(a.Arrival):
		a.Origin, a.TimeOrigin = a.Arrival, OriginArrival
	}
	t := make([]float64, len(cv.Time))
	for i, v := range cv.Time {
		t[i] = v - a.Origin
	}
	for r, name := range cv.Names {
		y := cv.Mean[r]
		rc := ROICurve{Name: name, Time: t, Signal: y}
		b, err := Baseline(t, y, preEnd-a.Origin)
		if err != nil {
			return nil, fmt.Errorf("tic: ROI %q: %w", name, err)
		}
		rc.Baseline = b
		rc.Enhancement = make([]float64, len(y))
		for i, v := range y {
			rc.Enhancement[i] = v - b
		}
		rc.Smoothed = movingAverage(rc.Enhancement, o.SmoothWindow)
		if rc.ModelFree, err = ModelFree(t, rc.Smoothed); err != nil {
			return nil, fmt.Errorf("tic: ROI %q: %w", name, err)
		}
		for _, m := range o.Models {
			fr, err := Fit(m, t, rc.Enhancement, &o.Fit)
			if err != nil && !errors.Is(err, ErrFit) {
				return nil, fmt.Errorf("tic: ROI %q: %w", name, err)
			}
			rc.Fits = append(rc.Fits, ModelFit{Model: m, Result: fr, Err: err})
		}
		a.ROIs = append(a.ROIs, rc)
	}
	return a, nil
}

// Features returns the analysis as named numbers, the row of
// CohortFeatures: for each ROI r (in extraction order) r_mf_X for the
// model-free Parameters X (ParameterNames), and for each fitted model m
// r_m_P for its parameters P (Model.ParamNames), r_m_X for the Parameters
// of the fit and r_m_r2; when there are two ROIs, the ratios first/second
// of the Parameters (Ratios) as ratio_mf_X and ratio_m_X. The values of a
// failed fit are NaN; status lists the failures ("" when none).
func (a *Analysis) Features() (names []string, values []float64, status string) {
	var fails []string
	nan := math.NaN()
	fitParams := func(f ModelFit) (Parameters, bool) {
		if f.Result == nil {
			return Parameters{}, false
		}
		return f.Result.Parameters(), true
	}
	add := func(prefix string, p Parameters, ok bool) {
		for i, v := range p.Values() {
			names = append(names, prefix+ParameterNames[i])
			if !ok {
				v = nan
			}
			values = append(values, v)
		}
	}
	for _, rc := range a.ROIs {
		add(rc.Name+"_mf_", rc.ModelFree, true)
		for _, f := range rc.Fits {
			pre := rc.Name + "_" + f.Model.name + "_"
			for i, pn := range f.Model.params {
				names = append(names, pre+pn)
				if f.Result != nil {
					values = append(values, f.Result.Params[i])
				} else {
					values = append(values, nan)
				}
			}
			fp, ok := fitParams(f)
			add(pre, fp, ok)
			names = append(names, pre+"r2")
			if ok {
				values = append(values, f.Result.R2)
			} else {
				values = append(values, nan)
				fails = append(fails, rc.Name+": "+f.Err.Error())
			}
		}
	}
	if len(a.ROIs) == 2 {
		l, v := a.ROIs[0], a.ROIs[1]
		add("ratio_mf_", Ratios(l.ModelFree, v.ModelFree), true)
		for i, f := range l.Fits {
			pl, ok1 := fitParams(f)
			pv, ok2 := fitParams(v.Fits[i])
			add("ratio_"+f.Model.name+"_", Ratios(pl, pv), ok1 && ok2)
		}
	}
	for i, s := range fails {
		if i > 0 {
			status += "; "
		}
		status += s
	}
	return names, values, status
}
