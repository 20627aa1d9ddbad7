package importer

import (
	"bytes"
	"fmt"
	"github.com/ceusrad/ceusrad/kernellib/imaging"
	"sort"
	"strings"
)

// maxListed bounds the unreadable files the report lists by path.
const maxListed = 200

// reportMD writes import_report.md. Every string from the export (paths, parser
// messages, modalities) passes tok.safe first.
func reportMD(sum *Summary, cs []choice, rows []row, probs []problem, tok tokens) []byte {
	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	p("# Import report")
	p("")
	p("Written by `ceusrad import`. Patients are named by pseudonym only. `%s`, beside this report, maps each", IDMapName)
	p("pseudonym to the original Patient ID and Study Instance UID: it is the only file of this draft that holds an")
	p("identifier. **Keep it apart from the data**: do not copy, share, commit or upload it with the cohort; store it")
	p("where only the people allowed to re-identify patients can read it (it is written readable by its owner only).")
	p("The cine and B-mode paths in `%s` point at the export's own files, which still hold the names in their", ManifestName)
	p("headers: share the cohort's results, never the export.")
	p("")
	p("## Files")
	p("")
	p("| | count |")
	p("|---|---|")
	p("| regular files found | %d |", sum.Files)
	p("| DICOM files read | %d |", sum.DICOM)
	p("| non-DICOM files skipped | %d |", sum.NonDICOM)
	p("| unreadable files or folders | %d |", sum.Unreadable)
	p("| DICOMDIR files (not used: files are found by walking) | %d |", sum.DICOMDIR)
	p("| FIFOs, sockets, devices skipped without opening | %d |", sum.NonRegular)
	p("| symbolic links to folders, not followed | %d |", sum.LinkedDirs)
	p("| DICOM files without patient identity or Study Instance UID, skipped | %d |", sum.Ungrouped)
	p("| patients | %d (%d with a cine, %d with a B-mode still) |", sum.Patients, sum.WithCine, sum.WithStill)
	p("")
	p("## Patients")
	p("")
	p("To fill in `%s` for every row: `response` (OR or NR), `split` (train or validation, assigned before", ManifestName)
	p("looking at any result), `lesion_mask` (a PNG or NIfTI mask in the geometry of the cine and the still); then check")
	p("it with `ceusrad cohort -in %s`.", ManifestName)
	for i, c := range cs {
		r := rows[i]
		p("")
		p("### %s", c.p.pseudonym)
		p("")
		if len(c.p.ids) > 1 {
			p("- Its files disagree on the patient's name or birth date (%d variants); check the id map's entry.", len(c.p.ids))
		}
		nCine, nStill, noPx := 0, 0, 0
		other := map[string]int{}
		for _, s := range c.p.studies {
			nCine += len(s.cines)
			nStill += len(s.stills)
			noPx += s.noPixels
			for m, n := range s.other {
				other[m] += n
			}
		}
		p("- Studies: %d; ultrasound cines: %d; ultrasound stills: %d%s%s.", len(c.p.studies), nCine, nStill, otherText(other, tok), noPixelText(noPx))
		if c.study < 0 {
			p("- **Missing: no ultrasound image** in any study: the row has no cine and no B-mode still.")
			continue
		}
		if len(c.p.studies) > 1 {
			var why string
			switch {
			case c.cine != nil && hasAgent(c.cine):
				why = "the earliest with a cine with Contrast/Bolus Agent"
			case c.cine != nil:
				why = "the earliest with a cine (none has Contrast/Bolus Agent)"
			default:
				why = "the earliest with an ultrasound still (none has a cine)"
			}
			p("- **Several studies**: used study %d of %d (by date), %s. Check it is the pre-treatment one. Not used:", c.study+1, len(c.p.studies), why)
			for j, o := range c.p.studies {
				if j != c.study {
					p("  - study %d: cines: %d (with Contrast/Bolus Agent: %d); stills: %d%s", j+1, len(o.cines), agentCount(o.cines), len(o.stills), otherText(o.other, tok))
				}
			}
		}
		switch {
		case c.cine == nil:
			p("- **Missing: cine** — the study has no ultrasound image of more than one frame.")
		case r.cineWithheld:
			p("- **Cine withheld**: %s, %d frames; but its path contains the patient's name, ID or birth date (a folder named", c.cineWhy, c.cine.h.NumberOfFrames)
			p("  after the patient?), so `cine` is left empty. Rename those folders (e.g. to the pseudonym) and import again.")
		default:
			p("- Cine: %s; %d frames%s.", c.cineWhy, c.cine.h.NumberOfFrames, durText(c))
			p("  `%s`", r.cine)
		}
		if c.cine != nil {
			if l, r, ok := imaging.SideBySide(c.cine.h.Regions); ok {
				p("- **Dual display**: the cine shows two images side by side (Ultrasound Regions %d and %d, left and right);", l, r)
				p("  set `cine_region` to the contrast image (`left` or `right`; `ceusrad cine -info` shows both) before the analysis.")
			}
			if c.rateSrc != "" {
				p("- frame_rate: %s frames/s from %s.", r.rate, c.rateSrc)
			} else {
				p("- **Missing: frame_rate** — the cine has none of Frame Time Vector, Frame Time, Cine Rate, Recommended Display Frame Rate (or they do not fit its frames): fill it in frames per second.")
			}
			if c.offsetOK {
				p("- injection_offset_s: %s s = %s.", r.offset, c.offsetWhy)
			} else {
				p("- injection_offset_s: empty, %s; without it the TIC analysis takes time zero at the lesion's contrast arrival (arrival_s).", c.offsetWhy)
			}
		}
		switch {
		case c.still == nil:
			p("- **Missing: B-mode still** — the study has no single-frame ultrasound image; export one, or use a PNG/JPEG.")
		case r.bmodeWithheld:
			p("- **B-mode still withheld**: %s; its path contains the patient's name, ID or birth date, so `bmode` is left empty.", c.stillWhy)
		default:
			p("- B-mode still: %s.", c.stillWhy)
			p("  `%s`", r.bmode)
		}
	}
	if len(probs) > 0 {
		p("")
		p("## Unreadable files")
		p("")
		p("Paths are relative to the export folder; a path holding a patient's identifier is withheld.")
		p("")
		for i, pr := range probs {
			if i == maxListed {
				p("- … and %d more", len(probs)-maxListed)
				break
			}
			p("- `%s`: %s", tok.safe(pr.rel, "(path withheld)"), tok.safe(pr.msg, "(message withheld: it names an identifier)"))
		}
	}
	return b.Bytes()
}

func agentCount(fs []*file) int {
	n := 0
	for _, f := range fs {
		if hasAgent(f) {
			n++
		}
	}
	return n
}

func otherText(raw map[string]int, tok tokens) string {
	if len(raw) == 0 {
		return ""
	}
	other := map[string]int{}
	for m, n := range raw {
		other[tok.safe(m, "(withheld)")] += n
	}
	ms := make([]string, 0, len(other))
	for m := range other {
		ms = append(ms, m)
	}
	sort.Strings(ms)
	var parts []string
	for _, m := range ms {
		parts = append(parts, fmt.Sprintf("%s ×%d", m, other[m]))
	}
	return "; other modalities skipped: " + strings.Join(parts, ", ")
}

func noPixelText(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; objects without pixel data skipped: %d", n)
}

func durText(c choice) string {
	if d, ok := c.cine.h.Duration(); ok {
		return fmt.Sprintf(", %.1f s", d)
	}
	return ""
}
