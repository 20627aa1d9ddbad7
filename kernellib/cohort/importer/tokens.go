package importer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// tokens is the set of identifying strings of every patient in an export, lower-cased:
// each Patient ID (whole, without separators, and its alphanumeric runs of 3 or more
// characters), each part of each Patient's Name of 2 or more characters (PN components
// and groups split at anything not a letter or digit), and each birth date as
// YYYYMMDD, YYYY-MM-DD, YYYY.MM.DD, YYYY_MM_DD, DD.MM.YYYY, DD-MM-YYYY, DD/MM/YYYY and
// MM/DD/YYYY. A token of 4 or more characters matches anywhere in a string; a shorter
// one only as a whole word (not next to a letter or digit), so that a two-letter name
// such as "Li" withholds "LI_WEI/" but not "Liver/".
type tokens map[string]bool

func (t tokens) add(id imaging.Identity) {
	put := func(s string, min int) {
		s = strings.ToLower(strings.TrimSpace(s))
		if len([]rune(s)) >= min {
			t[s] = true
		}
	}
	notAlnum := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	if id.PatientID != "" {
		put(id.PatientID, 1)
		put(strings.Join(strings.FieldsFunc(id.PatientID, notAlnum), ""), 1)
		for _, p := range strings.FieldsFunc(id.PatientID, notAlnum) {
			put(p, 3)
		}
	}
	for _, p := range strings.FieldsFunc(id.PatientName, notAlnum) {
		put(p, 2)
	}
	if b := strings.TrimSpace(id.BirthDate); b != "" {
		put(b, 1)
		if len(b) == 8 {
			y, m, d := b[:4], b[4:6], b[6:]
			for _, f := range []string{y + "-" + m + "-" + d, y + "." + m + "." + d, y + "_" + m + "_" + d,
				d + "." + m + "." + y, d + "-" + m + "-" + y, d + "/" + m + "/" + y, m + "/" + d + "/" + y} {
				put(f, 1)
			}
		}
	}
}

// leaks reports whether s contains one of the tokens (see tokens).
func (t tokens) leaks(s string) bool {
	l := strings.ToLower(s)
	for tok := range t {
		if len([]rune(tok)) >= 4 {
			if strings.Contains(l, tok) {
				return true
			}
			continue
		}
		for i := 0; ; {
			j := strings.Index(l[i:], tok)
			if j < 0 {
				break
			}
			at := i + j
			before, _ := utf8.DecodeLastRuneInString(l[:at])
			after, _ := utf8.DecodeRuneInString(l[at+len(tok):])
			if !alnum(before) && !alnum(after) {
				return true
			}
			i = at + 1
		}
	}
	return false
}

// alnum reports whether r is a letter or digit (utf8.RuneError, for the ends of a
// string, is neither).
func alnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// safe returns s, or what when s contains an identifying token.
func (t tokens) safe(s, what string) string {
	if t.leaks(s) {
		return what
	}
	return s
}
