package importer

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// study is one Study Instance UID of a patient.
type study struct {
	uid      string
	date     string  // Study Date (else the earliest Series/Acquisition/Content Date), YYYYMMDD; "" unknown
	tm       float64 // Study Time, seconds after midnight; +Inf unknown
	first    string  // the first relative path
	cines    []*file // ultrasound images of more than one frame
	stills   []*file // ultrasound images of one frame
	other    map[string]int
	noPixels int // DICOM objects without pixel data
}

func (s *study) before(t *study) bool {
	switch {
	case (s.date == "") != (t.date == ""):
		return s.date != ""
	case s.date != t.date:
		return s.date < t.date
	case s.tm != t.tm:
		return s.tm < t.tm
	}
	return s.first < t.first
}

// patient is one patient of the export.
type patient struct {
	key       string
	ids       []imaging.Identity // every distinct identity seen in its files
	studies   []*study           // earliest first
	pseudonym string
}

// group sorts files into patients (by Patient ID; by Patient's Name and Birth Date
// when the ID is empty; by Study Instance UID when all three are) and studies (by
// Study Instance UID), and orders the patients by their earliest study. It returns the
// number of files with no identity nor Study Instance UID, which cannot be grouped.
func group(files []*file) (ps []*patient, ungrouped int) {
	byKey := map[string]*patient{}
	studies := map[*patient]map[string]*study{}
	for _, f := range files {
		id := f.h.Identity
		var key string
		switch {
		case id.PatientID != "":
			key = "id\x00" + id.PatientID
		case id.PatientName != "" || id.BirthDate != "":
			key = "name\x00" + id.PatientName + "\x00" + id.BirthDate
		case f.h.StudyInstanceUID != "":
			key = "study\x00" + f.h.StudyInstanceUID
		default:
			ungrouped++
			continue
		}
		p := byKey[key]
		if p == nil {
			p = &patient{key: key}
			byKey[key] = p
			studies[p] = map[string]*study{}
			ps = append(ps, p)
		}
		if !containsID(p.ids, id) {
			p.ids = append(p.ids, id)
		}
		s := studies[p][f.h.StudyInstanceUID]
		if s == nil {
			s = &study{uid: f.h.StudyInstanceUID, tm: math.Inf(1), first: f.rel, other: map[string]int{}}
			studies[p][f.h.StudyInstanceUID] = s
			p.studies = append(p.studies, s)
		}
		s.add(f)
	}
	for _, p := range ps {
		sort.Slice(p.studies, func(i, j int) bool { return p.studies[i].before(p.studies[j]) })
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].studies[0].before(ps[j].studies[0]) })
	width := max(3, len(fmt.Sprint(len(ps))))
	for i, p := range ps {
		p.pseudonym = fmt.Sprintf("P%0*d", width, i+1)
	}
	return ps, ungrouped
}

func containsID(ids []imaging.Identity, id imaging.Identity) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func (s *study) add(f *file) {
	h := f.h
	if f.rel < s.first {
		s.first = f.rel
	}
	if h.StudyDate != "" && (s.date == "" || h.StudyDate < s.date) {
		s.date = h.StudyDate
		s.tm = math.Inf(1)
	}
	if h.StudyDate == s.date {
		if t, ok := imaging.ParseDICOMTime(h.StudyTime); ok && t < s.tm {
			s.tm = t
		}
	}
	if s.date == "" {
		for _, d := range []string{h.SeriesDate, h.AcquisitionDate, h.ContentDate} {
			if d != "" {
				s.date = d
				break
			}
		}
	}
	switch {
	case !h.HasPixelData:
		s.noPixels++
	case !strings.EqualFold(strings.TrimSpace(h.Modality), "US"):
		m := strings.ToUpper(strings.TrimSpace(h.Modality))
		if m == "" {
			m = "no modality"
		}
		s.other[m]++
	case h.NumberOfFrames > 1:
		s.cines = append(s.cines, f)
	default:
		s.stills = append(s.stills, f)
	}
}

func hasAgent(f *file) bool { return strings.TrimSpace(f.h.ContrastBolusAgent) != "" }

// choice is what the draft holds for one patient.
type choice struct {
	p                 *patient
	study             int // index into p.studies; -1 when the patient has no US image
	cine, still       *file
	cineWhy, stillWhy string
	rate              float64
	rateSrc           string // "" when there is no rate
	offset            float64
	offsetOK          bool
	offsetWhy         string // how it was computed, or why it is missing
}

// maxOffset bounds |injection_offset_s|: times further apart than an hour are taken
// for clocks that disagree, not a CEUS acquisition.
const maxOffset = 3600.0

func choose(p *patient) choice {
	c := choice{p: p, study: -1}
	// The study: the earliest with a contrast cine, else with any cine, else with a
	// still, else none.
	for _, pick := range []func(*study) bool{
		func(s *study) bool {
			for _, f := range s.cines {
				if hasAgent(f) {
					return true
				}
			}
			return false
		},
		func(s *study) bool { return len(s.cines) > 0 },
		func(s *study) bool { return len(s.stills) > 0 },
	} {
		for i, s := range p.studies {
			if pick(s) {
				c.study = i
				break
			}
		}
		if c.study >= 0 {
			break
		}
	}
	if c.study < 0 {
		return c
	}
	s := p.studies[c.study]
	if len(s.cines) > 0 {
		c.cine, c.cineWhy = chooseCine(s.cines)
		if r, src, ok := c.cine.h.FrameRate(); ok {
			c.rate, c.rateSrc = r, src
		}
		c.offset, c.offsetOK, c.offsetWhy = injectionOffset(c.cine.h)
	}
	if len(s.stills) > 0 {
		c.still, c.stillWhy = chooseStill(s.stills, c.cine)
	}
	return c
}

