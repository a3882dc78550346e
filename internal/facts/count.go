package facts

import "strconv"

// SmallCount is the threshold under which counts of people are suppressed.
const SmallCount = 5

// suppressedText is what a suppressed count shows, wherever it is shown: "<" SmallCount.
const suppressedText = "<5"

// Count is a number of people as it leaves the platform. Under five (and above zero) it is
// shown as "<5" — in the API, the exports and the pages alike — because in a comune of 128
// residents it may point at one person. Sections store raw counts; every reader turns them
// into Counts with Suppress or SuppressOne before showing them.
type Count struct {
	N          int
	Suppressed bool
}

// Value is the count as a cell of a document: the number, or the text "<5".
func (c Count) Value() any {
	if c.Suppressed {
		return suppressedText
	}
	return c.N
}

// MarshalJSON writes the number, or the string "<5".
func (c Count) MarshalJSON() ([]byte, error) {
	if c.Suppressed {
		return []byte(`"` + suppressedText + `"`), nil
	}
	return strconv.AppendInt(nil, int64(c.N), 10), nil
}

// String renders the count for pages.
func (c Count) String() string {
	if c.Suppressed {
		return suppressedText
	}
	return strconv.Itoa(c.N)
}

func small(n int) bool { return n > 0 && n < SmallCount }

// SuppressOne suppresses a count that stands alone.
func SuppressOne(n int) Count { return Count{N: n, Suppressed: small(n)} }

// Suppress turns a group of counts of people into Counts, hiding those between 1 and 4. When
// exactly one cell of the group would be hidden, the next smallest is hidden too, so the total
// cannot give it away by subtraction (a zero stays zero: it points at nobody).
func Suppress(cells map[string]int) map[string]Count {
	out := make(map[string]Count, len(cells))
	hidden := 0
	for k, n := range cells {
		out[k] = SuppressOne(n)
		if small(n) {
			hidden++
		}
	}
	if hidden == 1 && len(cells) > 1 {
		next := ""
		for k, c := range out {
			if !c.Suppressed && c.N > 0 && (next == "" || c.N < out[next].N || c.N == out[next].N && k < next) {
				next = k
			}
		}
		if next != "" {
			c := out[next]
			c.Suppressed = true
			out[next] = c
		}
	}
	return out
}
