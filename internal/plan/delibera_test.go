package plan_test

import (
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/plan"
)

func TestApprovalRecordsTheDelibera(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, _ := d.draft("Piano")
	_, err := d.svc.Propose(d.ctx, d.udp, p.ID, "")
	noError(t, err)

	tomorrow := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	for _, c := range []struct {
		del   plan.Delibera
		field string
	}{
		{plan.Delibera{Number: " ", Date: "2024-03-12"}, "delibera_number"},
		{plan.Delibera{Number: "12/2024"}, "delibera_date"},
		{plan.Delibera{Number: "12/2024", Date: "12/03/2024"}, "delibera_date"},
		{plan.Delibera{Number: "12/2024", Date: tomorrow}, "delibera_date"},
		{plan.Delibera{Number: string(make([]byte, 51)), Date: "2024-03-12"}, "delibera_number"},
	} {
		_, err := d.svc.ApproveWithDelibera(d.ctx, d.assemblea, p.ID, "", c.del)
		wantField(t, err, c.field)
	}
	if got, _ := d.svc.Plan(d.ctx, d.udp, p.ID); got.Status != plan.Proposed {
		t.Fatalf("a refused approval changed the plan: %s", got.Status)
	}

	got, err := d.svc.ApproveWithDelibera(d.ctx, d.assemblea, p.ID, "all'unanimità", plan.Delibera{Number: " 12/2024 ", Date: "2024-03-12"})
	noError(t, err)
	again, _ := d.svc.Plan(d.ctx, d.udp, p.ID)
	for _, pl := range []plan.Plan{got, again} {
		if pl.Status != plan.Approved || pl.DeliberaNumber != "12/2024" || pl.DeliberaDate == nil || pl.DeliberaDate.Format(time.DateOnly) != "2024-03-12" {
			t.Fatalf("plan = %+v", pl)
		}
	}

	// An amendment's approval records its own.
	a, err := d.svc.OpenAmendment(d.ctx, d.udp, p.ID, "rimodulazione")
	noError(t, err)
	_, err = d.svc.ProposeAmendment(d.ctx, d.udp, p.ID, a.ID)
	noError(t, err)
	_, err = d.svc.ApproveAmendmentWithDelibera(d.ctx, d.assemblea, p.ID, a.ID, "", plan.Delibera{Number: "3/2025"})
	wantField(t, err, "delibera_date")
	_, err = d.svc.ApproveAmendmentWithDelibera(d.ctx, d.assemblea, p.ID, a.ID, "", plan.Delibera{Number: "3/2025", Date: "2025-02-01"})
	noError(t, err)
	as, err := d.svc.Amendments(d.ctx, d.assemblea, p.ID)
	noError(t, err)
	if as[0].Status != plan.AmendmentApproved || as[0].DeliberaNumber != "3/2025" || as[0].DeliberaDate == nil {
		t.Fatalf("amendment = %+v", as[0])
	}
}
