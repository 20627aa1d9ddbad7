package study

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
	"github.com/ceusrad/ceusrad/kernellib/roc"
)

// ReadResults reads a results.json written by Study.WriteFiles.
func ReadResults(path string) (*Results, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Results
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("study: %s: %w", path, err)
	}
	if len(r.Models) == 0 || len(r.ValidTruth) != r.NValid {
		return nil, fmt.Errorf("study: %s: no models, or %d validation outcomes for %d patients", path, len(r.ValidTruth), r.NValid)
	}
	if r.Cohort != "" && !filepath.IsAbs(r.Cohort) {
		r.Cohort = filepath.Join(filepath.Dir(path), r.Cohort)
	}
	return &r, nil
}

// relativePath returns path (a file) relative to the folder dir, both
// made absolute first.
func relativePath(dir, path string) (string, error) {
	ad, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	ap, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.Rel(ad, ap)
}

// sameFile reports whether two paths name the same file, compared as
// cleaned absolute paths.
func sameFile(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	ab, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == ab
}

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = jsonFloat(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = jsonFloat(v)
	return nil
}

func floats(v []jsonFloat) []float64 {
	if len(v) == 0 {
		return nil
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// Scores returns the models' probabilities as Compare takes them.
func (r *Results) Scores() []Scores {
	var s []Scores
	for _, m := range r.Models {
		sc := Scores{Name: m.Name, Train: floats(m.TrainOOF), Valid: floats(m.ValidProb), Inner: floats(m.InnerProb), InnerTruth: m.InnerTruth}
		if r.External {
			// Frozen models: the threshold is the bundle's, fixed in training,
			// never chosen again on the external patients.
			sc.Fixed = &FixedThreshold{Threshold: float64(m.Threshold), Source: m.ThresholdSource}
		}
		s = append(s, sc)
	}
	return s
}

// Compare recomputes the comparison from the stored probabilities (a few
// seconds; the models are not refitted).
func (r *Results) Compare(opt CompareOptions, progress func(done, total int)) (*Comparison, error) {
	if opt.Boot.Replicates == 0 {
		opt.Boot.Replicates = r.Options.BootReplicates
	}
	if opt.Boot.Seed == 0 {
		opt.Boot.Seed = r.Options.Seed
	}
	return Compare(r.TrainTruth, r.ValidTruth, r.Scores(), opt, progress)
}

// Robustness returns the stored robustness analysis (cnn: the one that
// retrained the CNN too), nil when there is none.
func (r *Results) Robustness(cnn bool) *Robustness {
	src := r.Robust
	if cnn {
		src = r.RobustCNN
	}
	if src == nil {
		return nil
	}
	out := &Robustness{Splits: src.Splits, Pairs: src.Pairs, Alpha: 0.05}
	for _, m := range r.Models {
		if a, ok := src.AUC[m.Name]; ok {
			out.Models = append(out.Models, m.Name)
			out.AUC = append(out.AUC, floats(a))
		}
	}
	out.SetPipelines(src.RobustPipelines)
	return out
}

// LoadOrRun returns the results of the study on the cohort with opt: read
// from dir/results.json when that file was made from the same cohort —
// same manifest path, same content (Provenance.CohortSHA256) — by the same
// code (Provenance.CodeVersion) with the same settings (what `ceusrad
// reproduce` and `make reproduce` leave behind), otherwise computed with
// RunStudy and written, with every table and figure, into dir. Notebooks
// call it so that the models are trained once however many notebooks show
// them. LoadOrRunReport says which it did and why.
func LoadOrRun(c *cohort.Cohort, dir string, opt RunOptions, simulated bool) (*Results, error) {
	r, _, err := LoadOrRunReport(c, dir, opt, simulated)
	return r, err
}

// LoadReport says what LoadOrRunReport did.
type LoadReport struct {
	// Reused is true when results.json was read and nothing recomputed.
	Reused bool
	// Reason says why the study ran ("" when Reused), e.g. "cohort changed
	// since results.json was written (…)" or "code changed since
	// results.json was written (…)".
	Reason string
	// Provenance is the cohort's content hash and the code version now.
	Provenance Provenance
	// Hash says how the cohort was hashed: files read, files whose hash
	// came from the cache (HashCachePath).
	Hash cohort.HashStats
}

// LoadOrRunReport is LoadOrRun, with what it did and why. The cohort is
// hashed first (a progress stage "hashing the cohort" through
// opt.Progress); the files' hashes are cached (HashCachePath), so that a
// second call reads no file whose size, times and inode are unchanged. A cohort whose files cannot be hashed is run every time.
func LoadOrRunReport(c *cohort.Cohort, dir string, opt RunOptions, simulated bool) (*Results, LoadReport, error) {
	var rep LoadReport
	var progress func(done, total int)
	if opt.Progress != nil {
		progress = func(done, total int) { opt.Progress("hashing the cohort", done, total) }
	}
	prov, st, herr := CurrentProvenance(c, HashCachePath(), progress)
	rep.Provenance, rep.Hash = prov, st
	path := filepath.Join(dir, "results.json")
	r, err := ReadResults(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		rep.Reason = "no results.json in " + dir
	case err != nil:
		rep.Reason = fmt.Sprintf("results.json cannot be read (%v)", err)
	case !sameFile(r.Cohort, c.Path):
		rep.Reason = fmt.Sprintf("results.json was made from another manifest (%s)", r.Cohort)
	case !sameOptions(r.Options, opt):
		rep.Reason = "results.json was made with other settings"
	case herr != nil:
		rep.Reason = fmt.Sprintf("the cohort's files could not be hashed (%v)", herr)
	default:
		rep.Reason = prov.Stale(Provenance{CohortSHA256: r.CohortSHA256, CodeVersion: r.CodeVersion})
	}
	if rep.Reason == "" {
		rep.Reused = true
		return r, rep, nil
	}
	// One run at a time into dir: a second notebook (or ceusrad reproduce)
	// on the same folder fails at once instead of mixing its files in.
	lock, err := safeio.LockDir(dir)
	if err != nil {
		return nil, rep, fmt.Errorf("study: %w", err)
	}
	defer lock.Unlock()
	s, err := RunStudy(c, opt)
	if err != nil {
		return nil, rep, err
	}
	s.Provenance = prov
	if _, err := s.WriteFiles(dir, simulated); err != nil {
		return nil, rep, err
	}
	// What was written (with its files list and provenance), as a later call
	// reads it back.
	r, err = ReadResults(path)
	return r, rep, err
}

// sameOptions reports whether a stored run used opt's settings.
func sameOptions(have ResultOptions, opt RunOptions) bool {
	seed, splits, boot := opt.Seed, opt.Splits, opt.BootReplicates
	if seed == 0 {
		seed = 1
	}
	if splits == 0 {
		splits = 100
	}
	if splits < 0 {
		splits = 0
	}
	if boot == 0 {
		boot = roc.DefaultReplicates
	}
	if have.Seed != seed || have.Splits != splits || have.CNNSplits != opt.CNNSplits || have.BootReplicates != boot || have.CNNEpochs != opt.CNNEpochs ||
		have.MinReaderICC != opt.MinReaderICC || (!opt.NoROI && !have.ROIPerturbation && hasROIModels(have.Models)) {
		return false
	}
	if len(opt.Models) > 0 {
		return slices.Equal(have.Models, opt.Models)
	}
	var all []string
	for _, b := range Builders {
		all = append(all, b.Name)
	}
	return slices.Equal(have.Models, all)
}
