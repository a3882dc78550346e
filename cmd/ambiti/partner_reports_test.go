package main

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var reviewFormRE = regexp.MustCompile(`action="(/incarichi/\d+/rendicontazioni/\d+/esame)"`)

// A cooperative reports through the page, with its expenditure and a proposed value for the
// objective's indicator; the Ufficio di Piano asks for changes, then accepts: the value
// becomes the indicator's measurement. The plan's document downloads as PDF and ODT.
func TestPartnerReportReviewedThroughThePages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const slug = "valle-trompia"
	f := newFixture(t, e, slug)
	own := fmt.Sprintf("/incarichi/%d", f.assignment)
	coop := e.login(slug, "coop."+slug)
	udp := e.login(slug, "udp."+slug)

	if p := coop.post(own+"/rendicontazioni", url.Values{"period": {"2024"}, "expenditure": {"1.234,5x"}}); p.status != http.StatusBadRequest && p.status != http.StatusUnprocessableEntity {
		t.Errorf("a bad amount: %d, want a refusal", p.status)
	} else {
		p.contains(t, "bad amount", "Scrivere l'importo in euro")
	}
	p := coop.post(own+"/rendicontazioni", url.Values{"period": {"2024"}, "users_served": {"14"}, "expenditure": {"1.234,50"},
		"indicator_id": {fmt.Sprint(f.indicator)}, "proposed_value": {"14"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("report: %d\n%s", p.status, excerpt(p.body))
	}
	today := time.Now().UTC().Format("02/01/2006")
	coop.get("/incarichi").contains(t, "the assignment's own date", today)
	coop.get(own).contains(t, "report sent", "In attesa di esame", "N. utenti seguiti (n.): 14", "Affidata il")
	if strings.Contains(coop.get(own).body, "/esame") {
		t.Error("the cooperative is offered to review its own report")
	}

	m := reviewFormRE.FindStringSubmatch(udp.get(own).body)
	if m == nil {
		t.Fatal("the Ufficio di Piano has no review form")
	}
	if p := udp.post(m[1], url.Values{"decision": {"modifiche"}}); p.status == http.StatusSeeOther {
		t.Error("changes asked without a note")
	} else {
		p.contains(t, "changes without a note", "Indicare quali modifiche")
	}
	if p := coop.post(m[1], url.Values{"decision": {"accetta"}}); p.status != http.StatusForbidden {
		t.Errorf("the cooperative reviewing: %d, want 403", p.status)
	}
	if p := udp.post(m[1], url.Values{"decision": {"accetta"}}); p.status != http.StatusSeeOther {
		t.Fatalf("accept: %d\n%s", p.status, excerpt(p.body))
	}
	udp.get(own).contains(t, "accepted", "Accettata", "Speso (rendicontazioni accettate)")
	if r := e.as("udp."+slug, slug).do("GET", fmt.Sprintf("/api/v1/indicators/%d/measurements", f.indicator), nil); r.status != http.StatusOK ||
		!strings.Contains(string(r.body), `"source":"Cooperativa Sociale L'Aquilone"`) || !strings.Contains(string(r.body), `"period":"2024"`) {
		t.Errorf("the accepted report's measurement: %d %s", r.status, r.body)
	}

	// The cooperative attaches its report as a file; a file that is no document is refused.
	upload := strings.Replace(m[1], "/esame", "/allegati", 1)
	if p := coop.uploadPage(upload, "relazione.pdf", []byte("%PDF-1.4\n% relazione\n%%EOF\n")); p.status != http.StatusSeeOther {
		t.Fatalf("attach: %d\n%s", p.status, excerpt(p.body))
	}
	if p := coop.uploadPage(upload, "script.pdf", []byte("#!/bin/sh\necho no\n")); p.status == http.StatusSeeOther {
		t.Error("a file that is no document was attached")
	}
	udp.get(own).contains(t, "attached file", "relazione.pdf", "/api/v1/attachments/")

	for ext, head := range map[string]string{"pdf": "%PDF-", "odt": "PK"} {
		p := udp.get(fmt.Sprintf("/api/v1/plans/%d/documento.%s", f.plan, ext))
		if p.status != http.StatusOK || !strings.HasPrefix(p.body, head) || !strings.Contains(p.header.Get("Content-Disposition"), "_documento."+ext) {
			t.Errorf("documento.%s: %d %q %q", ext, p.status, p.header.Get("Content-Type"), p.header.Get("Content-Disposition"))
		}
	}
}
