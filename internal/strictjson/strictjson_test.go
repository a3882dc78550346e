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

func TestNULAndInvalidUTF8AreRefusedNamingThePath(t *testing.T) {
	type line struct {
		Note string `json:"note"`
	}
	type body struct {
		Title  string            `json:"title"`
		Lines  []line            `json:"lines"`
		Counts map[string]int    `json:"counts"`
		Tags   map[string]string `json:"tags"`
		Nested struct {
			Words []string `json:"words"`
		} `json:"nested"`
	}
	for in, field := range map[string]string{
		`{"title": "a\u0000b"}`:                                                  "title",
		"{\"title\": \"caf\xff\xfe\"}":                                           "title",
		`{"lines": [{"note": "ok"}, {"note": "x\u0000"}]}`:                       "lines[1].note",
		"{\"lines\": [{\"note\": \"ok\"}, {}, {\"note\": \"\xc3\"}]}":            "lines[2].note",
		`{"counts": {"a\u0000": 1}}`:                                             "counts",
		`{"tags": {"a": "b", "c": "\u0000"}}`:                                    "tags.c",
		`{"nested": {"words": ["a", "b", "\u0000"]}, "title": "x"}`:              "nested.words[2]",
		`{"lines": [{"note": "a"}], "nested": {"words": []}, "title": "\u0000"}`: "title",
		"{\"ti\xfftle\": \"x\"}":                                                 "",
	} {
		var b body
		err := Decode(strings.NewReader(in), &b)
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.Invalid || e.Field != field {
			t.Errorf("Decode(%q) = %v, want invalid on field %q", in, err, field)
		}
	}
	// An escaped backslash before u0000 is text, not a NUL; U+FFFD itself is fine.
	var b body
	if err := Decode(strings.NewReader(`{"title": "C:\\u0000 \ufffd é"}`), &b); err != nil || b.Title != `C:\u0000 � é` {
		t.Errorf("valid text refused: %q %v", b.Title, err)
	}
	for _, s := range []string{"", "città", "\ufffd"} {
		if err := Text("q", s); err != nil {
			t.Errorf("Text(%q) = %v", s, err)
		}
	}
	for _, s := range []string{"\x00", "a\xff", "\xc3"} {
		if e, ok := apperr.As(Text("q", s)); !ok || e.Code != apperr.Invalid || e.Field != "q" {
			t.Errorf("Text(%q) = %v, want invalid on q", s, e)
		}
	}
}
