package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Latent is a patient's hidden biology: the quantities the response is drawn
// from. The four scores z are standard normal with the correlations of
// LatentCorrelation(); the biology follows from them:
//
//	viable fraction   v = 1/(1+exp(−(1.0 + 0.9·z_v)))       (median 0.73)
//	heterogeneity     h = Φ(z_h)                             (uniform on 0..1)
//	tumour size       s = 5 cm · exp(0.5·z_s), clipped to 1..15 cm
//	AFP               a = 100 ng/mL · exp(2.5·z_a), clipped to 1..100000 ng/mL
//
// and the response is a Bernoulli draw with probability
//
//	P(OR) = 1/(1+exp(−η)),  η = β0 + βv·z_v − βh·z_h − βs·z_s − βa·z_a
//
// with the coefficients of Params.
type Latent struct {
	ZViable, ZHetero, ZSize, ZAFP float64 // the standard-normal scores
	ViableFraction                float64 // v: fraction of the lesion that is viable, enhancing tumour
	Heterogeneity                 float64 // h: spatial heterogeneity of perfusion, 0 (homogeneous) .. 1
	LinearPredictor               float64 // η
	ProbOR                        float64 // the true probability of objective response
}

// Clinical holds the clinical columns of cohort.csv.
type Clinical struct {
	Age         int     // years
	Sex         string  // "M" or "F"
	AFP         float64 // serum alpha-fetoprotein, ng/mL, one decimal
	TumorSizeCM float64 // largest diameter of the target lesion, cm, one decimal
	TumorNumber int     // number of tumours
	ChildPugh   string  // "A" or "B"
	BCLC        string  // "A", "B" or "C"
}

// Kinetics holds a patient's contrast kinetics and appearance: nuisance
// variation that the response does not depend on. Times are in seconds after
// the injection; peaks are relative to the portal peak of liver parenchyma.
// Every curve is LognormalBolus.
type Kinetics struct {
	ArrivalS       float64 // arterial arrival time t_a in the tumour
	TumourRiseS    float64 // arterial component: time from arrival to peak
	TumourLateRise float64 // late component (arrival t_a+3 s): time to peak
	TumourLateFrac float64 // late component: mean amplitude relative to the arterial one
	TumourPeak     float64 // arterial peak of viable tumour
	PortalDelayS   float64 // portal arrival in the liver is t_a + PortalDelayS
	LiverRiseS     float64 // portal component of the liver: time to peak
	RimStrength    float64 // capsule/rim: enhancement and B-mode halo, 0..1
	CEUSGainDB     float64 // operator gain of the CEUS display
	BModeGainDB    float64 // operator gain of the B-mode display
	LesionEchoDB   float64 // mean B-mode echogenicity of the lesion relative to liver
	LesionTexDB    float64 // SD of the lesion's B-mode texture unrelated to biology
	LiverTexDB     float64 // SD of the liver's B-mode texture (coarseness)
	BreathPeriodS  float64 // breathing period
	BreathPhase    float64 // breathing phase, radians
	BreathAngle    float64 // direction of breathing motion, radians from the x axis
}

// Patient is one simulated patient: identity, outcome, latent biology,
// clinical columns and the acquisition settings of the cine.
type Patient struct {
	Index      int    // 0-based position in the cohort
	ID         string // "P001", ...
	CohortSeed uint64 // the seed of the cohort; with Index it determines every draw
	Response   bool   // true: objective response (OR), false: non-response (NR)
	Split      string // "train" or "validation"

	InjectionOffsetS float64 // injection time after the first frame, s
	FrameRate        float64 // nominal frame rate, frames/s

	Latent   Latent
	Clinical Clinical
	Kinetics Kinetics
}

// LatentCorrelation returns the correlation matrix of the latent scores
// (z_v, z_h, z_s, z_a): larger tumours are more often necrotic (−0.3), more
// heterogeneous (+0.25) and secrete more AFP (+0.35); necrotic tumours are
// more heterogeneous (−0.2 between viability and heterogeneity); viability
// and AFP −0.1, heterogeneity and AFP +0.1.
func LatentCorrelation() [4][4]float64 { return latentCorr }

