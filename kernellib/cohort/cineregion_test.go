package cohort

import (
	"errors"
	"strings"
	"testing"
)

func TestCineRegionSpec(t *testing.T) {
	for in, want := range map[string]string{"left": "left", " RIGHT ": "right", "0": "0", "01": "1", "3": "3"} {
		if got, err := CineRegionSpec(in); err != nil || got != want {
			t.Errorf("CineRegionSpec(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"-1", "+2", "1.5", "centre", "l", ""} {
		if got, err := CineRegionSpec(in); err == nil {
			t.Errorf("CineRegionSpec(%q) = %q, want an error", in, got)
		}
	}
}

// TestReadCineRegion: cine_region is optional, canonicalised, kept in the DataFrame,
// and refused when malformed or given for a folder of frames.
func TestReadCineRegion(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "c/p1.dcm", "c/p2.dcm", "c/p3/", "b.png", "m.png")
	head := "patient_id,response,split,cine,bmode,lesion_mask,frame_rate,cine_region\n"
	good := head +
		"p1,OR,train,c/p1.dcm,b.png,m.png,, Right \n" +
		"p2,NR,validation,c/p2.dcm,b.png,m.png,,NA\n" +
		"p3,NR,train,c/p3,b.png,m.png,10,\n"
	c, err := ReadFile(writeManifest(t, dir, good), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{c.Patients[0].CineRegion, c.Patients[1].CineRegion, c.Patients[2].CineRegion}; got[0] != "right" || got[1] != "" || got[2] != "" {
		t.Errorf("CineRegion %q", got)
	}
	if s := c.Frame.Col(ColCineRegion).Records(); s[0] != "right" {
		t.Errorf("DataFrame cine_region %q", s)
	}
	bad := head +
		"p1,OR,train,c/p1.dcm,b.png,m.png,,middle\n" +
		"p3,NR,train,c/p3,b.png,m.png,10,left\n"
	_, err = ReadFile(writeManifest(t, dir, bad), nil)
	var probs Problems
	if !errors.As(err, &probs) || len(probs) != 2 {
		t.Fatalf("err %v, want 2 problems", err)
	}
	for i, want := range []string{"want left, right or a 0-based region index", "folder of frames, which has no Ultrasound Regions"} {
		if probs[i].Column != ColCineRegion || !strings.Contains(probs[i].Msg, want) {
			t.Errorf("problem %d: %+v, want column cine_region and %q", i, probs[i], want)
		}
	}
}
