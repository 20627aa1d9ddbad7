package imaging

import (
	"fmt"
	"image"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Dual display. Many CEUS exports show the contrast image and the low-MI tissue
// (B-mode) image side by side in one frame; the Sequence of Ultrasound Regions
// (0018,6011, DICOM PS3.3 C.8.5.5) describes each half as a region with its box
// (Region Location Min X0 … Max Y1). A region spec names one region:
//
//   - a 0-based index into the sequence, in the order of its items ("0" is the first
//     item; `ceusrad cine -info` lists the regions with these indexes);
//   - "left" or "right": the leftmost or rightmost (smallest or largest Region
//     Location Min X0) of the 2D image regions (Region Spatial Format 1); there must
//     be at least two, and those two must be side by side (their x ranges disjoint).
//
// Specs are case-insensitive and trimmed. CineOptions.Region takes a spec; OpenCine
// reads the file's regions first and crops every frame to the region's box, clipped
// to the image, before anything else sees it.

// Region specs by side.
const (
	RegionLeft  = "left"
	RegionRight = "right"
)

// RegionSelection records the region CineOptions.Region chose (CineInfo.Selected).
type RegionSelection struct {
	// Spec is the spec as given, canonical (ParseRegionSpec).
	Spec string
	// Index is the region's index in CineInfo.Regions.
	Index int
	// Box is the region's box clipped to the stored image; it equals CineInfo.Crop.
	Box image.Rectangle
	// Stored is the size of the stored (uncropped) frames.
	Stored image.Point
}

// ParseRegionSpec checks a region spec and returns it canonical: "left", "right" or a
// decimal index ≥ 0 without sign or leading zeros ("" stays "": no region).
func ParseRegionSpec(spec string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(spec))
	switch s {
	case "", RegionLeft, RegionRight:
		return s, nil
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", fmt.Errorf("region %q: want a region index (0, 1, ...), left or right", spec)
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return "", fmt.Errorf("region %q: want a region index (0, 1, ...), left or right", spec)
	}
	return strconv.Itoa(n), nil
}

// SideBySide returns the indexes of the leftmost and rightmost 2D image regions
// (Region Spatial Format 1) when there are at least two and those two lie side by side
// (disjoint x ranges): a dual display. ok is false otherwise.
func SideBySide(regions []Region) (left, right int, ok bool) {
	var idx []int
	for i, r := range regions {
		if r.SpatialFormat == 1 && !r.Bounds.Empty() {
			idx = append(idx, i)
		}
	}
	if len(idx) < 2 {
		return 0, 0, false
	}
	sort.SliceStable(idx, func(a, b int) bool { return regions[idx[a]].Bounds.Min.X < regions[idx[b]].Bounds.Min.X })
	left, right = idx[0], idx[len(idx)-1]
	if regions[left].Bounds.Max.X > regions[right].Bounds.Min.X {
		return 0, 0, false
	}
	return left, right, true
}

// SelectRegion resolves a region spec (ParseRegionSpec) against the regions of a w×h
// stored image and returns the region's index and its box clipped to the image. The
// errors list the regions, so that the caller can choose another.
func SelectRegion(regions []Region, spec string, w, h int) (int, image.Rectangle, error) {
	s, err := ParseRegionSpec(spec)
	if err != nil {
		return 0, image.Rectangle{}, err
	}
	if s == "" {
		return 0, image.Rectangle{}, fmt.Errorf("region: empty spec")
	}
	if len(regions) == 0 {
		return 0, image.Rectangle{}, fmt.Errorf("region %s: the file has no Sequence of Ultrasound Regions (0018,6011), so no region can be selected", s)
	}
	var k int
	switch s {
	case RegionLeft, RegionRight:
		l, r, ok := SideBySide(regions)
		if !ok {
			return 0, image.Rectangle{}, fmt.Errorf("region %s: needs two side-by-side 2D regions (Region Spatial Format 1); the file has %s", s, DescribeRegions(regions))
		}
		k = l
		if s == RegionRight {
			k = r
		}
	default:
		k, _ = strconv.Atoi(s)
		if k >= len(regions) {
			return 0, image.Rectangle{}, fmt.Errorf("region %s: the file has %d regions (indexes 0 to %d): %s", s, len(regions), len(regions)-1, DescribeRegions(regions))
		}
	}
	box := regions[k].Bounds.Intersect(image.Rect(0, 0, w, h))
	if box.Empty() {
		return 0, image.Rectangle{}, fmt.Errorf("region %s (index %d) has the box %v, which lies outside the %d×%d image", s, k, regions[k].Bounds, w, h)
	}
	return k, box, nil
}

// DescribeRegions lists regions for a message: "2 regions: 0 = 2D (0,0)-(16,12), 1 = ...".
func DescribeRegions(regions []Region) string {
	if len(regions) == 0 {
		return "no regions"
	}
	parts := make([]string, len(regions))
	for i, r := range regions {
		parts[i] = fmt.Sprintf("%d = %s %v", i, SpatialFormatName(r.SpatialFormat), r.Bounds)
	}
	return fmt.Sprintf("%d regions: %s", len(regions), strings.Join(parts, ", "))
}

