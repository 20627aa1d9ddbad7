package roi_test

import (
	"fmt"

	"github.com/ceusrad/ceusrad/kernellib/roi"
)

// A triangle with vertices on pixel centres: the centres on its edges are inside, as
// in skimage.draw.polygon.
func ExampleRasterize() {
	p, err := roi.ParsePolygon("1,1 6,1 1,5")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := p.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	m, err := roi.Rasterize(p, 8, 7)
	if err != nil {
		fmt.Println(err)
		return
	}
	for y := 0; y < m.Height; y++ {
		for x := 0; x < m.Width; x++ {
			if m.At2D(x, y) {
				fmt.Print("#")
			} else {
				fmt.Print(".")
			}
		}
		fmt.Println()
	}
	fmt.Println(m.Count(), "pixels")
	// Output:
	// ........
	// .######.
	// .####...
	// .###....
	// .##.....
	// .#......
	// ........
	// 16 pixels
}

// Self-intersecting polygons are filled by the even–odd rule: the pentagon at the
// centre of a pentagram is outside.
func ExamplePolygon_Locate() {
	star := roi.Polygon{{X: 10, Y: 1}, {X: 16, Y: 19}, {X: 1, Y: 7}, {X: 19, Y: 7}, {X: 4, Y: 19}}
	fmt.Println(star.Locate(10, 10) == roi.Outside, star.Locate(10, 4) == roi.Inside, star.Locate(10, 1) == roi.OnVertex)
	// Output: true true true
}

// Bad polygons are refused with what was wrong.
func ExamplePolygon_Validate() {
	for _, s := range []string{"1,1 5,5", "1,1 5,NaN 1,5", "1,1 5;5 1,5"} {
		p, err := roi.ParsePolygon(s)
		if err == nil {
			err = p.Validate()
		}
		fmt.Println(err)
	}
	// Output:
	// roi: too few vertices: the polygon has 2 vertices; an ROI needs at least 3
	// roi: coordinate not finite: vertex 2 is (5, NaN); want finite pixel coordinates
	// roi: polygon syntax: vertex 2 "5;5": want x,y (two numbers separated by one comma, vertices separated by spaces)
}
