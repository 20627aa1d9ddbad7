package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"runtime"
	"sort"
	"sync"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
	"github.com/ceusrad/ceusrad/kernellib/cohort/filecheck"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
	"github.com/ceusrad/ceusrad/kernellib/nb"
)

// readCohortChecked reads the manifest at path (cohort.ReadFile) and opens
// and checks every file of each row that passed the manifest's own checks
// (filecheck.Check), on GOMAXPROCS workers, with progress bars on stderr.
// The result is what cohort.ReadFile(path, filecheck.Options()) gives —
// the cohort, or a cohort.Problems with every problem of the manifest and
// of its files in line order — only faster on several cores and with
// progress: checking the files is the slow part (it streams every cine).
func readCohortChecked(path string, stderr io.Writer) (*cohort.Cohort, error) {
	text := nb.NewTextDisplay(stderr)
	rows := nb.NewProgressOn(text, "manifest rows", countLines(path)-1)
	var passed []cohort.Patient
	collect := func(p cohort.Patient) []error {
		passed = append(passed, p)
		rows.Add(1)
		return nil
	}
	c, readErr := cohort.ReadFile(path, &cohort.Options{Check: collect})
	rows.Done()
	var probs cohort.Problems
	if readErr != nil && !errors.As(readErr, &probs) {
		return nil, readErr
	}

	errs := make([][]error, len(passed))
	bar := nb.NewProgressOn(text, "patients' files checked", len(passed))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), max(len(passed), 1)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = filecheck.Check(passed[i])
				bar.Add(1)
			}
		}()
	}
	for i := range passed {
		next <- i
	}
	close(next)
	wg.Wait()
	bar.Done()

	for i, p := range passed {
		for _, err := range errs[i] {
			if err == nil {
				continue
			}
			pr := cohort.Problem{File: path, Line: p.Line, Row: p.Row, Msg: err.Error()}
			var fe *cohort.FieldError
			if errors.As(err, &fe) {
				pr.Column = fe.Column
			}
			probs = append(probs, pr)
		}
	}
	if len(probs) == 0 {
		return c, nil
	}
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].Line < probs[j].Line })
	return nil, probs
}

// countLines counts the newlines of the file at path (0 when it cannot be
// read): the progress bar's estimate of the number of rows (a quoted field
// may hold a newline, so the count is an upper bound).
func countLines(path string) int {
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	br := bufio.NewReaderSize(f, 1<<16)
	buf := make([]byte, 1<<16)
	for {
		k, err := br.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if err != nil {
			return n
		}
	}
}