// SpatialFormatName names a Region Spatial Format (0018,6012), PS3.3 C.8.5.5.1.1.
func SpatialFormatName(f int) string {
	switch f {
	case 0:
		return "none"
	case 1:
		return "2D"
	case 2:
		return "M-mode"
	case 3:
		return "spectral"
	case 4:
		return "waveform"
	case 5:
		return "graphics"
	}
	return "format " + strconv.Itoa(f)
}

// DataTypeName names a Region Data Type (0018,6014), PS3.3 C.8.5.5.1.2.
func DataTypeName(t int) string {
	names := map[int]string{
		0x00: "none", 0x01: "tissue", 0x02: "color flow", 0x03: "PW spectral Doppler",
		0x04: "CW spectral Doppler", 0x05: "Doppler mean trace", 0x06: "Doppler mode trace",
		0x07: "Doppler max trace", 0x08: "volume trace", 0x0A: "ECG trace",
		0x0B: "pulse trace", 0x0C: "phonocardiogram trace", 0x0D: "gray bar",
		0x0E: "color bar", 0x0F: "integrated backscatter", 0x10: "area trace",
		0x11: "d(area)/dt", 0x12: "other physiological input",
	}
	if n, ok := names[t]; ok {
		return n
	}
	return "type " + strconv.Itoa(t)
}

// UnitsName names a Physical Units X/Y Direction code (0018,6024/6026), PS3.3
// C.8.5.5.1.15.
func UnitsName(u int) string {
	names := []string{"none", "percent", "dB", "cm", "seconds", "hertz", "dB/seconds",
		"cm/sec", "cm²", "cm²/sec", "cm³", "cm³/sec", "degrees"}
	if u >= 0 && u < len(names) {
		return names[u]
	}
	return "units " + strconv.Itoa(u)
}

// regionCine is a cine cropped to a selected region; its Info records the selection.
type regionCine struct {
	Cine
	info CineInfo
}

func (c *regionCine) Info() CineInfo { return c.info }

// openRegion implements CineOptions.Region for OpenCine: the header is read once to
// find the regions and the stored size, then the cine is opened again with the
// region's box as Crop. Folders of frames and videos carry no regions and are refused.
func openRegion(path string, opt CineOptions) (Cine, error) {
	spec, err := ParseRegionSpec(opt.Region)
	if err != nil {
		return nil, fmt.Errorf("imaging: %s: CineOptions.Region: %v", path, err)
	}
	if !opt.Crop.Empty() {
		return nil, fmt.Errorf("imaging: %s: CineOptions.Region %q and CineOptions.Crop %v both given; give one", path, spec, opt.Crop)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, fmt.Errorf("imaging: %s: region %s asked for, but a folder of frames has no Ultrasound Regions; crop the frames instead", path, spec)
	}
	if videoExts[strings.ToLower(filepath.Ext(path))] {
		return nil, fmt.Errorf("imaging: %s: region %s asked for, but a video file has no Ultrasound Regions; crop the video instead", path, spec)
	}
	whole := opt
	whole.Region = ""
	c, err := OpenCine(path, whole)
	if err != nil {
		return nil, err
	}
	info := c.Info()
	c.Close()
	k, box, err := SelectRegion(info.Regions, spec, info.Width, info.Height)
	if err != nil {
		return nil, fmt.Errorf("imaging: %s: %v", path, err)
	}
	cropped := whole
	cropped.Crop = box
	c, err = OpenCine(path, cropped)
	if err != nil {
		return nil, err
	}
	ci := c.Info()
	ci.Selected = &RegionSelection{Spec: spec, Index: k, Box: box, Stored: image.Pt(info.Width, info.Height)}
	return &regionCine{Cine: c, info: ci}, nil
}

// Masks and regions. A mask drawn on a dual display is in full-frame coordinates: the
// pixels of the stored (uncropped) frame, the same as a B-mode still of the same
// geometry. MaskForCine brings such a mask into the coordinates of a cine opened with a
// region, and moves it from the other half when it was drawn there, as CEUS
// quantification software mirrors an ROI between the contrast and tissue images.

