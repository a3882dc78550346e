package export_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/ambiti/ambiti/internal/pdftest"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/plan/export"
)

// indicatorTexts are what both PDFs and the ODT say of the dossier's indicators: the
// direction of each, its target (a range for "intervallo") and its series period by period.
var indicatorTexts = []string{
	"Indicatore Tipo Unità Direzione Base Target",
	"N. di gruppi di preadolescenti attivati", "più alto è meglio",
	"% di preadolescenti che completano il percorso", "più basso è meglio",
	"entro l'intervallo 30–50,5", "30–50,5",
	"Serie dei valori – N. di gruppi di preadolescenti attivati",
	"Periodo Valore Fonte Nota", "2021 4 Registro primo anno", "2022 6",
	"Serie dei valori – N. di abitazioni adattate", "Nessuna misurazione registrata.",
}

// Both PDFs are tagged and show every indicator's direction and series.
func TestPDFsShowDirectionAndSeries(t *testing.T) {
	for name, write := range map[string]func(io.Writer, plan.Dossier) error{"documento": export.DocumentPDF, "esiti": export.EsitiPDF} {
		var buf bytes.Buffer
		if err := write(&buf, dossier()); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"/MarkInfo << /Marked true >>", "/StructTreeRoot", "/Lang (it-IT)", "/DisplayDocTitle true", "/Outlines", "/Tabs /S"} {
			if !bytes.Contains(buf.Bytes(), []byte(s)) {
				t.Errorf("%s: the PDF lacks %s", name, s)
			}
		}
		raw, _ := pdftest.Text(t, buf.Bytes())
		text := collapse(raw)
		for _, s := range indicatorTexts {
			if !strings.Contains(text, s) {
				t.Errorf("%s: the PDF text lacks %q", name, s)
			}
		}
	}
}

func TestODTShowsDirectionAndSeries(t *testing.T) {
	var buf bytes.Buffer
	if err := export.DocumentODT(&buf, dossier()); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name != "content.xml" {
			continue
		}
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		content := string(b)
		for _, s := range []string{"più alto è meglio", "entro l&#39;intervallo 30–50,5", "Serie dei valori – N. di gruppi di preadolescenti attivati", "primo anno", "Nessuna misurazione registrata."} {
			if !strings.Contains(content, s) {
				t.Errorf("content.xml lacks %q", s)
			}
		}
	}
}
