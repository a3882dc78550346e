package pathway

import (
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/line"
	"github.com/johnfercher/maroto/v2/pkg/components/page"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontfamily"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"golang.org/x/text/encoding/charmap"
)

// The export's sections, as the PDF heads them.
const (
	headPerson   = "Dati anagrafici"
	headConsents = "Consensi"
	headPathways = "Percorsi"
	headOverride = "Deroghe urgenti al consenso alla condivisione"
	headTrail    = "Registro degli accessi"
)

var pdfGray = &props.Color{Red: 90, Green: 90, Blue: 90}

// ExportPDF writes the subject access export as a readable PDF (A4): the person, the
// consents, each pathway with its records, the audit trail. Every field of the JSON export is
// printed, labelled by its name; empty ones are left out.
func ExportPDF(w io.Writer, x Export) error {
	cfg := config.NewBuilder().WithPageSize(pagesize.A4).WithLeftMargin(18).WithRightMargin(18).
		WithTopMargin(15).WithBottomMargin(15).
		WithDefaultFont(&props.Font{Family: fontfamily.Helvetica, Size: 9}).
		WithPageNumber(props.PageNumber{Pattern: "Pagina {current} di {total}", Place: props.Bottom,
			Family: fontfamily.Helvetica, Size: 8, Color: pdfGray}).
		WithTitle("Accesso ai dati personali", true).WithCreator("Ambiti", true).Build()
	m := maroto.New(cfg)
	m.AddRows(text.NewAutoRow("Accesso ai dati personali (art. 15 GDPR)", props.Text{Size: 15, Style: fontstyle.Bold, Bottom: 2}))
	m.AddRows(text.NewAutoRow(pdfSafe(x.District+" · persona "+x.Person.ID+" · prodotto il "+
		x.GeneratedAt.In(rome).Format("02/01/2006 15:04")), props.Text{Size: 9, Color: pdfGray}))
	m.AddRows(line.NewRow(6, props.Line{Thickness: 0.4}))

	pdfSection(m, headPerson)
	pdfFields(m, "", reflect.ValueOf(x.Person))

	pdfSection(m, headConsents)
	if len(x.Consents) == 0 {
		pdfNote(m, "Nessun consenso registrato.")
	}
	for i, c := range x.Consents {
		pdfSub(m, "Consenso "+strconv.Itoa(i+1))
		pdfFields(m, "", reflect.ValueOf(c))
	}

	pdfSection(m, headPathways)
	if len(x.Pathways) == 0 {
		pdfNote(m, "Nessun percorso.")
	}
	for i, d := range x.Pathways {
		pdfSub(m, fmt.Sprintf("Percorso %d: %s", i+1, d.Pathway.Programme))
		d.Person = Person{} // printed once, above
		pdfFields(m, "", reflect.ValueOf(d))
	}

	if len(x.Overrides) > 0 {
		pdfSection(m, headOverride)
		for i, o := range x.Overrides {
			pdfSub(m, "Deroga "+strconv.Itoa(i+1))
			pdfFields(m, "", reflect.ValueOf(o))
		}
	}

	pdfSection(m, headTrail)
	if len(x.AuditTrail) == 0 {
		pdfNote(m, "Nessun accesso registrato.")
	}
	for _, e := range x.AuditTrail {
		m.AddRows(text.NewAutoRow(pdfSafe(fmt.Sprintf("%s · %s [%s] (%s) · %s %s %s · richiesta %s",
			e.At.In(rome).Format("02/01/2006 15:04:05"), e.ActorName, e.ActorID, e.Roles, e.What, e.Action, e.Detail, e.RequestID)),
			props.Text{Size: 8, Top: 0.5}))
	}

	doc, err := m.Generate()
	if err != nil {
		return fmt.Errorf("pathway: build the export PDF: %w", err)
	}
	if _, err := w.Write(doc.GetBytes()); err != nil {
		return fmt.Errorf("pathway: write the export PDF: %w", err)
	}
	return nil
}

func pdfSection(m core.Maroto, title string) {
	if !m.FitlnCurrentPage(30) {
		m.AddPages(page.New())
	}
	m.AddRows(text.NewAutoRow(title, props.Text{Size: 12.5, Style: fontstyle.Bold, Top: 5, Bottom: 2}))
}

func pdfSub(m core.Maroto, title string) {
	m.AddRows(text.NewAutoRow(pdfSafe(title), props.Text{Size: 10, Style: fontstyle.Bold, Top: 3, Bottom: 1}))
}

func pdfNote(m core.Maroto, s string) {
	m.AddRows(text.NewAutoRow(s, props.Text{Style: fontstyle.Italic, Color: pdfGray}))
}

// pdfLabels are the Italian labels of the fields a reader meets first; the others print under
// their JSON name.
var pdfLabels = map[string]string{
	"id": "Identificativo", "given_name": "Nome", "family_name": "Cognome", "codice_fiscale": "Codice fiscale",
	"birth_date": "Data di nascita", "sex": "Sesso", "municipality": "Comune di residenza",
	"language": "Lingua", "contacts.phone": "Telefono", "contacts.email": "Email", "contacts.address": "Indirizzo",
	"created_at": "Registrata il", "purpose": "Finalità", "party": "Ente", "given": "Dato",
	"notice_version": "Versione dell'informativa", "recorded_at": "Registrato il", "recorded_by_name": "Registrato da",
}

// pdfFields prints every non-empty field of v (a struct, slice or value) as "label: value"
// rows, nested fields by their dotted JSON path.
func pdfFields(m core.Maroto, path string, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			pdfFields(m, path, v.Elem())
		}
		return
	case reflect.Struct:
		if t, ok := v.Interface().(time.Time); ok {
			if !t.IsZero() {
				pdfRow(m, path, t.In(rome).Format("02/01/2006 15:04"))
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			if name == "-" {
				continue
			}
			if f.Anonymous && name == "" {
				pdfFields(m, path, v.Field(i))
				continue
			}
			if name == "" {
				name = f.Name
			}
			if path != "" {
				name = path + "." + name
			}
			pdfFields(m, name, v.Field(i))
		}
		return
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // bytes: nothing a reader can read
		}
		for i := 0; i < v.Len(); i++ {
			pdfFields(m, fmt.Sprintf("%s[%d]", path, i+1), v.Index(i))
		}
		return
	case reflect.String:
		if v.String() != "" {
			pdfRow(m, path, v.String())
		}
	case reflect.Bool:
		if v.Bool() {
			pdfRow(m, path, "sì")
		} else if strings.HasSuffix(path, "given") {
			pdfRow(m, path, "no")
		}
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Int16:
		pdfRow(m, path, strconv.FormatInt(v.Int(), 10))
	}
}

func pdfRow(m core.Maroto, path, value string) {
	label := path
	if l, ok := pdfLabels[path]; ok {
		label = l
	}
	m.AddRows(row.New().Add(
		col.New(4).Add(text.New(pdfSafe(label), props.Text{Size: 8, Style: fontstyle.Bold, Color: pdfGray, Top: 0.8})),
		col.New(8).Add(text.New(pdfSafe(value), props.Text{Size: 9, Top: 0.8})),
	))
}

// pdfSafe keeps what the core fonts print (cp1252: the Italian letters, € and the typographic
// quotes); line ends become spaces and other runes "?".
func pdfSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f:
			b.WriteRune(' ')
		case r < 0x80:
			b.WriteRune(r)
		default:
			if _, ok := charmap.Windows1252.EncodeRune(r); ok {
				b.WriteRune(r)
			} else {
				b.WriteRune('?')
			}
		}
	}
	return b.String()
}