// chooseCine orders cines: Contrast/Bolus Agent present, most frames, longest
// duration, first path.
func chooseCine(cines []*file) (*file, string) {
	dur := func(f *file) float64 {
		d, ok := f.h.Duration()
		if !ok {
			return -1
		}
		return d
	}
	cs := append([]*file(nil), cines...)
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if hasAgent(a) != hasAgent(b) {
			return hasAgent(a)
		}
		if a.h.NumberOfFrames != b.h.NumberOfFrames {
			return a.h.NumberOfFrames > b.h.NumberOfFrames
		}
		if dur(a) != dur(b) {
			return dur(a) > dur(b)
		}
		return a.rel < b.rel
	})
	best := cs[0]
	nAgent := 0
	for _, f := range cs {
		if hasAgent(f) {
			nAgent++
		}
	}
	var why string
	switch {
	case len(cs) == 1 && hasAgent(best):
		why = "the only cine of the study; it has Contrast/Bolus Agent (0018,0010)"
	case len(cs) == 1:
		why = "the only cine of the study; it has no Contrast/Bolus Agent (0018,0010): check that it is the contrast cine"
	case hasAgent(best) && nAgent == 1:
		why = fmt.Sprintf("the only one of %d cines with Contrast/Bolus Agent (0018,0010)", len(cs))
	default:
		group := fmt.Sprintf("of the %d cines with Contrast/Bolus Agent (0018,0010)", nAgent)
		if !hasAgent(best) {
			group = fmt.Sprintf("none of the %d cines has Contrast/Bolus Agent (0018,0010) (check that this is the contrast cine); of them", len(cs))
		}
		next := cs[1]
		switch {
		case best.h.NumberOfFrames != next.h.NumberOfFrames:
			why = group + ", the one with the most frames"
		case dur(best) != dur(next):
			why = group + ", the longest"
		default:
			why = group + ", the first by path (same frames and duration)"
		}
	}
	return best, why
}

// chooseStill orders stills: same width and height as the cine, no Contrast/Bolus
// Agent, nearest in time to the cine's first frame, first path.
func chooseStill(stills []*file, cine *file) (*file, string) {
	same := func(f *file) bool {
		return cine != nil && f.h.Rows == cine.h.Rows && f.h.Columns == cine.h.Columns
	}
	gap := func(f *file) float64 {
		if cine == nil {
			return math.Inf(1)
		}
		a, _, ok1 := f.h.FirstFrameTime()
		b, _, ok2 := cine.h.FirstFrameTime()
		if !ok1 || !ok2 {
			return math.Inf(1)
		}
		return math.Abs(a - b)
	}
	ss := append([]*file(nil), stills...)
	sort.SliceStable(ss, func(i, j int) bool {
		a, b := ss[i], ss[j]
		if same(a) != same(b) {
			return same(a)
		}
		if hasAgent(a) != hasAgent(b) {
			return !hasAgent(a)
		}
		if ga, gb := gap(a), gap(b); ga != gb {
			return ga < gb
		}
		return a.rel < b.rel
	})
	best := ss[0]
	var parts []string
	if len(ss) == 1 {
		parts = append(parts, "the only still of the study")
	} else {
		parts = append(parts, fmt.Sprintf("one of %d stills", len(ss)))
	}
	switch {
	case cine == nil:
	case same(best):
		parts = append(parts, fmt.Sprintf("the same size as the cine (%d×%d)", best.h.Columns, best.h.Rows))
	default:
		parts = append(parts, fmt.Sprintf("%d×%d, not the cine's %d×%d: one lesion mask cannot fit both (ceusrad cohort will say so); export a still of the cine's size or crop", best.h.Columns, best.h.Rows, cine.h.Columns, cine.h.Rows))
	}
	if hasAgent(best) {
		parts = append(parts, "with Contrast/Bolus Agent (0018,0010): check that it is a B-mode image")
	}
	if len(ss) > 1 && !math.IsInf(gap(best), 1) {
		parts = append(parts, fmt.Sprintf("%.0f s from the cine's first frame", gap(best)))
	}
	return best, strings.Join(parts, "; ")
}

// injectionOffset is the cine's Contrast/Bolus Start Time (0018,1042) minus the time
// of its first frame, in seconds: the injection on the cine's clock, as the manifest's
// injection_offset_s is defined (and as tic, deep and synth read it).
func injectionOffset(h imaging.Header) (float64, bool, string) {
	if strings.TrimSpace(h.ContrastBolusStartTime) == "" {
		return 0, false, "the cine has no Contrast/Bolus Start Time (0018,1042)"
	}
	start, ok := imaging.ParseDICOMTime(h.ContrastBolusStartTime)
	if !ok {
		return 0, false, "the cine's Contrast/Bolus Start Time (0018,1042) is not a valid TM value"
	}
	first, src, ok := h.FirstFrameTime()
	if !ok {
		return 0, false, "the cine has none of Acquisition DateTime (0008,002A), Acquisition Time (0008,0032), Content Time (0008,0033) to time its first frame"
	}
	d := start - first
	switch {
	case d < -12*3600:
		d += 24 * 3600
	case d > 12*3600:
		d -= 24 * 3600
	}
	if math.Abs(d) > maxOffset {
		return 0, false, fmt.Sprintf("%s and Contrast/Bolus Start Time (0018,1042) are more than an hour apart: check the scanner's clocks and fill it yourself", src)
	}
	why := fmt.Sprintf("Contrast/Bolus Start Time (0018,1042) − %s", src)
	if d < 0 {
		why += "; negative: the injection came before the cine's first frame"
	}
	return d, true, why
}
