package route

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

type inner struct {
	Code string `json:"code"`
}

type sample struct {
	inner
	ID      int64          `json:"id"`
	When    time.Time      `json:"when"`
	Maybe   *float64       `json:"maybe"`
	Tags    []string       `json:"tags"`
	ByType  map[string]int `json:"by_type"`
	Secret  string         `json:"-"`
	Child   *inner         `json:"child"`
	private int
}

func TestSchemasFollowEncodingJSON(t *testing.T) {
	sc := &schemas{components: map[string]any{}}
	if ref := sc.of(sample{private: 1}); ref["$ref"] != "#/components/schemas/sample" {
		t.Fatalf("ref = %v", ref)
	}
	b, _ := json.Marshal(sc.components["sample"])
	got := string(b)
	for _, want := range []string{`"code":{"type":"string"}`, `"id":{"type":"integer"}`, `"when":{"format":"date-time","type":"string"}`,
		`"maybe":{"nullable":true,"type":"number"}`, `"tags":{"items":{"type":"string"},"type":"array"}`,
		`"by_type":{"additionalProperties":{"type":"integer"},"type":"object"}`, `"child":{"allOf":[{"$ref":"#/components/schemas/inner"}],"nullable":true}`} {
		if !strings.Contains(got, want) {
			t.Errorf("schema lacks %s:\n%s", want, got)
		}
	}
	for _, hidden := range []string{"Secret", "private", `"inner"`} {
		if strings.Contains(got, hidden) {
			t.Errorf("schema shows %s:\n%s", hidden, got)
		}
	}
}
