package directory_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/directory"
)

// A partner confirms and proposes changes to its own organisation's services only; its
// proposal changes nothing until the Ufficio di Piano approves it, and the approval is logged
// field by field with before and after (HSDS metadata).
func TestPartnerEditsOnlyItsOwnAndTheUfficioDiPianoReviews(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	aquilone := d.org(t, "Cooperativa Sociale L'Aquilone", "laquilone")
	ponte := d.org(t, "Cooperativa Sociale Il Ponte", "ilponte")
	old := directory.Date(time.Now().AddDate(-1, 0, 0).Format(time.DateOnly))
	own := d.service(t, aquilone, "CDD Gardone", at("Gardone Val Trompia"), func(r *directory.ServiceRecord) {
		r.AssuredDate = old
		r.Schedules = []directory.Schedule{{Freq: "WEEKLY", Byday: "MO", OpensAt: "09:00", ClosesAt: "12:00"}}
	})
	others := d.service(t, ponte, "CSE Villa Carcina")
	hidden := d.service(t, ponte, "Progetto in preparazione", func(r *directory.ServiceRecord) { r.Published = false })

	rename := func(r *directory.ServiceRecord) error {
		r.Name = "CDD Gardone V.T."
		r.Schedules[0].Byday = "MO,TH"
		r.Published = false // not a partner's to change: kept
		return nil
	}
	// Another organisation's entries: not found, published or not; nobody else edits.
	for _, id := range []string{others.ID, hidden.ID} {
		_, err := d.svc.UpdateService(d.ctx, d.aquilone, id, rename)
		wantCode(t, err, apperr.NotFound)
		_, err = d.svc.Confirm(d.ctx, d.aquilone, id)
		wantCode(t, err, apperr.NotFound)
	}
	_, err := d.svc.Record(d.ctx, d.aquilone, hidden.ID)
	wantCode(t, err, apperr.NotFound)
	if _, err := d.svc.Record(d.ctx, d.ponte, hidden.ID); err != nil {
		t.Errorf("a partner cannot read its own unpublished service: %v", err)
	}
	for _, who := range []struct {
		name string
		err  error
	}{
		{"link worker", func() error { _, err := d.svc.UpdateService(d.ctx, d.linkWorker, own.ID, rename); return err }()},
		{"asst", func() error { _, err := d.svc.Confirm(d.ctx, d.asst, own.ID); return err }()},
		{"assemblea", func() error { _, err := d.svc.UpdateService(d.ctx, d.assemblea, own.ID, rename); return err }()},
	} {
		if apperr.CodeOf(who.err) != apperr.NotFound {
			t.Errorf("%s edits a service: %v", who.name, who.err)
		}
	}
	_, err = d.svc.CreateService(d.ctx, d.aquilone, directory.ServiceRecord{OrganizationID: aquilone.ID, Name: "Nuovo", Status: directory.Active})
	wantCode(t, err, apperr.Forbidden)

	// Its own: confirming bumps the verification date at once.
	c, err := d.svc.Confirm(d.ctx, d.aquilone, own.ID)
	noError(t, err)
	if c.AssuredDate != directory.Date(time.Now().Format(time.DateOnly)) || c.Stale {
		t.Errorf("after confirming: assured %q, stale %v", c.AssuredDate, c.Stale)
	}

	// Proposing stores a pending change; the service stays as it was; a second waits.
	u, err := d.svc.UpdateService(d.ctx, d.aquilone, own.ID, rename)
	noError(t, err)
	if u.Change == nil || u.Change.Status != directory.ChangePending || u.Service.Name != "CDD Gardone" {
		t.Fatalf("proposal = %+v", u)
	}
	fields := map[string]directory.FieldChange{}
	for _, f := range u.Change.Fields {
		fields[f.Field] = f
	}
	if len(fields) != 2 || string(fields["name"].Before) != `"CDD Gardone"` || string(fields["name"].After) != `"CDD Gardone V.T."` || fields["schedules"].Field == "" {
		t.Errorf("proposed fields = %+v", u.Change.Fields)
	}
	_, err = d.svc.UpdateService(d.ctx, d.aquilone, own.ID, func(r *directory.ServiceRecord) error { r.Alert = "Chiuso ad agosto"; return nil })
	wantCode(t, err, apperr.Conflict)
	_, err = d.svc.UpdateService(d.ctx, d.ponte, others.ID, func(r *directory.ServiceRecord) error { return nil })
	wantCode(t, err, apperr.Invalid)
	if pub, _ := d.svc.Published(d.ctx, d.linkWorker, own.ID); pub.Name != "CDD Gardone" {
		t.Errorf("the published service shows an unreviewed change: %q", pub.Name)
	}

	// Only the Ufficio di Piano reviews.
	_, _, err = d.svc.Changes(d.ctx, d.aquilone, directory.ChangeFilter{})
	wantCode(t, err, apperr.Forbidden)
	_, err = d.svc.ApproveChange(d.ctx, d.aquilone, u.Change.ID)
	wantCode(t, err, apperr.Forbidden)
	pending, total, err := d.svc.Changes(d.ctx, d.udp, directory.ChangeFilter{Status: directory.ChangePending})
	noError(t, err)
	if total != 1 || pending[0].ServiceName != "CDD Gardone" || pending[0].ProposedBy != d.aquilone.ID {
		t.Fatalf("pending = %+v", pending)
	}
	approved, err := d.svc.ApproveChange(d.ctx, d.udp, u.Change.ID)
	noError(t, err)
	if approved.Status != directory.ChangeApproved || approved.ReviewedBy != d.udp.Name {
		t.Errorf("approved = %+v", approved)
	}
	_, err = d.svc.ApproveChange(d.ctx, d.udp, u.Change.ID)
	wantCode(t, err, apperr.Conflict)
	now, err := d.svc.Record(d.ctx, d.udp, own.ID)
	noError(t, err)
	if now.Name != "CDD Gardone V.T." || now.Schedules[0].Byday != "MO,TH" || !now.Published || len(now.ServiceAtLocations) != 1 {
		t.Errorf("after approval: %+v", now)
	}
	history, err := d.svc.History(d.ctx, d.udp, own.ID)
	noError(t, err)
	logged := map[string]directory.Metadata{}
	for _, m := range history {
		if m.LastActionType == "update" {
			logged[m.FieldName] = m
		}
	}
	if m := logged["name"]; m.PreviousValue != `"CDD Gardone"` || m.ReplacementValue != `"CDD Gardone V.T."` || m.UpdatedBy == "" {
		t.Errorf("metadata of the name = %+v", m)
	}
	var before, after []directory.Schedule
	noError(t, json.Unmarshal([]byte(logged["schedules"].PreviousValue), &before))
	noError(t, json.Unmarshal([]byte(logged["schedules"].ReplacementValue), &after))
	if len(before) != 1 || before[0].Byday != "MO" || len(after) != 1 || after[0].Byday != "MO,TH" {
		t.Errorf("metadata of the schedules: %v → %v", before, after)
	}

	// A rejected proposal changes nothing and keeps the note; rejecting needs a note.
	u, err = d.svc.UpdateService(d.ctx, d.aquilone, own.ID, func(r *directory.ServiceRecord) error { r.Status = directory.Defunct; return nil })
	noError(t, err)
	_, err = d.svc.RejectChange(d.ctx, d.udp, u.Change.ID, " ")
	wantField(t, err, "note")
	rejected, err := d.svc.RejectChange(d.ctx, d.udp, u.Change.ID, "Il servizio è ancora attivo")
	noError(t, err)
	if rejected.Status != directory.ChangeRejected || rejected.ReviewNote != "Il servizio è ancora attivo" {
		t.Errorf("rejected = %+v", rejected)
	}
	if now, _ := d.svc.Record(d.ctx, d.udp, own.ID); now.Status != directory.Active {
		t.Errorf("a rejected change was applied: %s", now.Status)
	}

	// The Ufficio di Piano edits directly, logged too.
	u, err = d.svc.UpdateService(d.ctx, d.udp, others.ID, func(r *directory.ServiceRecord) error { r.Alert = "Chiuso ad agosto"; return nil })
	noError(t, err)
	if u.Change != nil || u.Service.Alert != "Chiuso ad agosto" {
		t.Errorf("direct edit = %+v", u)
	}
}

