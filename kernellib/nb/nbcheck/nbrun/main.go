// Command nbrun executes ceusrad's notebooks headless through the GoNB
// kernel and checks each (no failed cell, the outputs its metadata
// expects). Up to -parallel notebooks run at once, started in name order,
// each once the notebooks its metadata lists under ceusrad.after have
// ended (nbcheck.RunAll): the study's notebook beside those that do not
// read its results. With -inplace the executed notebooks replace the
// originals, outputs included (make reproduce); otherwise they are written
// to -out. It exits non-zero when any notebook fails, after running all.
//
//	go run ./kernellib/nb/nbcheck/nbrun [-inplace | -out DIR] [-timeout 30m] [-parallel N] [DIR or FILE.ipynb ...]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/nb/nbcheck"
)

func main() {
	inplace := flag.Bool("inplace", false, "write the executed notebooks over the originals")
	out := flag.String("out", "", "folder for the executed notebooks (default: a temporary folder)")
	timeout := flag.Duration("timeout", 30*time.Minute, "time limit of one cell")
	parallel := flag.Int("parallel", min(runtime.NumCPU(), 4), "notebooks executed at once (a notebook waits for those its metadata lists under ceusrad.after)")
	flag.Parse()
	if err := nbcheck.Available(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	args := flag.Args()
	if len(args) == 0 {
		args = []string{"notebooks"}
	}
	var notebooks []string
	for _, a := range args {
		if strings.HasSuffix(a, ".ipynb") {
			notebooks = append(notebooks, a)
			continue
		}
		l, err := nbcheck.List(a)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		notebooks = append(notebooks, l...)
	}
	if len(notebooks) == 0 {
		fmt.Fprintln(os.Stderr, "nbrun: no notebooks in", args)
		os.Exit(1)
	}
	dir := *out
	switch {
	case *inplace:
		dir = ""
	case dir == "":
		d, err := os.MkdirTemp("", "ceusrad-notebooks-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		dir = d
	default:
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	start := time.Now()
	res := nbcheck.RunAll(context.Background(), notebooks, dir, *timeout, *parallel, os.Stdout)
	failed := nbcheck.Failed(res)
	fmt.Printf("nbrun: %d notebook(s), %d failed, %.1fs\n", len(res), failed, time.Since(start).Seconds())
	if failed > 0 {
		os.Exit(1)
	}
}
