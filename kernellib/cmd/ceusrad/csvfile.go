package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"

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

// rowList writes data row numbers for a message: all of them up to 10,
// else the first 10 and a count of the rest.
func rowList(rows []int) string {
	var b strings.Builder
	for i, r := range rows {
		if i == 10 {
			fmt.Fprintf(&b, " and %d more", len(rows)-10)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, r)
	}
	return b.String()
}
