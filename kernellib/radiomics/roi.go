package radiomics

import (
	"errors"
	"fmt"
	"image"
	"math"

	"github.com/ceusrad/ceusrad/kernellib/imaging"
)

// Errors wrapped by Prepare and Extract; test with errors.Is.
var (
	// ErrEmptyMask: the mask has no voxel inside the region of interest.
	ErrEmptyMask = errors.New("radiomics: the mask is empty (no voxel inside the region of interest)")
	// ErrEmptyIntensityMask: re-segmentation or outlier filtering removed every voxel
	// of the region (IBSI 2.3, the intensity mask is empty).
	ErrEmptyIntensityMask = errors.New("radiomics: re-segmentation left no voxel in the intensity mask")
	// ErrInput: the image, the mask or the settings are not usable.
	ErrInput = errors.New("radiomics: bad input")
	// ErrROITooLarge: the bounding box of the mask (or the part of the image the local
	// intensity features read) holds more voxels than Settings.MaxROIVoxels allows
	// (16 times as many for the latter).
	ErrROITooLarge = errors.New("radiomics: region of interest too large")
)

// DefaultMaxROIVoxels is the default of Settings.MaxROIVoxels: 4,194,304 voxels (2²²;
// a 161³ box, or 2048 × 2048 pixels in 2D). Extraction needs at most about
// BytesPerROIVoxel bytes of memory per voxel of the mask's bounding box (measured by
// BenchmarkMemoryExtract3D), so about 1 GB at this limit, plus the image itself and
// the grey-level matrices (MaxGreyLevels).
const DefaultMaxROIVoxels = 1 << 22

// BytesPerROIVoxel bounds the peak memory an extraction takes per voxel of the mask's
// bounding box, every family and aggregation included (3D; 2D takes less). The largest
// part is Moran's I and Geary's C (two half spectra of the box padded to twice its size
// in each axis, about 130 bytes a voxel); the region itself takes 14, the zones of the
// GLSZM and GLDZM at most about 40, the other families less.
const BytesPerROIVoxel = 250

// MaxNeighbourDistance is the largest GLCM, NGTDM and NGLDM distance δ Settings
// accepts: an NGLDM of distance δ has (2δ+1)³ dependence counts per grey level.
const MaxNeighbourDistance = 8

// Range is an intensity interval [Min, Max], both ends included. Use math.Inf for an
// open end (IBSI 2.3 allows a re-segmentation range with one bound only).
type Range struct {
	Min, Max float64
}

// Settings are the image processing and feature settings of an extraction. The zero
// value is not usable; start from DefaultSettings.
type Settings struct {
	// Discretisation of the intensities into grey levels (IBSI 2.7).
	Discretisation Discretisation
	// Resegment, when non-nil, removes from the intensity mask every voxel whose
	// intensity lies outside the range (IBSI 2.3, "range re-segmentation"). The
	// morphological mask keeps them.
	Resegment *Range
	// OutlierSigma, when positive, removes from the intensity mask every voxel further
	// than OutlierSigma standard deviations from the mean of the region (IBSI 2.3,
	// "intensity outlier filtering", usually 3). Applied after Resegment.
	OutlierSigma float64
	// GLCMDistance is the Chebyshev distance δ between co-occurring voxels (IBSI 3.6; 1).
	GLCMDistance int
	// NGTDMDistance is the Chebyshev radius δ of the NGTDM neighbourhood (IBSI 3.10; 1).
	NGTDMDistance int
	// NGLDMDistance is the Chebyshev radius δ of the NGLDM neighbourhood and
	// NGLDMAlpha the coarseness parameter α (IBSI 3.11; 1 and 0).
	NGLDMDistance int
	NGLDMAlpha    int
	// Dims selects the aggregations computed: Dims2D gives the 2D ones only, Dims3D
	// every one (2D, 2.5D and 3D); DimsAuto (the default) is Dims2D for an image with
	// one slice and Dims3D otherwise.
	Dims Dims
	// Families restricts the extraction to the named families (Family* constants);
	// nil means every family.
	Families []string
	// MaxROIVoxels is the largest bounding box of the mask, in voxels, that Prepare
	// accepts; the local intensity features may read 16 times as many (the box grown by
	// the 1 cm³ sphere's radius, 8 bytes a voxel); 0 means DefaultMaxROIVoxels. A larger
	// region is refused with ErrROITooLarge before anything of its size is allocated,
	// rather than exhausting memory: peak memory is about BytesPerROIVoxel times the
	// limit. Raise it (ceusrad radiomics -max-roi-voxels) where the memory is there.
	MaxROIVoxels int
}

// maxROIVoxels returns the limit in effect.
func (s Settings) maxROIVoxels() int {
	if s.MaxROIVoxels == 0 {
		return DefaultMaxROIVoxels
	}
	return s.MaxROIVoxels
}

