package taggedpdf

import (
	"encoding/binary"
	"errors"
	"slices"
	"sort"
)

// subset returns ttf with only the outlines of the glyphs kept (and the parts of composite
// glyphs they are built from): the other glyphs stay, empty, so glyph indices — the CIDs the
// content streams use — do not change. A document embeds a few kilobytes instead of the
// whole font.
func subset(ttf []byte, keep map[uint16]bool) ([]byte, error) {
	tables, err := readTables(ttf)
	if err != nil {
		return nil, err
	}
	head, loca, glyf, maxp := tables["head"], tables["loca"], tables["glyf"], tables["maxp"]
	if len(head) < 54 || len(maxp) < 6 || loca == nil || glyf == nil {
		return nil, errors.New("taggedpdf: not a TrueType font with outlines")
	}
	long := binary.BigEndian.Uint16(head[50:]) == 1
	n := int(binary.BigEndian.Uint16(maxp[4:]))
	offset := func(i int) int {
		if long {
			return int(binary.BigEndian.Uint32(loca[4*i:]))
		}
		return 2 * int(binary.BigEndian.Uint16(loca[2*i:]))
	}
	if (long && len(loca) < 4*(n+1)) || (!long && len(loca) < 2*(n+1)) {
		return nil, errors.New("taggedpdf: short loca table")
	}
	data := func(i int) []byte {
		a, b := offset(i), offset(i+1)
		if a >= b || b > len(glyf) {
			return nil
		}
		return glyf[a:b]
	}

	// the glyphs kept, with the components of composite glyphs
	kept := map[int]bool{}
	todo := []int{0} // .notdef
	for g := range keep {
		todo = append(todo, int(g))
	}
	for len(todo) > 0 {
		g := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if g >= n || kept[g] {
			continue
		}
		kept[g] = true
		todo = append(todo, components(data(g))...)
	}

	var newGlyf []byte
	newLoca := make([]byte, 0, len(loca))
	put := func(off int) {
		if long {
			newLoca = binary.BigEndian.AppendUint32(newLoca, uint32(off))
		} else {
			newLoca = binary.BigEndian.AppendUint16(newLoca, uint16(off/2))
		}
	}
	for i := 0; i < n; i++ {
		put(len(newGlyf))
		if kept[i] {
			newGlyf = append(newGlyf, data(i)...)
			for len(newGlyf)%4 != 0 {
				newGlyf = append(newGlyf, 0)
			}
		}
	}
	put(len(newGlyf))
	tables["glyf"], tables["loca"] = newGlyf, newLoca
	// what a PDF viewer needs of a CIDFontType2 (PDF 32000-1, 9.9), plus cmap, OS/2 and post
	for tag := range tables {
		if !slices.Contains([]string{"head", "hhea", "loca", "maxp", "cvt ", "prep", "glyf", "hmtx", "fpgm", "cmap", "OS/2", "post", "name"}, tag) {
			delete(tables, tag)
		}
	}
	return writeTables(binary.BigEndian.Uint32(ttf), tables), nil
}

// components are the glyphs a composite glyph is built from.
func components(g []byte) []int {
	if len(g) < 10 || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return nil
	}
	var out []int
	for p := 10; p+4 <= len(g); {
		flags := binary.BigEndian.Uint16(g[p:])
		out = append(out, int(binary.BigEndian.Uint16(g[p+2:])))
		p += 4
		if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&0x0008 != 0: // WE_HAVE_A_SCALE
			p += 2
		case flags&0x0040 != 0: // WE_HAVE_AN_X_AND_Y_SCALE
			p += 4
		case flags&0x0080 != 0: // WE_HAVE_A_TWO_BY_TWO
			p += 8
		}
		if flags&0x0020 == 0 { // MORE_COMPONENTS
			break
		}
	}
	return out
}

func readTables(ttf []byte) (map[string][]byte, error) {
	if len(ttf) < 12 {
		return nil, errors.New("taggedpdf: short font")
	}
	num := int(binary.BigEndian.Uint16(ttf[4:]))
	if len(ttf) < 12+16*num {
		return nil, errors.New("taggedpdf: short font directory")
	}
	out := map[string][]byte{}
	for i := 0; i < num; i++ {
		rec := ttf[12+16*i:]
		off, length := int(binary.BigEndian.Uint32(rec[8:])), int(binary.BigEndian.Uint32(rec[12:]))
		if off < 0 || length < 0 || off+length > len(ttf) {
			return nil, errors.New("taggedpdf: font table out of bounds")
		}
		out[string(rec[:4])] = ttf[off : off+length]
	}
	return out, nil
}

// writeTables assembles a font file, with its checksums.
func writeTables(version uint32, tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	num := len(tags)
	es := 0
	for 1<<(es+1) <= num {
		es++
	}
	out := binary.BigEndian.AppendUint32(nil, version)
	out = binary.BigEndian.AppendUint16(out, uint16(num))
	out = binary.BigEndian.AppendUint16(out, uint16(16<<es))
	out = binary.BigEndian.AppendUint16(out, uint16(es))
	out = binary.BigEndian.AppendUint16(out, uint16(num*16-16<<es))
	dir := len(out)
	out = append(out, make([]byte, 16*num)...)
	headAt := -1
	for i, t := range tags {
		data := tables[t]
		if t == "head" {
			data = slices.Clone(data)
			binary.BigEndian.PutUint32(data[8:], 0) // checkSumAdjustment, set below
			headAt = len(out)
		}
		rec := out[dir+16*i:]
		copy(rec, t)
		binary.BigEndian.PutUint32(rec[4:], checksum(data))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(data)))
		out = append(out, data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	if headAt >= 0 {
		binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	}
	return out
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:min(i+4, len(b))])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
