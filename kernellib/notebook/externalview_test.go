package notebook

import (
	"strings"
	"testing"

	"github.com/ceusrad/ceusrad/kernellib/nb"
)

// TestExternalViewErrorOnce: without an external run the first view shows
// the error once, and every later method shows nothing.
func TestExternalViewErrorOnce(t *testing.T) {
	t.Setenv(ResultsEnv, t.TempDir())
	shown := &strings.Builder{}
	prev := nb.SetDisplay(nb.NewTextDisplay(shown))
	defer nb.SetDisplay(prev)
	v := ExternalSaved().AUC().ROC().Pairs().Operating().Calibration().DecisionCurves().Transport().Recalibration()
	if v.Err() == nil || strings.Count(shown.String(), "error:") != 1 || !strings.Contains(shown.String(), "results.json") {
		t.Errorf("err %v, shown:\n%s", v.Err(), shown)
	}
}
