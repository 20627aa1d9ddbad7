package imaging

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"
)

// parseMeta decodes the data set before Pixel Data (the first n bytes of r) with
// github.com/suyashkumar/dicom, element by element, using the offsets of the top-level
// elements found by scanDICOM: a panic inside the parser is turned into a
// *parsePanic naming the element it was reading, never a Go runtime error.
func parseMeta(r io.ReaderAt, scan *dcmScan) (ds dicom.Dataset, err error) {
	n := scan.pixelElem
	where := "the File Meta Information (group 0002)"
	defer func() {
		if p := recover(); p != nil {
			ds, err = dicom.Dataset{}, &parsePanic{where: where}
		}
	}()
	p, err := dicom.NewParser(io.NewSectionReader(r, 0, n), n, nil,
		dicom.SkipPixelData(), dicom.AllowUnknownSpecificCharacterSet(), dicom.AllowMissingMetaElementGroupLength())
	if err != nil {
		return ds, fmt.Errorf("DICOM parser: %w", err)
	}
	ds.Elements = append(ds.Elements, p.GetMetadata().Elements...)
	for k := 0; ; k++ {
		where = elementAt(r, scan.bo, scan.top, k)
		e, err := p.Next()
		if errors.Is(err, dicom.ErrorEndOfDICOM) || errors.Is(err, io.EOF) {
			return ds, nil
		}
		if err != nil {
			return ds, fmt.Errorf("DICOM parser, reading %s: %w", where, err)
		}
		ds.Elements = append(ds.Elements, e)
	}
}

// parsePanic reports a panic recovered inside the metadata parser.
type parsePanic struct{ where string }

func (e *parsePanic) Error() string {
	return "the DICOM parser (github.com/suyashkumar/dicom) failed while reading " + e.where
}

// elementAt names the k-th top-level element of the data set, at offset top[k].
func elementAt(r io.ReaderAt, bo binary.ByteOrder, top []int64, k int) string {
	if k >= len(top) {
		return fmt.Sprintf("data element %d of the data set", k+1)
	}
	var h [4]byte
	if _, err := r.ReadAt(h[:], top[k]); err != nil {
		return fmt.Sprintf("the data element at byte %d", top[k])
	}
	t := tag.Tag{Group: bo.Uint16(h[0:2]), Element: bo.Uint16(h[2:4])}
	return fmt.Sprintf("%s at byte %d", tagName(t), top[k])
}

// elems is a list of data elements (a data set or a sequence item).
type elems []*dicom.Element

func (es elems) find(t tag.Tag) *dicom.Element {
	for _, e := range es {
		if e != nil && e.Tag == t && e.Value != nil {
			return e
		}
	}
	return nil
}

func tagName(t tag.Tag) string {
	name := ""
	if info, err := tag.Find(t); err == nil {
		name = info.Keyword + " "
	}
	return fmt.Sprintf("%s(%04X,%04X)", name, t.Group, t.Element)
}

// ints returns the integer values of t (binary VRs or IS strings); ok is false when
// the element is absent or empty.
func (es elems) ints(t tag.Tag) (v []int, ok bool, err error) {
	e := es.find(t)
	if e == nil {
		return nil, false, nil
	}
	switch x := e.Value.GetValue().(type) {
	case []int:
		return x, len(x) > 0, nil
	case []string:
		for _, s := range x {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			n, err := strconv.Atoi(strings.TrimPrefix(s, "+"))
			if err != nil {
				return nil, false, fmt.Errorf("%s = %q: want an integer", tagName(t), s)
			}
			v = append(v, n)
		}
		return v, len(v) > 0, nil
	}
	return nil, false, fmt.Errorf("%s has a value of type %v, want integers", tagName(t), e.Value.ValueType())
}

// int1 returns the first integer value of t.
func (es elems) int1(t tag.Tag) (int, bool, error) {
	v, ok, err := es.ints(t)
	if !ok || err != nil {
		return 0, ok, err
	}
	return v[0], true, nil
}

