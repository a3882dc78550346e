package pathway

import (
	"regexp"
	"strings"
)

// cfShape is a codice fiscale of a person (16 characters), omocodia included: the digits of
// the date and the place may be replaced by the letters LMNPQRSTUV when two people would
// otherwise share a code.
var cfShape = regexp.MustCompile(`^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$`)

// cfOdd is the value of a character in an odd position (1st, 3rd, …), after DM 23/12/1976.
var cfOdd = map[byte]int{
	'0': 1, '1': 0, '2': 5, '3': 7, '4': 9, '5': 13, '6': 15, '7': 17, '8': 19, '9': 21,
	'A': 1, 'B': 0, 'C': 5, 'D': 7, 'E': 9, 'F': 13, 'G': 15, 'H': 17, 'I': 19, 'J': 21,
	'K': 2, 'L': 4, 'M': 18, 'N': 20, 'O': 11, 'P': 3, 'Q': 6, 'R': 8, 'S': 12, 'T': 14,
	'U': 16, 'V': 10, 'W': 22, 'X': 25, 'Y': 24, 'Z': 23,
}

// NormalizeCF upper-cases a codice fiscale and drops spaces.
func NormalizeCF(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// ValidCF reports whether cf (normalised) has the shape and the control character of a
// person's codice fiscale.
func ValidCF(cf string) bool {
	return cfShape.MatchString(cf) && CFControl(cf[:15]) == cf[15]
}

// CFControl is the control character of the first 15 characters of a codice fiscale.
func CFControl(first15 string) byte {
	sum := 0
	for i := 0; i < 15; i++ {
		c := first15[i]
		if i%2 == 0 { // 1st, 3rd, … (odd positions counting from one)
			sum += cfOdd[c]
		} else if c >= '0' && c <= '9' {
			sum += int(c - '0')
		} else {
			sum += int(c - 'A')
		}
	}
	return byte('A' + sum%26)
}
