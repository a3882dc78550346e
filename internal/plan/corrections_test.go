package plan_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/plan"
)

// TestMeasurementsAreCorrectedAndDeletedWithTheChangeInTheLog: a recorded value is corrected
// (period, value, source, note) or deleted, in an approved plan too (monitoring needs no
// amendment); bad input names the field and writes nothing; every change is in the plan's log
// with before and after.
func TestMeasurementsAreCorrectedAndDeletedWithTheChangeInTheLog(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, o := d.draft("Piano da correggere")
	in, err := d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Result, Name: "Accessi allo sportello", Unit: "n."})
	noError(t, err)
	m24, err := d.svc.RecordMeasurement(d.ctx, d.udp, in.ID, plan.MeasurementInput{Period: "2024", Value: ptr(10.0)})
	noError(t, err)
	m25, err := d.svc.RecordMeasurement(d.ctx, d.udp, in.ID, plan.MeasurementInput{Period: "2025", Value: ptr(12.0)})
	noError(t, err)
	if _, err := d.svc.Propose(d.ctx, d.udp, p.ID, ""); err != nil {
		t.Fatal(err)
	}
	_, err = d.svc.CorrectMeasurement(d.ctx, d.udp, m24.ID, func(m *plan.MeasurementInput) error { m.Value = ptr(11.0); return nil })
	wantCode(t, err, apperr.Conflict, "Assemblea")
	if _, err := d.svc.Approve(d.ctx, d.assemblea, p.ID, ""); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name  string
		edit  func(*plan.MeasurementInput)
		field string
	}{
		{"period of another value", func(m *plan.MeasurementInput) { m.Period = "2025" }, "period"},
		{"bad period", func(m *plan.MeasurementInput) { m.Period = "24" }, "period"},
		{"no value", func(m *plan.MeasurementInput) { m.Value = nil }, "value"},
	} {
		_, err := d.svc.CorrectMeasurement(d.ctx, d.udp, m24.ID, func(m *plan.MeasurementInput) error { c.edit(m); return nil })
		if e, ok := apperr.As(err); !ok || e.Code != apperr.Invalid || e.Field != c.field {
			t.Errorf("%s: error %v, want invalid %s", c.name, err, c.field)
		}
	}
	got, err := d.svc.CorrectMeasurement(d.ctx, d.udp, m24.ID, func(m *plan.MeasurementInput) error {
		m.Period, m.Value, m.Source, m.Note = "2024-S2", ptr(22.0), "Registro", "conteggio rifatto"
		return nil
	})
	noError(t, err)
	if got.Period != "2024-S2" || got.Value != 22 || got.Source != "Registro" || got.Note != "conteggio rifatto" {
		t.Errorf("corrected = %+v", got)
	}
	noError(t, d.svc.DeleteMeasurement(d.ctx, d.udp, m25.ID))
	wantCode(t, d.svc.DeleteMeasurement(d.ctx, d.udp, m25.ID), apperr.NotFound)
	// Health staff correct only the integrated objectives' values.
	wantCode(t, d.svc.DeleteMeasurement(d.ctx, d.asst, m24.ID), apperr.Forbidden)

	ms, err := d.svc.Measurements(d.ctx, d.udp, in.ID)
	noError(t, err)
	if len(ms) != 1 || ms[0].Period != "2024-S2" {
		t.Errorf("measurements = %+v", ms)
	}
	h, err := d.svc.PlanHistory(d.ctx, d.udp, p.ID)
	noError(t, err)
	var upd, del *plan.LogEntry
	for i, e := range h.Log {
		if e.Entity == "measurement" && e.Operation == "update" {
			upd = &h.Log[i]
		}
		if e.Entity == "measurement" && e.Operation == "delete" {
			del = &h.Log[i]
		}
	}
	if upd == nil || upd.Before["value"] != 10.0 || upd.After["value"] != 22.0 || upd.After["period"] != "2024-S2" ||
		upd.ActorName != "Ufficio di Piano" || upd.AmendmentID != nil {
		t.Errorf("the correction's log = %+v", upd)
	}
	if del == nil || del.EntityID != m25.ID || del.Label != "2025" || del.Before["value"] != 12.0 {
		t.Errorf("the deletion's log = %+v", del)
	}
	// Recording a period again corrects its value: logged too, with what it was.
	_, err = d.svc.RecordMeasurement(d.ctx, d.udp, in.ID, plan.MeasurementInput{Period: "2024-S2", Value: ptr(23.0)})
	noError(t, err)
	h, err = d.svc.PlanHistory(d.ctx, d.udp, p.ID)
	noError(t, err)
	if last := h.Log[len(h.Log)-1]; last.Operation != "update" || last.Before["value"] != 22.0 || last.After["value"] != 23.0 {
		t.Errorf("the re-recorded value's log = %+v", last)
	}
	if first := h.Log[0]; first.Entity != "objective" || h.Log[2].Entity != "measurement" || h.Log[2].Operation != "create" {
		t.Errorf("log = %+v", h.Log)
	}
}

