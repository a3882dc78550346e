package pathway

import (
	"context"
	"fmt"
	"time"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/audit"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Export is everything the district holds on one person, for a subject access request: who
// they are, every consent decision, every pathway with all its records, and the audit trail of
// who touched their data.
type Export struct {
	GeneratedAt time.Time     `json:"generated_at"`
	District    string        `json:"district"`
	Person      Person        `json:"person"`
	Consents    []Consent     `json:"consents"`    // the whole history, oldest first
	Pathways    []Detail      `json:"pathways"`    // with their referrals
	Overrides   []Override    `json:"overrides"`   // urgent overrides of the consent to share
	AuditTrail  []audit.Entry `json:"audit_trail"` // newest first
}

// ExportPerson gathers the subject access export (the DPO: subject_requests, manage). The
// pathways are read whoever they are assigned to, with their full records; the export itself
// is audited ("export").
func (s *Service) ExportPerson(ctx context.Context, a actor.Actor, personID string) (Export, error) {
	if !a.Can(objSubjects, actManage) {
		return Export{}, errMayNotManageSubjects
	}
	var x Export
	err := s.work(ctx, a, func(ses *session) error {
		if _, err := ses.subject(personID); err != nil {
			return err
		}
		p, err := ses.loadPerson(personID)
		if err != nil {
			return err
		}
		if p.Erased {
			return errPersonNotFound // nothing of them is readable any more
		}
		x = Export{GeneratedAt: s.now().UTC(), District: ses.District.Name, Person: p, Pathways: []Detail{}}
		if x.Consents, err = ses.dpoConsentHistory(personID); err != nil {
			return err
		}
		ps, err := ses.pathwaysOfPerson(personID)
		if err != nil {
			return err
		}
		for _, pw := range ps {
			d, err := ses.detailOf(pw.Pathway, reachFull)
			if err != nil {
				return err
			}
			x.Pathways = append(x.Pathways, d)
		}
		if x.Overrides, err = ses.personOverrides(personID); err != nil {
			return err
		}
		if x.AuditTrail, err = ses.trailOf(personID); err != nil {
			return err
		}
		ses.Audit(tenancy.Access{Subject: personID, What: "persona", Action: "export", Detail: personID})
		return nil
	})
	return x, err
}

type dpoConsentRow struct {
	ID, PersonID, Purpose, Party string
	Given                        bool
	NoticeVersion                string
	RecordedAt                   time.Time
	RecordedBy, RecordedByName   string
}

// dpoConsentHistory is every consent decision of the person, oldest first.
func (s *session) dpoConsentHistory(personID string) ([]Consent, error) {
	var rows []dpoConsentRow
	if err := s.Raw(`SELECT id, person_id, purpose, party, given, notice_version, recorded_at, recorded_by,
		recorded_by_name FROM consents WHERE person_id = ? ORDER BY recorded_at, id`, personID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("pathway: read a person's consents: %w", err)
	}
	out := make([]Consent, 0, len(rows))
	for _, r := range rows {
		out = append(out, Consent(r))
	}
	s.Audit(tenancy.Access{Subject: personID, What: "consenso", Action: "read", Detail: personID})
	return out, nil
}

// trailOf is every audit row about the person, newest first.
func (s *session) trailOf(personID string) ([]audit.Entry, error) {
	all := []audit.Entry{}
	for {
		page, err := audit.Search(s.Tx, audit.Filter{Subject: personID, Limit: audit.MaxLimit, Offset: len(all)})
		if err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if len(page.Items) == 0 || int64(len(all)) >= page.Total {
			return all, nil
		}
	}
}

// AuditTrail is the DPO's search of the district's audit trail (audit, read).
func (s *Service) AuditTrail(ctx context.Context, a actor.Actor, f audit.Filter) (audit.Page, error) {
	var p audit.Page
	err := s.scope.Tx(ctx, a, func(tx *tenancy.Tx) (err error) {
		p, err = audit.Search(tx, f)
		return err
	})
	return p, err
}
