package study

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/deep"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
	"github.com/ceusrad/ceusrad/kernellib/learn"
	"github.com/ceusrad/ceusrad/kernellib/radiomics"
	"github.com/ceusrad/ceusrad/kernellib/tic"
)

// The model bundle: the folder BundleDir of a study's output holding every
// fitted model and the manifest BundleManifest (see the package
// documentation, "The model bundle and external validation").
const (
	BundleFormat   = "ceusrad-model-bundle"
	BundleVersion  = 1
	BundleDir      = "models"
	BundleManifest = "bundle.json"
	// MaxBundleFiles bounds the files a manifest may list.
	MaxBundleFiles = 16
	// MaxBundleManifestBytes bounds bundle.json.
	MaxBundleManifestBytes = 16 << 20
)

// The kinds of a bundled model: how its inputs are made from a cohort.
const (
	KindClinical  = "clinical"  // ClinicalCoding of the manifest's clinical columns
	KindTIC       = "tic"       // tic.CohortFeatures with tic.DefaultOptions
	KindRadiomics = "radiomics" // radiomics.CohortTable with the default settings
	KindCNN       = "cnn"       // deep.Prepare with the checkpoint's Config
)

// bundleFileOf is the file of each kind in the bundle.
var bundleFileOf = map[string]string{KindClinical: "clinical.json", KindTIC: "rtic.json", KindRadiomics: "rbmode.json", KindCNN: "cnn.json"}

// BundleFile is one file of the bundle: its plain name in the bundle's
// folder, SHA-256 (hex) and size in bytes.
type BundleFile struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// BundleModel is one frozen model of the bundle and everything needed to
// make its inputs from a new cohort as they were made in training.
type BundleModel struct {
	// Name is the model's name in tables (ClinicalName, RTICName, ...);
	// Kind says how its inputs are made; File is its model file: a
	// learn.SaveModel pipeline, or for KindCNN a deep checkpoint (with its
	// intensity normalisation and prior-shift logit offset).
	Name string `json:"name"`
	Kind string `json:"kind"`
	File string `json:"file"`
	// Inputs are the pipeline's input features, in order; Needed those
	// the fitted pipeline uses (learn.PipelineModel.NeededFeatures): a
	// cohort must supply these.
	Inputs []string `json:"input_features,omitempty"`
	Needed []string `json:"needed_features,omitempty"`
	// Chosen is the pipeline chosen by cross-validation on the training
	// split (R-TIC, R-BMode).
	Chosen string `json:"chosen_pipeline,omitempty"`
	// Clinical is the clinical model's coding (dummy levels, transforms).
	Clinical *ClinicalCoding `json:"clinical_coding,omitempty"`
	// TICSettings and RadiomicsSettings are the feature extraction's
	// settings (tic.Options, radiomics.Settings with its bin number or
	// width); a cohort is scored only by code whose settings are the same.
	TICSettings       json.RawMessage `json:"tic_settings,omitempty"`
	RadiomicsSettings json.RawMessage `json:"radiomics_settings,omitempty"`
	// ICCThreshold and ICCKept: R-BMode's robustness filter on the
	// training patients and the features it kept (the pipeline's inputs).
	ICCThreshold float64  `json:"icc_threshold,omitempty"`
	ICCKept      []string `json:"icc_kept_features,omitempty"`
	// Threshold is the operating threshold fixed in training and
	// ThresholdSource where (ThresholdTrainingOOF, ThresholdInnerSplit;
	// ThresholdValidation when the study had nothing else, optimistic).
	Threshold       Threshold `json:"threshold"`
	ThresholdSource string    `json:"threshold_source"`
}

// Threshold is an operating threshold in the bundle: a probability, or
// −Inf or +Inf (every patient positive, none: the Youden point of a model
// that did not discriminate its training patients), which JSON writes as
// the strings "-Inf" and "+Inf".
type Threshold float64

