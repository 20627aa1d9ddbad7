package synth

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"image"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// SummaryMarker is the first line of the SUMMARY.md that WriteCohort
// writes; a folder whose SUMMARY.md starts with it holds synth output and
// may be overwritten.
const SummaryMarker = "# Synthetic CEUS cohort (ceusrad synth)"

// CohortColumns returns the columns of cohort.csv, in order.
func CohortColumns() []string { return append([]string(nil), cohortColumns...) }

// LatentColumns returns the columns of latent.csv, in order.
func LatentColumns() []string { return append([]string(nil), latentColumns...) }

var cohortColumns = []string{"patient_id", "response", "split", "cine", "bmode", "lesion_mask", "liver_mask",
	"frame_rate", "injection_offset_s", "age", "sex", "afp", "tumor_size_cm", "tumor_number", "child_pugh", "bclc"}

var latentColumns = []string{"patient_id", "response", "split", "prob_or", "linear_predictor",
	"z_viable", "z_hetero", "z_size", "z_afp", "viable_fraction", "heterogeneity", "pixel_spacing_mm",
	"arrival_s", "tumour_rise_s", "tumour_late_rise_s", "tumour_late_frac", "tumour_peak",
	"portal_delay_s", "liver_rise_s", "rim_strength", "ceus_gain_db", "bmode_gain_db",
	"lesion_echo_db", "lesion_tex_db", "liver_tex_db", "breath_period_s", "breath_phase", "breath_angle"}

// PopulationN and PopulationSeed are the size and seed of the Monte Carlo
// population that WriteCohort reports beside the realised cohort.
const (
	PopulationN    = 200000
	PopulationSeed = 1
)

// Summary describes a cohort WriteCohort wrote.
type Summary struct {
	Dir                 string
	Seed                uint64
	Params              Params
	N                   int
	NResponders         int
	NTrain, NValidation int
	NTrainResponders    int
	ORRate              float64 // NResponders/N
	// BayesAUC is the realised cohort's Bayes-optimal AUC (see BayesAUC);
	// NaN when the cohort has one outcome only.
	BayesAUC   float64
	Population PopulationStats // PopulationN patients drawn with PopulationSeed
}

// paths of one patient's files, relative to the cohort folder.
func patientFiles(id string) (cine, bmode, lesion, liver string) {
	return "cines/" + id + ".dcm", "bmode/" + id + ".png", "masks/" + id + "_lesion.png", "masks/" + id + "_liver.png"
}

// synthFile matches the names of the files WriteCohort writes in each
// subfolder.
var synthFile = map[string]*regexp.Regexp{
	"cines": regexp.MustCompile(`^P[0-9]+\.dcm$`),
	"bmode": regexp.MustCompile(`^P[0-9]+\.png$`),
	"masks": regexp.MustCompile(`^P[0-9]+_(lesion|liver)\.png$`),
}

var synthTop = map[string]bool{"cohort.csv": true, "latent.csv": true, "SUMMARY.md": true}

// tempFile matches the temporary file safeio.Create leaves beside a target
// when a run is killed before it renames it: "." + name + ".tmp-" + digits.
var tempFile = regexp.MustCompile(`^\.(.+)\.tmp-[0-9]+$`)

// isSynthName reports whether name (in the subfolder sub, "" for the top)
// is a file WriteCohort writes there, or the temporary file of one.
func isSynthName(sub, name string) bool {
	if m := tempFile.FindStringSubmatch(name); m != nil {
		name = m[1]
	}
	if sub == "" {
		return synthTop[name]
	}
	return synthFile[sub].MatchString(name)
}

