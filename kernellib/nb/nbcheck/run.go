package nbcheck

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Result is the outcome of executing and checking one notebook.
type Result struct {
	Notebook string
	Output   string // the executed notebook
	Elapsed  time.Duration
	Err      error // execution failure or Check's findings; nil when all is well
}

// RunAll executes the notebooks, at most parallel of them at a time (one
// after another when parallel ≤ 1), writing each executed copy into outDir
// (or over the notebook itself when outDir is ""), checks it, and reports
// a line when each notebook starts and ends to w. A notebook starts once the
// notebooks it comes after (After) have ended, the first such in the list's
// order first. It returns every result in the list's order; the run goes on
// after a failing notebook so that all problems are reported at once.
func RunAll(ctx context.Context, notebooks []string, outDir string, cellTimeout time.Duration, parallel int, w io.Writer) []Result {
	n := len(notebooks)
	deps := dependencies(notebooks)
	res := make([]Result, n)
	started, ended := make([]bool, n), make([]bool, n)
	lw := &lockedWriter{w: w}
	finished := make(chan int)
	parallel = max(parallel, 1)
	for running, left := 0, n; left > 0; left-- {
		for i := 0; i < n && running < parallel; i++ {
			if started[i] || !all(deps[i], ended) {
				continue
			}
			started[i] = true
			running++
			go func() {
				res[i] = runOne(ctx, notebooks[i], outDir, cellTimeout, lw)
				finished <- i
			}()
		}
		i := <-finished
		ended[i] = true
		running--
	}
	return res
}

// runOne executes and checks one notebook.
func runOne(ctx context.Context, src, outDir string, cellTimeout time.Duration, w io.Writer) Result {
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
	msg := fmt.Sprintf("notebook %s: %s in %.1fs\n", src, status, r.Elapsed.Seconds())
	if r.Err != nil {
		msg += r.Err.Error() + "\n"
	}
	io.WriteString(w, msg)
	return r
}

// dependencies returns, for every notebook, the indices of the earlier
// notebooks of the list it must wait for: those its metadata names under
// "ceusrad": {"after": [...]} (names without .ipynb; a name that is not
// earlier in the list is not waited for), or every earlier notebook when
// the key is absent or the notebook cannot be read (the safe order: one
// after another).
func dependencies(notebooks []string) [][]int {
	index := map[string]int{}
	deps := make([][]int, len(notebooks))
	for i, src := range notebooks {
		after, ok := afterOf(src)
		if !ok {
			for j := range i {
				deps[i] = append(deps[i], j)
			}
		}
		for _, name := range after {
			if j, ok := index[name]; ok {
				deps[i] = append(deps[i], j)
			}
		}
		index[notebookName(src)] = i
	}
	return deps
}

// afterOf returns the "after" list of a notebook's metadata; ok is false
// when the key is absent or the notebook cannot be read.
func afterOf(src string) (after []string, ok bool) {
	nb, err := Load(src)
	if err != nil || nb.Metadata.Ceusrad.After == nil {
		return nil, false
	}
	return *nb.Metadata.Ceusrad.After, true
}

// notebookName is a notebook's file name without .ipynb.
func notebookName(path string) string {
	return strings.TrimSuffix(filepath.Base(path), ".ipynb")
}

func all(idx []int, ok []bool) bool {
	for _, i := range idx {
		if !ok[i] {
			return false
		}
	}
	return true
}

// lockedWriter lets notebooks that run at the same time report whole
// lines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
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
