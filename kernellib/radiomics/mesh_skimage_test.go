package radiomics

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

type skimageMesh struct {
	Tool   string `json:"tool"`
	Mesh3D []struct {
		Shape   [3]int     `json:"shape"`
		Spacing [3]float64 `json:"spacing"`
		Mask    string     `json:"mask"`
		Voxels  int        `json:"voxels"`
		Volume  float64    `json:"volume"`
		Area    float64    `json:"area"`
		HullVol float64    `json:"hull_volume"`
		HullA   float64    `json:"hull_area"`
		Diam    float64    `json:"diameter"`
	} `json:"mesh3d"`
	Contour2D []struct {
		Shape     [2]int     `json:"shape"`
		Spacing   [2]float64 `json:"spacing"`
		Mask      string     `json:"mask"`
		Pixels    int        `json:"pixels"`
		Area      float64    `json:"area"`
		Perimeter float64    `json:"perimeter"`
	} `json:"contour2d"`
}

func maskROI(t *testing.T, nx, ny, nz int, sp [3]float64, bits string) *ROI {
	t.Helper()
	if len(bits) != nx*ny*nz {
		t.Fatalf("mask of %d values, want %d", len(bits), nx*ny*nz)
	}
	r := &ROI{Nx: nx, Ny: ny, Nz: nz, Spacing: sp, Morph: make([]bool, len(bits))}
	for i := range bits {
		r.Morph[i] = bits[i] == '1'
	}
	return r
}

// TestMeshSkimage compares the marching-cubes volume and area with scikit-image's
// Lewiner marching cubes, and the marching-squares area and perimeter with
// scikit-image's find_contours (testdata/make_mesh_skimage.py). The 2D contours follow
// the same rule on ambiguous squares and must agree to rounding; in 3D the two differ
// in the triangulation of ambiguous cubes (scikit-image adds a vertex inside some),
// by less than 0.5% on these smooth masks. The convex hull of the mesh vertices is
// compared with Qhull's (SciPy's ConvexHull) to rounding.
func TestMeshSkimage(t *testing.T) {
	b, err := os.ReadFile("testdata/mesh_skimage.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx skimageMesh
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	t.Logf("reference: %s", fx.Tool)
	for k, c := range fx.Mesh3D {
		r := maskROI(t, c.Shape[0], c.Shape[1], c.Shape[2], c.Spacing, c.Mask)
		if n := r.NumMorph(); n != c.Voxels {
			t.Fatalf("mesh %d: %d voxels, want %d", k, n, c.Voxels)
		}
		v, a := surfaceMesh(r).volumeArea()
		dv, da := v/c.Volume-1, a/c.Area-1
		t.Logf("mesh %d: volume %.3f (scikit-image %.3f, %+.2f%%), area %.3f (%.3f, %+.2f%%)", k, v, c.Volume, 100*dv, a, c.Area, 100*da)
		if math.Abs(dv) > 0.005 || math.Abs(da) > 0.005 {
			t.Errorf("mesh %d: volume or area more than 0.5%% from scikit-image", k)
		}
		// The convex hull of the mesh vertices, exactly as Qhull's.
		m := surfaceMesh(r)
		hv, ha, verts := hullMeasures(convexHull3(m.iv), r.Spacing)
		d := maxDistance(verts)
		for _, q := range [][3]float64{{hv, c.HullVol}, {ha, c.HullA}, {d, c.Diam}} {
			if math.Abs(q[0]-q[1]) > 1e-9*q[1] {
				t.Errorf("mesh %d: convex hull volume, area, diameter %.10g %.10g %.10g; Qhull %.10g %.10g %.10g", k, hv, ha, d, c.HullVol, c.HullA, c.Diam)
				break
			}
		}
	}
	for k, c := range fx.Contour2D {
		r := maskROI(t, c.Shape[0], c.Shape[1], 1, [3]float64{c.Spacing[0], c.Spacing[1], 1}, c.Mask)
		a, p := marchingSquares(r).areaPerimeter()
		a = math.Abs(a)
		if math.Abs(a-c.Area) > 1e-9*c.Area || math.Abs(p-c.Perimeter) > 1e-9*c.Perimeter {
			t.Errorf("contour %d: area %.10g perimeter %.10g, scikit-image %.10g %.10g", k, a, p, c.Area, c.Perimeter)
		}
	}
}
