package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/ceusrad/ceusrad/kernellib/cohort"
)

func init() {
	register(command{
		name:    "cohort",
		summary: "validate a cohort manifest and every file it names; print Table 1",
		run:     runCohort,
	})
}

const cohortUsage = `Usage: ceusrad cohort -in cohort.csv [-by split|response|both]

Reads the manifest (columns in datasets/README.md), checks every row, and
opens every file it names: the cine is read frame by frame and its frame
count and size compared with its header; the B-mode image and the masks are
decoded and the masks' size compared with the image and the cine frames.
Every problem is reported, with its line, column and file, and the exit
status is 1 if there is any. The files are checked by as many workers as
there are CPUs (GOMAXPROCS); progress bars on standard error count the
manifest's rows and the patients whose files have been checked (on the
synthetic cohort, about 6 ms a patient for each worker: each cine is read
whole). Otherwise it prints Table 1 (Markdown):
baseline characteristics of the training against the validation cohort, of
responders (OR) against non-responders (NR), or both.

Flags:
`

func runCohort(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cohort", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "the cohort manifest `cohort.csv` (required)")
	by := fs.String("by", "both", "Table 1 groups: `split`, response or both")
	fs.Usage = func() {}
	if code, done := parseFlags(fs, args, cohortUsage, stdout); done {
		return code
	}
	if *in == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "ceusrad cohort: -in cohort.csv is required and takes no other argument (see ceusrad help cohort)")
		return exitUsage
	}
	if *by != "split" && *by != "response" && *by != "both" {
		fmt.Fprintf(stderr, "ceusrad cohort: -by %q: want split, response or both\n", *by)
		return exitUsage
	}
	c, err := readCohortChecked(*in, stderr)
	if err != nil {
		var probs cohort.Problems
		if errors.As(err, &probs) {
			fmt.Fprintf(stderr, "ceusrad cohort: %d problem(s) in %s:\n", len(probs), *in)
			for _, p := range probs {
				fmt.Fprintf(stderr, "  %v\n", p)
			}
			return exitError
		}
		fmt.Fprintf(stderr, "ceusrad cohort: %v\n", err)
		return exitError
	}
	train, val := cohort.SplitIndices(c.Patients)
	nOR := 0
	for _, p := range c.Patients {
		if p.OR() {
			nOR++
		}
	}
	fmt.Fprintf(stdout, "%s: %d patients (%d training, %d validation; %d OR, %d NR); every file opened and checked.\n\n",
		*in, len(c.Patients), len(train), len(val), nOR, len(c.Patients)-nOR)
	tables := []struct {
		title string
		make  func(*cohort.TableOptions) (*cohort.Table, error)
	}{
		{"Table 1a. Training vs validation cohort", c.TableBySplit},
		{"Table 1b. Responders (OR) vs non-responders (NR)", c.TableByResponse},
	}
	for i, t := range tables {
		if (*by == "split" && i == 1) || (*by == "response" && i == 0) {
			continue
		}
		tab, err := t.make(nil)
		if err != nil {
			fmt.Fprintf(stderr, "ceusrad cohort: %s: %v\n", t.title, err)
			return exitError
		}
		fmt.Fprintf(stdout, "%s\n\n", t.title)
		if err := tab.WriteMarkdown(stdout); err != nil {
			fmt.Fprintf(stderr, "ceusrad cohort: %v\n", err)
			return exitError
		}
		fmt.Fprintln(stdout)
	}
	return exitOK
}
