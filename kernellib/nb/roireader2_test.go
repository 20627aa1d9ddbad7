package nb

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDrawROIsSecondReader: with Reader 2 the lesion outline is saved as
// masks/<patient>_lesion_2.png — byte for byte ceusrad roi's mask for the same
// vertices — into lesion_mask_2, appended to a manifest without that column
// (lesion_mask untouched); a liver outline is refused at save until cleared; a
// reader other than 0, 1 or 2 is an error.
func TestDrawROIsSecondReader(t *testing.T) {
	path, in := dualManifest(t)
	lesion := "11,12 22,11 23,24 9,20"
	msgs := []string{"1 hello", click(2, 11, 12), click(3, 22, 11), click(4, 23, 24), click(5, 9, 20), "6 close",
		"7 roi liver", click(8, 3, 3), click(9, 12, 3), click(10, 12, 8), "11 close", "12 save", "13 clear", "14 save", "15 finish"}
	f := &fakeROIFront{recorder: recorder{interactive: true}, msgs: msgs}
	if err := drawROIs(f, path, "D1", &ROIDrawOptions{Frame: 0, Zoom: 8, Idle: time.Minute, Reader: 2}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	left := dualLeftRegion(t)
	checkSavedMask(t, filepath.Join(dir, "masks", "D1_lesion_2.png"), lesion, left.Box, left.Stored)
	for _, n := range []string{"D1_lesion.png", "D1_liver.png", "D1_liver_2.png"} {
		if _, err := os.Stat(filepath.Join(dir, "masks", n)); err == nil {
			t.Errorf("%s written", n)
		}
	}
	lines := strings.SplitAfter(in, "\n")
	wantManifest := strings.TrimSuffix(lines[0], "\n") + ",lesion_mask_2\n" + strings.TrimSuffix(lines[1], "\n") + ",\n" +
		strings.TrimSuffix(lines[2], "\n") + ",masks/D1_lesion_2.png\n"
	if b, _ := os.ReadFile(path); string(b) != wantManifest {
		t.Errorf("manifest\n%s\nwant\n%s", b, wantManifest)
	}
	var refused, saved, header bool
	for _, c := range f.calls {
		refused = refused || strings.Contains(c, "a second reader saves the lesion outline only")
		saved = saved || strings.Contains(c, "saved masks/D1_lesion_2.png; manifest updated")
		header = header || strings.Contains(c, "second reader (lesion_mask_2)")
	}
	if !refused || !saved || !header {
		t.Errorf("refused %v, saved %v, header %v", refused, saved, header)
	}
	if err := drawROIs(&recorder{}, path, "D1", &ROIDrawOptions{Reader: 3}); err == nil || !strings.Contains(err.Error(), "reader 3") {
		t.Errorf("reader 3: %v", err)
	}
}
