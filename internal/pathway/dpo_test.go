package pathway_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/pdftest"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/audit"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/web/webtest"
)

func dpoCode(t *testing.T, err error, want apperr.Code, what string) {
	t.Helper()
	if apperr.CodeOf(err) != want {
		t.Errorf("%s: %v, want %s", what, err, want)
	}
}

func TestDPOSubjectLookupAndExportHoldEverything(t *testing.T) {
	x := dpoNewDistrict(t)
	f := x.dpoPerson(t, "Giulietta", "Immaginaria", "MMGGLT04C55H501", "")

	// Only the DPO handles subject requests; the coordinator does case work, not this.
	_, err := x.svc.FindSubject(x.ctx, x.coordinatore, f.CF)
	dpoCode(t, err, apperr.Forbidden, "lookup as coordinatore")
	_, err = x.svc.ExportPerson(x.ctx, x.linkWorker, f.PersonID)
	dpoCode(t, err, apperr.Forbidden, "export as link worker")
	_, err = x.svc.FindSubject(x.ctx, x.dpo, "ABC")
	if e, ok := apperr.As(err); !ok || e.Code != apperr.Invalid || e.Field != "codice_fiscale" {
		t.Errorf("lookup with a bad code: %v", err)
	}
	_, err = x.svc.FindSubject(x.ctx, x.dpo, roomCF("NSSNSS90A01H501"))
	dpoCode(t, err, apperr.NotFound, "lookup of nobody")
	_, err = x.svc.ExportPerson(x.ctx, x.dpo, "not-a-uuid")
	dpoCode(t, err, apperr.NotFound, "export of a bad id")

	sub, err := x.svc.FindSubject(x.ctx, x.dpo, strings.ToLower(f.CF))
	if err != nil || sub.PersonID != f.PersonID || len(sub.Pathways) != 1 || sub.Pathways[0].ID != f.PathwayID || sub.Pathways[0].Programme != "cope" {
		t.Fatalf("lookup: %+v, %v", sub, err)
	}

	exp, err := x.svc.ExportPerson(x.ctx, x.dpo, f.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(exp)
	for _, want := range []string{f.PersonID, f.PathwayID, f.Given, f.Family, f.CF, f.Phone, f.Email, "Via dei Prova 1",
		"2004-03-15", f.Notice, `"purpose":"trattamento"`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("the export lacks %q:\n%s", want, b)
		}
	}
	if len(exp.Consents) != 1 || len(exp.Pathways) != 1 {
		t.Errorf("export: %d consents, %d pathways", len(exp.Consents), len(exp.Pathways))
	}
	var sawLookup bool
	for _, e := range exp.AuditTrail {
		sawLookup = sawLookup || (e.Subject == f.PersonID && e.ActorID == x.dpo.ID && e.Action == "read")
	}
	if !sawLookup {
		t.Errorf("the export's audit trail lacks the lookup: %+v", exp.AuditTrail)
	}

	// The export itself is in the trail.
	page, err := x.svc.AuditTrail(x.ctx, x.dpo, audit.Filter{Subject: f.PersonID, Action: "export"})
	if err != nil || page.Total != 1 {
		t.Errorf("export audited: %+v, %v", page, err)
	}
	_, err = x.svc.AuditTrail(x.ctx, x.coordinatore, audit.Filter{})
	dpoCode(t, err, apperr.Forbidden, "audit trail as coordinatore")

	var buf bytes.Buffer
	if err := pathway.ExportPDF(&buf, exp); err != nil {
		t.Fatal(err)
	}
	text, _ := pdftest.Text(t, buf.Bytes())
	for _, want := range []string{f.Given, f.Family, f.CF, f.Email, f.Notice, "Dati anagrafici", "Consensi", "Percorsi", "Registro degli accessi"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
}

func TestDPOErasureLeavesNothingReadable(t *testing.T) {
	x := dpoNewDistrict(t)
	f := x.dpoPerson(t, "Ermenegilda", "Cancellabile", "CNCRMN03D41B157", "")
	other := x.dpoPerson(t, "Restituta", "Rimanente", "RMNRST02E42B157", "")
	if _, err := x.svc.FindSubject(x.ctx, x.dpo, f.CF); err != nil { // a read before: in the trail
		t.Fatal(err)
	}
	savedName := x.dpoRaw(t, "persons", "given_name_enc", f.PersonID)
	savedNotes := x.dpoRaw(t, "pathway_meetings", "notes_enc", f.MeetingID)

	_, err := x.svc.ErasePerson(x.ctx, x.dpo, f.PersonID, pathway.ErasureInput{Reason: "  ", Reference: "prot. 123"})
	if e, ok := apperr.As(err); !ok || e.Code != apperr.Invalid || e.Field != "reason" {
		t.Errorf("erasure without a reason: %v", err)
	}
	_, err = x.svc.ErasePerson(x.ctx, x.coordinatore, f.PersonID, pathway.ErasureInput{Reason: "richiesta", Reference: "prot. 123"})
	dpoCode(t, err, apperr.Forbidden, "erasure as coordinatore")
	e, err := x.svc.ErasePerson(x.ctx, x.dpo, f.PersonID, pathway.ErasureInput{Reason: "richiesta dell'interessata", Reference: "prot. 2026/123"})
	if err != nil || e.PathwaysClosed != 1 {
		t.Fatalf("erasure: %+v, %v", e, err)
	}
	_, err = x.svc.ErasePerson(x.ctx, x.dpo, f.PersonID, pathway.ErasureInput{Reason: "ancora", Reference: "x"})
	dpoCode(t, err, apperr.NotFound, "a second erasure")

	// (a) The product reads nothing of her any more.
	_, err = x.svc.ExportPerson(x.ctx, x.dpo, f.PersonID)
	dpoCode(t, err, apperr.NotFound, "export after erasure")
	_, err = x.svc.FindSubject(x.ctx, x.dpo, f.CF)
	dpoCode(t, err, apperr.NotFound, "lookup by CF after erasure")
	sub, err := x.svc.Subject(x.ctx, x.dpo, f.PersonID)
	if err != nil || !sub.Erased || len(sub.Pathways) != 1 || sub.Pathways[0].ClosedOn == "" {
		t.Errorf("the subject after erasure: %+v, %v", sub, err)
	}
	if _, err := x.svc.ExportPerson(x.ctx, x.dpo, other.PersonID); err != nil {
		t.Errorf("another person after the erasure: %v", err)
	}

	// (b) Ciphertext saved before the erasure opens no more, with a fresh keyring.
	err = x.scope.TxFor(x.ctx, x.tenant, actor.System("dpo-test"), func(tx *tenancy.Tx) error {
		k, err := keyring.New(x.master).Session(tx)
		if err != nil {
			return err
		}
		if _, err := k.Open(f.PersonID, "given_name_enc", savedName); !keyring.IsShredded(err) {
			t.Errorf("the saved name opens: %v", err)
		}
		if _, err := k.Open(f.PersonID, "notes_enc", savedNotes); !keyring.IsShredded(err) {
			t.Errorf("the saved notes open: %v", err)
		}
		var open int
		if err := tx.Raw("SELECT count(*) FROM pathways WHERE person_id = ? AND closed_on IS NULL", f.PersonID).Row().Scan(&open); err != nil || open != 0 {
			t.Errorf("open pathways after erasure: %d, %v", open, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// (c) A fresh dump of the district holds none of it.
	dump := dpoDump(t, x)
	for _, gone := range []string{f.Given, f.Family, f.CF, f.Notes, f.Email} {
		if strings.Contains(dump, gone) {
			t.Errorf("the dump holds %q", gone)
		}
	}
	if !strings.Contains(dump, f.PersonID) {
		t.Error("the dump lacks the pseudonymous id: is it the district's?")
	}

	// (d) The trail keeps the fact under the pseudonymous id.
	page, err := x.svc.AuditTrail(x.ctx, x.dpo, audit.Filter{Subject: f.PersonID})
	if err != nil {
		t.Fatal(err)
	}
	var erase, read bool
	for _, r := range page.Items {
		erase = erase || (r.Action == "erase" && r.Detail == "prot. 2026/123")
		read = read || r.Action == "read"
	}
	if !erase || !read {
		t.Errorf("the trail after erasure: %+v", page.Items)
	}
}

// dpoDump is pg_dump of the district's schema, data only, with the server's own pg_dump.
func dpoDump(t *testing.T, x *dpoDistrict) string {
	t.Helper()
	bin := "pg_dump"
	if dir := os.Getenv("PG_BINDIR"); dir != "" {
		bin = filepath.Join(dir, "pg_dump")
	} else if found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump"); len(found) > 0 {
		sort.Strings(found)
		bin = found[len(found)-1]
	}
	schema, err := tenancy.SchemaName(dpoSlug)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--schema="+schema, "--data-only", x.url).CombinedOutput()
	if err != nil {
		t.Skipf("pg_dump unavailable: %v %s", err, out)
	}
	return string(out)
}

func TestDPORetentionAnonymisesExpiredPathways(t *testing.T) {
	x := dpoNewDistrict(t)
	today := x.now
	old := x.dpoPerson(t, "Vetusta", "Scaduta", "SCDVTS00A41B157", today.AddDate(-6, 0, 0).Format(time.DateOnly))
	recent := x.dpoPerson(t, "Novella", "Recente", "RCNNVL01B41B157", today.AddDate(-1, 0, 0).Format(time.DateOnly))

	n, err := x.svc.AnonymiseExpired(x.ctx, x.tenant)
	if err != nil || n != 1 {
		t.Fatalf("retention: %d, %v; want 1", n, err)
	}
	sub, err := x.svc.Subject(x.ctx, x.dpo, old.PersonID)
	if err != nil || !sub.Erased || !sub.Pathways[0].Anonymised {
		t.Errorf("the expired pathway's person: %+v, %v", sub, err)
	}
	sub, err = x.svc.Subject(x.ctx, x.dpo, recent.PersonID)
	if err != nil || sub.Erased || sub.Pathways[0].Anonymised {
		t.Errorf("the recent pathway's person: %+v, %v", sub, err)
	}
	if _, err := x.svc.ExportPerson(x.ctx, x.dpo, recent.PersonID); err != nil {
		t.Errorf("the recent person's export: %v", err)
	}
	dpoCode(t, func() error { _, err := x.svc.ExportPerson(x.ctx, x.dpo, old.PersonID); return err }(), apperr.NotFound, "the expired person's export")
	if n, err := x.svc.AnonymiseExpired(x.ctx, x.tenant); err != nil || n != 0 {
		t.Errorf("second run: %d, %v", n, err)
	}
	page, err := x.svc.AuditTrail(x.ctx, x.dpo, audit.Filter{Subject: old.PersonID, Action: "erase"})
	if err != nil || page.Total != 1 || page.Items[0].ActorID != "system:pathways-retention" {
		t.Errorf("the retention's erasure in the trail: %+v, %v", page, err)
	}
}

func TestDPOPageTexts(t *testing.T) {
	webtest.CheckTexts(t, webtest.Room{GoFiles: "pages*.go", MinUsed: 30}, pathway.Pages(nil))
}