// TestDeletionsInAnApprovedPlanGoThroughTheAmendment: indicators, assignments and objectives
// of an approved plan are deleted only inside an open amendment, which records them; a draft's
// changes are in the log as well.
func TestDeletionsInAnApprovedPlanGoThroughTheAmendment(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, o := d.draft("Piano approvato")
	in, err := d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Process, Name: "Incontri di rete"})
	noError(t, err)
	partner, err := d.svc.CreatePartner(d.ctx, d.udp, plan.PartnerInput{Code: "coop-sole", Name: "Cooperativa Sole", Kind: "cooperativa"})
	noError(t, err)
	a, err := d.svc.Assign(d.ctx, d.udp, o.ID, plan.AssignmentInput{PartnerID: partner.ID, Activity: "Sportello"})
	noError(t, err)
	_, err = d.svc.UpdateIndicator(d.ctx, d.udp, in.ID, func(x *plan.Indicator) error { x.Name = "Incontri della rete"; return nil })
	noError(t, err)
	if _, err := d.svc.Propose(d.ctx, d.udp, p.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := d.svc.Approve(d.ctx, d.assemblea, p.ID, ""); err != nil {
		t.Fatal(err)
	}

	wantCode(t, d.svc.DeleteIndicator(d.ctx, d.udp, in.ID), apperr.Conflict, "amendment")
	wantCode(t, d.svc.Unassign(d.ctx, d.udp, a.ID), apperr.Conflict, "amendment")
	wantCode(t, d.svc.DeleteObjective(d.ctx, d.udp, o.ID), apperr.Conflict, "amendment")

	am, err := d.svc.OpenAmendment(d.ctx, d.udp, p.ID, "Revisione degli incarichi")
	noError(t, err)
	noError(t, d.svc.DeleteIndicator(d.ctx, d.udp, in.ID))
	noError(t, d.svc.Unassign(d.ctx, d.udp, a.ID))

	h, err := d.svc.PlanHistory(d.ctx, d.udp, p.ID)
	noError(t, err)
	if n := len(h.Amendments[0].Changes); n != 2 {
		t.Errorf("the amendment recorded %d changes, want 2", n)
	}
	var ops []string
	for _, e := range h.Log {
		in := ""
		if e.AmendmentID != nil && *e.AmendmentID == am.ID {
			in = "*"
		}
		ops = append(ops, e.Entity+":"+e.Operation+":"+e.Label+in)
	}
	want := []string{"objective:create:Contrasto alla povertà", "indicator:create:Incontri di rete", "assignment:create:Sportello",
		"indicator:update:Incontri della rete", "indicator:delete:Incontri della rete*", "assignment:delete:Sportello*"}
	if len(ops) != len(want) {
		t.Fatalf("log = %q, want %q", ops, want)
	}
	for i := range want {
		if ops[i] != want[i] {
			t.Errorf("log[%d] = %q, want %q", i, ops[i], want[i])
		}
	}
}

// TestAssignmentsAreEditedAsPlanContent: partner and activity change with the checks of a new
// assignment, in the log; an approved plan needs an open amendment.
func TestAssignmentsAreEditedAsPlanContent(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, o := d.draft("Piano")
	p1, err := d.svc.CreatePartner(d.ctx, d.udp, plan.PartnerInput{Code: "coop-uno", Name: "Cooperativa Uno", Kind: "cooperativa"})
	noError(t, err)
	p2, err := d.svc.CreatePartner(d.ctx, d.udp, plan.PartnerInput{Code: "coop-due", Name: "Cooperativa Due", Kind: "cooperativa"})
	noError(t, err)
	a, err := d.svc.Assign(d.ctx, d.udp, o.ID, plan.AssignmentInput{PartnerID: p1.ID, Activity: "Sportello"})
	noError(t, err)
	_, err = d.svc.UpdateAssignment(d.ctx, d.udp, a.ID, func(in *plan.AssignmentInput) error { in.Activity = " "; return nil })
	wantField(t, err, "activity")
	_, err = d.svc.UpdateAssignment(d.ctx, d.udp, a.ID, func(in *plan.AssignmentInput) error { in.PartnerID = p2.ID + 100; return nil })
	wantField(t, err, "partner_id")
	got, err := d.svc.UpdateAssignment(d.ctx, d.udp, a.ID, func(in *plan.AssignmentInput) error {
		in.PartnerID, in.Activity = p2.ID, "Sportello e domiciliarità"
		return nil
	})
	noError(t, err)
	if got.PartnerID != p2.ID || got.PartnerName != "Cooperativa Due" || got.Activity != "Sportello e domiciliarità" {
		t.Errorf("updated = %+v", got)
	}
	h, err := d.svc.PlanHistory(d.ctx, d.udp, p.ID)
	noError(t, err)
	last := h.Log[len(h.Log)-1]
	if last.Entity != "assignment" || last.Operation != "update" || last.Before["activity"] != "Sportello" || last.After["partner_name"] != "Cooperativa Due" {
		t.Errorf("log = %+v", last)
	}
	if _, err := d.svc.Propose(d.ctx, d.udp, p.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := d.svc.Approve(d.ctx, d.assemblea, p.ID, ""); err != nil {
		t.Fatal(err)
	}
	_, err = d.svc.UpdateAssignment(d.ctx, d.udp, a.ID, func(in *plan.AssignmentInput) error { in.Activity = "Altro"; return nil })
	wantCode(t, err, apperr.Conflict, "amendment")
}
