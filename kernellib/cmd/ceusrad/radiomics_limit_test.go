package main

import (
	"strings"
	"testing"
)

// TestRadiomicsMaxROIVoxels checks the -max-roi-voxels flag: a region whose bounding
// box exceeds it is refused with an error naming the box, the limit and the flag; a
// limit that is not a positive number is a usage error; the default lets a small
// region through.
func TestRadiomicsMaxROIVoxels(t *testing.T) {
	imgPath, maskPath := writeBModePNGs(t, t.TempDir(), 20, 16, 9, 0)
	code, out, errOut := call("radiomics", "-image", imgPath, "-mask", maskPath, "-max-roi-voxels", "10")
	if code != exitError || out != "" || !strings.Contains(errOut, "MaxROIVoxels = 10") || !strings.Contains(errOut, "-max-roi-voxels") {
		t.Errorf("-max-roi-voxels 10: exit %d, stdout %q, stderr %q; want exit %d and an error naming the limit", code, out, errOut, exitError)
	}
	code, _, errOut = call("radiomics", "-image", imgPath, "-mask", maskPath, "-max-roi-voxels", "0")
	if code != exitUsage || !strings.Contains(errOut, "-max-roi-voxels 0") {
		t.Errorf("-max-roi-voxels 0: exit %d, stderr %q; want a usage error", code, errOut)
	}
	if code, _, errOut = call("radiomics", "-image", imgPath, "-mask", maskPath); code != exitOK {
		t.Errorf("default limit: exit %d, stderr %q", code, errOut)
	}
}
