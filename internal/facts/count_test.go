package facts_test

import (
	"encoding/json"
	"testing"

	"github.com/ambiti/ambiti/internal/facts"
)

func TestSmallCountsOfPeopleAreSuppressed(t *testing.T) {
	// 3 is hidden; so is the next smallest non-zero cell (49), or 3 = total − 52 − 49 would leak.
	check(t, facts.Suppress(map[string]int{"cittadini": 3, "terzo_settore": 52, "enti_pubblici": 49, "sindacati": 0}),
		map[string]any{"cittadini": "<5", "enti_pubblici": "<5", "sindacati": 0.0, "terzo_settore": 52.0})
	check(t, facts.Suppress(map[string]int{"a": 1, "b": 2, "c": 30}), map[string]any{"a": "<5", "b": "<5", "c": 30.0})
	check(t, facts.Suppress(map[string]int{"a": 3}), map[string]any{"a": "<5"})
	for n, want := range map[int]string{0: "0", 1: "<5", 4: "<5", 5: "5", 128: "128"} {
		if s := facts.SuppressOne(n).String(); s != want {
			t.Errorf("SuppressOne(%d) = %s, want %s", n, s, want)
		}
	}
}

// Every output shows a count the same way: JSON, pages (String) and documents (Value).
func TestACountShowsTheSameEverywhere(t *testing.T) {
	for _, c := range []struct {
		n    int
		json string
		cell any
	}{{0, `0`, 0}, {3, `"<5"`, "<5"}, {104, `104`, 104}} {
		got := facts.SuppressOne(c.n)
		if b, _ := got.MarshalJSON(); string(b) != c.json {
			t.Errorf("JSON of %d = %s, want %s", c.n, b, c.json)
		}
		if got.Value() != c.cell {
			t.Errorf("cell of %d = %v, want %v", c.n, got.Value(), c.cell)
		}
	}
}

func check(t *testing.T, got map[string]facts.Count, want map[string]any) {
	t.Helper()
	b, _ := json.Marshal(got)
	var decoded map[string]any
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	if len(decoded) != len(want) {
		t.Errorf("%d cells, want %d (all: %s)", len(decoded), len(want), b)
	}
	for k, v := range want {
		if decoded[k] != v {
			t.Errorf("%s = %v, want %v (all: %s)", k, decoded[k], v, b)
		}
	}
}
