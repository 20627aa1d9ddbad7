package cohort

import (
	"path/filepath"
	"slices"
	"testing"
)

// TestReadLesionMask2 checks the optional second reader's lesion mask: given
// for some patients only (an empty or NA cell is no mask, not a problem),
// resolved like lesion_mask, and a missing file or a folder is a problem of
// the lesion_mask_2 column.
func TestReadLesionMask2(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "c1.dcm", "b1.png", "m1.png", "m1_2.png", "folder/")
	good := "patient_id,response,split,cine,bmode,lesion_mask,lesion_mask_2\n" +
		"p1,OR,train,c1.dcm,b1.png,m1.png,m1_2.png\n" +
		"p2,NR,train,c1.dcm,b1.png,m1.png,\n" +
		"p3,NR,validation,c1.dcm,b1.png,m1.png,NA\n"
	c, err := ReadFile(writeManifest(t, dir, good), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Patients[0].LesionMask2, filepath.Join(dir, "m1_2.png"); got != want {
		t.Errorf("p1 lesion_mask_2 = %q, want %q", got, want)
	}
	if c.Patients[1].LesionMask2 != "" || c.Patients[2].LesionMask2 != "" {
		t.Errorf("missing lesion_mask_2 cells gave %q and %q, want empty", c.Patients[1].LesionMask2, c.Patients[2].LesionMask2)
	}
	if len(c.Clinical) != 0 {
		t.Errorf("lesion_mask_2 counted as a clinical column: %v", c.Clinical)
	}
	if got := c.Frame.Col(ColLesionMask2).Elem(0).String(); got != filepath.Join(dir, "m1_2.png") {
		t.Errorf("frame's lesion_mask_2 = %q", got)
	}
	bad := "patient_id,response,split,cine,bmode,lesion_mask,lesion_mask_2\n" +
		"p1,OR,train,c1.dcm,b1.png,m1.png,gone.png\n" +
		"p2,NR,train,c1.dcm,b1.png,m1.png,folder\n"
	_, err = ReadFile(writeManifest(t, dir, bad), nil)
	ps := problemsOf(t, err)
	var got []string
	for _, p := range ps {
		got = append(got, key(p))
	}
	if want := []string{"2/1/lesion_mask_2", "3/2/lesion_mask_2"}; !slices.Equal(got, want) {
		t.Errorf("problems %q, want %q:\n%v", got, want, err)
	}
}
