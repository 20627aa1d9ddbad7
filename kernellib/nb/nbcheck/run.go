package nbcheck

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"
)

// Result is the outcome of executing and checking one notebook.
type Result struct {
	Notebook string
	Output   string // the executed notebook
	Elapsed  time.Duration
	Err      error // execution failure or Check's findings; nil when all is well
}

// RunAll executes each notebook in order, writing the executed copy into
// outDir (or over the notebook itself when outDir is ""), checks it, and
// reports one line per notebook to w. It returns every result; the run goes
// on after a failing notebook so that all problems are reported at once.
func RunAll(ctx context.Context, notebooks []string, outDir string, cellTimeout time.Duration, w io.Writer) []Result {
	var res []Result
	for _, src := range notebooks {
		dst := src
		if outDir != "" {
			dst = filepath.Join(outDir, filepath.Base(src))
		}
		fmt.Fprintf(w, "notebook %s: executing …\n", src)
		start := time.Now()
		r := Result{Notebook: src, Output: dst}
		if _, err := Execute(ctx, src, dst, cellTimeout); err != nil {
			r.Err = err
		} else if nb, err := Load(dst); err != nil {
			r.Err = err
		} else {
			nb.Path = src
			r.Err = nb.Check()
		}
		r.Elapsed = time.Since(start)
		status := "ok"
		if r.Err != nil {
			status = "FAILED"
		}
		fmt.Fprintf(w, "notebook %s: %s in %.1fs\n", src, status, r.Elapsed.Seconds())
		if r.Err != nil {
			fmt.Fprintln(w, r.Err)
		}
		res = append(res, r)
	}
	return res
}

// Failed returns the number of failed results.
func Failed(rs []Result) int {
	n := 0
	for _, r := range rs {
		if r.Err != nil {
			n++
		}
	}
	return n
}