// Dims selects which IBSI aggregation methods are computed.
type Dims int

// The choices of Settings.Dims.
const (
	DimsAuto Dims = iota
	Dims2D
	Dims3D
)

// DefaultSettings returns fixed bin number discretisation with 32 bins, no
// re-segmentation, Chebyshev distance 1 for GLCM, NGTDM and NGLDM, α = 0, the
// aggregations that fit the image (DimsAuto) and every family.
func DefaultSettings() Settings {
	return Settings{
		Discretisation: Discretisation{Method: FixedBinNumber, Bins: 32},
		GLCMDistance:   1,
		NGTDMDistance:  1,
		NGLDMDistance:  1,
	}
}

// ROI is a region of interest ready for feature extraction: the bounding box of the mask
// cut out of the image, its two masks (IBSI 2.3) and the discretised grey levels (IBSI
// 2.7). Arrays are indexed x + Nx·(y + Ny·z) within the box, x fastest.
type ROI struct {
	Nx, Ny, Nz int        // size of the bounding box of the mask
	Origin     [3]int     // position of the box's first voxel in the image
	Spacing    [3]float64 // voxel size in mm (x, y, z)
	X          []float64  // intensities
	Morph      []bool     // morphological mask: the mask as given
	Int        []bool     // intensity mask: Morph after re-segmentation and outlier filtering
	Level      []int32    // grey level 1..Ng inside Int, 0 elsewhere
	Ng         int        // number of grey levels
	// LevelValue[i-1] is the intensity that grey level i stands for in the
	// intensity–volume histogram (IBSI 3.5): the level itself for Identity and
	// FixedBinNumber, the bin centre for FixedBinSize.
	LevelValue []float64
	// Overlay is the number of voxels of the morphological mask left out of the
	// intensity mask as a burned-in coloured overlay (PrepareExcluding).
	Overlay int

	method    Method
	maxVox    int // Settings.MaxROIVoxels in effect when prepared
	img       *imaging.Volume
	zoneCache map[int][]zone // zones by slice (−1: the volume), see ROI.zones // the whole image, for local intensity features
}

// FromImage converts a grey image (imaging.ReadImage: *image.Gray, *image.Gray16, or any
// image, converted to luma) into a one-slice volume with pixel size dx × dy mm, for
// 2D B-mode radiomics. Sample values are kept: 0..255 for 8-bit, 0..65535 for 16-bit
// images.
func FromImage(img image.Image, dx, dy float64) (*imaging.Volume, error) {
	if img == nil {
		return nil, fmt.Errorf("%w: FromImage: nil image", ErrInput)
	}
	if !(dx > 0) || !(dy > 0) || math.IsInf(dx, 0) || math.IsInf(dy, 0) {
		return nil, fmt.Errorf("%w: FromImage: pixel size %g × %g mm: want positive finite values", ErrInput, dx, dy)
	}
	b := img.Bounds()
	v := &imaging.Volume{Nx: b.Dx(), Ny: b.Dy(), Nz: 1, Spacing: [3]float64{dx, dy, 1}, Data: make([]float64, b.Dx()*b.Dy())}
	switch g := img.(type) {
	case *image.Gray:
		for y := 0; y < v.Ny; y++ {
			row := g.Pix[(y+b.Min.Y-g.Rect.Min.Y)*g.Stride+(b.Min.X-g.Rect.Min.X):]
			for x := 0; x < v.Nx; x++ {
				v.Data[y*v.Nx+x] = float64(row[x])
			}
		}
	case *image.Gray16:
		for y := 0; y < v.Ny; y++ {
			for x := 0; x < v.Nx; x++ {
				v.Data[y*v.Nx+x] = float64(g.Gray16At(b.Min.X+x, b.Min.Y+y).Y)
			}
		}
	default:
		gi := imaging.ToGray(img)
		if _, ok := gi.(*image.Gray); !ok {
			if _, ok16 := gi.(*image.Gray16); !ok16 {
				return nil, fmt.Errorf("%w: FromImage: %T is not convertible to grey", ErrInput, img)
			}
		}
		return FromImage(gi, dx, dy)
	}
	return v, nil
}

// Prepare checks the image and the mask, cuts out the mask's bounding box, builds the
// intensity mask (range re-segmentation, then outlier filtering; IBSI 2.3) and
// discretises the intensities (IBSI 2.7). The mask must have the image's size. An empty
// mask is ErrEmptyMask; an intensity mask emptied by re-segmentation is
// ErrEmptyIntensityMask; a non-finite intensity inside the mask, a bad spacing or bad
// settings wrap ErrInput.
func Prepare(img *imaging.Volume, mask *imaging.Mask, s Settings) (*ROI, error) {
	return PrepareExcluding(img, mask, nil, s)
}

