package nbcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
	"github.com/ceusrad/ceusrad/kernellib/nb"
)

// InstallHint is the command that installs what executing notebooks needs.
const InstallHint = "make setup   (or: sudo apt-get install -y jupyter-notebook jupyter-nbconvert jupyter-client python3-nbclient, then make setup)"

// ErrNoJupyter is returned when jupyter, nbconvert or the GoNB kernel is missing.
var ErrNoJupyter = errors.New("nbcheck: Jupyter with the GoNB kernel is not available; install it with: " + InstallHint)

// Available checks that `jupyter nbconvert` runs and that a kernel named
// "gonb" is registered.
func Available() error {
	if _, err := exec.LookPath("jupyter"); err != nil {
		return fmt.Errorf("%w (jupyter not on PATH)", ErrNoJupyter)
	}
	if err := exec.Command("jupyter", "nbconvert", "--version").Run(); err != nil {
		return fmt.Errorf("%w (jupyter nbconvert: %v)", ErrNoJupyter, err)
	}
	out, err := exec.Command("jupyter", "kernelspec", "list").Output()
	if err != nil || !bytes.Contains(out, []byte("gonb")) {
		return fmt.Errorf("%w (no kernel named gonb in 'jupyter kernelspec list')", ErrNoJupyter)
	}
	return nil
}

// List returns the notebooks (*.ipynb) of dir in name order.
func List(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.ipynb"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	return paths, nil
}

// Execute runs the notebook at src through the GoNB kernel with its own
// folder as working directory, headless, and writes the executed notebook
// to dst (which may equal src: then it is executed in place). Failing cells
// do not stop the run; Load(dst).Check() reports them. timeout bounds each
// cell. The kernel runs with nb.HeadlessEnv set, so that interactive
// widgets (nb.DrawROIs) do not wait for a browser. The returned log is
// nbconvert's and the kernel's standard error.
func Execute(ctx context.Context, src, dst string, timeout time.Duration) (log string, err error) {
	absSrc, err := filepath.Abs(src)
	if err != nil {
		return "", err
	}
	absDst, err := filepath.Abs(dst)
	if err != nil {
		return "", err
	}
	// nbconvert writes the executed notebook to a scratch file beside dst,
	// which reaches dst, scrubbed, by safeio.WriteFile (a rename): a failed
	// or interrupted run leaves a previous dst — the committed notebook
	// itself when it is executed in place — whole.
	scratch, err := os.CreateTemp(filepath.Dir(absDst), "."+filepath.Base(absDst)+".nbconvert-*.ipynb")
	if err != nil {
		return "", fmt.Errorf("nbcheck: %w", err)
	}
	scratch.Close()
	defer os.Remove(scratch.Name())
	args := []string{"nbconvert", "--to", "notebook", "--execute", "--allow-errors",
		"--ExecutePreprocessor.kernel_name=gonb",
		"--ExecutePreprocessor.timeout=" + strconv.Itoa(int(timeout.Seconds())),
		"--output-dir", filepath.Dir(absDst), "--output", filepath.Base(scratch.Name()), absSrc}
	cmd := exec.CommandContext(ctx, "jupyter", args...)
	cmd.Dir = filepath.Dir(absSrc)
	// No browser is attached: sliders show their first view at once.
	cmd.Env = append(os.Environ(), nb.HeadlessEnv+"=1")
	// GoNB builds a program for every cell; linking it without DWARF
	// (which nothing in a notebook reads: a panic's trace comes from the
	// symbol table) takes 1.4 s instead of 1.8 s on the 2-core machine.
	if g := os.Getenv("GOFLAGS"); !strings.Contains(g, "-ldflags") {
		cmd.Env = append(cmd.Env, "GOFLAGS="+strings.TrimSpace(g+" -ldflags=-w"))
	}
	var stderr bytes.Buffer
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return stderr.String(), fmt.Errorf("nbcheck: executing %s: %v\n%s", src, err, tail(stderr.String(), 3000))
	}
	b, err := os.ReadFile(scratch.Name())
	if err != nil || len(b) == 0 {
		return stderr.String(), fmt.Errorf("nbcheck: executing %s wrote no %s", src, dst)
	}
	// The workspace cell reports the repository's absolute path; a
	// committed notebook should not carry the machine it ran on.
	b, err = scrubbed(b, filepath.Dir(filepath.Dir(absSrc)), "<repository>")
	if err != nil {
		return stderr.String(), err
	}
	if err := safeio.WriteFile(absDst, b); err != nil {
		return stderr.String(), fmt.Errorf("nbcheck: %w", err)
	}
	return stderr.String(), nil
}

// scrubPath replaces the folder dir (an absolute path, as written in the
// notebook's JSON) by name in the notebook file at path, rewriting it
// atomically (safeio.WriteFile) when anything changed.
func scrubPath(path, dir, name string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := scrubbed(b, dir, name)
	if err != nil || bytes.Equal(out, b) {
		return err
	}
	return safeio.WriteFile(path, out)
}

// scrubbed returns the notebook text b with the folder dir (an absolute path,
// as written in the notebook's JSON) replaced by name.
func scrubbed(b []byte, dir, name string) ([]byte, error) {
	if len(dir) < 2 {
		return b, nil
	}
	q, err := json.Marshal(dir)
	if err != nil {
		return nil, err
	}
	quoted := q[1 : len(q)-1] // as the path is written inside a JSON string
	// The whole folder only: followed by a separator, a quote, an escape,
	// a space or the end, not by more characters of a longer name.
	re := regexp.MustCompile(regexp.QuoteMeta(string(quoted)) + `([/\\"'\s]|$)`)
	return re.ReplaceAll(b, []byte(regexp.QuoteMeta(name)+"$1")), nil
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
