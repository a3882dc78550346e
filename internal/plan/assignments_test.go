package plan_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/plan"
)

func TestCooperativeSeesOnlyItsOwnAssignments(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, o := d.draft("Piano")
	aquilone, err := d.svc.CreatePartner(d.ctx, d.udp, plan.PartnerInput{Code: "laquilone", Name: "Coop. L'Aquilone", Kind: "cooperativa"})
	noError(t, err)
	ponte, err := d.svc.CreatePartner(d.ctx, d.udp, plan.PartnerInput{Code: "ilponte", Name: "Coop. Il Ponte", Kind: "cooperativa"})
	noError(t, err)
	_, err = d.svc.CreatePartner(d.ctx, d.udp, plan.PartnerInput{Code: "ilponte", Name: "Doppione", Kind: "cooperativa"})
	wantField(t, err, "code")

	own, err := d.svc.Assign(d.ctx, d.udp, o.ID, plan.AssignmentInput{PartnerID: aquilone.ID, Activity: " CDD Gardone "})
	noError(t, err)
	if own.Activity != "CDD Gardone" || own.PartnerName != aquilone.Name || own.PlanID != p.ID || own.ObjectiveTitle != o.Title {
		t.Errorf("assignment = %+v", own)
	}
	others, err := d.svc.Assign(d.ctx, d.udp, o.ID, plan.AssignmentInput{PartnerID: ponte.ID, Activity: "CSE Villa Carcina"})
	noError(t, err)
	_, err = d.svc.Assign(d.ctx, d.udp, o.ID, plan.AssignmentInput{PartnerID: 999999, Activity: "x"})
	wantField(t, err, "partner_id")
	_, err = d.svc.Assign(d.ctx, d.udp, o.ID, plan.AssignmentInput{PartnerID: ponte.ID, Activity: "  "})
	wantField(t, err, "activity")
	_, err = d.svc.Propose(d.ctx, d.udp, p.ID, "")
	noError(t, err)
	_, err = d.svc.Approve(d.ctx, d.assemblea, p.ID, "")
	noError(t, err)

	// A cooperative's people see their organisation's assignments, and nobody else's: another
	// partner's is not found, as if it did not exist.
	coop := d.person("coop-1", "Operatrice Aquilone", "laquilone", "coop")
	list, total, err := d.svc.Assignments(d.ctx, coop, 0, plan.Page{Limit: 100})
	noError(t, err)
	if total != 1 || len(list) != 1 || list[0].ID != own.ID {
		t.Fatalf("the cooperative sees %+v (total %d), want only its own", list, total)
	}
	if _, err := d.svc.Assignment(d.ctx, coop, own.ID); err != nil {
		t.Errorf("own assignment: %v", err)
	}
	_, err = d.svc.Assignment(d.ctx, coop, others.ID)
	wantCode(t, err, apperr.NotFound)
	_, err = d.svc.Reports(d.ctx, coop, others.ID)
	wantCode(t, err, apperr.NotFound)
	_, err = d.svc.Report(d.ctx, coop, others.ID, plan.ReportInput{Period: "2024", UsersServed: ptr(3)})
	wantCode(t, err, apperr.NotFound)
	wantCode(t, d.svc.Unassign(d.ctx, coop, others.ID), apperr.NotFound)

	// It reports on its own, on an approved plan, without an amendment (monitoring).
	r, err := d.svc.Report(d.ctx, coop, own.ID, plan.ReportInput{Period: "2024-S1", UsersServed: ptr(12), Satisfaction: ptr(4.5)})
	noError(t, err)
	if r.ReportedBy != coop.ID || r.AssignmentID != own.ID {
		t.Errorf("report = %+v", r)
	}
	_, err = d.svc.Report(d.ctx, coop, own.ID, plan.ReportInput{Period: "2024-S3"})
	wantField(t, err, "period")
	_, err = d.svc.Report(d.ctx, coop, own.ID, plan.ReportInput{Period: "2024", Satisfaction: ptr(6.0)})
	wantField(t, err, "satisfaction")

	// Someone of a cooperative without an organisation sees nothing.
	nobody := d.person("coop-2", "Senza organizzazione", "", "coop")
	if _, total, err := d.svc.Assignments(d.ctx, nobody, 0, plan.Page{Limit: 100}); err != nil || total != 0 {
		t.Errorf("without an organisation: %d assignments, %v", total, err)
	}

	// The district's own staff and the Assemblea see every partner's.
	for _, who := range []plan.Actor{d.udp, d.assemblea, d.asst} {
		_, total, err := d.svc.Assignments(d.ctx, who, p.ID, plan.Page{Limit: 100})
		noError(t, err)
		if total != 2 {
			t.Errorf("%s sees %d assignments, want 2", who.ID, total)
		}
		if _, err := d.svc.Assignment(d.ctx, who, others.ID); err != nil {
			t.Errorf("%s: %v", who.ID, err)
		}
	}
	// Even one of the Ufficio di Piano who belongs to a partner.
	seconded := d.person("udp-2", "Distaccata", "ilponte", "udp")
	if _, total, _ := d.svc.Assignments(d.ctx, seconded, 0, plan.Page{Limit: 100}); total != 2 {
		t.Errorf("the Ufficio di Piano with an organisation sees %d assignments, want 2", total)
	}

	// Assignments are plan content: on an approved plan they change inside an amendment.
	wantCode(t, d.svc.Unassign(d.ctx, d.udp, others.ID), apperr.Conflict, "open an amendment")
	_, err = d.svc.OpenAmendment(d.ctx, d.udp, p.ID, "cambio gestore")
	noError(t, err)
	noError(t, d.svc.Unassign(d.ctx, d.udp, others.ID))
	_, err = d.svc.Assignment(d.ctx, d.udp, others.ID)
	wantCode(t, err, apperr.NotFound)
}
