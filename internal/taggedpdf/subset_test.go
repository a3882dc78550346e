package taggedpdf

import (
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// A subset keeps the outlines of the glyphs used (an accented letter built from parts too)
// and empties the others, without renumbering glyphs.
func TestSubset(t *testing.T) {
	full, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	idx := func(f *sfnt.Font, r rune) sfnt.GlyphIndex {
		gi, err := f.GlyphIndex(&buf, r)
		if err != nil || gi == 0 {
			t.Fatalf("no glyph for %q", r)
		}
		return gi
	}
	keep := map[uint16]bool{}
	for _, r := range "àÈ€" {
		keep[uint16(idx(full, r))] = true
	}
	sub, err := subset(goregular.TTF, keep)
	if err != nil {
		t.Fatal(err)
	}
	if len(sub) > len(goregular.TTF)/4 {
		t.Errorf("the subset takes %d bytes of %d", len(sub), len(goregular.TTF))
	}
	f, err := sfnt.Parse(sub)
	if err != nil {
		t.Fatalf("the subset does not parse: %v", err)
	}
	if f.NumGlyphs() != full.NumGlyphs() {
		t.Errorf("%d glyphs, want %d", f.NumGlyphs(), full.NumGlyphs())
	}
	ppem := fixed.I(int(f.UnitsPerEm()))
	for r, want := range map[rune]bool{'à': true, 'È': true, '€': true, 'z': false, 'Q': false} {
		segs, err := f.LoadGlyph(&buf, idx(f, r), ppem, nil)
		if err != nil {
			t.Fatalf("%q: %v", r, err)
		}
		if got := len(segs) > 0; got != want {
			t.Errorf("%q has an outline: %v, want %v", r, got, want)
		}
		if a, _ := f.GlyphAdvance(&buf, idx(f, r), ppem, font.HintingNone); a == 0 {
			t.Errorf("%q lost its advance", r)
		}
	}
}
