package cohort

import (
	"errors"
	"fmt"
	"strings"
)

// Problem is one thing wrong with a manifest: where it is and what was
// expected.
type Problem struct {
	// File is the manifest's path as given to ReadFile, or the name given to
	// Read.
	File string
	// Line is the line of the CSV file (1-based; the header is line 1) where
	// the row starts; 0 when the problem concerns the whole file.
	Line int
	// Row is the 1-based data row (the first row after the header is 1);
	// 0 for the header or the whole file.
	Row int
	// Column is the manifest column concerned; empty when the problem is
	// not about one column.
	Column string
	// Msg says what is wrong and what was expected.
	Msg string
}

// Error formats the problem as "file:line: row R, column C: msg", leaving
// out the parts that are unknown.
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	switch {
	case p.Row > 0 && p.Column != "":
		fmt.Fprintf(&b, "row %d, column %s: ", p.Row, p.Column)
	case p.Row > 0:
		fmt.Fprintf(&b, "row %d: ", p.Row)
	case p.Column != "":
		fmt.Fprintf(&b, "column %s: ", p.Column)
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is every problem found in a manifest, in the order of the file.
// It is the error Read and ReadFile return when any row is wrong.
type Problems []Problem

// Error lists the problems, one a line, after a count.
func (ps Problems) Error() string {
	if len(ps) == 0 {
		return "no problems"
	}
	var b strings.Builder
	if len(ps) == 1 {
		b.WriteString("1 problem in the cohort manifest:")
	} else {
		fmt.Fprintf(&b, "%d problems in the cohort manifest:", len(ps))
	}
	for _, p := range ps {
		b.WriteString("\n\t")
		b.WriteString(p.Error())
	}
	return b.String()
}

// FieldError is an error about one column of a patient's row, e.g. a file
// that a Checker opened and found wrong. Read reports it with that column.
type FieldError struct {
	// Column is the manifest column, e.g. "cine" or "lesion_mask".
	Column string
	// Err says what is wrong; it should name the file.
	Err error
}

// Error returns the message of Err.
func (e *FieldError) Error() string { return e.Err.Error() }

// Unwrap returns Err.
func (e *FieldError) Unwrap() error { return e.Err }

// problemFromError turns an error of a Checker into a Problem of row p.
func problemFromError(file string, p Patient, err error) Problem {
	pr := Problem{File: file, Line: p.Line, Row: p.Row, Msg: err.Error()}
	var fe *FieldError
	if errors.As(err, &fe) {
		pr.Column = fe.Column
	}
	return pr
}