var latentCorr = [4][4]float64{
	{1, -0.2, -0.3, -0.1},
	{-0.2, 1, 0.25, 0.1},
	{-0.3, 0.25, 1, 0.35},
	{-0.1, 0.1, 0.35, 1},
}

// latentChol is the lower Cholesky factor of LatentCorrelation.
var latentChol = cholesky4(latentCorr)

// cholesky4 returns L with L·Lᵀ = a for a 4×4 positive-definite a
// (Cholesky–Banachiewicz).
func cholesky4(a [4][4]float64) [4][4]float64 {
	var l [4][4]float64
	for i := 0; i < 4; i++ {
		for j := 0; j <= i; j++ {
			s := a[i][j]
			for k := 0; k < j; k++ {
				s -= l[i][k] * l[j][k]
			}
			if i == j {
				l[i][j] = math.Sqrt(s)
			} else {
				l[i][j] = s / l[j][j]
			}
		}
	}
	return l
}

// logistic is 1/(1+exp(−x)).
func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// normCDF is Φ(x), the standard normal distribution function.
func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// clamp limits x to [lo, hi].
func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

// round1 rounds x to one decimal.
func round1(x float64) float64 { return math.Round(x*10) / 10 }

// drawLatent draws the four latent scores, scaled and moved by p's case mix, and
// returns the biology and the linear predictor of p (Latent's formulas).
func drawLatent(r *rand.Rand, p Params) Latent {
	var e, z [4]float64
	for i := range e {
		e[i] = r.NormFloat64()
	}
	for i := 0; i < 4; i++ {
		for j := 0; j <= i; j++ {
			z[i] += latentChol[i][j] * e[j]
		}
	}
	// The centre's case mix scales and moves the scores (Params.ZSpread,
	// ZViableShift ...); a zero setting is skipped so that the default draws are bit for bit those
	// of a simulator without centres.
	for i, d := range [4]float64{p.ZViableShift, p.ZHeteroShift, p.ZSizeShift, p.ZAFPShift} {
		if p.ZSpread != 0 {
			z[i] *= 1 + p.ZSpread
		}
		if d != 0 {
			z[i] += d
		}
	}
	eta := p.Intercept + p.BetaViable*z[0] - p.BetaHetero*z[1] - p.BetaSize*z[2] - p.BetaAFP*z[3]
	return Latent{
		ZViable: z[0], ZHetero: z[1], ZSize: z[2], ZAFP: z[3],
		ViableFraction:  logistic(1.0 + 0.9*z[0]),
		Heterogeneity:   normCDF(z[1]),
		LinearPredictor: eta,
		ProbOR:          logistic(eta),
	}
}

// drawClinical draws the clinical columns that are not latent (age, sex,
// number, Child–Pugh, BCLC) and reports size and AFP from the latent scores;
// the distributions are those of the package documentation.
func drawClinical(r *rand.Rand, l Latent) Clinical {
	c := Clinical{
		TumorSizeCM: round1(clamp(5*math.Exp(0.5*l.ZSize), 1, 15)),
		AFP:         round1(clamp(100*math.Exp(2.5*l.ZAFP), 1, 100000)),
	}
	c.Age = int(math.Round(clamp(56+10.5*r.NormFloat64(), 25, 88)))
	c.Sex = "M"
	if r.Float64() >= 0.86 {
		c.Sex = "F"
	}
	c.ChildPugh = "A"
	if r.Float64() >= 0.82 {
		c.ChildPugh = "B"
	}
	// Number of tumours: 1..6 with probabilities 0.38, 0.22, 0.14, 0.10, 0.08, 0.08.
	u := r.Float64()
	c.TumorNumber = 6
	for i, cum := range []float64{0.38, 0.60, 0.74, 0.84, 0.92} {
		if u < cum {
			c.TumorNumber = i + 1
			break
		}
	}
	// BCLC (Reig et al. 2022): C for macrovascular invasion or symptoms
	// (drawn, 12 %); else A for a single tumour or up to three ≤ 3 cm; else B.
	switch {
	case r.Float64() < 0.12:
		c.BCLC = "C"
	case c.TumorNumber == 1 || (c.TumorNumber <= 3 && c.TumorSizeCM <= 3):
		c.BCLC = "A"
	default:
		c.BCLC = "B"
	}
	return c
}

