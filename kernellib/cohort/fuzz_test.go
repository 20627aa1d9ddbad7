package cohort

import (
	"bytes"
	"errors"
	"io/fs"
	"strings"
	"testing"
)

// pipeInfo is what fuzzStat reports for a named pipe.
type pipeInfo struct{ fakeInfo }

func (pipeInfo) Mode() fs.FileMode { return fs.ModeNamedPipe | 0o600 }

// fuzzStat pretends that paths containing "missing" do not exist, that paths
// containing "frames" are folders, paths containing "fifo" named pipes and
// that everything else is a file.
func fuzzStat(path string) (fs.FileInfo, error) {
	switch {
	case strings.Contains(path, "fifo"):
		return pipeInfo{fakeInfo{name: path}}, nil
	case strings.Contains(path, "missing"):
		return nil, fs.ErrNotExist
	case strings.Contains(path, "denied"):
		return nil, fs.ErrPermission
	case strings.Contains(path, "frames"):
		return fakeInfo{name: path, dir: true}, nil
	}
	return fakeInfo{name: path}, nil
}

// FuzzReadManifest feeds arbitrary bytes to Read: it must never panic, must
// return either a consistent cohort or a non-empty Problems, and a cohort it
// accepts must make a Table 1 without panicking. The seed corpus is in
// testdata/fuzz/FuzzReadManifest.
func FuzzReadManifest(f *testing.F) {
	f.Add([]byte("patient_id,response,split,cine,bmode,lesion_mask,age\np1,OR,train,c.dcm,b.png,m.png,60\np2,NR,validation,c2.dcm,b2.png,m2.png,70\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Read(bytes.NewReader(data), "fuzz.csv", "/cohort", &Options{Stat: fuzzStat})
		if err != nil {
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("error %v (%T) is not a non-empty Problems", err, err)
			}
			if c != nil {
				t.Fatal("a cohort returned with problems")
			}
			for _, p := range ps {
				if p.File != "fuzz.csv" || p.Msg == "" || p.Line < 0 || p.Row < 0 {
					t.Fatalf("bad problem %+v", p)
				}
			}
			return
		}
		if len(c.Patients) == 0 || c.Frame.Nrow() != len(c.Patients) || c.Frame.Ncol() != len(c.Columns) {
			t.Fatalf("%d patients, frame %d×%d, %d columns", len(c.Patients), c.Frame.Nrow(), c.Frame.Ncol(), len(c.Columns))
		}
		ids := map[string]bool{}
		for _, p := range c.Patients {
			if ids[p.ID] || p.ID == "" {
				t.Fatalf("identifier %q empty or repeated", p.ID)
			}
			ids[p.ID] = true
			if (p.Response != ResponseOR && p.Response != ResponseNR) || (p.Split != SplitTrain && p.Split != SplitValidation) {
				t.Fatalf("patient %+v accepted", p)
			}
			if p.Cine == "" || p.BMode == "" || p.LesionMask == "" || strings.Contains(p.Cine, "missing") ||
				strings.Contains(p.Cine+p.BMode+p.LesionMask+p.LiverMask, "fifo") {
				t.Fatalf("patient %+v accepted", p)
			}
		}
		for _, f := range []func(*TableOptions) (*Table, error){c.TableBySplit, c.TableByResponse} {
			tab, err := f(nil)
			if err == nil {
				if df := tab.DataFrame(); df.Err != nil {
					t.Fatal(df.Err)
				}
				var b bytes.Buffer
				if err := tab.WriteMarkdown(&b); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}
