package pathway_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// A VMD pathway: the social and the health assessors assess their own domains, the Progetto
// Individualizzato is saved, signed by its four parties (each by whom may sign for it),
// frozen, and then replaced by a new version that supersedes it.
func TestRecVMDAssessmentsAndProject(t *testing.T) {
	d := recNew(t)
	person := d.recPerson(t, recYearsAgo(80))
	id := d.recPathway(t, person, "vmd", d.lw)

	social := pathway.Assessment{Domain: "rete_familiare", AssessedOn: recDay(-1), Level: 2,
		Needs: []string{"sollievo al caregiver"}, Notes: "La figlia assiste da sola"}
	a1, err := d.svc.AddAssessment(d.ctx, d.lw, id, social)
	recNoError(t, err)
	if a1.AssessorKind != "sociale" || a1.ID == "" {
		t.Fatalf("social assessment = %+v", a1)
	}
	health := pathway.Assessment{Domain: "autonomia", AssessedOn: recDay(0), Level: 3, Notes: "ADL 2/6"}
	_, err = d.svc.AddAssessment(d.ctx, d.lw, id, health)
	recWant(t, err, apperr.Forbidden, "")
	_, err = d.svc.AddAssessment(d.ctx, d.asst, id, health)
	recNoError(t, err)
	_, err = d.svc.AddAssessment(d.ctx, d.asst, id, social)
	recWant(t, err, apperr.Forbidden, "")
	_, err = d.svc.AddAssessment(d.ctx, d.coord, id, pathway.Assessment{Domain: "abitazione", AssessedOn: recDay(0), Level: 1})
	recNoError(t, err)

	// Health staff record neither meetings nor a project; the VMD measures no ONS4.
	_, err = d.svc.AddMeeting(d.ctx, d.asst, id, pathway.Meeting{HeldOn: recDay(0), Kind: "visita"})
	recWant(t, err, apperr.Forbidden, "")
	_, err = d.svc.AddMeeting(d.ctx, d.lw, id, pathway.Meeting{HeldOn: recDay(0), Kind: "visita", Notes: "Visita domiciliare"})
	recNoError(t, err)
	_, err = d.svc.AddONS4(d.ctx, d.lw, id, pathway.ONS4{Occasion: "baseline", MeasuredOn: recDay(0),
		LifeSatisfaction: recInt(5), Worthwhile: recInt(5), Happiness: recInt(5), Anxiety: recInt(5)})
	recWant(t, err, apperr.Conflict, "programme")

	in := pathway.ProjectInput{
		Supports:    []pathway.Support{{Kind: "assistenza domiciliare", Provider: "Cooperativa", Frequency: "3 ore a settimana", Funding: "FNA"}},
		Commitments: pathway.Commitments{Person: "Partecipa al centro diurno", Comune: "SAD", ASST: "ADI"},
	}
	_, err = d.svc.SaveProject(d.ctx, d.asst, id, in)
	recWant(t, err, apperr.Forbidden, "")
	v1, err := d.svc.SaveProject(d.ctx, d.lw, id, in)
	recNoError(t, err)
	if v1.Version != 1 || v1.Status != "bozza" || len(v1.Supports) != 1 || v1.Commitments.ASST != "ADI" {
		t.Fatalf("first save = %+v", v1)
	}
	in.Commitments.Family = "La figlia accompagna al centro"
	again, err := d.svc.SaveProject(d.ctx, d.lw, id, in)
	recNoError(t, err)
	if again.ID != v1.ID || again.Version != 1 || again.Commitments.Family == "" {
		t.Fatalf("a draft saved again is the same version: %+v", again)
	}

	// The four signatures, each by whom may give it.
	_, err = d.svc.SignProject(d.ctx, d.asst, id, v1.ID, "asst")
	recNoError(t, err)
	_, err = d.svc.SignProject(d.ctx, d.asst, id, v1.ID, "asst")
	recWant(t, err, apperr.Conflict, "party")
	_, err = d.svc.SignProject(d.ctx, d.asst, id, v1.ID, "comune")
	recWant(t, err, apperr.Forbidden, "")
	_, err = d.svc.SignProject(d.ctx, d.asst, id, v1.ID, "persona")
	recWant(t, err, apperr.Forbidden, "")
	_, err = d.svc.SignProject(d.ctx, d.lw, id, v1.ID, "process_manager")
	recWant(t, err, apperr.Forbidden, "")
	_, err = d.svc.SignProject(d.ctx, d.lw, id, v1.ID, "sindaco")
	recWant(t, err, apperr.Invalid, "party")
	_, err = d.svc.SignProject(d.ctx, d.lw, id, v1.ID, "comune")
	recNoError(t, err)
	p, err := d.svc.SignProject(d.ctx, d.lw, id, v1.ID, "persona")
	recNoError(t, err)
	if p.Status != "bozza" || len(p.Signatures) != 3 {
		t.Fatalf("three of four signatures: %+v", p)
	}
	p, err = d.svc.SignProject(d.ctx, d.coord, id, v1.ID, "process_manager")
	recNoError(t, err)
	if p.Status != "firmato" || p.SignedAt == nil || len(p.Signatures) != 4 {
		t.Fatalf("signed by all: %+v", p)
	}
	_, err = d.svc.SignProject(d.ctx, d.coord, id, v1.ID, "process_manager")
	recWant(t, err, apperr.Conflict, "")

	// The signed version is frozen, in the database too.
	var frozenErr error
	_ = d.scope.Tx(d.ctx, d.coord, func(tx *tenancy.Tx) error {
		frozenErr = tx.Exec(`UPDATE projects SET supports_enc = '\x00' WHERE id = ?`, v1.ID).Error
		return frozenErr
	})
	if db.ConstraintName(frozenErr) != "projects_frozen" {
		t.Fatalf("updating a signed project's content: %v, want the projects_frozen trigger", frozenErr)
	}
	recWant(t, pathway.RecRecordError(frozenErr, "progetto"), apperr.Conflict, "")

	// A change is a new version, which supersedes the first once signed.
	in.Supports = append(in.Supports, pathway.Support{Kind: "centro diurno", Provider: "CDI Gardone"})
	v2, err := d.svc.SaveProject(d.ctx, d.lw, id, in)
	recNoError(t, err)
	if v2.Version != 2 || v2.Status != "bozza" || v2.ID == v1.ID {
		t.Fatalf("after signing, a save makes version 2: %+v", v2)
	}
	_, err = d.svc.SignProject(d.ctx, d.asst, id, v2.ID, "asst")
	recNoError(t, err)
	_, err = d.svc.SignProject(d.ctx, d.lw, id, v2.ID, "comune")
	recNoError(t, err)
	_, err = d.svc.SignProject(d.ctx, d.lw, id, v2.ID, "persona")
	recNoError(t, err)
	_, err = d.svc.SignProject(d.ctx, d.coord, id, v2.ID, "process_manager")
	recNoError(t, err)

	full, err := d.svc.RecRecordsOf(d.ctx, d.lw, id)
	recNoError(t, err)
	if len(full.Projects) != 2 || full.Projects[0].Status != "firmato" || full.Projects[1].Status != "superato" ||
		len(full.Projects[1].Supports) != 1 || len(full.Projects[0].Supports) != 2 {
		t.Fatalf("versions = %+v", full.Projects)
	}
	if len(full.Assessments) != 3 || len(full.Meetings) != 1 || full.HealthView {
		t.Fatalf("full view: %d assessments, %d meetings, health %v", len(full.Assessments), len(full.Meetings), full.HealthView)
	}

	// Health staff see the health view: assessments and projects, not the meetings.
	hv, err := d.svc.RecRecordsOf(d.ctx, d.asst, id)
	recNoError(t, err)
	if !hv.HealthView || len(hv.Assessments) != 3 || len(hv.Projects) != 2 || hv.Meetings != nil || hv.Outcomes != nil || hv.Goals != nil {
		t.Fatalf("health view = %+v", hv)
	}
	if hv.Assessments[0].Notes == "" && hv.Assessments[1].Notes == "" {
		t.Fatalf("assessments not decrypted: %+v", hv.Assessments)
	}

	// Others: another link worker and the Assemblea do not see it.
	_, err = d.svc.RecRecordsOf(d.ctx, d.lw2, id)
	recWant(t, err, apperr.NotFound, "")
	_, err = d.svc.SignProject(d.ctx, d.lw2, id, v2.ID, "comune")
	recWant(t, err, apperr.NotFound, "")
	_, err = d.svc.AddAssessment(d.ctx, d.assemblea, id, social)
	recWant(t, err, apperr.Forbidden, "")

	// Every write and read is in the audit trail.
	for _, c := range []struct {
		what, action string
		min          int64
	}{
		{"valutazione", "create", 3}, {"progetto", "create", 2}, {"progetto", "update", 1}, {"firma", "create", 8},
		{"incontro", "create", 1}, {"valutazione", "read", 2}, {"progetto", "read", 2}, {"incontro", "read", 1},
	} {
		if n := d.recAudited(t, person, c.what, c.action); n < c.min {
			t.Errorf("audit %s/%s: %d rows, want at least %d", c.what, c.action, n, c.min)
		}
	}
	if n := d.recCount(t, `SELECT count(*) FROM pathway_events WHERE pathway_id = ? AND kind = 'signature'`, id); n != 8 {
		t.Errorf("signature events = %d, want 8", n)
	}
	if n := d.recCount(t, `SELECT count(*) FROM audit_log WHERE subject = ? AND actor_id = ? AND what = 'incontro'`, person, d.asst.ID); n != 0 {
		t.Errorf("health staff's reads audited a meeting: %d", n)
	}
}
