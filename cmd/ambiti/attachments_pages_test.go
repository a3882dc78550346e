package main

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

// uploadPage submits the documents' page form: multipart, with the session's CSRF token.
func (s *session) uploadPage(path, name string, data []byte) page {
	s.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.WriteField("_csrf", s.csrf)
	f, _ := w.CreateFormFile("file", name)
	_, _ = f.Write(data)
	_ = w.WriteField("description", "Delibera n. 12")
	_ = w.Close()
	req, err := http.NewRequest("POST", "http://"+s.b.e.host(s.slug)+path, &b)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", "http://"+s.b.e.host(s.slug))
	res, body := s.b.do(req)
	return page{status: res.StatusCode, location: res.Header.Get("Location"), header: res.Header, body: string(body)}
}

func TestPagesAttachDocumentsAndConfirmDecisions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var p idOnly
	e.as("udp.valle-trompia", "valle-trompia").ok("POST", "/api/v1/plans", map[string]any{"title": "Piano vuoto", "start_year": 2024, "end_year": 2026}, &p)
	udp := e.login("valle-trompia", "udp.valle-trompia")
	folder := fmt.Sprintf("/allegati/plan/%d", p.ID)

	udp.get(fmt.Sprintf("/piani/%d", p.ID)).contains(t, "link from the plan", `href="`+folder+`"`)
	udp.get(folder).contains(t, "empty folder", "Documenti del piano", "Nessun documento allegato.", `enctype="multipart/form-data"`)
	if r := udp.uploadPage(folder, "relazione.docx", []byte("MZ not a document")); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("wrong type: %d", r.status)
	} else {
		r.contains(t, "refusal at the file field", `id="f-file-error"`, "Tipo di file non ammesso", "Delibera n. 12")
	}
	if r := udp.uploadPage(folder, "delibera.pdf", []byte("%PDF-1.4 delibera")); r.status != http.StatusSeeOther || r.location != folder+"?esito=attachment_added" {
		t.Fatalf("upload: %d %s", r.status, r.location)
	}
	list := udp.get(folder + "?esito=attachment_added")
	list.contains(t, "listed", "delibera.pdf", "Documento allegato.")
	m := regexp.MustCompile(`name="attachment" value="(\d+)"`).FindStringSubmatch(list.body)
	if m == nil {
		t.Fatal("no remove button")
	}
	// A cooperative does not see the plan's documents; the Assemblea reads but does not remove.
	e.login("valle-trompia", "coop.valle-trompia").get(folder).status404(t)
	ass := e.login("valle-trompia", "assemblea.valle-trompia")
	ass.get(folder).contains(t, "the Assemblea reads", "delibera.pdf")

	// Removing asks first.
	rm := url.Values{"attachment": {m[1]}}
	udp.post(folder+"/elimina", rm).contains(t, "confirm removal", "Rimuovere il documento «delibera.pdf»?")
	rm.Set("confirm", "1")
	if r := udp.post(folder+"/elimina", rm); r.status != http.StatusSeeOther {
		t.Fatalf("remove: %d", r.status)
	}
	udp.get(folder).contains(t, "removed", "Nessun documento allegato.")

	// Proposing a plan with no objectives asks first; closing asks first.
	plan := fmt.Sprintf("/piani/%d", p.ID)
	udp.post(plan+"/proponi", nil).contains(t, "confirm empty proposal", "senza obiettivi")
	if r := udp.post(plan+"/proponi", url.Values{"confirm": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("propose confirmed: %d", r.status)
	}
	act := url.Values{"delibera_number": {"7/2024"}, "delibera_date": {"2024-01-15"}, "confirm": {"1"}}
	if r := ass.post(plan+"/approva", act); r.status != http.StatusSeeOther {
		t.Fatalf("approve: %d", r.status)
	}
	ass.post(plan+"/chiudi", nil).contains(t, "confirm closing", "Chiudere il piano «Piano vuoto»?")
	if r := ass.post(plan+"/chiudi", url.Values{"confirm": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("close confirmed: %d", r.status)
	}
}

func (p page) status404(t *testing.T) {
	t.Helper()
	if p.status != http.StatusNotFound {
		t.Errorf("status %d, want 404", p.status)
	}
}
