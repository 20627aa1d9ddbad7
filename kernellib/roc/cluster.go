package roc

import "fmt"

// Clustered is Obuchowski's nonparametric estimate for clustered ROC data
// (Obuchowski, Biometrics 1997, 53:567–578): several units (lesions) per
// cluster (patient), each unit a case or a control, k scores measured on
// every unit. Its DeLong holds the AUCs and their covariance matrix, so that
// CI, CILogit, TestAUC, Paired (the z-test of two correlated AUCs) and
// Pairwise work as for DeLong's estimate; Cases (M) and Controls (N) count
// units, not clusters.
//
// The AUC is the Mann–Whitney statistic over all M·N pairs of a case and a
// control, from the same cluster or not, θ = (1/MN) Σ ψ(X, Y), and the
// placements are DeLong's over all units, V10(X) = (1/N) Σ_Y ψ(X, Y) and
// V01(Y) = (1/M) Σ_X ψ(X, Y). With V10ᵢ and V01ᵢ the sums of the placements
// of the mᵢ cases and the nᵢ controls of cluster i, I clusters of which I₁₀
// hold a case and I₀₁ a control, Obuchowski's (co)variance is
//
//	S10ᵣₛ = I₁₀/((I₁₀ − 1) M) Σᵢ (V10ᵣᵢ − mᵢθᵣ)(V10ₛᵢ − mᵢθₛ)
//	S01ᵣₛ = I₀₁/((I₀₁ − 1) N) Σᵢ (V01ᵣᵢ − nᵢθᵣ)(V01ₛᵢ − nᵢθₛ)
//	S11ᵣₛ = I/(I − 1)         Σᵢ (V10ᵣᵢ − mᵢθᵣ)(V01ₛᵢ − nᵢθₛ)
//	Covᵣₛ = S10ᵣₛ/M + S01ᵣₛ/N + (S11ᵣₛ + S11ₛᵣ)/(MN),
//
// the variance of one AUC being S10/M + S01/N + 2 S11/(MN) (Obuchowski 1997,
// §2; the two-modality covariance as in her clustered-ROC software). With one
// unit per cluster, S11 = 0, S10 and S01 are DeLong's, and the whole is
// DeLong's estimate (DeLong, DeLong & Clarke-Pearson 1988) exactly.
type Clustered struct {
	// DeLong holds θ, Cov, and Obuchowski's S10 and S01 (so that, as for
	// DeLong, the first two terms of Cov are S10/M + S01/N).
	DeLong
	// S11 is the k×k matrix of the within-cluster case–control terms,
	// S11[r][s] pairing the case placements of score r with the control
	// placements of score s.
	S11 [][]float64
	// Clusters is I; ClustersWithCases I₁₀ and ClustersWithControls I₀₁.
	Clusters, ClustersWithCases, ClustersWithControls int
}

// NewClustered computes Obuchowski's clustered AUCs and covariance matrix of
// k ≥ 1 scores, scores[r][u] being score r of unit u, truth[u] true for a
// case, and cluster[u] the label of its cluster (any comparable type:
// patient IDs as strings or ints; the order of the units does not matter).
// Directions are given as for NewDeLong. It needs at least 2 clusters with a
// case and 2 with a control. O(k N log N) for the placements plus O(k² N).
func NewClustered[C comparable](scores [][]float64, truth []bool, cluster []C, dirs ...Direction) (*Clustered, error) {
	k := len(scores)
	dir, err := checkScores(scores, truth, dirs, checkInput)
	if err != nil {
		return nil, err
	}
	if len(cluster) != len(truth) {
		return nil, fmt.Errorf("%w: %d cluster labels for %d units", ErrLength, len(cluster), len(truth))
	}
	// ci[u]: the cluster of unit u, numbered in order of appearance; mc and
	// nc: the cases and controls of each cluster.
	index := map[C]int{}
	ci := make([]int, len(truth))
	var mc, nc []int
	for u, c := range cluster {
		i, ok := index[c]
		if !ok {
			i = len(mc)
			index[c] = i
			mc, nc = append(mc, 0), append(nc, 0)
		}
		ci[u] = i
		if truth[u] {
			mc[i]++
		} else {
			nc[i]++
		}
	}
	I := len(mc)
	i10, i01 := 0, 0
	for i := range mc {
		if mc[i] > 0 {
			i10++
		}
		if nc[i] > 0 {
			i01++
		}
	}
	if I < 2 {
		return nil, fmt.Errorf("%w: a single cluster, need at least 2 clusters with a case and 2 with a control", ErrTooFew)
	}
	if i10 < 2 || i01 < 2 {
		return nil, fmt.Errorf("%w: %d clusters with a case and %d with a control (of %d clusters), need at least 2 of each", ErrTooFew, i10, i01, I)
	}
	M, N := countClasses(truth)
	fM, fN := float64(M), float64(N)

	// x[r][i] = V10ᵣᵢ − mᵢθᵣ and y[r][i] = V01ᵣᵢ − nᵢθᵣ.
	auc := make([]float64, k)
	x, y := square2(k, I), square2(k, I)
	v := make([]float64, len(truth))
	for r := range scores {
		auc[r] = placements(scores[r], truth, dir[r], M, N, v)
		for u, t := range truth {
			if t {
				x[r][ci[u]] += v[u]
			} else {
				y[r][ci[u]] += v[u]
			}
		}
		for i := range mc {
			x[r][i] -= float64(mc[i]) * auc[r]
			y[r][i] -= float64(nc[i]) * auc[r]
		}
	}
	c := &Clustered{DeLong: DeLong{AUC: auc, Directions: dir, Cases: M, Controls: N,
		Cov: square(k), S10: square(k), S01: square(k)}, S11: square(k),
		Clusters: I, ClustersWithCases: i10, ClustersWithControls: i01}
	f10 := float64(i10) / (float64(i10-1) * fM)
	f01 := float64(i01) / (float64(i01-1) * fN)
	f11 := float64(I) / float64(I-1)
	for r := 0; r < k; r++ {
		for s := 0; s < k; s++ {
			c.S10[r][s] = f10 * dot(x[r], x[s])
			c.S01[r][s] = f01 * dot(y[r], y[s])
			c.S11[r][s] = f11 * dot(x[r], y[s])
		}
	}
	for r := 0; r < k; r++ {
		for s := 0; s < k; s++ {
			c.Cov[r][s] = c.S10[r][s]/fM + c.S01[r][s]/fN + (c.S11[r][s]+c.S11[s][r])/(fM*fN)
		}
	}
	return c, nil
}

// square2 returns k rows of n zeros.
func square2(k, n int) [][]float64 {
	a := make([][]float64, k)
	for r := range a {
		a[r] = make([]float64, n)
	}
	return a
}

// dot is Σ aᵢbᵢ.
func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
