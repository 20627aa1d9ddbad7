package cohort

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// clinicalManifest returns a manifest of n rows with the clinical columns
// given as functions of the row index.
func clinicalManifest(n int, cols map[string]func(i int) string, order []string) string {
	var b strings.Builder
	b.WriteString("patient_id,response,split,cine,bmode,lesion_mask," + strings.Join(order, ",") + "\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "P%d,%s,train,c%d.dcm,b%d.png,m%d.png", i+1, []string{"OR", "NR"}[i%2], i, i, i)
		for _, c := range order {
			b.WriteString("," + cols[c](i))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// A stray non-number in a mostly numeric clinical column, or a non-finite
// number anywhere, is a problem naming the row, column and value; missing
// values and genuinely categorical columns are not.
func TestClinicalCellsReported(t *testing.T) {
	num := func(i int) string { return fmt.Sprint(50 + i) }
	cols := map[string]func(int) string{
		"age": func(i int) string { // 20 numbers, "abc" in row 5, NA and empty
			switch i {
			case 4:
				return "abc"
			case 6:
				return "NA"
			case 7:
				return ""
			}
			return num(i)
		},
		"afp": func(i int) string {
			if i == 9 {
				return "Inf"
			}
			return num(i)
		},
		"sex": func(i int) string {
			if i == 21 {
				return "-Infinity"
			}
			return []string{"M", "F"}[i%2]
		},
		"bclc":  func(i int) string { return []string{"0", "A", "B", "C", "0"}[i%5] }, // 40 % numbers: categorical
		"grade": func(i int) string { return num(i) },
	}
	text := clinicalManifest(22, cols, []string{"age", "afp", "sex", "bclc", "grade"})
	_, err := Read(strings.NewReader(text), "c.csv", "/d", &Options{Stat: everyFileExists})
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("no problems: %v", err)
	}
	want := []string{
		`c.csv:6: row 5, column age: "abc" is not a number, in a numeric column (19 of its 20 values are numbers)`,
		`c.csv:11: row 10, column afp: "Inf" is not a finite number`,
		`c.csv:23: row 22, column sex: "-Infinity" is not a finite number`,
	}
	if len(ps) != len(want) {
		t.Errorf("%d problems, want %d:\n%v", len(ps), len(want), err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("problems lack %q:\n%v", w, err)
		}
	}
	for _, p := range ps {
		if p.Column == "bclc" || p.Column == "grade" || (p.Column == "age" && p.Row != 5) {
			t.Errorf("unexpected problem %v", p)
		}
	}

	// A short column: all but one of 5 values are numbers.
	short := clinicalManifest(5, map[string]func(int) string{"afp": func(i int) string {
		if i == 2 {
			return "<20"
		}
		return num(i)
	}}, []string{"afp"})
	_, err = Read(strings.NewReader(short), "s.csv", "/d", &Options{Stat: everyFileExists})
	if err == nil || !strings.Contains(err.Error(), `row 3, column afp: "<20" is not a number`) {
		t.Errorf("short column: %v", err)
	}
	// Categorical and complete columns read, with the numeric one as floats.
	ok := clinicalManifest(6, map[string]func(int) string{
		"sex": func(i int) string { return []string{"M", "F"}[i%2] },
		"age": func(i int) string { return []string{"60", "NA", "", "61.5", "70", "n/a"}[i] },
		"mix": func(i int) string { return []string{"1", "2", "x", "y", "z", "w"}[i] },
	}, []string{"sex", "age", "mix"})
	c, err := Read(strings.NewReader(ok), "ok.csv", "/d", &Options{Stat: everyFileExists})
	if err != nil {
		t.Fatal(err)
	}
	if c.Frame.Col("age").Type() != "float" || c.Frame.Col("mix").Type() != "string" {
		t.Errorf("age %v, mix %v", c.Frame.Col("age").Type(), c.Frame.Col("mix").Type())
	}
}
