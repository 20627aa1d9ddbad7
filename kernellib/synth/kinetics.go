package synth

import "math"

// LognormalBolus is the lognormal indicator-dilution curve scaled to peak 1:
//
//	ℓ(t) = exp(−[ln((t − t0)/tp)]² / (2σ²))   for t > t0,   0 otherwise,
//
// where t0 is the arrival time, tp the time from arrival to the peak and σ
// the shape (larger σ: earlier rise and slower wash-out relative to tp). It
// is the lognormal model of CEUS bolus kinetics (Strouthos et al., IEEE
// Trans UFFC 57:1296, 2010), C(t) = A/(√(2π)·σ·(t−t0))·exp(−(ln(t−t0)−μ)²/(2σ²)),
// with μ = ln tp + σ² and the amplitude A chosen so that the mode, at
// t0 + tp, is 1: a Gaussian in log time.
func LognormalBolus(t, t0, tp, sigma float64) float64 {
	if t <= t0 {
		return 0
	}
	x := math.Log((t - t0) / tp)
	return math.Exp(-x * x / (2 * sigma * sigma))
}

// Components of the CEUS signal: each is one LognormalBolus with its own
// arrival, rise and shape, weighted per pixel.
const (
	compTumourArterial = iota // viable tumour, arterial first pass
	compTumourLate            // viable tumour, late component (mild, late wash-out)
	compLiverArterial         // liver, hepatic-arterial supply (≈ 20 %)
	compLiverPortal           // liver, portal-venous supply
	compRim                   // capsule/rim: late, sustained
	compVessel                // portal-vein branch
	nComp
)

// Shapes σ of the components (package documentation, "Kinetics").
const (
	sigmaTumourArterial = 0.45
	sigmaTumourLate     = 0.9
	sigmaLiverArterial  = 0.5
	sigmaLiverPortal    = 1.0
	sigmaRim            = 0.9
	sigmaVessel         = 0.7
	tumourLateDelayS    = 3.0  // the late component arrives this much after t_a
	liverArterialWeight = 0.2  // hepatic-artery share of the liver's peak
	rimPeak             = 0.8  // rim peak at RimStrength 1
	vesselPeak          = 3.0  // portal-vein peak
	rimRiseS            = 35.0 // rim: time to peak after portal arrival
	vesselRiseS         = 10.0 // portal vein: time to peak after its arrival
)

// curves writes the value of each component's LognormalBolus (peak 1) at
// tau seconds after the injection.
func (k Kinetics) curves(tau float64, c *[nComp]float64) {
	ta := k.ArrivalS
	tl := ta + k.PortalDelayS
	c[compTumourArterial] = LognormalBolus(tau, ta, k.TumourRiseS, sigmaTumourArterial)
	c[compTumourLate] = LognormalBolus(tau, ta+tumourLateDelayS, k.TumourLateRise, sigmaTumourLate)
	c[compLiverArterial] = LognormalBolus(tau, ta+1, 8, sigmaLiverArterial)
	c[compLiverPortal] = LognormalBolus(tau, tl, k.LiverRiseS, sigmaLiverPortal)
	c[compRim] = LognormalBolus(tau, tl, rimRiseS, sigmaRim)
	c[compVessel] = LognormalBolus(tau, tl-2, vesselRiseS, sigmaVessel)
}

// TissueCurves returns the noise-free mean enhancement of each tissue at tau
// seconds after the injection, in units of the liver's portal peak, for a
// homogeneous pixel of that tissue (perfusion multiplier 1, late fraction at
// its mean):
//
//	viable tumour  P_t·[ℓ(τ; t_a, tp_a, 0.45) + f_late·ℓ(τ; t_a+3, tp_late, 0.9)]
//	necrosis       0
//	rim            0.8·rim·ℓ(τ; t_a+d_p, 35, 0.9)
//	liver          0.2·ℓ(τ; t_a+1, 8, 0.5) + ℓ(τ; t_a+d_p, tp_liver, 1.0)
//
// with ℓ = LognormalBolus and the patient's Kinetics (t_a = ArrivalS,
// d_p = PortalDelayS, ...).
func (k Kinetics) TissueCurves(tau float64) (viable, necrosis, rim, liver float64) {
	var c [nComp]float64
	k.curves(tau, &c)
	viable = k.TumourPeak * (c[compTumourArterial] + k.TumourLateFrac*c[compTumourLate])
	rim = rimPeak * k.RimStrength * c[compRim]
	liver = liverArterialWeight*c[compLiverArterial] + c[compLiverPortal]
	return viable, 0, rim, liver
}