// planDir checks that dir can take a cohort and returns the files of a
// previous synth output in it that WriteCohort must remove first, with their
// total size. dir may be missing, empty (the lock file of safeio.LockDir
// aside), or hold a previous synth output (a SUMMARY.md starting with
// SummaryMarker and only files of the names WriteCohort writes, or their
// temporary files left by an interrupted run). Anything else is refused,
// naming the first entry that is in the way; nothing is removed then.
func planDir(dir string) (remove []string, size uint64, err error) {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	if !fi.IsDir() {
		return nil, 0, fmt.Errorf("%s is not a folder", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, 0, err
	}
	entries = slices.DeleteFunc(entries, func(e fs.DirEntry) bool { return e.Name() == safeio.LockName })
	if len(entries) == 0 {
		return nil, 0, nil
	}
	refuse := func(why string) error {
		return fmt.Errorf("%s is not empty and does not hold a previous synth output (%s); give a new or empty folder", dir, why)
	}
	first, err := firstLine(filepath.Join(dir, "SUMMARY.md"))
	if err != nil || first != SummaryMarker {
		return nil, 0, refuse("no SUMMARY.md starting with " + strconv.Quote(SummaryMarker))
	}
	add := func(path string, e fs.DirEntry) {
		remove = append(remove, path)
		if info, err := e.Info(); err == nil {
			size += uint64(info.Size())
		}
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case isSynthName("", name) && e.Type().IsRegular():
			add(filepath.Join(dir, name), e)
		case synthFile[name] != nil && e.IsDir():
			sub, err := os.ReadDir(filepath.Join(dir, name))
			if err != nil {
				return nil, 0, err
			}
			for _, s := range sub {
				if !s.Type().IsRegular() || !isSynthName(name, s.Name()) {
					return nil, 0, refuse("unexpected " + filepath.Join(name, s.Name()))
				}
				add(filepath.Join(dir, name, s.Name()), s)
			}
		default:
			return nil, 0, refuse("unexpected " + name)
		}
	}
	return remove, size, nil
}

// Bytes per patient beyond the image data, used by EstimateBytes: the DICOM
// header without its Frame Time Vector (about 1.05 kB for the writer's
// attributes: a default cine is 4 281 712 bytes, 261·128·128 = 4 276 224 of
// them pixels), a Frame Time Vector value (a DS of at most 16 characters and
// its backslash), a PNG's fixed chunks and zlib framing, and a patient's
// rows of cohort.csv and latent.csv (about 0.4 kB together by default).
const (
	dicomHeaderBytes   = 2048
	frameTimeBytes     = 17
	pngOverheadBytes   = 1024
	csvBytesPerPatient = 1024
	summaryBytes       = 16 << 10
)

// EstimateBytes returns an upper estimate of the bytes WriteCohort writes for
// n patients with p. Per patient: a DICOM cine of F = ⌊DurationS·FrameRate⌋+1
// frames of Width×Height 8-bit pixels, stored uncompressed (F·W·H bytes plus
// the header and 17 bytes of Frame Time Vector per frame); three 8-bit grey
// PNGs (B-mode, lesion and liver masks), each bounded by its raw scanlines
// (W+1)·H plus 1/64 for deflate's stored-block framing (5 bytes per block of
// at most 64 KiB, RFC 1951 §3.2.4) and 1 KiB of chunks; and 1 KiB of CSV rows.
// Plus SUMMARY.md. For the defaults (128×128, 261 frames) it is 4.3 MB a
// patient, about 0.43 TB for 100 000 patients; TestEstimateBytes checks it
// against a written cohort.
func EstimateBytes(p Params, n int) uint64 {
	w, h, f := uint64(p.Width), uint64(p.Height), uint64(p.nFrames())
	cine := dicomHeaderBytes + frameTimeBytes*f + f*w*h
	raw := (w + 1) * h
	png := raw + raw/64 + pngOverheadBytes
	return uint64(n)*(cine+3*png+csvBytesPerPatient) + summaryBytes
}

