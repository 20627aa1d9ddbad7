// Package importer turns a PACS export — a folder of DICOM files from several
// patients and studies, at any depth — into a draft cohort manifest for ceusrad
// (`ceusrad import -in EXPORT -out DRAFT`).
//
// It writes three files into DRAFT, a new or empty folder:
//
//   - cohort.csv: one row per patient in the manifest's column order
//     (kernellib/cohort: patient_id, response, split, cine, bmode, lesion_mask,
//     liver_mask, frame_rate, injection_offset_s), with a pseudonym P001, P002, … as
//     patient_id, the chosen contrast cine and B-mode still as paths relative to
//     DRAFT (the hospital's files are referenced, never copied), frame_rate and
//     injection_offset_s from the cine's header where it allows, and response,
//     split, lesion_mask and liver_mask empty for the user to fill;
//   - id_map.csv (mode 0600): pseudonym, patient_id, study_instance_uid — the only
//     file that holds an identifier;
//   - import_report.md: per pseudonym what was found, what was chosen and why, and
//     what is missing; counts of the files skipped.
//
// # Privacy
//
// This package is the only code in ceusrad that sees a patient's name, ID or birth
// date (imaging.Header.Identity). Those values go to id_map.csv and nowhere else:
// not to cohort.csv, the report, the log, or an error. Every string that does come
// from the export — a path relative to EXPORT or DRAFT, a parser's message, a
// modality — is checked against the identifiers of every patient in the export
// before it is written (see tokens): a path that holds a name, an ID or a birth date
// (a folder named after the patient) is withheld, and the report says so without
// showing it. The choice of files is made from the other attributes.
//
// Pseudonyms are numbered in the order of each patient's earliest study (Study Date
// and Time), ties broken by the relative path of the patient's first file, so that
// the numbering does not follow the order of the IDs or names.
//
// # Choices
//
// Files are grouped by Patient ID, or by Patient's Name and Birth Date when the ID is
// empty (by Study Instance UID when all three are), then by Study Instance UID. An
// ultrasound image (Modality US) with more than one frame is a cine, with one frame
// a still; other modalities, and objects without pixel data, are counted and
// skipped. Of a patient's studies, the earliest one holding a cine with Contrast/Bolus
// Agent (0018,0010) is used, else the earliest holding any cine, else the earliest;
// the others are listed in the report. In it, the cine is the one with the contrast
// agent, then the most frames, then the longest duration, then the first path; the
// still is one of the same width and height as the cine (a lesion mask must fit
// both), then without contrast agent, then nearest in time to the cine, then the
// first path.
//
// frame_rate comes from the cine's Frame Time Vector (0018,1065), Frame Time
// (0018,1063), Cine Rate (0018,0040) or Recommended Display Frame Rate (0008,2144)
// (imaging.Header.FrameRate). injection_offset_s is the injection on the cine's clock:
// the cine's Contrast/Bolus Start Time (0018,1042) minus the time of its first frame
// — Acquisition DateTime (0008,002A), Acquisition Time (0008,0032) or Content Time
// (0008,0033) of the cine —, both
// times of day on the scanner's clock, corrected once across midnight; it is left
// empty when either is missing or when they are more than an hour apart.
package importer
