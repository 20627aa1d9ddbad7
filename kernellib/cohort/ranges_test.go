package cohort

import (
	"strings"
	"testing"
)

// frame_rate and injection_offset_s outside their physical ranges are
// problems naming the row and column; values inside them read.
func TestManifestPhysicalRanges(t *testing.T) {
	head := "patient_id,response,split,cine,bmode,lesion_mask,frame_rate,injection_offset_s\n"
	for _, c := range []struct {
		fr, inj string
		want    string // "" = accepted
	}{
		{"15", "3.5", ""},
		{"0.1", "-3600", ""},
		{"1000", "600", ""},
		{"", "", ""},
		{"1e9", "", "row 1, column frame_rate: \"1e9\": want a number of frames per second from 0.1 to 1000"},
		{"1e300", "", "column frame_rate: \"1e300\""},
		{"0.05", "", "column frame_rate: \"0.05\""},
		{"0", "", "column frame_rate: \"0\""},
		{"-5", "", "column frame_rate"},
		{"10", "1e300", "row 1, column injection_offset_s: \"1e300\": want a number of seconds from -3600 to 600"},
		{"10", "-3601", "column injection_offset_s: \"-3601\""},
		{"10", "600.5", "column injection_offset_s"},
		{"10", "Inf", "column injection_offset_s"},
	} {
		text := head + "P1,OR,train,c.dcm,b.png,m.png," + c.fr + "," + c.inj + "\n"
		_, err := Read(strings.NewReader(text), "r.csv", "/d", &Options{Stat: everyFileExists})
		switch {
		case c.want == "" && err != nil:
			t.Errorf("frame_rate %q, injection_offset_s %q: %v", c.fr, c.inj, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("frame_rate %q, injection_offset_s %q: %v; want %q", c.fr, c.inj, err, c.want)
		}
	}
}