// MapMaskToRegion moves the ROI of a full-frame 2D mask from the box from to the box
// to: the pixel at from.Min + d goes to to.Min + d, so the ROI keeps its offset within
// its region. The result has the mask's size. Every ROI pixel must lie inside from and
// land inside to (and inside the mask); otherwise it is an error naming the count.
func MapMaskToRegion(m *Mask, from, to image.Rectangle) (*Mask, error) {
	if m == nil || m.Depth != 1 {
		return nil, fmt.Errorf("imaging: MapMaskToRegion: want a 2D mask")
	}
	frame := image.Rect(0, 0, m.Width, m.Height)
	out := &Mask{Width: m.Width, Height: m.Height, Depth: 1, Data: make([]bool, len(m.Data))}
	outside, lost := 0, 0
	for y := 0; y < m.Height; y++ {
		for x := 0; x < m.Width; x++ {
			if !m.Data[y*m.Width+x] {
				continue
			}
			p := image.Pt(x, y)
			if !p.In(from) {
				outside++
				continue
			}
			q := p.Sub(from.Min).Add(to.Min)
			if !q.In(to) || !q.In(frame) {
				lost++
				continue
			}
			out.Data[q.Y*m.Width+q.X] = true
		}
	}
	if outside > 0 {
		return nil, fmt.Errorf("imaging: MapMaskToRegion: %d ROI pixels lie outside the source box %v", outside, from)
	}
	if lost > 0 {
		return nil, fmt.Errorf("imaging: MapMaskToRegion: %d ROI pixels would fall outside the target box %v (source box %v)", lost, to, from)
	}
	return out, nil
}

// CropMask returns the part of a 2D mask inside box, with box.Min as its origin; box
// must lie inside the mask.
func CropMask(m *Mask, box image.Rectangle) (*Mask, error) {
	if m == nil || m.Depth != 1 {
		return nil, fmt.Errorf("imaging: CropMask: want a 2D mask")
	}
	if box.Empty() || !box.In(image.Rect(0, 0, m.Width, m.Height)) {
		return nil, fmt.Errorf("imaging: CropMask: box %v does not lie inside the %d×%d mask", box, m.Width, m.Height)
	}
	out := &Mask{Width: box.Dx(), Height: box.Dy(), Depth: 1, Data: make([]bool, box.Dx()*box.Dy())}
	for y := 0; y < box.Dy(); y++ {
		copy(out.Data[y*box.Dx():(y+1)*box.Dx()], m.Data[(box.Min.Y+y)*m.Width+box.Min.X:])
	}
	return out, nil
}

// maskBounds returns the bounding box of a 2D mask's ROI (empty when the ROI is).
func maskBounds(m *Mask) image.Rectangle {
	var r image.Rectangle
	for y := 0; y < m.Height; y++ {
		for x := 0; x < m.Width; x++ {
			if m.Data[y*m.Width+x] {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return r
}

// MaskForCine returns a mask in the coordinates of the frames of a cine opened with
// CineOptions.Region (info = its Info), from a mask given either
//
//   - in full-frame coordinates (the stored frame's size): when its ROI lies inside
//     the selected region, the mask is cropped to the region's box; when it lies inside
//     exactly one other 2D region not overlapping the selected one (the other half of a
//     dual display), it is moved into the selected region at the same offset within its
//     region (MapMaskToRegion) and then cropped; an ROI that straddles regions is an
//     error;
//   - or already in region coordinates (the size of the region's box): returned as is.
//
// Without a selected region (info.Selected nil) the mask is returned unchanged; the
// caller compares its size with the frames' as before.
func MaskForCine(m *Mask, info CineInfo) (*Mask, error) {
	sel := info.Selected
	if sel == nil || m == nil {
		return m, nil
	}
	if m.Depth != 1 {
		return nil, fmt.Errorf("imaging: a 3D mask (%d slices) for the 2D frames of %s", m.Depth, info.Path)
	}
	size := image.Pt(m.Width, m.Height)
	switch {
	case size == sel.Stored:
		roi := maskBounds(m)
		if roi.Empty() || roi.In(sel.Box) {
			return CropMask(m, sel.Box)
		}
		from := -1
		for i, r := range info.Regions {
			box := r.Bounds.Intersect(image.Rect(0, 0, sel.Stored.X, sel.Stored.Y))
			if i == sel.Index || r.SpatialFormat != 1 || box.Overlaps(sel.Box) || !roi.In(box) {
				continue
			}
			if from >= 0 {
				return nil, fmt.Errorf("imaging: the mask's ROI %v lies in regions %d and %d of %s; it cannot be moved into region %d unambiguously", roi, from, i, info.Path, sel.Index)
			}
			from = i
		}
		if from < 0 {
			return nil, fmt.Errorf("imaging: the mask's ROI %v (full-frame coordinates) is neither inside region %d %v of %s nor inside one other 2D region (%s)", roi, sel.Index, sel.Box, info.Path, DescribeRegions(info.Regions))
		}
		src := info.Regions[from].Bounds.Intersect(image.Rect(0, 0, sel.Stored.X, sel.Stored.Y))
		moved, err := MapMaskToRegion(m, src, sel.Box)
		if err != nil {
			return nil, fmt.Errorf("imaging: moving the mask from region %d to region %d of %s: %w", from, sel.Index, info.Path, err)
		}
		return CropMask(moved, sel.Box)
	case size == sel.Box.Size():
		return m, nil
	}
	return nil, fmt.Errorf("imaging: the mask is %d×%d; with region %s of %s it must be the stored frame's %d×%d (full-frame coordinates) or the region's %d×%d", m.Width, m.Height, sel.Spec, info.Path, sel.Stored.X, sel.Stored.Y, sel.Box.Dx(), sel.Box.Dy())
}
