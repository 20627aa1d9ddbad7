// Package synth simulates the embedded default cohort of ceusrad: patients
// with hepatocellular carcinoma (HCC) before their first transarterial
// chemoembolization (TACE), each with a contrast-enhanced ultrasound (CEUS)
// cine, a B-mode image, lesion and liver masks, clinical columns, and an
// objective response (OR) or non-response (NR) drawn from a stated model of
// latent biology. It has the shape of the cohort of Liu et al., "Accurate
// prediction of responses to transarterial chemoembolization for patients
// with hepatocellular carcinoma by using artificial intelligence in
// contrast-enhanced ultrasound", Eur Radiol 30:2365–2376 (2020): 130
// patients, a stratified 89/41 train/validation split, the same columns.
//
// The data are simulated. They are a teaching and testing device, not
// evidence: every number below was chosen to give textbook-looking images
// and curves and a known answer, not estimated from patients.
//
// # Use
//
// Generate draws the patients (latent biology, outcome, clinical columns,
// kinetics). SimulatePatient, or its parts SimulateAnatomy, SimulateCine,
// SimulateBMode and SimulateMasks, make a patient's images in memory.
// WriteCohort writes a whole cohort folder in the real formats (cohort.csv,
// DICOM cines, PNG images and masks, latent.csv, SUMMARY.md). Population
// estimates the OR rate and Bayes-optimal AUC of the population that Params
// define.
//
// # Determinism
//
// Every draw comes from a generator of its own, a PCG seeded by SplitMix64
// from (cohort seed, purpose, patient index). Patients are made in parallel
// on a worker pool, and no patient reads a shared stream, so the same seed
// gives the same bytes on any number of cores; patient i is the same person
// in a cohort of any size. The committed testdata/default_cohort.sha256 lists
// the SHA-256 of every file of the cohort n = 6, seed 1 (Go 1.26, amd64; the
// PNG bytes depend on Go's compress/flate and the last bits of math.Exp and
// math.Log on the architecture).
//
// # Latent biology and response
//
// Four standard-normal scores z = (z_v, z_h, z_s, z_a) with correlation
// LatentCorrelation() (larger tumours more necrotic, more heterogeneous, with
// more AFP) define
//
//	viable fraction  v = logistic(1.0 + 0.9·z_v)     median 0.73, 90 % in 0.38..0.92
//	heterogeneity    h = Φ(z_h)                       uniform on 0..1
//	tumour size      5 cm·exp(0.5·z_s), 1..15 cm      median 5 cm, 90 % in 2.2..11 cm
//	AFP              100 ng/mL·exp(2.5·z_a), ≥ 1      median 100, 29 % above 400 ng/mL
//
// and the response is Bernoulli with
//
//	logit P(OR) = 0.7 + 1.6·z_v − 2.2·z_h − 0.5·z_s − 0.4·z_a
//
// (Params.Intercept, BetaViable, BetaHetero, BetaSize, BetaAFP). The
// directions follow the usual clinical reading: viable, hypervascular tumour
// takes up the chemo-embolic agent and responds; large tumours, high AFP
// (both in the HAP score, Kadalayil et al., Ann Oncol 24:2565, 2013) and a
// heterogeneous, patchy perfusion respond less. The sizes are chosen so that
// the population OR rate is 0.57 (the pooled OR rate of lipiodol TACE was
// 52.5 % in Lencioni et al., Hepatology 64:106, 2016; mRECIST: Lencioni &
// Llovet, Semin Liver Dis 30:52, 2010) and the Bayes-optimal AUC, the AUC of
// the true probability as a score, is 0.93. Population reports both by Monte
// Carlo, and BayesAUC gives the realised cohort's (Mann–Whitney AUC of the
// true probabilities against the drawn outcomes). For the default cohort
// (n = 130, seed 1) these are 85 OR (65.4 %) and 0.915; for the population
// (200 000 patients) 0.574 and 0.929.
//
// # Why the cine beats the time–intensity curve and the B-mode image
//
// The paper found R-DLCEUS (the cine) > R-TIC ≈ R-BMode. The simulator makes
// that plausible by where it puts the information:
//
//   - Heterogeneity h, the largest coefficient, is spatial only. It sets the
//     pattern of necrosis (compact and central when h is low, scattered
//     islands when high), the spread of the viable tumour's perfusion
//     (log-SD 0.15 + 0.75h) and of its late-component weight (0.1 + 0.6h),
//     but these multipliers have mean exactly 1 over the viable pixels, so
//     the ROI-mean curve in linear intensity does not depend on h (only the
//     log display's Jensen effect leaks a little).
//   - The ROI-mean curve measures the viable fraction, blurred by the
//     tumour's own peak enhancement (log-SD 0.25) and the operator's gain
//     (SD 1.5 dB). A perfect reading of v alone reaches AUC 0.78
//     (PopulationStats.AUCViable); the paper's R-TIC reached 0.80.
//   - The cine shows v exactly (the non-enhancing pixels) and h; a perfect
//     reading of both reaches AUC 0.92 (PopulationStats.AUCCine); the
//     paper's R-DLCEUS reached 0.93.
//   - The B-mode image carries v only through a −2.5 dB echogenicity of
//     necrosis under a patient echogenicity of SD 3 dB, and h only through a
//     grain of SD 1.5·h dB (Params.BModeGrainDB) that follows the perfusion
//     pattern with correlation 0.7, beside a texture unrelated to biology
//     (SD 0.5..2 dB) and speckle (SD 5.6 dB): weaker than the cine.
//   - Size and AFP are in the clinical columns; the field is centred on and
//     scaled to the lesion, so its size is in the DICOM pixel spacing only.
//
// # Geometry
//
// A lesion-centred field of Params.Width × Params.Height pixels (default
// 128×128; lengths below are for 128 and scale with the field). The lesion
// is star-shaped: r(θ) = R0·e(θ)·(1 + Σ_{k=2..7} a_k·cos(kθ + φ_k)), an
// area-preserving ellipse e of axis ratio up to 1.35 perturbed by harmonics
// of random amplitude, R0 = 0.18..0.26 of the field, so the lesion's
// largest diameter is 0.4–0.65 of the field's width. The pixel spacing
// makes that diameter equal tumor_size_cm (about 0.8 mm per pixel for the
// median 5 cm, 0.15–3 mm over the range). Around it a capsule/rim 2.5 px
// wide; around that portal-fed liver parenchyma, in 80 % of patients crossed by a
// portal-vein branch (radius 2..3.5 px) that keeps clear of the lesion, and
// in 60 % (when there is room) topped by the liver capsule and the abdominal
// wall. Necrosis is the (1−v) share of lesion pixels with the lowest
// g1(x) + 1.2(1−h)(ρ − 2/3)/0.24, g1 a smooth Gaussian random field (white
// noise blurred by a Gaussian of length R0·(0.45 − 0.3h), standardised over
// the lesion), ρ the normalised radius: a thresholded smooth field, so the
// viable fraction is v exactly and the heterogeneity is spatial. The masks
// are drawn at rest: the lesion (viable and necrotic, rim excluded) and the
// liver reference region (parenchyma 3 px clear of lesion, rim, vessel and
// wall).
//
// # Kinetics
//
// Every tissue's contrast signal is a sum of lognormal indicator-dilution
// curves (Strouthos et al., IEEE Trans UFFC 57:1296, 2010), written with
// peak 1 at its mode (LognormalBolus):
//
//	ℓ(τ; t0, tp, σ) = exp(−[ln((τ − t0)/tp)]²/(2σ²)),  τ > t0,
//
// τ the time after the injection. Per patient: arterial arrival
// t_a ~ U(9, 15) s, tumour rise tp_a ~ U(5, 9) s, tumour peak P_t ~ 3·exp(N(0,
// 0.25²)) (+4.8 dB over the liver's peak, arterial hyperenhancement), late
// tumour component f ~ U(0.35, 0.6) of it with tp ~ U(14, 22) s, portal
// delay d_p ~ U(6, 10) s, liver rise tp_l ~ U(22, 32) s. The tissues
// (Kinetics.TissueCurves):
//
//	viable tumour  P_t·m(x)·[ℓ(τ; t_a, tp_a, 0.45) + f·β(x)·ℓ(τ; t_a+3, tp, 0.9)]   early, fast, high; mild late wash-out
//	necrosis       0                                                            no enhancement
//	rim            0.8·rim·ℓ(τ; t_a+d_p, 35, 0.9)                              late, sustained (rim ~ U(0.3, 1))
//	liver          0.2·ℓ(τ; t_a+1, 8, 0.5) + ℓ(τ; t_a+d_p, tp_l, 1.0)          later, lower, sustained (times a texture of log-SD 0.12)
//	portal vein    3·ℓ(τ; t_a+d_p−2, 10, 0.7)
//	wall           0
//
// so that the curves show the textbook CEUS phases of the liver (Claudon et
// al., Ultrasound Med Biol 39:187, 2013; Dietrich et al., Ultraschall Med
// 41:562, 2020): an arterial phase 10–40 s after the injection in which the
// tumour peaks above the liver, a portal phase in which the liver peaks (35–57
// s) and the tumour becomes iso-enhancing, and the late (≥ 60 s), mild
// wash-out of HCC (CEUS LI-RADS, ACR 2017).
//
// # CEUS image
//
// Each frame at time t (SimulateCine) is
//
//	I(x) = g(y)·[S(x − d(t))·B_t(x) + T(x − d(t))] + N_0·E_t(x)
//
// with S the contrast signal above (weights blurred by a point-spread
// function of σ 0.8 px for partial volume), B_t microbubble speckle drawn
// fresh each frame (bubbles move: the intensity |h∗z|² of complex Gaussian
// white noise filtered by a Gaussian PSF of σ 1.3 px lateral × 0.9 px
// axial, exponential with mean 1 and spatially correlated: fully developed
// speckle, Rayleigh amplitude, Wagner et al., IEEE Trans Sonics Ultrason
// 30:156, 1983), T the tissue signal that contrast-specific imaging leaves
// (the B-mode echo at −34 dB), N_0·E_t exponential electronic noise at
// −40 dB, g(y) a residual depth attenuation of 0.02 dB per pixel, and d(t)
// breathing (below). The display is log-compressed to 8 bits over a dynamic
// range of 55 dB (Params.CEUSDynamicRangeDB), 255 at 12 dB above the liver's
// peak, plus the patient's gain (SD 1.5 dB): the pre-contrast background sits
// near 40, the enhanced liver near 190, and under 1 % of pixels clip at 0 or
// 255.
//
// Breathing moves the tissue by d(t) = A·cos⁴(πt/T − φ)·(cos α, sin α), the
// model of Lujan et al. (Med Phys 26:715, 1999) with n = 2: at rest
// (end-expiration, where the masks are drawn) most of the time, A at peak
// inspiration; A = Params.BreathingAmplitudePx (default 3 px, a few mm: quiet
// breathing with the probe following the liver), period T ~ U(3.5, 5) s,
// direction α within ±30° of lateral. Frames are taken at i/FrameRate + ε_i
// with ε_i ~ N(0, 0.02²) s clipped to ±0.25/FrameRate (frame 0 at 0): a
// 2 frames/s cine of 130 s, 261 frames, with the injection U(2, 8) s after the
// first frame, so at least 122 s follow the injection. The DICOM file
// records the intervals in its Frame Time Vector.
//
// # B-mode image
//
// The same geometry at rest (SimulateBMode). Reflectivity in dB relative to
// the liver: liver a texture of SD 0.7..2 dB (2.5 px correlation); lesion
// its echogenicity E ~ N(−2, 3²) dB (HCC is mostly hypo- or iso-echoic, larger
// ones mixed), −2.5 dB on necrosis, the grain 1.5·h·G(x) (G correlated 0.7
// with the perfusion pattern) and a texture of SD 0.5..2 dB unrelated to the
// biology; a hypoechoic halo of −6·rim dB on the capsule; an anechoic vessel
// lumen (−25 dB) with a bright wall (+5 dB); a bright liver capsule (+8 dB)
// and a layered abdominal wall. The linear reflectivity is blurred by the
// PSF, multiplied by static tissue speckle (σ 1.2 × 0.7 px) — the same
// speckle the CEUS tissue signal carries — and by the depth attenuation,
// noise is added at −40 dB, and the display is log-compressed over 55 dB
// (Params.BModeDynamicRangeDB) with 255 at 25 dB above the liver, which puts
// the liver near grey level 130.
//
// # Clinical columns
//
// Chosen to be typical of TACE cohorts from China, where the paper's
// patients come from (HBV-related HCC, mostly men; Child–Pugh A or B and
// BCLC A–C as TACE candidates, EASL guidelines, J Hepatol 69:182, 2018;
// BCLC 2022, Reig et al., J Hepatol 76:681):
//
//	age           N(56, 10.5²) years, rounded, 25..88
//	sex           86 % M (liver cancer is 2–3 times more frequent in men, GLOBOCAN 2018; more so where HBV is endemic)
//	afp           from the latent z_a, ng/mL, one decimal (29 % above the 400 ng/mL cut-off of the HAP score)
//	tumor_size_cm from the latent z_s, largest diameter, one decimal
//	tumor_number  1..6 with probabilities 0.38, 0.22, 0.14, 0.10, 0.08, 0.08
//	child_pugh    A 82 %, B 18 %
//	bclc          C 12 % (vascular invasion or symptoms, drawn), else A for one tumour or up to three ≤ 3 cm, else B
//
// Only size and AFP enter the response model; the others are realistic
// company for Table 1. The cohort.csv columns are patient_id, response
// (OR|NR), split (train|validation), cine, bmode, lesion_mask, liver_mask
// (paths relative to the manifest), frame_rate (nominal), injection_offset_s
// (after the first frame), age, sex, afp, tumor_size_cm, tumor_number,
// child_pugh, bclc.
//
// # Centres
//
// A second centre, for external validation, differs from the default one in
// acquisition and case mix while P(OR | biology) — Latent's logistic model
// with Intercept and the β — stays the same (a transportable model; Debray
// et al., J Clin Epidemiol 68:279, 2015, separate case mix from a change of
// the predictor–outcome association). The centre fields of Params, all zero
// by default (the default cohort is unchanged, byte for byte):
//
//	Centre               label written into SUMMARY.md
//	CEUSGainOffsetDB     scanner gain added to each patient's CEUS gain, dB
//	BModeGainOffsetDB    the same for the B-mode display
//	ZViableShift ...     mean of z_v, z_h, z_s, z_a, in SD (case mix)
//	ZSpread              every z multiplied by 1 + ZSpread (case mix)
//	AllValidation        every patient in the validation split (external cohort)
//
// with FrameRate and the dynamic ranges, which already vary. What each one
// does to a frozen model, for teaching:
//
//   - Acquisition (gain, frame rate, dynamic range) changes the images only:
//     the same seed gives the same patients and outcomes, so the response
//     rate and the Bayes-optimal AUC are exactly those of the default
//     centre. A model reading grey levels or fixed-frame-count features sees
//     shifted inputs: its discrimination and calibration may both suffer,
//     while the truth has not moved.
//   - Case mix (the latent shifts) moves the responder share by moving the
//     mean linear predictor βv·δv − βh·δh − βs·δs − βa·δa; the Bayes-optimal
//     AUC hardly moves (SecondCentre: 0.929 both, the spread of η is
//     unchanged). A model given the whole biology stays calibrated; one that
//     sees part of it (the clinical columns, the ROI-mean curve) sees a
//     different P(OR | its inputs) and drifts in calibration-in-the-large,
//     and its AUC changes with the spread of what it sees. ZSpread, in
//     contrast, widens or narrows the spread of η and so moves the
//     Bayes-optimal AUC itself (0.929 → 0.953 at ZSpread 0.3, 0.884 at
//     −0.3): case mix changes discrimination when it changes the spread
//     of risk, not when it moves its mean.
//   - A different Intercept or β (not a centre field: set it explicitly) is
//     a change of the outcome model itself: calibration drift of every
//     model, the true one included; the ranking by η, hence the Bayes AUC
//     up to the prevalence, stays.
//
// SecondCentre (ceusrad synth -centre B) is such a centre: +4 dB gain,
// 3 frames/s, median tumour 6.4 cm, median AFP 212 ng/mL, less viable
// tissue, responder share 0.48 instead of 0.57, every patient validation
// (ceusrad validate ignores the split column).
package synth
