package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// openCSV opens a CSV file and reads its header row; the caller closes the
// file and reads the data rows from the reader. Errors name the file.
func openCSV(path string) (*os.File, *csv.Reader, []string, error) {
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return nil, nil, nil, err
	}
	r := csv.NewReader(f)
	header, err := r.Read()
	if err == io.EOF {
		f.Close()
		return nil, nil, nil, fmt.Errorf("%s: empty file, no header row", path)
	}
	if err != nil {
		f.Close()
		return nil, nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, r, append([]string(nil), header...), nil
}
