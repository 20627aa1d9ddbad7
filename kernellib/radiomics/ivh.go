package radiomics

// ivhCtx is the intensity–volume histogram of the discretised region (IBSI 3.5): for
// each grey level i = lo..Ng, its intensity x_i (ROI.LevelValue), the intensity fraction
// γ_i = (x_i − x_lo)/(x_Ng − x_lo) and the volume fraction ν_i of voxels with grey level
// ≥ i. lo is 1 after FBN or FBS discretisation and the smallest grey level present
// without discretisation.
type ivhCtx struct {
	x, gamma, nu []float64
}

func (r *ROI) ivh() *ivhCtx {
	h := r.histogram()
	lo := 0
	if r.method == Identity {
		for lo < len(h)-1 && h[lo] == 0 {
			lo++
		}
	}
	n := len(h) - lo
	c := &ivhCtx{x: make([]float64, n), gamma: make([]float64, n), nu: make([]float64, n)}
	tot := 0
	for _, k := range h {
		tot += k
	}
	above := tot
	span := r.LevelValue[len(h)-1] - r.LevelValue[lo]
	for k := 0; k < n; k++ {
		i := lo + k
		c.x[k] = r.LevelValue[i]
		c.gamma[k] = ratio(r.LevelValue[i]-r.LevelValue[lo], span, 0)
		c.nu[k] = float64(above) / float64(tot)
		above -= h[i]
	}
	return c
}

// volumeAt returns V_x (IBSI BC2M): the volume fraction ν_i at the lowest grey level
// whose intensity fraction γ_i is at least x; 0 when none is (one grey level only).
func (c *ivhCtx) volumeAt(x float64) float64 {
	for k, g := range c.gamma {
		if g >= x-1e-12 {
			return c.nu[k]
		}
	}
	return 0
}

// intensityAt returns I_x (IBSI GBPN): the lowest intensity x_i whose volume fraction ν_i
// is at most x; when even the top grey level holds more than the fraction x of the
// volume, the intensity one step above it (x_Ng + (x_Ng − x_{Ng−1}), or x_Ng + 1).
func (c *ivhCtx) intensityAt(x float64) float64 {
	for k, v := range c.nu {
		if v <= x+1e-12 {
			return c.x[k]
		}
	}
	n := len(c.x)
	if n > 1 {
		return c.x[n-1] + (c.x[n-1] - c.x[n-2])
	}
	return c.x[n-1] + 1
}

// Intensity–volume histogram features (IBSI 3.5) at the fractions 10% and 90%.
var ivhDefs = []def[*ivhCtx]{
	{"volume_at_intensity_fraction_10", "BC2M", ivhV10},
	{"volume_at_intensity_fraction_90", "BC2M", ivhV90},
	{"intensity_at_volume_fraction_10", "GBPN", ivhI10},
	{"intensity_at_volume_fraction_90", "GBPN", ivhI90},
	{"volume_fraction_difference_between_intensity_fractions", "DDTU", ivhV10minusV90},
	{"intensity_fraction_difference_between_volume_fractions", "CNV2", ivhI10minusI90},
}

// ivhV10 is the volume at intensity fraction 10%, V₁₀ (IBSI BC2M).
func ivhV10(c *ivhCtx) float64 { return c.volumeAt(0.1) }

// ivhV90 is the volume at intensity fraction 90%, V₉₀ (IBSI BC2M).
func ivhV90(c *ivhCtx) float64 { return c.volumeAt(0.9) }

// ivhI10 is the intensity at volume fraction 10%, I₁₀ (IBSI GBPN).
func ivhI10(c *ivhCtx) float64 { return c.intensityAt(0.1) }

// ivhI90 is the intensity at volume fraction 90%, I₉₀ (IBSI GBPN).
func ivhI90(c *ivhCtx) float64 { return c.intensityAt(0.9) }

// ivhV10minusV90 is the volume fraction difference between intensity fractions,
// V₁₀ − V₉₀ (IBSI DDTU).
func ivhV10minusV90(c *ivhCtx) float64 { return ivhV10(c) - ivhV90(c) }

// ivhI10minusI90 is the intensity fraction difference between volume fractions,
// I₁₀ − I₉₀ (IBSI CNV2).
func ivhI10minusI90(c *ivhCtx) float64 { return ivhI10(c) - ivhI90(c) }

// IVH returns the intensity–volume histogram features (IBSI 3.5) of r.
func (r *ROI) IVH() []Feature {
	c := r.ivh()
	return emit(nil, FamilyIVH, "", ivhDefs, evalDefs(ivhDefs, c))
}
