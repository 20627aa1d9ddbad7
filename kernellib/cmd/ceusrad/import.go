package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/ceusrad/ceusrad/kernellib/cohort/importer"
)

func init() {
	register(command{
		name:    "import",
		summary: "draft a cohort manifest from a PACS export (pseudonyms; ids kept in id_map.csv)",
		run:     runImport,
	})
}

const importUsage = `Usage: ceusrad import -in EXPORT -out DRAFT

Walks the folder EXPORT (any depth; a DICOMDIR is not needed; non-DICOM files
are skipped and counted) and reads the header of every DICOM file, never its
pixels. Files are grouped by patient and study; for each patient it picks the
contrast cine (a multi-frame ultrasound image, preferring one with
Contrast/Bolus Agent, then the most frames) and a B-mode still (a single-frame
ultrasound image of the same study, of the cine's size when there is one). It
writes into DRAFT, which must be new or empty and outside EXPORT:

  cohort.csv        one row per patient: pseudonym P001, P002, ... as patient_id,
                    cine and bmode as paths relative to DRAFT (the export's files
                    are referenced, not copied), frame_rate and injection_offset_s
                    from the cine's header when it allows; response, split and
                    lesion_mask empty for you to fill
  id_map.csv        pseudonym -> Patient ID and Study Instance UID; the only
                    file holding an identifier (mode 0600): keep it apart from
                    the data
  import_report.md  per pseudonym: what was found and chosen, and why; what is
                    missing; counts of the files skipped

No patient name, ID or birth date is written anywhere else or printed; a path
that holds one (a folder named after the patient) is left out and the report
says so. Then fill the empty columns and check the draft with
'ceusrad cohort -in DRAFT/cohort.csv'. See datasets/README.md.

Flags:
`

func runImport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "the PACS export `folder` (required; only read)")
	out := fs.String("out", "", "the draft `folder` to write (required; new or empty)")
	fs.Usage = func() {}
	if code, done := parseFlags(fs, args, importUsage, stdout); done {
		return code
	}
	if *in == "" || *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "ceusrad import: -in EXPORT and -out DRAFT are required and it takes no other argument (see ceusrad help import)")
		return exitUsage
	}
	sum, err := importer.Import(importer.Options{Export: *in, Draft: *out, Log: stderr})
	if err != nil {
		fmt.Fprintf(stderr, "ceusrad import: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "%d patients: %d with a cine, %d with a B-mode still, %d with frame_rate, %d with injection_offset_s.\n",
		sum.Patients, sum.WithCine, sum.WithStill, sum.WithFrameRate, sum.WithOffset)
	fmt.Fprintf(stdout, "%d files: %d DICOM, %d not DICOM, %d unreadable, %d not regular files; %d linked folders not followed.\n",
		sum.Files, sum.DICOM, sum.NonDICOM, sum.Unreadable, sum.NonRegular, sum.LinkedDirs)
	fmt.Fprintf(stdout, "Wrote %s/{%s,%s,%s}. Read %s, fill response, split and lesion_mask, then run\n  ceusrad cohort -in %s\n",
		*out, importer.ManifestName, importer.IDMapName, importer.ReportName, importer.ReportName, *out+"/"+importer.ManifestName)
	fmt.Fprintf(stdout, "%s maps the pseudonyms to the patients: keep it apart from the data, never share it with the cohort.\n", importer.IDMapName)
	return exitOK
}