// floats returns the numeric values of t (FD/FL, or DS/IS strings).
func (es elems) floats(t tag.Tag) (v []float64, ok bool, err error) {
	e := es.find(t)
	if e == nil {
		return nil, false, nil
	}
	switch x := e.Value.GetValue().(type) {
	case []float64:
		v = x
	case []int:
		for _, n := range x {
			v = append(v, float64(n))
		}
	case []string:
		for _, s := range x {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			f, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, false, fmt.Errorf("%s = %q: want a decimal number", tagName(t), s)
			}
			v = append(v, f)
		}
	default:
		return nil, false, fmt.Errorf("%s has a value of type %v, want numbers", tagName(t), e.Value.ValueType())
	}
	return v, len(v) > 0, nil
}

func (es elems) str(t tag.Tag) string {
	e := es.find(t)
	if e == nil {
		return ""
	}
	if s, ok := e.Value.GetValue().([]string); ok {
		return strings.TrimSpace(strings.Join(s, `\`))
	}
	return ""
}

// items returns the items of sequence t.
func (es elems) items(t tag.Tag) ([]elems, error) {
	e := es.find(t)
	if e == nil {
		return nil, nil
	}
	seq, ok := e.Value.GetValue().([]*dicom.SequenceItemValue)
	if !ok {
		return nil, fmt.Errorf("%s is not a sequence", tagName(t))
	}
	out := make([]elems, 0, len(seq))
	for _, it := range seq {
		if it == nil {
			continue
		}
		if es, ok := it.GetValue().([]*dicom.Element); ok {
			out = append(out, elems(es))
		}
	}
	return out, nil
}

// ultrasoundRegions reads the Sequence of Ultrasound Regions (0018,6011), PS3.3
// C.8.5.5.1.
func ultrasoundRegions(ds elems) ([]Region, error) {
	items, err := ds.items(tag.SequenceOfUltrasoundRegions)
	if err != nil || len(items) == 0 {
		return nil, err
	}
	var out []Region
	for i, it := range items {
		var v [6]int
		for k, t := range []tag.Tag{tag.RegionLocationMinX0, tag.RegionLocationMinY0, tag.RegionLocationMaxX1, tag.RegionLocationMaxY1, tag.PhysicalUnitsXDirection, tag.PhysicalUnitsYDirection} {
			n, ok, err := it.int1(t)
			if err != nil {
				return nil, fmt.Errorf("Sequence of Ultrasound Regions (0018,6011) item %d: %v", i+1, err)
			}
			if !ok {
				return nil, fmt.Errorf("Sequence of Ultrasound Regions (0018,6011) item %d: no %s", i+1, tagName(t))
			}
			v[k] = n
		}
		if v[2] < v[0] || v[3] < v[1] || v[0] < 0 || v[1] < 0 {
			return nil, fmt.Errorf("Sequence of Ultrasound Regions (0018,6011) item %d: region (%d,%d)-(%d,%d) has Max < Min", i+1, v[0], v[1], v[2], v[3])
		}
		r := Region{UnitsX: v[4], UnitsY: v[5]}
		r.Bounds.Min.X, r.Bounds.Min.Y, r.Bounds.Max.X, r.Bounds.Max.Y = v[0], v[1], v[2]+1, v[3]+1
		for _, f := range []struct {
			t   tag.Tag
			dst *float64
		}{{tag.PhysicalDeltaX, &r.DeltaX}, {tag.PhysicalDeltaY, &r.DeltaY}} {
			x, ok, err := it.floats(f.t)
			if err != nil {
				return nil, fmt.Errorf("Sequence of Ultrasound Regions (0018,6011) item %d: %v", i+1, err)
			}
			if !ok {
				return nil, fmt.Errorf("Sequence of Ultrasound Regions (0018,6011) item %d: no %s", i+1, tagName(f.t))
			}
			*f.dst = x[0]
		}
		for _, f := range []struct {
			t   tag.Tag
			dst *int
		}{{tag.RegionSpatialFormat, &r.SpatialFormat}, {tag.RegionDataType, &r.DataType}, {tag.RegionFlags, &r.Flags}} {
			n, _, err := it.int1(f.t)
			if err != nil {
				return nil, fmt.Errorf("Sequence of Ultrasound Regions (0018,6011) item %d: %v", i+1, err)
			}
			*f.dst = n
		}
		out = append(out, r)
	}
	return out, nil
}
