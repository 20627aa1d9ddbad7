package roc

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// No R package with Obuchowski's clustered AUC is installed here (only pROC,
// which has none), so the reference is a direct transcription of the
// paper's formulas (Obuchowski, Biometrics 1997, 53:567–578, §2): every
// pair compared, every cluster sum formed, in O(M·N).
type obuRef struct {
	auc [2]float64
	cov [2][2]float64
}

func obuchowskiDirect(a, b []float64, truth []bool, cluster []int) obuRef {
	scores := [2][]float64{a, b}
	// Clusters in order of first appearance; m and n count their cases
	// and controls.
	var ids []int
	at := map[int]int{}
	for _, c := range cluster {
		if _, ok := at[c]; !ok {
			at[c] = len(ids)
			ids = append(ids, c)
		}
	}
	I := len(ids)
	m := make([]float64, I)
	n := make([]float64, I)
	M, N := 0.0, 0.0
	for u, c := range cluster {
		if truth[u] {
			m[at[c]]++
			M++
		} else {
			n[at[c]]++
			N++
		}
	}
	var ref obuRef
	var X, Y [2][]float64 // V10ᵢ. and V01ᵢ. per cluster
	for r := 0; r < 2; r++ {
		// DeLong's placements by their O(MN) definition, over all units.
		var cases, controls []float64
		for u, t := range truth {
			if t {
				cases = append(cases, scores[r][u])
			} else {
				controls = append(controls, scores[r][u])
			}
		}
		v10, v01 := brutePlacements(cases, controls)
		ref.auc[r] = mean(v10)
		X[r] = make([]float64, I)
		Y[r] = make([]float64, I)
		ic, ik := 0, 0
		for u, t := range truth {
			if t {
				X[r][at[cluster[u]]] += v10[ic]
				ic++
			} else {
				Y[r][at[cluster[u]]] += v01[ik]
				ik++
			}
		}
	}
	i10, i01 := 0.0, 0.0
	for i := range ids {
		if m[i] > 0 {
			i10++
		}
		if n[i] > 0 {
			i01++
		}
	}
	fI := float64(I)
	for r := 0; r < 2; r++ {
		for s := 0; s < 2; s++ {
			var s10, s01, s11rs, s11sr float64
			for i := range ids {
				xr, xs := X[r][i]-m[i]*ref.auc[r], X[s][i]-m[i]*ref.auc[s]
				yr, ys := Y[r][i]-n[i]*ref.auc[r], Y[s][i]-n[i]*ref.auc[s]
				s10 += xr * xs
				s01 += yr * ys
				s11rs += xr * ys
				s11sr += xs * yr
			}
			s10 *= i10 / ((i10 - 1) * M)
			s01 *= i01 / ((i01 - 1) * N)
			s11rs *= fI / (fI - 1)
			s11sr *= fI / (fI - 1)
			ref.cov[r][s] = s10/M + s01/N + (s11rs+s11sr)/(M*N)
		}
	}
	return ref
}

// clusteredData draws I patients with 1–4 lesions each; each lesion is a
// case with a probability that varies between patients, and its two scores
// share a patient effect (intra-cluster correlation ρ of the noise) and are
// rounded to 1 decimal, so there are ties.
func clusteredData(rng *rand.Rand, I int, rho float64) (a, b []float64, truth []bool, cluster []int) {
	for p := 0; p < I; p++ {
		lesions := 1 + rng.IntN(4)
		pCase := 0.2 + 0.6*rng.Float64()
		ua, ub := rng.NormFloat64(), rng.NormFloat64()
		for l := 0; l < lesions; l++ {
			t := rng.Float64() < pCase
			shift := 0.0
			if t {
				shift = 1
			}
			ea := math.Sqrt(rho)*ua + math.Sqrt(1-rho)*rng.NormFloat64()
			eb := math.Sqrt(rho)*(0.6*ua+0.8*ub) + math.Sqrt(1-rho)*(0.5*ea+0.866*rng.NormFloat64())
			a = append(a, math.Round((shift*1.0+ea)*10)/10)
			b = append(b, math.Round((shift*0.7+eb)*10)/10)
			truth = append(truth, t)
			cluster = append(cluster, 1000+p)
		}
	}
	return a, b, truth, cluster
}

