package export

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/ambiti/ambiti/internal/plan"
)

// Filename returns a safe download name for the dossier's export of the given kind ("xlsx",
// "csv" or "pdf"), e.g. "valle-trompia_piano-di-zona-2021-2023_esiti.pdf": lower-case ASCII
// letters, digits, "-" and "_" only, so it needs no quoting in a Content-Disposition header.
func Filename(d plan.Dossier, kind string) string {
	// "documento.pdf", "documento.odt": the Piano di Zona document itself.
	if doc, ext, ok := strings.Cut(kind, "."); ok && doc == "documento" {
		return strings.TrimSuffix(Filename(d, "txt"), ".txt") + "_documento." + slug(ext, 8)
	}
	ext := slug(kind, 8)
	if ext == "" {
		ext = "bin"
	}
	district := slug(d.District.Slug, 40)
	if district == "" {
		district = slug(d.District.Name, 40)
	}
	title := slug(d.Plan.Title, 60)
	if title == "" {
		title = "piano-di-zona"
	}
	if y := strconv.Itoa(d.Plan.StartYear); d.Plan.StartYear > 0 && !strings.Contains(title, y) {
		title += "-" + y
		if d.Plan.EndYear > d.Plan.StartYear {
			title += "-" + strconv.Itoa(d.Plan.EndYear)
		}
	}
	parts := []string{}
	if district != "" {
		parts = append(parts, district)
	}
	parts = append(parts, title)
	switch kind {
	case "pdf":
		parts = append(parts, "esiti")
	case "csv":
		parts = append(parts, "obiettivi")
	}
	return strings.Join(parts, "_") + "." + ext
}

// slug folds s to lower-case ASCII words joined by "-", at most n bytes long: accents are
// dropped ("Attività" → "attivita"), anything else that is not a letter or digit separates.
func slug(s string, n int) string {
	folded, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err != nil {
		folded = s
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(folded) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	out := b.String()
	if len(out) > n {
		out = strings.TrimRight(out[:n], "-")
	}
	return out
}
