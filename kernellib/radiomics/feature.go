package radiomics

import (
	"fmt"
	"math"
	"slices"
)

// Feature is one computed feature value.
type Feature struct {
	Family      string  `json:"family"`      // a Family* constant, e.g. "glcm"
	Name        string  `json:"name"`        // snake_case IBSI name, e.g. "joint_maximum"
	IBSIID      string  `json:"ibsi_id"`     // IBSI identifier, e.g. "GYBY"; "" where IBSI defines none
	Aggregation string  `json:"aggregation"` // IBSI's spelling, e.g. "2D, averaged"; "" where none applies
	Value       float64 `json:"value"`
}

// Key returns "family/name" followed by " [aggregation]" when there is one: a unique
// name for the feature within one extraction.
func (f Feature) Key() string {
	if f.Aggregation == "" {
		return f.Family + "/" + f.Name
	}
	return f.Family + "/" + f.Name + " [" + f.Aggregation + "]"
}

// The feature families, IBSI chapter 3.
const (
	FamilyMorphology     = "morphology"           // IBSI 3.1 (3D), and 2D shape for one-slice images
	FamilyLocalIntensity = "local_intensity"      // IBSI 3.2
	FamilyStatistics     = "intensity_statistics" // IBSI 3.3
	FamilyHistogram      = "intensity_histogram"  // IBSI 3.4
	FamilyIVH            = "ivh"                  // IBSI 3.5, intensity–volume histogram
	FamilyGLCM           = "glcm"                 // IBSI 3.6
	FamilyGLRLM          = "glrlm"                // IBSI 3.7
	FamilyGLSZM          = "glszm"                // IBSI 3.8
	FamilyGLDZM          = "gldzm"                // IBSI 3.9
	FamilyNGTDM          = "ngtdm"                // IBSI 3.10
	FamilyNGLDM          = "ngldm"                // IBSI 3.11
)

// Families returns every family, in IBSI's order.
func Families() []string {
	return []string{FamilyMorphology, FamilyLocalIntensity, FamilyStatistics, FamilyHistogram, FamilyIVH,
		FamilyGLCM, FamilyGLRLM, FamilyGLSZM, FamilyGLDZM, FamilyNGTDM, FamilyNGLDM}
}

func knownFamily(f string) bool { return slices.Contains(Families(), f) }

// The aggregation methods, spelled as in IBSI's reference tables (IBSI 3.6.1, 3.7.1).
// GLCM and GLRLM have six; the zone and neighbourhood matrices (GLSZM, GLDZM, NGTDM,
// NGLDM), which have no direction, have three.
const (
	Agg2DAveraged         = "2D, averaged"           // per slice and direction, features averaged (IBSI BTW3)
	Agg2DSliceMerged      = "2D, slice-merged"       // directions merged per slice, features averaged over slices (SUJT)
	Agg25DDirectionMerged = "2.5D, direction-merged" // slices merged per direction, features averaged over directions (JJUI)
	Agg25DMerged          = "2.5D, merged"           // every slice and direction merged (ZW7Z)
	Agg3DAveraged         = "3D, averaged"           // per 3D direction, features averaged (ITBB)
	Agg3DMerged           = "3D, merged"             // every 3D direction merged (IAZD)
	Agg2D                 = "2D"                     // per slice, features averaged over slices (8QNN)
	Agg25D                = "2.5D"                   // per-slice matrices merged (62GR)
	Agg3D                 = "3D"                     // one 3D matrix (KOBO)
)

// def is a named feature function: the feature name, its IBSI identifier and the
// function computing it from a family's precomputed state T.
type def[T any] struct {
	name, id string
	f        func(T) float64
}

// evalDefs evaluates every definition on t.
func evalDefs[T any](defs []def[T], t T) []float64 {
	v := make([]float64, len(defs))
	for i, d := range defs {
		v[i] = d.f(t)
	}
	return v
}

// emit appends one feature per definition.
func emit[T any](out []Feature, family, agg string, defs []def[T], vals []float64) []Feature {
	for i, d := range defs {
		out = append(out, Feature{Family: family, Name: d.name, IBSIID: d.id, Aggregation: agg, Value: vals[i]})
	}
	return out
}

// checkFinite returns an error naming the first feature whose value is NaN or ±Inf: a
// feature without a documented value for the input is a bug, not a result.
func checkFinite(fs []Feature) error {
	for _, f := range fs {
		if math.IsNaN(f.Value) || math.IsInf(f.Value, 0) {
			return fmt.Errorf("radiomics: feature %s is %g", f.Key(), f.Value)
		}
	}
	return nil
}

// ratio returns a/b, or def when b is 0: the documented value of a feature whose
// denominator vanishes (e.g. a constant region).
func ratio(a, b, def float64) float64 {
	if b == 0 {
		return def
	}
	return a / b
}

// log2 of p, 0 for p = 0 (the convention 0·log 0 = 0 of every entropy in IBSI).
func plog2p(p float64) float64 {
	if p <= 0 {
		return 0
	}
	return p * math.Log2(p)
}

// meanOf averages rows of feature values (one row per matrix) column by column.
func meanOf(rows [][]float64) []float64 {
	if len(rows) == 0 {
		return nil
	}
	m := make([]float64, len(rows[0]))
	for _, r := range rows {
		for i, v := range r {
			m[i] += v
		}
	}
	for i := range m {
		m[i] /= float64(len(rows))
	}
	return m
}
