package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// checkOutputFile checks, before a command computes anything, that it can
// write the file out: out names none of the run's inputs (the same file, an
// input folder or a file in one; safeio.CheckOutputs), is not a folder or
// other non-regular file, and its folder takes a new file (a temporary file
// is created there and removed).
func checkOutputFile(out string, inputs []string) error {
	if err := safeio.CheckOutputs([]string{out}, inputs); err != nil {
		return err
	}
	if parent := filepath.Dir(out); parent != "" {
		if st, err := os.Stat(parent); err != nil || !st.IsDir() {
			return fmt.Errorf("output %s: its folder %s does not exist; create it first", out, parent)
		}
	}
	f, err := safeio.Create(out)
	if err != nil {
		return fmt.Errorf("cannot write the output: %w", err)
	}
	f.Abort()
	return nil
}

// writeOutput writes the output of a command with write: to stdout when path
// is "-" (only once write has succeeded whole), else to a temporary file
// beside path that is renamed into place when whole (safeio.WriteWith), so
// that a failure half-way — a full disk, an error of write — leaves a
// previous file of that name whole.
func writeOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "-" {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			return err
		}
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	return safeio.WriteWith(path, write)
}
