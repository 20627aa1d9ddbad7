package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/ceusrad/ceusrad/kernellib/study"
)

func init() {
	register(command{
		name:    "clean",
		summary: "remove an earlier study run from an output folder (the files its results.json lists)",
		run:     runClean,
	})
}

const cleanUsage = `Usage: ceusrad clean -out DIR

Removes the study run that DIR holds, so that the next run (ceusrad reproduce,
or the notebooks through CEUSRAD_RESULTS_DIR) computes everything afresh
instead of reading results.json back: every file DIR/results.json lists, then
results.json itself. Files it does not list (a notebook's own figures) stay. A
folder without results.json is left alone; a results.json that is not a
ceusrad run's is refused and nothing is removed. make reproduce runs it on
figures/ first.

Flags:
`

func runClean(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("clean", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "the output `folder` of an earlier run (required)")
	fs.Usage = func() {}
	if code, done := parseFlags(fs, args, cleanUsage, stdout); done {
		return code
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "ceusrad clean: -out DIR is required and it takes no other argument (see ceusrad help clean)")
		return exitUsage
	}
	if err := study.ForgetRun(*out); err != nil {
		fmt.Fprintf(stderr, "ceusrad clean: %v\n", err)
		return exitError
	}
	return exitOK
}