// PrepareExcluding is Prepare with the voxels of exclude (the image's burned-in
// coloured overlay, imaging.ReadImageOverlay; nil: none) left out of the intensity
// mask before re-segmentation, as IBSI 2.3 leaves out voxels of unwanted intensity:
// the morphological mask, and so the shape features, keep them, while the intensity,
// histogram and texture features do not see them. ROI.Overlay counts them. exclude
// must have the image's size. A region the overlay covers entirely is
// ErrEmptyIntensityMask.
func PrepareExcluding(img *imaging.Volume, mask, exclude *imaging.Mask, s Settings) (*ROI, error) {
	if img == nil || mask == nil {
		return nil, fmt.Errorf("%w: nil image or mask", ErrInput)
	}
	if img.Nx <= 0 || img.Ny <= 0 || img.Nz <= 0 || len(img.Data) != img.Nx*img.Ny*img.Nz {
		return nil, fmt.Errorf("%w: image of %d×%d×%d voxels holds %d values", ErrInput, img.Nx, img.Ny, img.Nz, len(img.Data))
	}
	if mask.Width != img.Nx || mask.Height != img.Ny || mask.Depth != img.Nz || len(mask.Data) != len(img.Data) {
		return nil, fmt.Errorf("%w: mask is %d×%d×%d, image is %d×%d×%d: want the same size", ErrInput,
			mask.Width, mask.Height, mask.Depth, img.Nx, img.Ny, img.Nz)
	}
	for i, d := range img.Spacing {
		if i == 2 && img.Nz == 1 {
			continue
		}
		if !(d > 0) || math.IsInf(d, 0) {
			return nil, fmt.Errorf("%w: voxel spacing %v mm: want positive finite values", ErrInput, img.Spacing)
		}
	}
	if exclude != nil && (exclude.Width != img.Nx || exclude.Height != img.Ny || exclude.Depth != img.Nz || len(exclude.Data) != len(img.Data)) {
		return nil, fmt.Errorf("%w: overlay mask is %d×%d×%d, image is %d×%d×%d: want the same size", ErrInput,
			exclude.Width, exclude.Height, exclude.Depth, img.Nx, img.Ny, img.Nz)
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	// Bounding box.
	lo := [3]int{img.Nx, img.Ny, img.Nz}
	hi := [3]int{-1, -1, -1}
	for z := 0; z < img.Nz; z++ {
		for y := 0; y < img.Ny; y++ {
			o := img.Nx * (y + img.Ny*z)
			for x := 0; x < img.Nx; x++ {
				if mask.Data[o+x] {
					p := [3]int{x, y, z}
					for k := range 3 {
						lo[k] = min(lo[k], p[k])
						hi[k] = max(hi[k], p[k])
					}
				}
			}
		}
	}
	if hi[0] < 0 {
		return nil, ErrEmptyMask
	}
	r := &ROI{Nx: hi[0] - lo[0] + 1, Ny: hi[1] - lo[1] + 1, Nz: hi[2] - lo[2] + 1, Origin: lo, Spacing: img.Spacing, img: img,
		maxVox: s.maxROIVoxels()}
	if n := r.Nx * r.Ny * r.Nz; n > r.maxVox {
		return nil, fmt.Errorf("%w: the mask's bounding box is %d×%d×%d = %d voxels, more than MaxROIVoxels = %d: "+
			"extracting every family would take about %d MB (%d bytes a voxel, most of it Moran's I and Geary's C "+
			"of the morphology family); raise Settings.MaxROIVoxels (ceusrad radiomics -max-roi-voxels) if the memory is there",
			ErrROITooLarge, r.Nx, r.Ny, r.Nz, n, r.maxVox, (int64(n)*BytesPerROIVoxel+(1<<20)-1)>>20, BytesPerROIVoxel)
	}
	if img.Nz == 1 && !(r.Spacing[2] > 0) {
		r.Spacing[2] = 1
	}
	n := r.Nx * r.Ny * r.Nz
	r.X = make([]float64, n)
	r.Morph = make([]bool, n)
	r.Int = make([]bool, n)
	for z := 0; z < r.Nz; z++ {
		for y := 0; y < r.Ny; y++ {
			src := lo[0] + img.Nx*(y+lo[1]+img.Ny*(z+lo[2]))
			dst := r.Nx * (y + r.Ny*z)
			copy(r.X[dst:dst+r.Nx], img.Data[src:src+r.Nx])
			copy(r.Morph[dst:dst+r.Nx], mask.Data[src:src+r.Nx])
		}
	}
	nIn := 0
	for i, in := range r.Morph {
		if !in {
			continue
		}
		x := r.X[i]
		px, py, pz := lo[0]+i%r.Nx, lo[1]+(i/r.Nx)%r.Ny, lo[2]+i/(r.Nx*r.Ny)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%w: intensity %g at voxel (%d, %d, %d) inside the mask: want a finite value", ErrInput,
				x, px, py, pz)
		}
		if exclude != nil && exclude.Data[px+img.Nx*(py+img.Ny*pz)] {
			r.Overlay++
			continue
		}
		if s.Resegment != nil && (x < s.Resegment.Min || x > s.Resegment.Max) {
			continue
		}
		r.Int[i] = true
		nIn++
	}
	if nIn == 0 {
		return nil, ErrEmptyIntensityMask
	}
	if s.OutlierSigma > 0 {
		var sum, sum2 float64
		for i, in := range r.Int {
			if in {
				sum += r.X[i]
			}
		}
		mu := sum / float64(nIn)
		for i, in := range r.Int {
			if in {
				sum2 += (r.X[i] - mu) * (r.X[i] - mu)
			}
		}
		sd := math.Sqrt(sum2 / float64(nIn))
		for i, in := range r.Int {
			if in && math.Abs(r.X[i]-mu) > s.OutlierSigma*sd {
				r.Int[i] = false
			}
		}
	}
	if err := r.discretise(s.Discretisation, s.Resegment); err != nil {
		return nil, err
	}
	return r, nil
}