// drawKinetics draws a patient's kinetics and appearance (Kinetics' fields,
// distributions in the package documentation).
func drawKinetics(r *rand.Rand) Kinetics {
	u := func(a, b float64) float64 { return a + (b-a)*r.Float64() }
	return Kinetics{
		ArrivalS:       u(9, 15),
		TumourRiseS:    u(5, 9),
		TumourLateRise: u(14, 22),
		TumourLateFrac: u(0.35, 0.6),
		TumourPeak:     3.0 * math.Exp(0.25*r.NormFloat64()),
		PortalDelayS:   u(6, 10),
		LiverRiseS:     u(22, 32),
		RimStrength:    u(0.3, 1),
		CEUSGainDB:     1.5 * r.NormFloat64(),
		BModeGainDB:    1.5 * r.NormFloat64(),
		LesionEchoDB:   -2 + 3*r.NormFloat64(),
		LesionTexDB:    u(0.5, 2),
		LiverTexDB:     u(0.7, 2),
		BreathPeriodS:  u(3.5, 5),
		BreathPhase:    u(0, 2*math.Pi),
		BreathAngle:    u(-math.Pi/6, math.Pi/6),
	}
}

// patientID is "P" followed by the 1-based index, zero-padded to the width of
// max(n, 100): P001..P130 for n = 130.
func patientID(i, n int) string {
	w := len(fmt.Sprint(max(n, 100)))
	return fmt.Sprintf("P%0*d", w, i+1)
}

// newPatient draws patient i of a cohort of n seeded with seed, without its
// split.
func newPatient(p Params, n int, seed uint64, i int) Patient {
	rl := newRNG(seed, streamLatent, i)
	l := drawLatent(rl, p)
	c := drawClinical(rl, l)
	rr := newRNG(seed, streamResponse, i)
	resp := rr.Float64() < l.ProbOR
	rk := newRNG(seed, streamKinetics, i)
	k := drawKinetics(rk)
	inj := p.InjectionOffsetMinS + (p.InjectionOffsetMaxS-p.InjectionOffsetMinS)*rk.Float64()
	return Patient{
		Index: i, ID: patientID(i, n), CohortSeed: seed, Response: resp,
		InjectionOffsetS: math.Round(inj*100) / 100, FrameRate: p.FrameRate,
		Latent: l, Clinical: c, Kinetics: k,
	}
}

// MaxPatients is the largest cohort Generate and WriteCohort accept.
const MaxPatients = 100000

// Generate draws a cohort of n patients from seed: latent biology, response,
// clinical columns, kinetics and the stratified train/validation split (see
// Split). Patient i depends only on (seed, i) and p, so the first patients of
// a larger cohort are the same people (their split aside). The images are
// made on demand by SimulatePatient and its parts.
func Generate(p Params, n int, seed uint64) ([]Patient, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if n < 1 || n > MaxPatients {
		return nil, fmt.Errorf("synth: Generate: n = %d patients: want 1..%d", n, MaxPatients)
	}
	pts := make([]Patient, n)
	_ = parallelFor(n, func(i int) error {
		pts[i] = newPatient(p, n, seed, i)
		return nil
	})
	resp := make([]bool, n)
	for i := range pts {
		resp[i] = pts[i].Response
	}
	for i, train := range Split(resp, seed) {
		if train && !p.AllValidation {
			pts[i].Split = "train"
		} else {
			pts[i].Split = "validation"
		}
	}
	return pts, nil
}