// A service not verified for the district's number of days is "da verificare"; the list puts
// the longest unverified first, and a partner sees only its own.
func TestStaleServicesOldestFirst(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	aquilone := d.org(t, "Cooperativa Sociale L'Aquilone", "laquilone")
	ponte := d.org(t, "Cooperativa Sociale Il Ponte", "ilponte")
	daysAgo := func(n int) func(*directory.ServiceRecord) {
		return func(r *directory.ServiceRecord) {
			r.AssuredDate = directory.Date(time.Now().AddDate(0, 0, -n).Format(time.DateOnly))
		}
	}
	d.service(t, aquilone, "Fresco", daysAgo(10))
	d.service(t, aquilone, "Vecchio", daysAgo(400))
	d.service(t, ponte, "Vecchissimo", daysAgo(900))
	d.service(t, ponte, "Al limite", daysAgo(181))
	d.service(t, ponte, "Mai verificato", func(r *directory.ServiceRecord) { r.AssuredDate = "" })
	d.service(t, ponte, "Chiuso", daysAgo(1000), func(r *directory.ServiceRecord) { r.Status = directory.Defunct })

	list, total, err := d.svc.Stale(d.ctx, d.udp, directory.Page{})
	noError(t, err)
	var got []string
	for _, s := range list {
		got = append(got, s.Name)
	}
	if total != 4 || len(got) != 4 || got[0] != "Mai verificato" || got[1] != "Vecchissimo" || got[2] != "Vecchio" || got[3] != "Al limite" {
		t.Fatalf("stale = %q (total %d)", got, total)
	}
	if list[1].DaysSince == nil || *list[1].DaysSince != 900 || list[0].DaysSince != nil || list[1].OrganizationName != ponte.Name {
		t.Errorf("stale rows = %+v", list[:2])
	}
	mine, total, err := d.svc.Stale(d.ctx, d.aquilone, directory.Page{})
	noError(t, err)
	if total != 1 || mine[0].Name != "Vecchio" {
		t.Errorf("the partner's stale list = %+v", mine)
	}

	// A longer setting makes fewer stale; the service says so too.
	_, err = d.svc.UpdateSettings(d.ctx, d.udp, directory.Settings{StaleAfterDays: 500})
	noError(t, err)
	_, total, err = d.svc.Stale(d.ctx, d.udp, directory.Page{})
	noError(t, err)
	if total != 2 {
		t.Errorf("with 500 days: %d stale, want 2", total)
	}
	_, err = d.svc.UpdateSettings(d.ctx, d.udp, directory.Settings{StaleAfterDays: 0})
	wantField(t, err, "stale_after_days")
	_, err = d.svc.UpdateSettings(d.ctx, d.aquilone, directory.Settings{StaleAfterDays: 30})
	wantCode(t, err, apperr.Forbidden)
}