// firstLine returns the first line of the file at path.
func firstLine(path string) (string, error) {
	f, err := safeio.OpenRegular(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if sc.Scan() {
		return strings.TrimRight(sc.Text(), "\r"), nil
	}
	return "", sc.Err()
}

// WriteCohort simulates a cohort of n patients from seed with p and writes
// it to dir in the formats of real data:
//
//	cohort.csv                      the manifest (CohortColumns), paths relative to it
//	cines/P001.dcm ...              CEUS cines, DICOM Ultrasound Multi-frame, Frame Time Vector
//	bmode/P001.png ...              B-mode images, 8-bit PNG
//	masks/P001_lesion.png ...       lesion masks, 0/255 PNG
//	masks/P001_liver.png ...        liver reference masks, 0/255 PNG
//	latent.csv                      the latent biology and true probability of OR (LatentColumns)
//	SUMMARY.md                      parameters, seed, OR rate, Bayes AUC; says the data are simulated
//
// dir is created when missing. A non-empty dir is refused unless it holds a
// previous synth output, whose files are then replaced. Before anything is
// written, the free space of dir's file system is compared with
// EstimateBytes (less the size of the previous output), and dir is locked
// (safeio.LockDir): a second WriteCohort into the same folder fails at once,
// naming the first one's PID; the lock file is removed at the end. Every file
// is written to a temporary file and renamed into place when whole. Patients are made in
// parallel on GOMAXPROCS goroutines, each from its own generators, so the
// files are the same bytes on any number of cores. progress, when not nil,
// is called after each patient with the number done and n; the calls are
// serialised and done increases by one each time.
func WriteCohort(dir string, n int, seed uint64, p Params, progress func(done, total int)) (Summary, error) {
	fail := func(err error) (Summary, error) {
		return Summary{}, fmt.Errorf("synth: WriteCohort: %w", err)
	}
	if err := p.Validate(); err != nil {
		return Summary{}, err
	}
	if n < 1 || n > MaxPatients {
		return fail(fmt.Errorf("n = %d patients: want 1..%d", n, MaxPatients))
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return fail(fmt.Errorf("%s is not a folder", dir))
	}
	// Checked before anything is written or removed: the folder can take
	// the cohort, and its file system has room for it (less what the
	// previous output there frees).
	remove, freed, err := planDir(dir)
	if err != nil {
		return fail(err)
	}
	if need := EstimateBytes(p, n); need > freed {
		if err := safeio.CheckFreeSpace(dir, need-freed); err != nil {
			return fail(fmt.Errorf("%d patients of %d frames of %d×%d pixels: %w", n, p.nFrames(), p.Width, p.Height, err))
		}
	}
	lock, err := safeio.LockDir(dir)
	if err != nil {
		return fail(err)
	}
	defer lock.Unlock()
	// Planned again under the lock: another run may have written the
	// folder in between.
	if remove, _, err = planDir(dir); err != nil {
		return fail(err)
	}
	for _, f := range remove {
		if err := os.Remove(f); err != nil {
			return fail(err)
		}
	}
	if err := safeio.WriteFile(filepath.Join(dir, "SUMMARY.md"), []byte(SummaryMarker+"\n\nGeneration in progress or interrupted.\n")); err != nil {
		return fail(err)
	}
	for _, sub := range []string{"cines", "bmode", "masks"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return fail(err)
		}
	}
	pts, err := Generate(p, n, seed)
	if err != nil {
		return Summary{}, err
	}
	var mu sync.Mutex
	done := 0
	spacing := make([]float64, n)
	err = parallelFor(n, func(i int) error {
		var err error
		if spacing[i], err = writePatient(dir, p, &pts[i]); err != nil {
			return err
		}
		if progress != nil {
			mu.Lock()
			done++
			progress(done, n)
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		return fail(err)
	}
	if err := writeCSV(filepath.Join(dir, "cohort.csv"), cohortColumns, cohortRows(pts)); err != nil {
		return fail(err)
	}
	if err := writeCSV(filepath.Join(dir, "latent.csv"), latentColumns, latentRows(pts, spacing)); err != nil {
		return fail(err)
	}
	s := Summary{Dir: dir, Seed: seed, Params: p, N: n, BayesAUC: BayesAUC(pts)}
	for _, pt := range pts {
		if pt.Response {
			s.NResponders++
		}
		if pt.Split == "train" {
			s.NTrain++
			if pt.Response {
				s.NTrainResponders++
			}
		}
	}
	s.NValidation = n - s.NTrain
	s.ORRate = float64(s.NResponders) / float64(n)
	if s.Population, err = Population(p, PopulationN, PopulationSeed); err != nil {
		return fail(err)
	}
	if err := safeio.WriteFile(filepath.Join(dir, "SUMMARY.md"), []byte(s.Markdown())); err != nil {
		return fail(err)
	}
	return s, nil
}

// writePatient simulates pt and writes its cine, B-mode image and masks; it
// returns the pixel spacing.
func writePatient(dir string, p Params, pt *Patient) (float64, error) {
	im, err := SimulatePatient(p, pt)
	if err != nil {
		return 0, err
	}
	cine, bmode, lesion, liver := patientFiles(pt.ID)
	meta := imaging.CineMeta{
		PatientID:      pt.ID,
		FrameTimes:     im.Cine.Times,
		PixelSpacingMM: im.Cine.PixelSpacingMM,
		Description:    "ceusrad synth: simulated CEUS cine",
	}
	if err := imaging.WriteDICOMCine(filepath.Join(dir, cine), im.Cine.Frames, meta); err != nil {
		return 0, err
	}
	for _, f := range []struct {
		path string
		img  *image.Gray
	}{{bmode, im.BMode}, {lesion, im.Lesion}, {liver, im.Liver}} {
		if err := imaging.WritePNG(filepath.Join(dir, f.path), f.img); err != nil {
			return 0, err
		}
	}
	return im.Cine.PixelSpacingMM, nil
}

func responseLabel(r bool) string {
	if r {
		return "OR"
	}
	return "NR"
}

func ff(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
func fg(v float64) string           { return strconv.FormatFloat(v, 'g', 8, 64) }

// cohortRows returns the rows of cohort.csv.
func cohortRows(pts []Patient) [][]string {
	rows := make([][]string, len(pts))
	for i, pt := range pts {
		cine, bmode, lesion, liver := patientFiles(pt.ID)
		c := pt.Clinical
		rows[i] = []string{pt.ID, responseLabel(pt.Response), pt.Split, cine, bmode, lesion, liver,
			ff(pt.FrameRate, -1), ff(pt.InjectionOffsetS, 2), strconv.Itoa(c.Age), c.Sex, ff(c.AFP, 1),
			ff(c.TumorSizeCM, 1), strconv.Itoa(c.TumorNumber), c.ChildPugh, c.BCLC}
	}
	return rows
}

// latentRows returns the rows of latent.csv.
func latentRows(pts []Patient, spacing []float64) [][]string {
	rows := make([][]string, len(pts))
	for i, pt := range pts {
		l, k := pt.Latent, pt.Kinetics
		rows[i] = []string{pt.ID, responseLabel(pt.Response), pt.Split, fg(l.ProbOR), fg(l.LinearPredictor),
			fg(l.ZViable), fg(l.ZHetero), fg(l.ZSize), fg(l.ZAFP), fg(l.ViableFraction), fg(l.Heterogeneity), fg(spacing[i]),
			fg(k.ArrivalS), fg(k.TumourRiseS), fg(k.TumourLateRise), fg(k.TumourLateFrac), fg(k.TumourPeak),
			fg(k.PortalDelayS), fg(k.LiverRiseS), fg(k.RimStrength), fg(k.CEUSGainDB), fg(k.BModeGainDB),
			fg(k.LesionEchoDB), fg(k.LesionTexDB), fg(k.LiverTexDB), fg(k.BreathPeriodS), fg(k.BreathPhase), fg(k.BreathAngle)}
	}
	return rows
}

// writeCSV writes a header and rows as RFC 4180 CSV with LF line ends,
// atomically (safeio.WriteWith).
func writeCSV(path string, header []string, rows [][]string) error {
	return safeio.WriteWith(path, func(f io.Writer) error {
		w := csv.NewWriter(f)
		if err := w.Write(header); err != nil {
			return err
		}
		return w.WriteAll(rows)
	})
}

// Markdown returns the text of SUMMARY.md: what the folder holds, that the
// data are simulated, the seed and parameters, the outcome counts and the
// Bayes-optimal AUCs.
func (s Summary) Markdown() string {
	var b strings.Builder
	fmt.Fprintln(&b, SummaryMarker)
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "**These data are simulated.** No patient is behind any file here: the cines, B-mode images,")
	fmt.Fprintln(&b, "masks, clinical columns and outcomes were made by the simulator of the Go package")
	fmt.Fprintln(&b, "`github.com/ceusrad/ceusrad/kernellib/synth` (its package documentation states the model).")
	fmt.Fprintln(&b, "They are a teaching and testing device, not evidence about HCC or TACE.")
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "## Cohort")
	fmt.Fprintln(&b)
	fmt.Fprintf(&b, "* seed: %d\n", s.Seed)
	if s.Params.AllValidation {
		fmt.Fprintf(&b, "* patients: %d, every one in the validation split (an external cohort)\n", s.N)
	} else {
		fmt.Fprintf(&b, "* patients: %d (train %d, validation %d; stratified, the paper's 89/41 ratio)\n", s.N, s.NTrain, s.NValidation)
	}
	if s.Params.AllValidation {
		fmt.Fprintf(&b, "* objective response (OR): %d of %d (%.1f %%)\n", s.NResponders, s.N, 100*s.ORRate)
	} else {
		fmt.Fprintf(&b, "* objective response (OR): %d of %d (%.1f %%); train %d of %d, validation %d of %d\n",
			s.NResponders, s.N, 100*s.ORRate, s.NTrainResponders, s.NTrain, s.NResponders-s.NTrainResponders, s.NValidation)
	}
	auc := "undefined (one outcome only)"
	if !math.IsNaN(s.BayesAUC) {
		auc = ff(s.BayesAUC, 3)
	}
	fmt.Fprintf(&b, "* Bayes-optimal AUC of this cohort (true P(OR) vs drawn outcome, Mann–Whitney): %s\n", auc)
	fmt.Fprintln(&b)
	fmt.Fprintf(&b, "## Population (Monte Carlo, %d patients, seed %d)\n\n", s.Population.N, PopulationSeed)
	fmt.Fprintf(&b, "* OR rate: %.3f\n", s.Population.ORRate)
	fmt.Fprintf(&b, "* Bayes-optimal AUC: %.3f\n", s.Population.BayesAUC)
	fmt.Fprintf(&b, "* AUC ceiling of the cine (viable fraction and heterogeneity): %.3f\n", s.Population.AUCCine)
	fmt.Fprintf(&b, "* AUC ceiling of the viable fraction alone (what an ROI-mean curve measures): %.3f\n", s.Population.AUCViable)
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "## Files")
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "* `cohort.csv`: the manifest; paths are relative to it")
	fmt.Fprintln(&b, "* `cines/Pnnn.dcm`: CEUS cines, DICOM Ultrasound Multi-frame Image Storage, 8-bit, Frame Time Vector")
	fmt.Fprintln(&b, "* `bmode/Pnnn.png`: B-mode images at rest; `masks/Pnnn_lesion.png`, `masks/Pnnn_liver.png`: masks (0/255)")
	fmt.Fprintln(&b, "* `latent.csv`: the latent biology and true probability of OR of each patient (for teaching; a model must not read it)")
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "## Parameters")
	fmt.Fprintln(&b)
	v := reflect.ValueOf(s.Params)
	var centre []int
	for i := 0; i < v.NumField(); i++ {
		if v.Type().Field(i).Tag.Get("centre") != "" {
			centre = append(centre, i)
			continue
		}
		fmt.Fprintf(&b, "* %s: %v\n", v.Type().Field(i).Name, v.Field(i).Interface())
	}
	// The centre's fields only when one is set: the default centre's
	// SUMMARY.md is that of a simulator without centres, byte for byte.
	if !s.Params.IsDefaultCentre() {
		fmt.Fprintln(&b)
		label := s.Params.Centre
		if label == "" {
			label = "(unlabelled)"
		}
		fmt.Fprintf(&b, "## Centre %s\n", label)
		fmt.Fprintln(&b)
		fmt.Fprintln(&b, "Acquisition (gain) and case mix (latent shifts, in SD) of this centre; the response model is the")
		fmt.Fprintln(&b, "default centre's unless Intercept or a Beta above differs from its default (see synth.Params).")
		fmt.Fprintln(&b)
		for _, i := range centre {
			fmt.Fprintf(&b, "* %s: %v\n", v.Type().Field(i).Name, v.Field(i).Interface())
		}
	}
	return b.String()
}

// IsSimulated reports whether the cohort folder dir was written by the
// simulator: its SUMMARY.md carries SummaryMarker. Reports built on such a
// cohort say that their numbers come from simulated data.
func IsSimulated(dir string) bool {
	b, err := safeio.ReadFile(filepath.Join(dir, "SUMMARY.md"), 1<<20)
	return err == nil && strings.Contains(string(b), SummaryMarker)
}
