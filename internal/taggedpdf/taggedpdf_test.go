package taggedpdf_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/ambiti/ambiti/internal/pdftest"
	"github.com/ambiti/ambiti/internal/taggedpdf"
)

func sample(rows int) []byte {
	d := taggedpdf.New(taggedpdf.Meta{Title: "Piano di Zona — Città", Author: "Ambito di Prova", Subject: "Prova",
		Header: "Ambito di Prova · Piano di Zona", Footer: "Piano di Zona 2024–2026"})
	d.Heading(1, "Gli obiettivi è più")
	d.Paragraph("Perché la qualità costa 1.500 € — “così” è… ➢ sì.", taggedpdf.Style{})
	d.Heading(2, "Area Politiche giovanili")
	d.Heading(3, "OBIETTIVO UNO")
	d.Paragraph(strings.Repeat("Testo lungo che va a capo più volte. ", 40), taggedpdf.Style{Italic: true})
	d.Table(taggedpdf.Table{RowHeaders: true, Widths: []float64{5, 7}, Rows: [][]string{
		{"Target", "Minori"}, {"Criticità", strings.Repeat("Una criticità molto lunga. ", 300)},
	}})
	t := taggedpdf.Table{Header: []string{"Periodo", "Valore", "Fonte"}, Numeric: []bool{false, true, false}}
	for i := range rows {
		t.Rows = append(t.Rows, []string{"Periodo " + strconv.Itoa(i+1), strconv.Itoa(i*10) + ",5 €", "Registro"})
	}
	d.Table(t)
	d.Paragraph("Fine.", taggedpdf.Style{Gray: true})
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// The file is well-formed as pdfcpu reads and validates it, strictly.
func TestValid(t *testing.T) {
	api.DisableConfigDir()
	for _, mode := range []int{model.ValidationRelaxed, model.ValidationStrict} {
		conf := model.NewDefaultConfiguration()
		conf.ValidationMode = mode
		ctx, err := api.ReadContext(bytes.NewReader(sample(120)), conf)
		if err != nil {
			t.Fatalf("mode %d: read: %v", mode, err)
		}
		if err := api.ValidateContext(ctx); err != nil {
			t.Errorf("mode %d: %v", mode, err)
		}
	}
}

func TestDump(t *testing.T) {
	_ = fmt.Sprint
	_ = regexp.MustCompile
	_ = types.Dict{}
	text, pages := pdftest.Text(t, sample(120))
	t.Log(pages, text[:2000])
}
