package study

import (
	"strings"
	"unicode"
)

// snakeKey turns a label ("R-DLCEUS", "robustness with the CNN") into a
// results.json key in snake_case ("r_dlceus", "robustness_with_the_cnn"):
// lower-case letters and digits, every other run of characters one "_",
// none at either end. results.json writes every key in that style
// (TestResultsKeysSnakeCase).
func snakeKey(s string) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(s) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if gap && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			gap = false
			continue
		}
		gap = true
	}
	return b.String()
}
