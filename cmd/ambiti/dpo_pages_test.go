package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// The DPO's pages and API through the server: only the DPO opens them; bad dates are refused
// naming the field; a lookup of nobody says so.
func TestPagesOfTheDPO(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const slug = "valle-trompia"
	dpo := e.login(slug, "dpo."+slug)
	for path, want := range map[string]string{
		"/dpo/registro": "Registro degli accessi",
		"/dpo/registro?action=read&from=2026-01-01":             "Registro degli accessi",
		"/dpo/interessati":                                      "Richieste degli interessati",
		"/dpo/interessati?codice_fiscale=" + "RSSMRA80A01H501U": "Nessuna persona con questo codice fiscale",
	} {
		p := dpo.get(path)
		if p.status != http.StatusOK {
			t.Errorf("%s as dpo: %d\n%s", path, p.status, excerpt(p.body))
			continue
		}
		p.contains(t, path, want)
		if strings.Contains(p.body, "⟦") {
			t.Errorf("%s: a catalogue key is missing", path)
		}
	}
	p := dpo.get("/dpo/registro?from=2026-02-30")
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `href="#`) {
		t.Errorf("a bad date on the page: %d\n%s", p.status, excerpt(p.body))
	}
	p = dpo.get("/dpo/interessati?codice_fiscale=ABC")
	if p.status != http.StatusUnprocessableEntity {
		t.Errorf("a bad codice fiscale on the page: %d", p.status)
	}
	for _, q := range []string{"from=2026-13-01", "to=ieri", "limit=x", "limit=1000"} {
		r := dpo.get("/api/v1/audit?"+q, "Accept", "application/json")
		field := strings.Split(q, "=")[0]
		if r.status != http.StatusBadRequest && r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"`+field+`"`) {
			t.Errorf("GET /api/v1/audit?%s: %d %s", q, r.status, r.body)
		}
	}
	r := dpo.get("/api/v1/audit?limit=5", "Accept", "application/json")
	if r.status != http.StatusOK || !strings.Contains(r.body, `"total"`) || !strings.Contains(r.body, `"items"`) {
		t.Errorf("GET /api/v1/audit: %d %s", r.status, r.body)
	}
	r = dpo.post("/dpo/interessati/00000000-0000-0000-0000-000000000000/cancella", nil)
	if r.status != http.StatusUnprocessableEntity && r.status != http.StatusNotFound {
		t.Errorf("an erasure without confirmation: %d", r.status)
	}
	dpoSubjectThroughThePages(t, e, dpo)

	udp := e.login(slug, "udp."+slug)
	for _, path := range []string{"/dpo/registro", "/dpo/interessati"} {
		if p := udp.get(path); p.status != http.StatusForbidden {
			t.Errorf("%s as udp: %d, want 403", path, p.status)
		}
	}
}

// dpoSubjectThroughThePages: a person written as the product writes them, found by codice
// fiscale, exported as JSON and PDF, then erased through the form.
func dpoSubjectThroughThePages(t *testing.T, e *env, dpo *session) {
	t.Helper()
	ctx := context.Background()
	ts, err := tenancy.NewRegistry(e.db, 0).List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const cf15 = "PGNPRV05A41B157"
	cf := cf15 + string(pathway.CFControl(cf15))
	var id string
	for _, x := range ts {
		if x.Slug != "valle-trompia" {
			continue
		}
		err := tenancy.NewScope(e.db).TxFor(ctx, x, actor.System("dpo-pages-test"), func(tx *tenancy.Tx) error {
			k, err := e.app.keys.Session(tx)
			if err != nil {
				return err
			}
			if err := tx.Raw("INSERT INTO persons (created_by) VALUES ('test') RETURNING id").Row().Scan(&id); err != nil {
				return err
			}
			blind, _ := k.Blind("codice_fiscale", cf)
			name, _ := k.Seal(id, "given_name_enc", "Pagina")
			if err := tx.Exec("UPDATE persons SET cf_blind = ?, given_name_enc = ? WHERE id = ?", blind, name, id).Error; err != nil {
				return err
			}
			return tx.Exec(`INSERT INTO pathways (person_id, programme, stage, engaged_on, assigned_to)
				VALUES (?, 'cope', 'aggancio', '2026-01-10', 'lw-1')`, id).Error
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	p := dpo.get("/dpo/interessati?codice_fiscale=" + cf)
	p.contains(t, "the subject's page", id, "cope", "Esporta JSON", "Esporta PDF", "Cancella i dati")
	r := dpo.get("/api/v1/subjects/"+id+"/export.json", "Accept", "application/json")
	if r.status != http.StatusOK || !strings.Contains(r.body, `"given_name": "Pagina"`) ||
		r.header.Get("Content-Disposition") != `attachment; filename="accesso-dati-`+id+`.json"` {
		t.Errorf("export.json: %d %s %s", r.status, r.header.Get("Content-Disposition"), r.body)
	}
	r = dpo.get("/api/v1/subjects/" + id + "/export.pdf")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.body, "%PDF") {
		t.Errorf("export.pdf: %d %s", r.status, r.header.Get("Content-Type"))
	}
	form := url.Values{"reason": {"richiesta dell'interessato"}, "reference": {"prot. 7"}}
	if r := dpo.post("/dpo/interessati/"+id+"/cancella", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Confermo") {
		t.Errorf("erasure without the confirmation: %d", r.status)
	}
	form.Set("confirm", "1")
	r = dpo.post("/dpo/interessati/"+id+"/cancella", form)
	if r.status != http.StatusSeeOther || !strings.Contains(r.location, "esito=pathway_erased") {
		t.Fatalf("erasure: %d %q\n%s", r.status, r.location, excerpt(r.body))
	}
	dpo.get(r.location).contains(t, "after the erasure", "Dati cancellati", "la sua chiave è stata distrutta")
	if r := dpo.get("/api/v1/subjects/"+id+"/export.json", "Accept", "application/json"); r.status != http.StatusNotFound {
		t.Errorf("export after the erasure: %d", r.status)
	}
	if r := dpo.get("/api/v1/subjects?codice_fiscale="+cf, "Accept", "application/json"); r.status != http.StatusNotFound {
		t.Errorf("lookup after the erasure: %d", r.status)
	}
}
