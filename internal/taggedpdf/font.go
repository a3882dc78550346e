package taggedpdf

import (
	"fmt"
	"sync"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"
)

// The Go fonts (BSD licence, embeddable) cover the Latin alphabets with the Italian letters,
// the typographic quotes and dashes and €. They are embedded whole as CIDFontType2 fonts,
// addressed by glyph index (Identity-H), with a ToUnicode map of the glyphs used so that the
// text can be copied, searched and read aloud.

type face int

const (
	regular face = iota
	bold
	italic
	faces
)

var faceData = [faces][]byte{goregular.TTF, gobold.TTF, goitalic.TTF}

// fontInfo is a parsed font: its metrics in thousandths of an em (PDF glyph space).
type fontInfo struct {
	f         *sfnt.Font
	ttf       []byte
	name      string
	upm       float64
	ascent    float64
	descent   float64
	capHeight float64
	bbox      [4]float64
	italic    bool
}

var (
	fontsOnce sync.Once
	fontsErr  error
	fontSet   [faces]*fontInfo
)

func loadFonts() error {
	fontsOnce.Do(func() {
		for i, data := range faceData {
			fi, err := parseFont(data)
			if err != nil {
				fontsErr = err
				return
			}
			fi.italic = face(i) == italic
			fontSet[i] = fi
		}
	})
	return fontsErr
}

func parseFont(data []byte) (*fontInfo, error) {
	f, err := sfnt.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("taggedpdf: font: %w", err)
	}
	var buf sfnt.Buffer
	name, err := f.Name(&buf, sfnt.NameIDPostScript)
	if err != nil || name == "" {
		name = "GoFont"
	}
	upm := float64(f.UnitsPerEm())
	ppem := fixed.I(int(f.UnitsPerEm()))
	m, err := f.Metrics(&buf, ppem, font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("taggedpdf: font metrics: %w", err)
	}
	b, err := f.Bounds(&buf, ppem, font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("taggedpdf: font bounds: %w", err)
	}
	k := func(v fixed.Int26_6) float64 { return float64(v) / 64 * 1000 / upm }
	return &fontInfo{
		f: f, ttf: data, name: name, upm: upm,
		ascent: k(m.Ascent), descent: -k(m.Descent), capHeight: k(m.CapHeight),
		// sfnt's y axis points down.
		bbox: [4]float64{k(b.Min.X), -k(b.Max.Y), k(b.Max.X), -k(b.Min.Y)},
	}, nil
}

// usedFont is a font as one document uses it: the glyphs it printed, their widths and the
// text each stands for.
type usedFont struct {
	idx     face
	info    *fontInfo
	buf     sfnt.Buffer
	glyphs  map[rune]glyph
	byIndex map[uint16]glyph
}

type glyph struct {
	index uint16
	width float64 // thousandths of an em
	text  string
}

func newUsedFont(idx face, fi *fontInfo) *usedFont {
	return &usedFont{idx: idx, info: fi, glyphs: map[rune]glyph{}, byIndex: map[uint16]glyph{}}
}

// face is the font's number in the page resources (/F0, /F1, /F2).
func (u *usedFont) face() int { return int(u.idx) }

// lookup is the glyph of r, ok false when the font has none.
func (u *usedFont) lookup(r rune) (glyph, bool) {
	if g, ok := u.glyphs[r]; ok {
		return g, g.index != 0
	}
	gi, err := u.info.f.GlyphIndex(&u.buf, r)
	if err != nil || gi == 0 {
		u.glyphs[r] = glyph{}
		return glyph{}, false
	}
	adv, err := u.info.f.GlyphAdvance(&u.buf, gi, fixed.I(int(u.info.upm)), font.HintingNone)
	if err != nil {
		u.glyphs[r] = glyph{}
		return glyph{}, false
	}
	g := glyph{index: uint16(gi), width: float64(adv) / 64 * 1000 / u.info.upm, text: string(r)}
	u.glyphs[r] = g
	return g, true
}

// folds replaces runes the fonts lack with a close equivalent.
var folds = map[rune]string{
	'➢': "»", '➤': "»", '►': "»", '▶': "»", '→': "->", '⇒': "=>",
	'≥': ">=", '≤': "<=", '≠': "!=", '✓': "v", '✔': "v",
	'\u200b': "", '\ufeff': "", '\u00ad': "",
}

// shape turns s into the glyphs of u, folding what the font cannot show (➢ → », ă → a,
// otherwise "?") and controls to spaces.
func (u *usedFont) shape(s string) []glyph {
	out := make([]glyph, 0, len(s))
	for _, r := range s {
		if r < 0x20 || r == 0x7f || unicode.IsSpace(r) {
			r = ' '
		}
		if g, ok := u.lookup(r); ok {
			out = append(out, g)
			continue
		}
		out = append(out, u.fold(r)...)
	}
	return out
}

func (u *usedFont) fold(r rune) []glyph {
	var out []glyph
	if f, ok := folds[r]; ok {
		for _, fr := range f {
			if g, ok := u.lookup(fr); ok {
				out = append(out, g)
			}
		}
		return out
	}
	for _, d := range norm.NFD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		if g, ok := u.lookup(d); ok && d != r {
			out = append(out, g)
			continue
		}
		out = nil
		break
	}
	if len(out) == 0 {
		g, _ := u.lookup('?')
		out = []glyph{g}
	}
	return out
}

// use records glyphs as printed, for the widths and the ToUnicode map.
func (u *usedFont) use(gs []glyph) {
	for _, g := range gs {
		if _, ok := u.byIndex[g.index]; !ok {
			u.byIndex[g.index] = g
		}
	}
}

// width of glyphs at size points, in points.
func width(gs []glyph, size float64) float64 {
	var w float64
	for _, g := range gs {
		w += g.width
	}
	return w * size / 1000
}
