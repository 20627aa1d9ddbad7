// Package roi turns a region of interest drawn as a polygon into a mask, the way
// scikit-image's skimage.draw.polygon does (van der Walt et al., PeerJ 2014), so that
// a mask drawn with ceusrad (`ceusrad roi`, the notebook's ROI widget) and one drawn
// in Python agree pixel for pixel.
//
// Coordinates are pixels of the image as it is shown: X is the column, Y the row,
// (0, 0) is the centre of the top-left pixel, and pixel (i, j) covers
// [i−0.5, i+0.5) × [j−0.5, j+0.5) — scikit-image's convention (integers at pixel
// centres). A point clicked on a picture whose pixel corners are at integers (a
// browser canvas, say) is at (u−0.5, v−0.5) here.
//
// A pixel is inside the mask when its centre is inside the polygon or on its
// boundary (an edge or a vertex, the latter within 1e-12): Locate is a port of
// scikit-image's point_in_polygon (skimage/_shared/geometry.pyx), the ray-crossing
// test of O'Rourke, "Computational Geometry in C", 2nd ed. (1998), §7.4, which counts
// crossings of the leftward and rightward horizontal rays separately. Consequences,
// all as in scikit-image:
//
//   - a self-intersecting polygon is filled by the even–odd rule (the centre of a
//     pentagram is outside);
//   - the polygon is closed implicitly (last vertex to first); repeating the first
//     vertex at the end changes nothing;
//   - a polygon partly outside the image is clipped to it; one wholly outside gives
//     an empty mask;
//   - degenerate polygons: one vertex marks the pixel whose centre it is (none when
//     it is not on a centre); two vertices mark only the pixels at the two vertices
//     (the segment between them is traversed twice, which cancels); three or more
//     collinear vertices mark the centres on the segments.
//
// Agreement with scikit-image 0.19.3 is exact on 83 polygons (convex, concave,
// self-intersecting, partly outside, integer and half-integer vertices, degenerate):
// TestSkimageFixture, fixture made by testdata/skimage_polygon.py.
//
// RasterizeIn rasterises a polygon drawn on a crop (the Ultrasound Region of a
// dual display that the user sees) into a mask of the whole stored frame, the
// full-frame geometry of the manifest's masks (datasets/README.md); Gray gives
// the 0/255 image that imaging.WritePNG saves. `ceusrad roi` is these steps on
// a file; a drawing widget needs no others.
//
// Validate is what a user-facing tool asks of a polygon before rasterising it: at
// least three vertices, all finite. Rasterize itself accepts what scikit-image
// accepts. Errors wrap ErrTooFew, ErrNotFinite, ErrSyntax or ErrEmpty.
//
// roi sits beside imaging at the left of ceusrad's data flow: it makes
// imaging.Mask values and imports nothing else of ceusrad.
package roi
