package pathway

import "github.com/ambiti/ambiti/internal/tenancy"

// loadRecords fills d with the pathway's records the reach allows: assessments and projects
// (with their signatures) for the health view; goals, activities, meetings and outcomes too
// for full reach. Each kind of record read is one audited access of the person.
func (s *session) loadRecords(d *Detail, r reach) error {
	if r == reachNone {
		return errNotFound
	}
	p := d.Pathway
	read := func(what string, n int) {
		if n > 0 {
			s.Audit(tenancy.Access{Subject: p.PersonID, What: what, Action: "read", Detail: p.ID})
		}
	}
	var err error
	if d.Assessments, err = s.assessments(p); err != nil {
		return err
	}
	read("valutazione", len(d.Assessments))
	if d.Projects, err = s.projects(p); err != nil {
		return err
	}
	read("progetto", len(d.Projects))
	d.HealthView = r == reachHealth
	if r != reachFull {
		d.Goals, d.Activities, d.Meetings, d.Outcomes, d.Referrals, d.Overrides = nil, nil, nil, nil, nil, nil
		return nil
	}
	if d.Goals, err = s.goals(p); err != nil {
		return err
	}
	read("obiettivo", len(d.Goals))
	if d.Activities, err = s.activities(p); err != nil {
		return err
	}
	read("attivita", len(d.Activities))
	if d.Meetings, err = s.meetings(p); err != nil {
		return err
	}
	read("incontro", len(d.Meetings))
	if d.Outcomes, err = s.outcomes(p); err != nil {
		return err
	}
	read("ons4", len(d.Outcomes))
	if d.Referrals, err = s.referralsOf(p); err != nil {
		return err
	}
	if s.Actor.Can(object, actOverride) {
		if d.Overrides, err = s.personOverrides(p.PersonID); err != nil {
			return err
		}
	}
	return nil
}
