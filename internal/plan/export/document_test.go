package export_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/ambiti/ambiti/internal/pdftest"
	"github.com/ambiti/ambiti/internal/plan/export"
)

// The Piano di Zona document: every objective's sheet as in chapter 6, the budget by source
// and year, the participation record; in Italian, titled, the region named once.
func TestDocumentPDF(t *testing.T) {
	d := dossier()
	d.District.Region = "Regione Lombardia" // as some districts store it
	d.Participation.Meetings, d.Participation.Participants = 4, 57
	d.Participation.ByType = map[string]int{"terzo_settore": 30, "cittadini": 27}
	var buf bytes.Buffer
	if err := export.DocumentPDF(&buf, d); err != nil {
		t.Fatal(err)
	}
	doc := buf.Bytes()
	for _, s := range []string{"/Lang (it-IT)", "/DisplayDocTitle true"} {
		if !bytes.Contains(doc, []byte(s)) {
			t.Errorf("the PDF lacks %s", s)
		}
	}
	raw, pages := pdftest.Text(t, doc)
	text := collapse(raw)
	t.Logf("%d pages", pages)
	for _, s := range []string{
		"Piano di Zona 2021-2023", "Ambito distrettuale Valle Trompia", "Ente capofila: Comunità Montana di Valle Trompia",
		"Triennio 2021–2023 · Regione Lombardia · versione 2",
		"Gli obiettivi della programmazione 2021-2023",
		"Area Politiche giovanili e per i minori", strings.ToUpper(title1),
		"Risorse economiche preventivate", "FNPS € 150.000 annui",
		"È in continuità con la programmazione precedente (2018-2020)?",
		"Sì – Cooperativa La Fonte; Istituti comprensivi",
		"Obiettivo innovativo.",
		"N. di gruppi di preadolescenti attivati",
		"Le risorse: budget per fonte e anno", "Fondo Nazionale Politiche Sociali", "150.000,17 €",
		"Il percorso di partecipazione", "4 incontri, 57 partecipanti.", "Terzo settore",
	} {
		if !strings.Contains(text, collapse(s)) {
			t.Errorf("PDF text lacks %q", s)
		}
	}
	if strings.Contains(text, "Regione Regione") {
		t.Error(`the PDF says "Regione Regione"`)
	}
}

func TestEsitiPDFNamesTheRegionOnce(t *testing.T) {
	for _, region := range []string{"Lombardia", "Regione Lombardia"} {
		d := dossier()
		d.District.Region = region
		var buf bytes.Buffer
		if err := export.EsitiPDF(&buf, d); err != nil {
			t.Fatal(err)
		}
		raw, _ := pdftest.Text(t, buf.Bytes())
		text := collapse(raw)
		if !strings.Contains(text, "Regione Lombardia") || strings.Contains(text, "Regione Regione") {
			t.Errorf("region %q: the heading names it wrongly", region)
		}
		if !bytes.Contains(buf.Bytes(), []byte("/Lang (it-IT)")) {
			t.Errorf("the esiti PDF has no language")
		}
	}
}

func TestDocumentODT(t *testing.T) {
	d := dossier()
	d.Objectives[0].Target = "Minori <14 anni & famiglie"
	var buf bytes.Buffer
	if err := export.DocumentODT(&buf, d); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if first := z.File[0]; first.Name != "mimetype" || first.Method != zip.Store {
		t.Fatalf("the first entry is %s (method %d), want mimetype stored", first.Name, first.Method)
	}
	files := map[string]string{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		files[f.Name] = string(b)
		if strings.HasSuffix(f.Name, ".xml") {
			dec := xml.NewDecoder(bytes.NewReader(b))
			for {
				if _, err := dec.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Fatalf("%s is not well-formed XML: %v", f.Name, err)
				}
			}
		}
	}
	if files["mimetype"] != "application/vnd.oasis.opendocument.text" {
		t.Errorf("mimetype = %q", files["mimetype"])
	}
	for name, wants := range map[string][]string{
		"meta.xml":              {"<dc:title>Piano di Zona 2021-2023</dc:title>", "<dc:language>it-IT</dc:language>"},
		"styles.xml":            {`fo:language="it"`, `style:default-outline-level="1"`},
		"META-INF/manifest.xml": {`manifest:full-path="content.xml"`},
		"content.xml": {
			`<text:h text:style-name="Heading_20_1" text:outline-level="1">Piano di Zona 2021-2023</text:h>`,
			`text:outline-level="3">` + strings.ToUpper(title1),
			"Minori &lt;14 anni &amp; famiglie",
			"<table:table-header-rows>", "Fondo Nazionale Politiche Sociali", "150.000,17 €",
			"Il percorso di partecipazione", "Nessun incontro registrato.",
		},
	} {
		for _, w := range wants {
			if !strings.Contains(files[name], w) {
				t.Errorf("%s lacks %q", name, w)
			}
		}
	}
}

func TestDocumentFilenames(t *testing.T) {
	d := dossier()
	for kind, want := range map[string]string{
		"documento.pdf": "valle-trompia_piano-di-zona-2021-2023_documento.pdf",
		"documento.odt": "valle-trompia_piano-di-zona-2021-2023_documento.odt",
	} {
		if got := export.Filename(d, kind); got != want {
			t.Errorf("Filename(%q) = %q, want %q", kind, got, want)
		}
	}
}
