package strictjson

import (
	"strings"
	"testing"

	"github.com/ambiti/ambiti/internal/apperr"
)

func TestErrorsNameTheField(t *testing.T) {
	type inner struct {
		Cents int64 `json:"stanziato_cents"`
	}
	type body struct {
		Title string  `json:"title"`
		Lines []inner `json:"lines"`
	}
	for in, field := range map[string]string{
		`{"title": 3}`: "title",
		`{"lines": [{"stanziato_cents": "dieci"}]}`: "lines.stanziato_cents",
		`{"titolo": "x"}`:               "titolo",
		`{"title": "x"} {"title": "y"}`: "",
		``:                              "",
		`{"title": `:                    "",
	} {
		var b body
		err := Decode(strings.NewReader(in), &b)
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.Invalid || e.Field != field {
			t.Errorf("Decode(%q) = %v, want invalid on field %q", in, err, field)
		}
	}
	b := body{Title: "keep", Lines: []inner{{1}}}
	if err := Merge(&b, []byte(`{"lines": []}`)); err != nil || b.Title != "keep" || len(b.Lines) != 0 {
		t.Errorf("Merge: %+v %v", b, err)
	}
}