// check validates the settings.
func (s Settings) check() error {
	if s.Resegment != nil && (math.IsNaN(s.Resegment.Min) || math.IsNaN(s.Resegment.Max) || s.Resegment.Min > s.Resegment.Max) {
		return fmt.Errorf("%w: re-segmentation range [%g, %g]: want Min ≤ Max", ErrInput, s.Resegment.Min, s.Resegment.Max)
	}
	if s.OutlierSigma < 0 || math.IsNaN(s.OutlierSigma) {
		return fmt.Errorf("%w: OutlierSigma %g: want 0 (off) or a positive number", ErrInput, s.OutlierSigma)
	}
	for _, d := range []int{s.GLCMDistance, s.NGTDMDistance, s.NGLDMDistance} {
		if d < 1 || d > MaxNeighbourDistance {
			return fmt.Errorf("%w: GLCM, NGTDM and NGLDM distances are %d, %d, %d: want 1..%d (MaxNeighbourDistance)",
				ErrInput, s.GLCMDistance, s.NGTDMDistance, s.NGLDMDistance, MaxNeighbourDistance)
		}
	}
	if s.MaxROIVoxels < 0 {
		return fmt.Errorf("%w: MaxROIVoxels %d: want 0 (DefaultMaxROIVoxels) or a positive number of voxels", ErrInput, s.MaxROIVoxels)
	}
	if s.NGLDMAlpha < 0 {
		return fmt.Errorf("%w: NGLDMAlpha %d: want ≥ 0", ErrInput, s.NGLDMAlpha)
	}
	if s.Dims < DimsAuto || s.Dims > Dims3D {
		return fmt.Errorf("%w: Dims %d: want DimsAuto, Dims2D or Dims3D", ErrInput, s.Dims)
	}
	for _, f := range s.Families {
		if !knownFamily(f) {
			return fmt.Errorf("%w: family %q: want one of %v", ErrInput, f, Families())
		}
	}
	return s.Discretisation.check()
}

// NumIntensity returns the number of voxels in the intensity mask (N_v of IBSI 3.3).
func (r *ROI) NumIntensity() int {
	n := 0
	for _, in := range r.Int {
		if in {
			n++
		}
	}
	return n
}

// NumMorph returns the number of voxels in the morphological mask.
func (r *ROI) NumMorph() int {
	n := 0
	for _, in := range r.Morph {
		if in {
			n++
		}
	}
	return n
}

// intensities returns the intensities of the intensity mask, in voxel order.
func (r *ROI) intensities() []float64 {
	v := make([]float64, 0, len(r.X))
	for i, in := range r.Int {
		if in {
			v = append(v, r.X[i])
		}
	}
	return v
}

// slice returns slice z of the ROI as a one-slice ROI sharing no memory with r.
func (r *ROI) slice(z int) *ROI {
	n := r.Nx * r.Ny
	o := n * z
	s := &ROI{Nx: r.Nx, Ny: r.Ny, Nz: 1, Origin: [3]int{r.Origin[0], r.Origin[1], r.Origin[2] + z}, Spacing: r.Spacing,
		X: r.X[o : o+n], Morph: r.Morph[o : o+n], Int: r.Int[o : o+n], Level: r.Level[o : o+n], Ng: r.Ng, LevelValue: r.LevelValue, method: r.method, maxVox: r.maxVox, img: r.img}
	return s
}
