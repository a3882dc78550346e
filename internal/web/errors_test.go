package web

import (
	"testing"

	"github.com/ambiti/ambiti/internal/apperr"
)

// A refused submission shows every refusal: in the summary, each linked to its field, and
// next to each field its own.
func TestFormShowsEveryError(t *testing.T) {
	err := apperr.Join(apperr.Invalidf("period", "Indicare il periodo", "Enter the period"),
		apperr.Invalidf("value", "Indicare il valore", "Enter the value"))
	e, _ := apperr.As(err)
	p := &Page{Lang: Italian, Form: &Form{Err: e}}
	errs := p.Errors()
	if len(errs) != 2 || errs[0].Href != "#f-period" || errs[1].Text != "Indicare il valore" {
		t.Fatalf("Errors = %+v", errs)
	}
	if p.ErrorFor("value") != "Indicare il valore" || p.ErrorFor("period") != "Indicare il periodo" || p.ErrorFor("note") != "" {
		t.Fatalf("ErrorFor: %q %q", p.ErrorFor("value"), p.ErrorFor("period"))
	}
}
