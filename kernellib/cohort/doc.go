// Package cohort reads and checks a cohort manifest (cohort.csv), describes
// the cohort in a Table 1 of baseline characteristics, and draws the seeded,
// stratified splits of a study.
//
// # Manifest
//
// cohort.csv has one row per patient and the columns of DESIGN.md, "Data
// formats": patient_id, response (OR|NR), split (train|validation), cine,
// bmode, lesion_mask, and optionally liver_mask, frame_rate (needed when the
// cine has no timing, e.g. a folder of frames) and injection_offset_s;
// every other column is a clinical column (age, sex, afp, tumor_size_cm,
// tumor_number, child_pugh, bclc, ...) and is kept. Paths are relative to
// the manifest's folder. ReadFile and Read check every row and report every
// problem at once as a Problems error, each Problem naming the file, line,
// row and column. The files themselves are only looked up (they exist, and
// are files or, for a cine, a folder); Options.Check lets the caller open
// them (the command line does so with kernellib/imaging, which cohort does
// not import). A read cohort is a []Patient and a gota DataFrame.
//
// # Several lesions of a patient
//
// An optional lesion_id column makes every row one lesion of a patient:
// every row then needs a lesion_id, the pair (patient_id, lesion_id) is
// unique, all rows of a patient share their split, and the row's key
// (Patient.ID) is patient_id + LesionKeySep + lesion_id ("P007/L2"), so that
// code keyed by rows works unchanged; PatientID and LesionID keep the two
// identifiers, Groups gives each row's patient and MultiLesion says whether
// any patient has several rows. KeyColumns, KeyHeader and KeyCells write a
// table's key columns honestly (patient_id, and lesion_id when present) and
// FrameKeys reads the keys back.
//
// # Table 1
//
// Table1 summarises variables of a DataFrame in two groups (training vs
// validation cohort, or OR vs NR): mean ± SD or median [Q1, Q3] for
// continuous variables, n (%) for categorical ones, with the p-value of
// Welch's t-test or the Mann–Whitney U test, and of Pearson's χ² or
// Fisher's exact test. The choice rules are in Table1's documentation; the
// tests are exported (WelchT, MannWhitneyU, ChiSquare, FisherExact,
// ShapiroWilk) and agree with scipy.stats and R to 1e-9 relative (SciPy's
// Shapiro–Wilk runs in single precision, so there R is the reference);
// testdata/reference_table1.py and reference_table1.R make the fixtures. The Table is
// returned as a DataFrame of strings ready for kernellib/nb, and writes
// itself as Markdown or CSV.
//
// # Splits
//
// PaperSplit draws the paper's 89/41 train/validation split (in proportion
// for other cohort sizes) stratified by response; Resplits re-draws R such
// splits for the robustness analysis; StratifiedKFold and
// RepeatedStratifiedKFold give cross-validation folds. All take an explicit
// seed, return sorted index slices and give the same result on any machine
// and number of cores. Their Grouped variants (GroupedPaperSplit,
// GroupedStratifiedSplit, GroupedResplits, GroupedRepeatedStratifiedKFold)
// keep the rows of a group — the lesions of a patient — on one side: each
// group is labelled by the most frequent label of its rows (a tie going to
// the label that comes first among them), the groups are split as rows would
// be, and with one row per group the result is the ungrouped split exactly.
// The splits and learn's cross-validation folds share one implementation
// (kernellib/internal/split), each on its own random stream.
package cohort