// MarshalJSON writes ±Inf as "-Inf"/"+Inf"; NaN is an error.
func (t Threshold) MarshalJSON() ([]byte, error) {
	v := float64(t)
	switch {
	case math.IsInf(v, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(v, -1):
		return []byte(`"-Inf"`), nil
	case math.IsNaN(v):
		return nil, errors.New("threshold is NaN")
	}
	return json.Marshal(v)
}

// UnmarshalJSON reads a number, "-Inf" or "+Inf".
func (t *Threshold) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"+Inf"`:
		*t = Threshold(math.Inf(1))
		return nil
	case `"-Inf"`:
		*t = Threshold(math.Inf(-1))
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("threshold %s: want a number, \"-Inf\" or \"+Inf\"", b)
	}
	*t = Threshold(v)
	return nil
}

// valid reports a probability or ±Inf.
func (t Threshold) valid() bool {
	v := float64(t)
	return (v >= 0 && v <= 1) || math.IsInf(v, 0)
}

// Bundle is the manifest bundle.json.
type Bundle struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	// CohortSHA256 and CodeVersion: the training cohort and the code
	// (Provenance).
	CohortSHA256 string        `json:"cohort_sha256"`
	CodeVersion  string        `json:"code_version"`
	Options      ResultOptions `json:"options"`
	Models       []BundleModel `json:"models"`
	// Skipped are the study's models that could not be bundled (a model
	// of a kind the bundle does not know).
	Skipped []string     `json:"skipped_models,omitempty"`
	Files   []BundleFile `json:"files"`
}

// ResultBundle names a bundle in results.json: the manifest's path
// (relative to results.json for a study; as given for ceusrad validate) and
// its SHA-256; for an external validation also the bundle's training
// cohort and code.
type ResultBundle struct {
	Path         string `json:"path"`
	SHA256       string `json:"sha256"`
	CohortSHA256 string `json:"cohort_sha256,omitempty"`
	CodeVersion  string `json:"code_version,omitempty"`
}

// ticSettings describes tic.DefaultOptions, the R-TIC features' settings
// (the injection time is each patient's injection_offset_s).
func ticSettings() (json.RawMessage, error) {
	o := tic.DefaultOptions()
	var models []string
	for _, m := range o.Models {
		models = append(models, m.Name())
	}
	return json.Marshal(struct {
		Extract      tic.ExtractOptions `json:"extract"`
		BaselineEndS float64            `json:"baseline_end_s"`
		SmoothWindow int                `json:"smooth_window"`
		Models       []string           `json:"models"`
		Fit          tic.FitOptions     `json:"fit"`
	}{o.Extract, o.BaselineEndS, o.SmoothWindow, models, o.Fit})
}

// radiomicsSettings describes the R-BMode features' settings
// (radiomics.DefaultSettings: discretisation, distances, families; the
// pixel size comes from each patient's cine).
func radiomicsSettings() (json.RawMessage, error) {
	return json.Marshal(radiomics.DefaultSettings())
}

// sha256Hex is the hex SHA-256 of b.
func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// BundleModels returns the bundle entries of the study's fitted models and
// their files' contents (by file name), and the names of the models that
// could not be bundled.
func (s *Study) BundleModels() ([]BundleModel, map[string][]byte, []string, error) {
	files := map[string][]byte{}
	var models []BundleModel
	var skipped []string
	for k, run := range s.Runs {
		name := run.Scores.Name
		m := BundleModel{Name: name}
		if s.Comparison != nil && k < len(s.Comparison.Models) {
			cm := s.Comparison.Models[k]
			m.Threshold, m.ThresholdSource = Threshold(cm.Operating.Threshold), cm.ThresholdSource
		}
		var model learn.Model
		var data []byte
		var err error
		switch r := run.Result.(type) {
		case *ClinicalResult:
			m.Kind, model = KindClinical, r.Model
			cc, err := ClinicalCodingOf(s.Cohort, r.Columns)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("study: bundling %s: %w", name, err)
			}
			if !slices.Equal(cc.Names(), r.Names) {
				return nil, nil, nil, fmt.Errorf("study: bundling %s: the coding gives columns %v, the model has %v", name, cc.Names(), r.Names)
			}
			m.Clinical = &cc
		case *RTICResult:
			m.Kind, model, m.Chosen = KindTIC, r.Model, r.ChosenName()
			if m.TICSettings, err = ticSettings(); err != nil {
				return nil, nil, nil, fmt.Errorf("study: bundling %s: %w", name, err)
			}
		case *RBModeResult:
			m.Kind, model, m.Chosen = KindRadiomics, r.Model, r.ChosenName()
			if m.RadiomicsSettings, err = radiomicsSettings(); err != nil {
				return nil, nil, nil, fmt.Errorf("study: bundling %s: %w", name, err)
			}
			m.ICCKept = slices.Clone(r.Robust)
			if r.ICC != nil {
				m.ICCThreshold = radiomics.DefaultICCThreshold
			}
		case *RDLCEUSResult:
			m.Kind = KindCNN
			var b bytes.Buffer
			if err := r.Model.Save(&b); err != nil {
				return nil, nil, nil, fmt.Errorf("study: bundling %s: %w", name, err)
			}
			data = b.Bytes()
		default:
			skipped = append(skipped, name)
			continue
		}
		if !m.Threshold.valid() {
			return nil, nil, nil, fmt.Errorf("study: bundling %s: operating threshold %v is not a probability or ±Inf", name, float64(m.Threshold))
		}
		if model != nil {
			pm, ok := model.(*learn.PipelineModel)
			if !ok {
				return nil, nil, nil, fmt.Errorf("study: bundling %s: fitted model is a %T, want a pipeline", name, model)
			}
			m.Inputs, m.Needed = slices.Clone(pm.Names), pm.NeededFeatures()
			if data, err = learn.MarshalModel(pm); err != nil {
				return nil, nil, nil, fmt.Errorf("study: bundling %s: %w", name, err)
			}
		}
		m.File = bundleFileOf[m.Kind]
		if _, dup := files[m.File]; dup {
			return nil, nil, nil, fmt.Errorf("study: bundling %s: two models of kind %s", name, m.Kind)
		}
		files[m.File] = data
		models = append(models, m)
	}
	return models, files, skipped, nil
}

// WriteBundle writes the study's fitted models into dir/models (BundleDir):
// one file per model (BundleModels) and the manifest bundle.json, last,
// listing each file's SHA-256 and size; every write is atomic
// (safeio.WriteFile). It returns the paths written (the manifest last) and
// the manifest's reference for results.json, or (nil, nil, nil) when no
// model of the study can be bundled.
func (s *Study) WriteBundle(dir string) ([]string, *ResultBundle, error) {
	s.ensureProvenance()
	models, files, skipped, err := s.BundleModels()
	if err != nil || len(models) == 0 {
		return nil, nil, err
	}
	mdir := filepath.Join(dir, BundleDir)
	if st, err := os.Lstat(mdir); err == nil && !st.IsDir() {
		return nil, nil, fmt.Errorf("study: %s exists and is not a folder", mdir)
	}
	if err := checkTopLevelInputs(mdir, Inputs(s.Cohort)); err != nil {
		return nil, nil, fmt.Errorf("study: %w", err)
	}
	if err := os.MkdirAll(mdir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("study: %w", err)
	}
	man := Bundle{Format: BundleFormat, Version: BundleVersion, CohortSHA256: s.Provenance.CohortSHA256,
		CodeVersion: s.Provenance.CodeVersion, Options: s.Options, Models: models, Skipped: skipped}
	var paths []string
	for _, m := range models {
		data := files[m.File]
		p := filepath.Join(mdir, m.File)
		if err := safeio.WriteFile(p, data); err != nil {
			return paths, nil, fmt.Errorf("study: %w", err)
		}
		paths = append(paths, p)
		man.Files = append(man.Files, BundleFile{Name: m.File, SHA256: sha256Hex(data), Size: int64(len(data))})
	}
	js, err := json.MarshalIndent(man, "", " ")
	if err != nil {
		return paths, nil, fmt.Errorf("study: bundle manifest: %w", err)
	}
	js = append(js, '\n')
	p := filepath.Join(mdir, BundleManifest)
	if err := safeio.WriteFile(p, js); err != nil {
		return paths, nil, fmt.Errorf("study: %w", err)
	}
	paths = append(paths, p)
	return paths, &ResultBundle{Path: BundleDir + "/" + BundleManifest, SHA256: sha256Hex(js)}, nil
}

// LoadedBundle is a bundle read and checked by LoadBundle.
type LoadedBundle struct {
	// Dir is the bundle's folder; SHA256 that of its bundle.json.
	Dir      string
	SHA256   string
	Manifest Bundle
	// Pipelines are the learn pipelines by model name; CNN the network
	// (nil when the bundle has none).
	Pipelines map[string]*learn.PipelineModel
	CNN       *deep.Model
}

// ErrBundle is wrapped by every error of LoadBundle about the bundle's
// content.
var ErrBundle = errors.New("study: model bundle")

// readExact reads the regular file path whole, refusing a file whose size
// differs from size or exceeds limit before reading it.
func readExact(path string, size, limit int64) ([]byte, error) {
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if size < 0 {
		size = st.Size()
	}
	if st.Size() > limit || size > limit {
		return nil, fmt.Errorf("%w: %s is %d bytes, more than the limit of %d", ErrBundle, path, st.Size(), limit)
	}
	if st.Size() != size {
		return nil, fmt.Errorf("%w: %s is %d bytes, the manifest says %d (changed since the bundle was written?)", ErrBundle, path, st.Size(), size)
	}
	b, err := io.ReadAll(io.LimitReader(f, size+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) != size {
		return nil, fmt.Errorf("%w: %s: read %d bytes, the manifest says %d", ErrBundle, path, len(b), size)
	}
	return b, nil
}

// plainName reports a bare file name (no folder, not "." or "..").
func plainName(n string) bool {
	return n != "" && filepath.IsLocal(n) && !strings.ContainsAny(n, `/\`) && n != "." && n != ".."
}

// LoadBundle reads the bundle in dir (a study's OUT/models folder). It
// checks, before parsing any model: bundle.json's size (at most
// MaxBundleManifestBytes), format and version; at most MaxBundleFiles
// files, each a plain name in dir (a path leaving it is refused) listed
// once, of at most learn.MaxModelBytes (deep.MaxCheckpointBytes for the
// CNN), with the size and SHA-256 the manifest gives; every model's kind,
// file and threshold. Then each model is parsed with its own loader's
// bounds (learn.UnmarshalModel, deep.Load) from the bytes that were
// hashed, and its inputs are compared with the manifest's. Errors wrap
// ErrBundle and name the file.
func LoadBundle(dir string) (*LoadedBundle, error) {
	mp := filepath.Join(dir, BundleManifest)
	raw, err := readExact(mp, -1, MaxBundleManifestBytes)
	if err != nil {
		return nil, fmt.Errorf("study: reading the bundle: %w", err)
	}
	lb := &LoadedBundle{Dir: dir, SHA256: sha256Hex(raw), Pipelines: map[string]*learn.PipelineModel{}}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, fmt.Errorf("%w: %s is not JSON: %v", ErrBundle, mp, err)
	}
	if head.Format != BundleFormat {
		return nil, fmt.Errorf("%w: %s has format %q, not a ceusrad model bundle (%q)", ErrBundle, mp, head.Format, BundleFormat)
	}
	if head.Version != BundleVersion {
		return nil, fmt.Errorf("%w: %s is version %d; this code reads version %d", ErrBundle, mp, head.Version, BundleVersion)
	}
	b := &lb.Manifest
	if err := dec.Decode(b); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBundle, mp, err)
	}
	if len(b.Files) > MaxBundleFiles {
		return nil, fmt.Errorf("%w: %s lists %d files, at most %d", ErrBundle, mp, len(b.Files), MaxBundleFiles)
	}
	if len(b.Models) == 0 || len(b.Models) > MaxBundleFiles {
		return nil, fmt.Errorf("%w: %s lists %d models, want 1 to %d", ErrBundle, mp, len(b.Models), MaxBundleFiles)
	}
	listed := map[string]BundleFile{}
	for _, f := range b.Files {
		switch {
		case !plainName(f.Name) || f.Name == BundleManifest:
			return nil, fmt.Errorf("%w: %s lists the file %q, which is not a plain file name in the bundle's folder", ErrBundle, mp, f.Name)
		case len(f.SHA256) != 64 || strings.ToLower(f.SHA256) != f.SHA256:
			return nil, fmt.Errorf("%w: %s: file %s: sha256 %q is not 64 lower-case hex digits", ErrBundle, mp, f.Name, f.SHA256)
		case f.Size < 0:
			return nil, fmt.Errorf("%w: %s: file %s: size %d", ErrBundle, mp, f.Name, f.Size)
		}
		if _, dup := listed[f.Name]; dup {
			return nil, fmt.Errorf("%w: %s lists the file %s twice", ErrBundle, mp, f.Name)
		}
		listed[f.Name] = f
	}
	names := map[string]bool{}
	used := map[string]bool{}
	for i, m := range b.Models {
		f, ok := listed[m.File]
		switch {
		case m.Name == "" || names[m.Name]:
			return nil, fmt.Errorf("%w: %s: model %d has an empty or repeated name %q", ErrBundle, mp, i, m.Name)
		case bundleFileOf[m.Kind] == "":
			return nil, fmt.Errorf("%w: %s: model %s has kind %q, want clinical, tic, radiomics or cnn", ErrBundle, mp, m.Name, m.Kind)
		case !ok:
			return nil, fmt.Errorf("%w: %s: model %s's file %q is not among the files listed", ErrBundle, mp, m.Name, m.File)
		case used[m.File]:
			return nil, fmt.Errorf("%w: %s: file %s serves two models", ErrBundle, mp, m.File)
		case !m.Threshold.valid():
			return nil, fmt.Errorf("%w: %s: model %s: threshold %v is not a probability or ±Inf", ErrBundle, mp, m.Name, float64(m.Threshold))
		case m.ThresholdSource != ThresholdTrainingOOF && m.ThresholdSource != ThresholdInnerSplit && m.ThresholdSource != ThresholdValidation:
			return nil, fmt.Errorf("%w: %s: model %s: threshold_source %q", ErrBundle, mp, m.Name, m.ThresholdSource)
		case m.Kind == KindClinical && m.Clinical == nil:
			return nil, fmt.Errorf("%w: %s: clinical model %s has no clinical_coding", ErrBundle, mp, m.Name)
		}
		if m.Kind == KindClinical {
			if err := m.Clinical.check(); err != nil {
				return nil, fmt.Errorf("%w: %s: model %s: %v", ErrBundle, mp, m.Name, err)
			}
		}
		names[m.Name], used[m.File] = true, true
		limit := int64(learn.MaxModelBytes)
		if m.Kind == KindCNN {
			limit = deep.MaxCheckpointBytes
		}
		if f.Size > limit {
			return nil, fmt.Errorf("%w: %s: file %s is %d bytes, more than the limit of %d", ErrBundle, mp, f.Name, f.Size, limit)
		}
	}
	for n := range listed {
		if !used[n] {
			return nil, fmt.Errorf("%w: %s lists the file %s, which no model uses", ErrBundle, mp, n)
		}
	}
	for _, m := range b.Models {
		f := listed[m.File]
		p := filepath.Join(dir, f.Name)
		limit := int64(learn.MaxModelBytes)
		if m.Kind == KindCNN {
			limit = deep.MaxCheckpointBytes
		}
		data, err := readExact(p, f.Size, limit)
		if err != nil {
			return nil, fmt.Errorf("study: bundle: %w", err)
		}
		if got := sha256Hex(data); got != f.SHA256 {
			return nil, fmt.Errorf("%w: %s has SHA-256 %s, the manifest says %s: the file was changed or does not belong to this bundle", ErrBundle, p, got, f.SHA256)
		}
		if m.Kind == KindCNN {
			if lb.CNN != nil {
				return nil, fmt.Errorf("%w: %s holds two CNNs", ErrBundle, mp)
			}
			if lb.CNN, err = deep.Load(bytes.NewReader(data), p); err != nil {
				return nil, fmt.Errorf("%w: %v", ErrBundle, err)
			}
			continue
		}
		model, err := learn.UnmarshalModel(data)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrBundle, p, err)
		}
		pm, ok := model.(*learn.PipelineModel)
		if !ok {
			return nil, fmt.Errorf("%w: %s holds a %T, want a pipeline", ErrBundle, p, model)
		}
		if !slices.Equal(pm.Names, m.Inputs) || !slices.Equal(pm.NeededFeatures(), m.Needed) {
			return nil, fmt.Errorf("%w: %s: the pipeline's inputs %v (needed %v) differ from the manifest's %v (needed %v)", ErrBundle, p, pm.Names, pm.NeededFeatures(), m.Inputs, m.Needed)
		}
		if m.Kind == KindClinical && !slices.Equal(m.Clinical.Names(), pm.Names) {
			return nil, fmt.Errorf("%w: %s: the clinical coding gives columns %v, the pipeline takes %v", ErrBundle, p, m.Clinical.Names(), pm.Names)
		}
		if m.Kind == KindRadiomics && m.ICCKept != nil && !slices.Equal(m.ICCKept, pm.Names) {
			return nil, fmt.Errorf("%w: %s: ICC-kept features %v differ from the pipeline's inputs %v", ErrBundle, p, m.ICCKept, pm.Names)
		}
		lb.Pipelines[m.Name] = pm
	}
	return lb, nil
}

// Model returns the manifest entry of the named model.
func (lb *LoadedBundle) Model(name string) (BundleModel, bool) {
	for _, m := range lb.Manifest.Models {
		if m.Name == name {
			return m, true
		}
	}
	return BundleModel{}, false
}
