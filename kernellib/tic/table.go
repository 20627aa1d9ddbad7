package tic

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/cohort/filecheck"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/internal/parallel"
)

// Column names of CohortFeatures besides the features.
const (
	// ColStatus holds "" for a patient whose fits were all accepted,
	// else the failed or implausible fits, "; "-separated.
	ColStatus = "tic_status"
	// ColTimeOrigin holds the patient's Analysis.TimeOrigin: "injection",
	// "arrival" or "first_frame", the origin of the time features (at,
	// ttp, mtt and the fits' t0).
	ColTimeOrigin = "time_origin"
	// ColArrival holds the lesion's contrast arrival, Analysis.Arrival, in
	// seconds after the cine's first frame (NaN, written NA, when none was
	// found).
	ColArrival = "arrival_s"
	// ColOverlaySuffix ends the name of the integer column, one per ROI
	// ("lesion_overlay_pixels", "liver_overlay_pixels"), that holds
	// Curves.OverlayPixels: the largest number of the ROI's pixels left out
	// of one frame as a burned-in coloured overlay (NA for a patient
	// without that ROI).
	ColOverlaySuffix = "_overlay_pixels"
)

// AnalysePatient analyses one patient of a cohort manifest: the cine
// (opened with the manifest's frame_rate and cine_region,
// filecheck.CineOptions; the masks brought into the region's coordinates by
// imaging.MaskForCine), the lesion mask as ROI
// "lesion" (changed by o.Lesion when set) and, when given, the liver mask
// as ROI "liver"; the injection time is the patient's injection_offset_s
// when given (it replaces o.InjectionS), else o.InjectionS. Errors name
// the patient and the file.
func AnalysePatient(p cohort.Patient, o Options) (*Analysis, error) {
	fail := func(file string, err error) error {
		return fmt.Errorf("tic: patient %s (%s): %w", p.ID, file, err)
	}
	les, err := imaging.ReadMask(p.LesionMask)
	if err != nil {
		return nil, fail(p.LesionMask, err)
	}
	if o.Lesion != nil {
		les = o.Lesion(les)
	}
	rois := []ROI{{"lesion", les}}
	if p.LiverMask != "" {
		liv, err := imaging.ReadMask(p.LiverMask)
		if err != nil {
			return nil, fail(p.LiverMask, err)
		}
		rois = append(rois, ROI{"liver", liv})
	}
	c, err := imaging.OpenCine(p.Cine, filecheck.CineOptions(p))
	if err != nil {
		return nil, fail(p.Cine, err)
	}
	defer c.Close()
	for i, path := range []string{p.LesionMask, p.LiverMask}[:len(rois)] {
		if rois[i].Mask, err = imaging.MaskForCine(rois[i].Mask, c.Info()); err != nil {
			return nil, fail(path, err)
		}
	}
	if !math.IsNaN(p.InjectionOffset) {
		o.InjectionS = p.InjectionOffset
	}
	a, err := Analyse(c, rois, o, nil)
	if err != nil {
		return nil, fail(p.Cine, err)
	}
	return a, nil
}

// CohortFeatures returns the table of TIC features of every patient of the
// cohort, one row per patient in manifest order: patient_id (and lesion_id
// for a lesion-level cohort: cohort.KeyColumns), tic_status (ColStatus),
// time_origin (ColTimeOrigin), arrival_s (ColArrival), one integer column
// ROI_overlay_pixels per ROI (ColOverlaySuffix; lesion, then liver) and the
// numeric features of Analysis.Features (AnalysePatient with options o).
// time_origin and arrival_s describe the analysis, not the perfusion: they
// are String columns (arrival_s holds the number, shortest form that reads
// back exactly), so that a model that learns from every numeric column of
// the table (kernellib/study) does not learn from the cine's clock. A failed or implausible fit leaves its features NaN and
// says so in tic_status; a patient whose files cannot be read or analysed
// makes the whole call fail, with every such patient's error (nothing is
// skipped). When the cohort mixes patients with and without a liver mask,
// the liver and ratio columns are NaN for those without.
//
// Patients are analysed in parallel by workers goroutines (≤ 0 means
// GOMAXPROCS); every patient's analysis is deterministic and independent,
// so the table does not depend on the number of workers. progress, when
// not nil, is called (serially) after each patient with (done, total).
func CohortFeatures(c *cohort.Cohort, o Options, workers int, progress func(done, total int)) (dataframe.DataFrame, error) {
	if c == nil || len(c.Patients) == 0 {
		return dataframe.DataFrame{}, errors.New("tic: CohortFeatures: empty cohort")
	}
	n := len(c.Patients)
	type row struct {
		names          []string
		values         []float64
		status, origin string
		arrival        float64
		rois           []string
		overlay        []int
	}
	rows := make([]row, n)
	err := parallel.ForEach(n, workers, func(i int) error {
		a, err := AnalysePatient(c.Patients[i], o)
		if err != nil {
			return err
		}
		rows[i].names, rows[i].values, rows[i].status = a.Features()
		rows[i].origin, rows[i].arrival = a.TimeOrigin, a.Arrival
		rows[i].rois, rows[i].overlay = a.Curves.Names, a.Curves.OverlayPixels
		return nil
	}, progress)
	if err != nil {
		return dataframe.DataFrame{}, err
	}
	// The widest row (with a liver ROI) defines the columns.
	var cols, roiNames []string
	for _, r := range rows {
		if len(r.names) > len(cols) {
			cols = r.names
		}
		if len(r.rois) > len(roiNames) {
			roiNames = r.rois
		}
	}
	overlay := make([][]string, len(roiNames)) // Int columns, "NaN" for NA
	for j := range overlay {
		overlay[j] = make([]string, n)
		for i, r := range rows {
			overlay[j][i] = "NaN"
			for k, nm := range r.rois {
				if nm == roiNames[j] {
					overlay[j][i] = strconv.Itoa(r.overlay[k])
				}
			}
		}
	}
	status := make([]string, n)
	origin := make([]string, n)
	arrival := make([]string, n)
	data := make([][]float64, len(cols))
	for j := range data {
		data[j] = make([]float64, n)
	}
	for i, r := range rows {
		status[i], origin[i] = r.status, r.origin
		arrival[i] = strconv.FormatFloat(r.arrival, 'g', -1, 64) // "NaN": NA
		at := make(map[string]float64, len(r.names))
		for k, nm := range r.names {
			at[nm] = r.values[k]
		}
		for j, nm := range cols {
			v, ok := at[nm]
			if !ok {
				v = math.NaN()
			}
			data[j][i] = v
		}
	}
	ss := append(cohort.KeyColumns(c.Patients), series.New(status, series.String, ColStatus),
		series.New(origin, series.String, ColTimeOrigin), series.New(arrival, series.String, ColArrival))
	for j, nm := range roiNames {
		ss = append(ss, series.New(overlay[j], series.Int, nm+ColOverlaySuffix))
	}
	for j, nm := range cols {
		ss = append(ss, series.New(data[j], series.Float, nm))
	}
	df := dataframe.New(ss...)
	if df.Err != nil {
		return dataframe.DataFrame{}, fmt.Errorf("tic: CohortFeatures: %w", df.Err)
	}
	return df, nil
}
