package nbcheck

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
)

// Notebook is the part of an .ipynb file (nbformat 4) that the checks read.
type Notebook struct {
	Path     string
	Cells    []Cell `json:"cells"`
	Metadata struct {
		Kernelspec struct {
			Name string `json:"name"`
		} `json:"kernelspec"`
		Ceusrad struct {
			Expect map[string]int `json:"expect"`
			// After names the notebooks (without .ipynb) whose outputs
			// this one reads; nil (the key absent): every notebook before
			// it. RunAll runs a notebook only after these.
			After *[]string `json:"after"`
		} `json:"ceusrad"`
	} `json:"metadata"`
}

// Cell is one notebook cell.
type Cell struct {
	Type    string      `json:"cell_type"`
	Source  multiString `json:"source"`
	Outputs []Output    `json:"outputs"`
}

// Output is one output of a code cell.
type Output struct {
	Type  string                     `json:"output_type"`
	Name  string                     `json:"name"` // stream: stdout or stderr
	Text  multiString                `json:"text"`
	Data  map[string]json.RawMessage `json:"data"`
	EName string                     `json:"ename"`
	Value string                     `json:"evalue"`
}

// multiString is nbformat's "multiline string": a string or a list of lines.
type multiString string

func (m *multiString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*m = multiString(s)
		return nil
	}
	var lines []string
	if err := json.Unmarshal(b, &lines); err != nil {
		return err
	}
	*m = multiString(strings.Join(lines, ""))
	return nil
}

// Load reads a notebook file.
func Load(path string) (*Notebook, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb Notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("%s: not a notebook (nbformat 4 JSON): %w", path, err)
	}
	nb.Path = path
	return &nb, nil
}

// dataText returns the text of one MIME bundle entry.
func (o Output) dataText(mime string) string {
	raw, ok := o.Data[mime]
	if !ok {
		return ""
	}
	var m multiString
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	return string(m)
}

// CellError is a failed cell: its number among all cells (1-based, as
// Jupyter shows them in order), the first line of its source, and the
// message.
type CellError struct {
	Notebook string
	Cell     int
	Source   string
	Message  string
}

func (e CellError) Error() string {
	return fmt.Sprintf("%s: cell %d (%s): %s", e.Notebook, e.Cell, e.Source, e.Message)
}

var (
	tagRE   = regexp.MustCompile(`(?s)<style.*?</style>|<[^>]*>`)
	spaceRE = regexp.MustCompile(`\n\s*\n+`)
	ansiRE  = regexp.MustCompile("\x1b\\[[0-9;]*m")
)

// Errors returns every failed cell: one with an "error" output (GoNB reports
// a failure as one, whose value is terse: "exit status 1") or with an error
// shown by nb.Error (a "ceusrad-error" box), even when the cell went on.
// The message adds the compiler's or the program's own words from the same
// cell (its stderr stream, GoNB's HTML error report and nb.Error's box,
// tags removed).
func (nb *Notebook) Errors() []CellError {
	var errs []CellError
	for i, c := range nb.Cells {
		var msg []string
		failed := false
		for _, o := range c.Outputs {
			h := o.dataText("text/html")
			switch {
			case o.Type == "error":
				failed = true
				msg = append([]string{o.EName + ": " + o.Value}, msg...)
			case o.Type == "stream" && o.Name == "stderr":
				msg = append(msg, strings.TrimSpace(ansiRE.ReplaceAllString(string(o.Text), "")))
			case strings.Contains(h, "ceusrad-error"):
				failed = true
				fallthrough
			case strings.Contains(h, "gonb-err"):
				t := tagRE.ReplaceAllString(h, "")
				msg = append(msg, strings.TrimSpace(spaceRE.ReplaceAllString(t, "\n")))
			}
		}
		if failed {
			errs = append(errs, CellError{Notebook: nb.Path, Cell: i + 1, Source: firstLine(string(c.Source)),
				Message: truncate(strings.Join(msg, "\n"), 4000)})
		}
	}
	return errs
}

// Counts returns how many outputs of each kind the notebook holds: one
// count per MIME type, plus "image" (PNG, JPEG or SVG outputs) and "table"
// (HTML outputs holding a <table>).
func (nb *Notebook) Counts() map[string]int {
	n := map[string]int{}
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			if o.Type == "stream" {
				n["stream/"+o.Name]++
				continue
			}
			for mime := range o.Data {
				n[mime]++
			}
			if _, ok := o.Data["image/png"]; ok {
				n["image"]++
			} else if _, ok := o.Data["image/svg+xml"]; ok {
				n["image"]++
			} else if _, ok := o.Data["image/jpeg"]; ok {
				n["image"]++
			}
			if strings.Contains(o.dataText("text/html"), "<table") {
				n["table"]++
			}
		}
	}
	return n
}

// Untidy returns the outputs an executed notebook should not keep: an
// empty output (a transient display cleared instead of replaced) and a
// progress bar left drawn (a <progress> element: its Done never ran).
func (nb *Notebook) Untidy() []string {
	var out []string
	for i, c := range nb.Cells {
		for _, o := range c.Outputs {
			if o.Type != "display_data" && o.Type != "execute_result" {
				continue
			}
			empty := true
			for mime := range o.Data {
				if mime != "text/plain" && mime != "text/html" && mime != "text/markdown" {
					empty = false
				} else if strings.TrimSpace(o.dataText(mime)) != "" {
					empty = false
				}
			}
			switch {
			case empty:
				out = append(out, fmt.Sprintf("%s: cell %d (%s): an empty output", nb.Path, i+1, firstLine(string(c.Source))))
			case strings.Contains(o.dataText("text/html"), "<progress"):
				out = append(out, fmt.Sprintf("%s: cell %d (%s): a progress bar left unfinished", nb.Path, i+1, firstLine(string(c.Source))))
			}
		}
	}
	return out
}

// Check returns nil when the executed notebook has no failed cell, no
// untidy output (Untidy) and shows at least what its metadata expects;
// otherwise an error listing every failure.
func (nb *Notebook) Check() error {
	var problems []string
	for _, e := range nb.Errors() {
		problems = append(problems, e.Error())
	}
	problems = append(problems, nb.Untidy()...)
	counts := nb.Counts()
	keys := make([]string, 0, len(nb.Metadata.Ceusrad.Expect))
	for k := range nb.Metadata.Ceusrad.Expect {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if want := nb.Metadata.Ceusrad.Expect[k]; counts[k] < want {
			problems = append(problems, fmt.Sprintf("%s: expected at least %d %q output(s), found %d", nb.Path, want, k, counts[k]))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(problems, "\n"))
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	return truncate(s, 80)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + " …"
}
