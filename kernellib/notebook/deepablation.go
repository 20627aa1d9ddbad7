package notebook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/deep"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
	"github.com/ceusrad/ceusrad/kernellib/study"
)

// CNNVariantFormat marks a cached CNN variant's file (CNNVariant).
const CNNVariantFormat = "ceusrad-cnn-variant"

// maxVariantBytes bounds a CNNVariant file read back.
const maxVariantBytes = 4 << 20

// CNNVariant is a variant of the study's CNN — the same network, seed and
// settings with one change (Config), such as the ablation without the mask
// channel — trained on the training split and scored on the validation
// patients, as cached in ResultsDir by TrainVariant. It is keyed as
// results.json is: the cohort's content hash and the code version
// (study.Provenance), plus the variant's Config and validation patients;
// any difference trains it again.
type CNNVariant struct {
	Format       string      `json:"format"`
	Name         string      `json:"name"`
	CohortSHA256 string      `json:"cohort_sha256"`
	CodeVersion  string      `json:"code_version"`
	Config       deep.Config `json:"config"`
	// Valid are the validation patients, in results.json's order, and
	// ValidProb the variant's probabilities of OR for them.
	Valid     []string  `json:"validation_patients"`
	ValidProb []float64 `json:"validation_probabilities"`
	// Epochs were run, the weights of BestEpoch kept, in TrainSeconds.
	Epochs       int     `json:"epochs_run"`
	BestEpoch    int     `json:"best_epoch"`
	TrainSeconds float64 `json:"train_seconds"`
}

// variantFile is the file of the variant called name in ResultsDir.
func variantFile(file string) string { return filepath.Join(ResultsDir(), "cnn_variant_"+file+".json") }

// sameConfig reports two configurations that train the same network
// (Workers, which never changes a result, aside).
func sameConfig(a, b deep.Config) bool {
	a.Workers, b.Workers = 0, 0
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

// staleVariant returns why the cached variant v cannot stand for training
// name with cfg on the cohort and code of r ("" when it can).
func staleVariant(v *CNNVariant, r *study.Results, name string, cfg deep.Config) string {
	now := study.Provenance{CohortSHA256: r.CohortSHA256, CodeVersion: r.CodeVersion}
	switch {
	case v.Format != CNNVariantFormat || v.Name != name:
		return fmt.Sprintf("the file holds %q (%s), not %q", v.Name, v.Format, name)
	case !sameConfig(v.Config, cfg):
		return "it was trained with other settings"
	case !slices.Equal(v.Valid, r.Valid) || len(v.ValidProb) != len(r.Valid):
		return "it scored other validation patients"
	}
	return now.Stale(study.Provenance{CohortSHA256: v.CohortSHA256, CodeVersion: v.CodeVersion})
}

// TrainVariant returns the CNN variant name (cfg: the study's Config with
// one change) on cohort c, whose study results are r: read from
// ResultsDir/cnn_variant_<file>.json when that file was made from the same
// cohort content, code, settings and validation patients (reused true),
// otherwise trained now with study.RDLCEUS — training split only, progress
// per epoch — and written there (atomically). why says which, as a line
// for the notebook.
func TrainVariant(r *study.Results, c *cohort.Cohort, name, file string, cfg deep.Config, progress deep.Progress) (v *CNNVariant, why string, err error) {
	path := variantFile(file)
	why = "no " + filepath.Base(path) + " yet"
	if b, err := safeio.ReadFile(path, maxVariantBytes); err == nil {
		var have CNNVariant
		if err := json.Unmarshal(b, &have); err != nil {
			why = fmt.Sprintf("%s cannot be read (%v)", path, err)
		} else if why = staleVariant(&have, r, name, cfg); why == "" {
			return &have, fmt.Sprintf("%s read from %s: same cohort content (SHA-256 %.12s…), code and settings.", name, path, r.CohortSHA256), nil
		}
	}
	res, err := study.RDLCEUS(c, study.RDLCEUSOptions{Config: &cfg, Progress: progress})
	if err != nil {
		return nil, "", err
	}
	v = &CNNVariant{Format: CNNVariantFormat, Name: name, CohortSHA256: r.CohortSHA256, CodeVersion: r.CodeVersion, Config: cfg,
		ValidProb: res.ValidProb, Epochs: len(res.Model.History), BestEpoch: res.Model.BestEpoch, TrainSeconds: res.TrainTime.Seconds()}
	for _, i := range res.Valid {
		v.Valid = append(v.Valid, res.Patients[i].ID)
	}
	if !slices.Equal(v.Valid, r.Valid) {
		return nil, "", fmt.Errorf("notebook: %s scored the validation patients %v, results.json has %v: the cohort is not the study's", name, v.Valid, r.Valid)
	}
	js, err := json.MarshalIndent(v, "", " ")
	if err == nil {
		err = safeio.WriteFile(path, append(js, '\n'))
	}
	if err != nil {
		return nil, "", fmt.Errorf("notebook: writing %s: %w", path, err)
	}
	return v, fmt.Sprintf("%s trained now and written to %s (%s).", name, path, why), nil
}
