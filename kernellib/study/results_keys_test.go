package study

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// snakeRE is the one key style of results.json.
var snakeRE = regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)

// badKeys walks decoded JSON and returns the paths of the object keys that
// are not snake_case. Objects whose keys are data rather than field names
// (the robustness AUCs keyed by model name) are named by dataKeyed, a
// predicate on the path of the object.
func badKeys(v any, path string, dataKeyed func(string) bool) []string {
	var bad []string
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := path + "." + k
			if !dataKeyed(path) && !snakeRE.MatchString(k) {
				bad = append(bad, p)
			}
			bad = append(bad, badKeys(e, p, dataKeyed)...)
		}
	case []any:
		for _, e := range x {
			bad = append(bad, badKeys(e, path+"[]", dataKeyed)...)
		}
	}
	sort.Strings(bad)
	return bad
}

// fill sets every field reachable from v (a pointer) to a non-zero value:
// one element in every slice, one entry ("key") in every map, every
// pointer allocated, so that every struct field, omitempty or not, reaches
// the JSON.
func fill(v reflect.Value, depth int) {
	if depth > 12 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fill(v.Elem(), depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), depth+1)
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			fill(v.Index(i), depth+1)
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		fill(k, depth+1)
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.String:
		v.SetString("key")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(0.5)
	}
}

// TestResultsKeysSnakeCase fills every field of a Results, marshals it as
// WriteFiles does and checks that every key of the JSON is snake_case: a
// struct field without a json tag (a Go name such as AHigher) fails.
func TestResultsKeysSnakeCase(t *testing.T) {
	var r Results
	fill(reflect.ValueOf(&r), 0)
	b, err := json.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if bad := badKeys(v, "", func(string) bool { return false }); len(bad) > 0 {
		t.Errorf("results.json keys not in snake_case: %v", bad)
	}
	for _, k := range []string{`"hosmer_lemeshow":{"chi2":`, `"calibration_in_the_large":`, `"a_higher":`, `"significant_holm":`, `"median_diff":`, `"q025":`,
		`"omnibus_delong":{"chi2":`, `"p_vs_half":`, `"pr_auc":{"average_precision":`, `"auc_interpolated":`} {
		if !bytes.Contains(b, []byte(k)) {
			t.Errorf("results.json lacks %s", k)
		}
	}
}

// TestResultsRoundTrip runs a small study, checks the keys of the
// results.json it writes (the robustness AUCs stay keyed by model name) and
// that ReadResults gives back what was written: marshalled again, the
// Results are the same bytes.
func TestResultsRoundTrip(t *testing.T) {
	c := clinicalCohort(t, 90)
	dir := t.TempDir()
	opt := RunOptions{Models: []string{ClinicalName}, Splits: 3, BootReplicates: 200}
	r1, err := LoadOrRun(c, dir, opt, true)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "results.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	modelKeyed := func(p string) bool { return strings.HasPrefix(p, ".robustness") && strings.HasSuffix(p, ".auc") }
	if bad := badKeys(v, "", modelKeyed); len(bad) > 0 {
		t.Errorf("results.json keys not in snake_case: %v", bad)
	}
	if !strings.Contains(string(b), `"clinical"`) {
		t.Errorf("seconds not keyed in snake_case:\n%s", b)
	}
	r2, err := ReadResults(path)
	if err != nil {
		t.Fatal(err)
	}
	hl := r2.Models[0].HL
	if hl.Sample != "validation" || hl.DF != hl.Groups || hl.Groups < 3 || hl.Groups > 10 || !sameFloat(float64(r2.Models[0].InTheLarge), float64(r1.Models[0].InTheLarge)) {
		t.Errorf("read back: Hosmer–Lemeshow %+v, calibration-in-the-large %v", hl, r2.Models[0].InTheLarge)
	}
	if rb := r2.Robustness(false); rb == nil || len(rb.Pairs) != len(r1.Robust.Pairs) {
		t.Fatalf("robustness read back: %+v", rb)
	}
	r2.Cohort = r1.Cohort
	rel, err := relativePath(dir, r1.Cohort)
	if err != nil {
		t.Fatal(err)
	}
	r1.Cohort, r2.Cohort = rel, rel
	j1, err1 := json.MarshalIndent(r1, "", " ")
	j2, err2 := json.MarshalIndent(r2, "", " ")
	if err1 != nil || err2 != nil || !bytes.Equal(j1, j2) || !bytes.Equal(append(j2, '\n'), b) {
		t.Errorf("results.json does not round-trip (%v, %v):\n%s\n---\n%s", err1, err2, j1, j2)
	}
}

// sameFloat is equality with NaN equal to NaN (null in results.json).
func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