// An edit decoded from JSON (the API's merge patch) writes through the service's pointers: a
// partner's new minimum age is proposed, not lost, and the Ufficio di Piano's is logged.
func TestAnEditOfAnAgeIsSeen(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	aquilone := d.org(t, "Cooperativa Sociale L'Aquilone", "laquilone")
	s := d.service(t, aquilone, "Centro giovani", func(r *directory.ServiceRecord) { r.MinimumAge = ptr(14) })
	patch := func(body string) directory.Edit[directory.ServiceRecord] {
		return func(r *directory.ServiceRecord) error { return json.Unmarshal([]byte(body), r) }
	}
	u, err := d.svc.UpdateService(d.ctx, d.aquilone, s.ID, patch(`{"minimum_age": 12}`))
	noError(t, err)
	if u.Change == nil || len(u.Change.Fields) != 1 || u.Change.Fields[0].Field != "minimum_age" || *u.Service.MinimumAge != 14 {
		t.Fatalf("the partner's proposal: %+v (service's minimum age %d)", u.Change, *u.Service.MinimumAge)
	}
	u, err = d.svc.UpdateService(d.ctx, d.udp, s.ID, patch(`{"minimum_age": 16}`))
	noError(t, err)
	h, err := d.svc.History(d.ctx, d.udp, s.ID)
	noError(t, err)
	if *u.Service.MinimumAge != 16 || len(h) == 0 || h[0].FieldName != "minimum_age" || h[0].PreviousValue != "14" {
		t.Errorf("the Ufficio di Piano's edit: age %d, log %+v", *u.Service.MinimumAge, h)
	}
}