func TestClusteredMatchesDirectFormulas(t *testing.T) {
	rng := rand.New(rand.NewPCG(1997, 567))
	for trial := 0; trial < 5; trial++ {
		a, b, truth, cluster := clusteredData(rng, 15+10*trial, 0.5)
		// Shuffle the units: the order must not matter.
		rng.Shuffle(len(a), func(i, j int) {
			a[i], a[j] = a[j], a[i]
			b[i], b[j] = b[j], b[i]
			truth[i], truth[j] = truth[j], truth[i]
			cluster[i], cluster[j] = cluster[j], cluster[i]
		})
		dir := CasesHigher
		if trial%2 == 1 {
			// ControlsHigher on negated scores is the same analysis.
			for i := range a {
				a[i], b[i] = -a[i], -b[i]
			}
			dir = ControlsHigher
		}
		c, err := NewClustered([][]float64{a, b}, truth, cluster, dir)
		if err != nil {
			t.Fatal(err)
		}
		if dir == ControlsHigher {
			for i := range a {
				a[i], b[i] = -a[i], -b[i]
			}
		}
		ref := obuchowskiDirect(a, b, truth, cluster)
		for r := 0; r < 2; r++ {
			if !closeTo(c.AUC[r], ref.auc[r]) {
				t.Errorf("trial %d: AUC %d = %.17g, direct %.17g", trial, r, c.AUC[r], ref.auc[r])
			}
			for s := 0; s < 2; s++ {
				if math.Abs(c.Cov[r][s]-ref.cov[r][s]) > 1e-12*math.Abs(ref.cov[r][r]) {
					t.Errorf("trial %d: Cov[%d][%d] = %.17g, direct %.17g", trial, r, s, c.Cov[r][s], ref.cov[r][s])
				}
			}
		}
		// The paired z-test uses the clustered covariance.
		p, err := c.Paired(0, 1, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		se := math.Sqrt(ref.cov[0][0] + ref.cov[1][1] - 2*ref.cov[0][1])
		if math.Abs(p.SE-se) > 1e-12*se || math.Abs(p.Z-(ref.auc[0]-ref.auc[1])/se) > 1e-9 {
			t.Errorf("trial %d: paired SE %.17g z %.17g, direct SE %.17g", trial, p.SE, p.Z, se)
		}
	}
}

// TestClusteredOneUnitPerClusterIsDeLong: with one lesion per patient
// I₁₀ = M and I₀₁ = N, so Obuchowski's S10 = Σ(V10 − θ)²/(M − 1) and S01 are
// DeLong's, every cluster holds only a case or only a control so S11 = 0,
// and the covariance is DeLong's exactly (to rounding); no n/(n−1) factor is
// left over.
func TestClusteredOneUnitPerClusterIsDeLong(t *testing.T) {
	a, b, truth := tiedPair(500)
	cluster := make([]string, len(truth))
	for i := range cluster {
		cluster[i] = string(rune('A'+i%26)) + string(rune('a'+i/26%26)) + string(rune('0'+i/676))
	}
	c, err := NewClustered([][]float64{a, b}, truth, cluster, CasesHigher, ControlsHigher)
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDeLong([][]float64{a, b}, truth, CasesHigher, ControlsHigher)
	if err != nil {
		t.Fatal(err)
	}
	if c.Clusters != len(truth) || c.ClustersWithCases != d.Cases || c.ClustersWithControls != d.Controls {
		t.Fatalf("clusters %d (%d with cases, %d with controls), want %d (%d, %d)", c.Clusters,
			c.ClustersWithCases, c.ClustersWithControls, len(truth), d.Cases, d.Controls)
	}
	for r := 0; r < 2; r++ {
		if c.AUC[r] != d.AUC[r] {
			t.Errorf("AUC %d = %.17g, DeLong %.17g", r, c.AUC[r], d.AUC[r])
		}
		for s := 0; s < 2; s++ {
			if !closeTo(c.Cov[r][s], d.Cov[r][s]) || !closeTo(c.S10[r][s], d.S10[r][s]) || !closeTo(c.S01[r][s], d.S01[r][s]) {
				t.Errorf("Cov[%d][%d] = %.17g, DeLong %.17g", r, s, c.Cov[r][s], d.Cov[r][s])
			}
			if c.S11[r][s] != 0 {
				t.Errorf("S11[%d][%d] = %v, want 0 with one unit per cluster", r, s, c.S11[r][s])
			}
		}
	}
}

// TestClusteredSimulation checks Obuchowski's variance against the empirical
// variance of the AUC (and of the difference of two AUCs) over 2000
// replicates of clustered data with intra-cluster correlation 0.6: the mean
// estimate must be within 12% (the empirical variance has a standard error
// of about √(2/2000) ≈ 3.2%).
func TestClusteredSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	const reps, I = 2000, 60
	rng := rand.New(rand.NewPCG(53, 578))
	var th [3][]float64
	var est, naive [3]float64
	for rep := 0; rep < reps; rep++ {
		a, b, truth, cluster := clusteredData(rng, I, 0.6)
		c, err := NewClustered([][]float64{a, b}, truth, cluster)
		if err != nil {
			t.Fatal(err)
		}
		d, err := NewDeLong([][]float64{a, b}, truth)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := c.Paired(0, 1, 0.95)
		q, _ := d.Paired(0, 1, 0.95)
		th[0] = append(th[0], c.AUC[0])
		th[1] = append(th[1], c.AUC[1])
		th[2] = append(th[2], p.Diff)
		est[0] += c.Var(0) / reps
		est[1] += c.Var(1) / reps
		est[2] += p.SE * p.SE / reps
		naive[0] += d.Var(0) / reps
		naive[1] += d.Var(1) / reps
		naive[2] += q.SE * q.SE / reps
	}
	for q, name := range []string{"AUC a", "AUC b", "difference"} {
		emp := sampleVar(th[q])
		r := est[q] / emp
		t.Logf("%s: empirical variance %.4g, Obuchowski %.4g (ratio %.3f), DeLong ignoring clusters %.4g (ratio %.3f)",
			name, emp, est[q], r, naive[q], naive[q]/emp)
		if math.Abs(r-1) > 0.12 {
			t.Errorf("%s: mean Obuchowski variance %.4g, empirical %.4g (ratio %.3f)", name, est[q], emp, r)
		}
	}
}

