package cohort

import (
	"fmt"
	"strconv"
	"strings"
)

// CineRegionSpec checks a cine_region value and returns it canonical: "left" or
// "right" (the leftmost or rightmost 2D Ultrasound Region of a dual display), or a
// 0-based index into the cine's Sequence of Ultrasound Regions (0018,6011), written
// without sign or leading zeros. Case and surrounding spaces are ignored. It is the
// syntax of kernellib/imaging.ParseRegionSpec (cohort does not import imaging; a test
// in cohort/filecheck checks that both agree), which resolves the spec against the
// file when the cine is opened.
func CineRegionSpec(v string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(v))
	if s == "left" || s == "right" {
		return s, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || s == "" || strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return "", fmt.Errorf("%q: want left, right or a 0-based region index (0, 1, ...)", v)
	}
	return strconv.Itoa(n), nil
}
