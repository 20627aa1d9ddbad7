package cohort_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
)

// A manifest and the files it names, written in a temporary folder and read
// back; paths are resolved against the manifest's folder.
func ExampleReadFile() {
	dir, err := os.MkdirTemp("", "cohort")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	for _, name := range []string{"p1.dcm", "p1.png", "p1_mask.png", "p2.dcm", "p2.png", "p2_mask.png"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			fmt.Println(err)
			return
		}
	}
	manifest := `patient_id,response,split,cine,bmode,lesion_mask,age,child_pugh
p1,OR,train,p1.dcm,p1.png,p1_mask.png,61,A
p2,NR,validation,p2.dcm,p2.png,p2_mask.png,NA,B
`
	path := filepath.Join(dir, "cohort.csv")
	if err := os.WriteFile(path, []byte(manifest), 0o644); err != nil {
		fmt.Println(err)
		return
	}
	c, err := cohort.ReadFile(path, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range c.Patients {
		rel, _ := filepath.Rel(dir, p.Cine)
		fmt.Printf("%s %s %-10s cine %s, child_pugh %s\n", p.ID, p.Response, p.Split, rel, p.Clinical["child_pugh"])
	}
	fmt.Println(c.Frame.Col("age").Type(), c.Frame.Col("age").Float())
	// Output:
	// p1 OR train      cine p1.dcm, child_pugh A
	// p2 NR validation cine p2.dcm, child_pugh B
	// float [61 NaN]
}

// Every problem of a manifest is reported at once, with line, row and column.
func ExampleRead_problems() {
	manifest := `patient_id,response,split,cine,bmode,lesion_mask
p1,OR,train,p1.dcm,p1.png,p1_mask.png
p1,PR,train,p2.dcm,p2.png,
`
	// Stat stands in for the file system: here every named file exists (as a
	// regular file).
	exists := func(path string) (os.FileInfo, error) { return os.Stat("testdata/table1_cohort.csv") }
	_, err := cohort.Read(strings.NewReader(manifest), "cohort.csv", "/data", &cohort.Options{Stat: exists})
	fmt.Println(err)
	// Output:
	// 3 problems in the cohort manifest:
	// 	cohort.csv:3: row 2, column patient_id: "p1" repeats the identifier of row 1 (a patient with several lesions needs a lesion_id column)
	// 	cohort.csv:3: row 2, column response: "PR": want OR or NR
	// 	cohort.csv:3: row 2, column lesion_mask: empty: want the path of a file
}

// Table 1 of the training against the validation cohort, as Markdown.
func ExampleCohort_TableBySplit() {
	c, err := cohort.ReadFile("testdata/table1_cohort.csv", &cohort.Options{
		Stat: func(path string) (os.FileInfo, error) { return os.Stat("testdata/table1_cohort.csv") },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	t, err := c.TableBySplit(&cohort.TableOptions{Variables: []string{"response", "age", "afp", "bclc"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	t.WriteMarkdown(os.Stdout)
	// Output:
	// | variable | level | split = train (n = 89) | split = validation (n = 41) | p | test |
	// |---|---|---:|---:|---:|---|
	// | n |  | 89 | 41 |  |  |
	// | response | n (%) |  |  | 0.839 | χ² test (Yates) |
	// |  | OR | 38 (42.7) | 16 (39.0) |  |  |
	// |  | NR | 51 (57.3) | 25 (61.0) |  |  |
	// | age | median [Q1, Q3] | 58.0 [53.0, 63.0] | 55.0 [47.0, 64.0] | 0.149 | Mann–Whitney U |
	// | afp | median [Q1, Q3] | 75.2 [24.3, 340.5] | 70.0 [21.7, 193.3] | 0.517 | Mann–Whitney U |
	// |  | missing, n | 0 | 3 |  |  |
	// | bclc | n (%) |  |  | 0.117 | Fisher–Freeman–Halton exact |
	// |  | A | 23 (25.8) | 8 (19.5) |  |  |
	// |  | B | 61 (68.5) | 26 (63.4) |  |  |
	// |  | C | 5 (5.6) | 7 (17.1) |  |  |
}

// The paper's 89/41 split of 130 patients, stratified by response.
func ExamplePaperSplit() {
	y := make([]bool, 130) // true: objective response
	for i := 0; i < 52; i++ {
		y[i*5/2] = true
	}
	p, err := cohort.PaperSplit(y, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	count := func(idx []int) (or int) {
		for _, i := range idx {
			if y[i] {
				or++
			}
		}
		return or
	}
	fmt.Printf("training %d (%d OR), validation %d (%d OR)\n", len(p.Train), count(p.Train), len(p.Test), count(p.Test))
	// Output:
	// training 89 (36 OR), validation 41 (16 OR)
}

// Three stratified folds: each patient is held out once, and every fold has
// its share of responders.
func ExampleStratifiedKFold() {
	y := []string{"OR", "NR", "NR", "OR", "NR", "NR", "OR", "NR", "NR", "NR"}
	folds, err := cohort.StratifiedKFold(y, 3, 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	for f, p := range folds {
		n := map[string]int{}
		for _, i := range p.Test {
			n[y[i]]++
		}
		fmt.Printf("fold %d: %d held out (%d OR, %d NR), %d to train on\n", f, len(p.Test), n["OR"], n["NR"], len(p.Train))
	}
	// Output:
	// fold 0: 4 held out (1 OR, 3 NR), 6 to train on
	// fold 1: 3 held out (1 OR, 2 NR), 7 to train on
	// fold 2: 3 held out (1 OR, 2 NR), 7 to train on
}

// Fisher's exact test of a 2×2 table, as scipy.stats.fisher_exact and R's
// fisher.test compute it.
func ExampleFisherExact() {
	r, err := cohort.FisherExact([][]int{{3, 1}, {1, 3}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("p = %.4f\n", r.P)
	// Output:
	// p = 0.4857
}
