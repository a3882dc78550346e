package region

import (
	"encoding/json"
	"testing"
)

func TestSmallCountsOfPeopleAreSuppressed(t *testing.T) {
	// 3 is hidden; so is the next smallest non-zero cell (49), or 3 = total − 52 − 49 would leak.
	check(t, suppress(map[string]int{"cittadini": 3, "terzo_settore": 52, "enti_pubblici": 49, "sindacati": 0}),
		map[string]any{"cittadini": "<5", "enti_pubblici": "<5", "sindacati": 0.0, "terzo_settore": 52.0})
	check(t, suppress(map[string]int{"a": 1, "b": 2, "c": 30}), map[string]any{"a": "<5", "b": "<5", "c": 30.0})
	for n, want := range map[int]string{0: "0", 1: "<5", 4: "<5", 5: "5", 128: "128"} {
		if s := single(n).String(); s != want {
			t.Errorf("single(%d) = %s, want %s", n, s, want)
		}
	}
}

func check(t *testing.T, got map[string]Count, want map[string]any) {
	t.Helper()
	b, _ := json.Marshal(got)
	var decoded map[string]any
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	for k, v := range want {
		if decoded[k] != v {
			t.Errorf("%s = %v, want %v (all: %s)", k, decoded[k], v, b)
		}
	}
}