func TestClusteredBadInput(t *testing.T) {
	s := []float64{0.1, 0.4, 0.35, 0.8, 0.2, 0.9}
	truth := []bool{false, false, true, true, false, true}
	for _, c := range []struct {
		name    string
		cluster []int
		want    error
		msg     string
	}{
		{"length", []int{1, 1, 2}, ErrLength, "3 cluster labels for 6 units"},
		{"single", []int{7, 7, 7, 7, 7, 7}, ErrTooFew, "a single cluster"},
		{"cases in one cluster", []int{1, 2, 3, 3, 2, 3}, ErrTooFew, "1 clusters with a case and 2 with a control"},
		{"controls in one cluster", []int{1, 1, 2, 3, 1, 2}, ErrTooFew, "2 clusters with a case and 1 with a control"},
	} {
		_, err := NewClustered([][]float64{s}, truth, c.cluster)
		if !errors.Is(err, c.want) || !containsStr(err.Error(), c.msg) {
			t.Errorf("%s: error %v, want %v mentioning %q", c.name, err, c.want, c.msg)
		}
	}
	if _, err := NewClustered([][]float64{s}, truth[:5], []int{1, 2, 3, 4, 5}); !errors.Is(err, ErrLength) {
		t.Errorf("scores and truth of different lengths: %v", err)
	}
	if _, err := NewClustered[int](nil, truth, []int{1, 2, 3, 4, 5, 6}); !errors.Is(err, ErrEmpty) {
		t.Errorf("no scores: %v", err)
	}
}
