package pathway

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// The data protection officer's permissions (policies/policy.csv): subject requests (lookup,
// export, erasure) and the audit trail. The DPO does no case work: these never grant the
// case pages.
const (
	objSubjects = "subject_requests"
	actManage   = "manage"
	objAudit    = "audit"
	actAudit    = "read"
)

// Subject is what the DPO learns from a lookup by codice fiscale: the pseudonymous id and the
// person's pathways by code, nothing of the case itself.
type Subject struct {
	PersonID string           `json:"person_id"`
	Erased   bool             `json:"erased"`
	Pathways []SubjectPathway `json:"pathways"`
}

// SubjectPathway is one pathway of a subject, as codes and dates.
type SubjectPathway struct {
	ID         string `json:"id"`
	Programme  string `json:"programme"`
	Stage      string `json:"stage"`
	EngagedOn  Date   `json:"engaged_on"`
	ClosedOn   Date   `json:"closed_on,omitempty"`
	Anonymised bool   `json:"anonymised"`
}

var errMayNotManageSubjects = apperr.New(apperr.Forbidden, "non puoi gestire le richieste degli interessati", "you may not handle subject requests")

// FindSubject looks a person up by codice fiscale for a subject request (the keyed hash, never
// a plain index). An unknown code is NotFound. The lookup is audited as a read of the person.
func (s *Service) FindSubject(ctx context.Context, a actor.Actor, cf string) (Subject, error) {
	if !a.Can(objSubjects, actManage) {
		return Subject{}, errMayNotManageSubjects
	}
	cf = NormalizeCF(cf)
	if !ValidCF(cf) {
		return Subject{}, apperr.Invalidf("codice_fiscale", "codice fiscale non valido", "invalid codice fiscale")
	}
	var sub Subject
	err := s.work(ctx, a, func(ses *session) error {
		blind, err := ses.keys.Blind("codice_fiscale", cf)
		if err != nil {
			return err
		}
		var ids []string
		if err := ses.Raw("SELECT id FROM persons WHERE cf_blind = ?", blind).Scan(&ids).Error; err != nil {
			return fmt.Errorf("pathway: find a subject: %w", err)
		}
		if len(ids) == 0 {
			return errPersonNotFound
		}
		sub, err = ses.subject(ids[0])
		if err != nil {
			return err
		}
		ses.Audit(tenancy.Access{Subject: sub.PersonID, What: "persona", Action: "read", Detail: "richiesta interessato"})
		return nil
	})
	return sub, err
}

// Subject is FindSubject by the person's id (the DPO's page after a lookup).
func (s *Service) Subject(ctx context.Context, a actor.Actor, personID string) (Subject, error) {
	if !a.Can(objSubjects, actManage) {
		return Subject{}, errMayNotManageSubjects
	}
	var sub Subject
	err := s.work(ctx, a, func(ses *session) (err error) {
		if sub, err = ses.subject(personID); err != nil {
			return err
		}
		ses.Audit(tenancy.Access{Subject: sub.PersonID, What: "persona", Action: "read", Detail: "richiesta interessato"})
		return nil
	})
	return sub, err
}

// subject reads the person's row and their pathways by code, whoever they are assigned to.
func (s *session) subject(personID string) (Subject, error) {
	if uuid.Validate(personID) != nil {
		return Subject{}, errPersonNotFound
	}
	var erased []struct{ ErasedAt *time.Time }
	if err := s.Raw("SELECT erased_at FROM persons WHERE id = ?", personID).Scan(&erased).Error; err != nil {
		return Subject{}, fmt.Errorf("pathway: read a subject: %w", err)
	}
	if len(erased) == 0 {
		return Subject{}, errPersonNotFound
	}
	ps, err := s.pathwaysOfPerson(personID)
	if err != nil {
		return Subject{}, err
	}
	sub := Subject{PersonID: personID, Erased: erased[0].ErasedAt != nil, Pathways: []SubjectPathway{}}
	for _, p := range ps {
		sub.Pathways = append(sub.Pathways, SubjectPathway{ID: p.ID, Programme: p.Programme, Stage: p.Stage,
			EngagedOn: p.EngagedOn, ClosedOn: p.ClosedOn, Anonymised: p.anonymised})
	}
	return sub, nil
}

// subjectPathway is a pathway row as the DPO's part reads it: by person, not through the
// case workers' visibility (the DPO answers for the district, not as a case worker).
type subjectPathway struct {
	Pathway
	anonymised bool
}

type dpoPathwayRow struct {
	ID, PersonID, Programme, Stage, Source string
	EngagedOn                              time.Time
	AssignedTo, AssignedName               string
	NeetStart, NeetClose                   string
	NextFollowUp, ClosedOn                 *time.Time
	ClosureReason                          string
	Version                                int
	AnonymisedAt                           *time.Time
}

// pathwaysOfPerson reads every pathway of the person, oldest first.
func (s *session) pathwaysOfPerson(personID string) ([]subjectPathway, error) {
	var rows []dpoPathwayRow
	if err := s.Raw(`SELECT id, person_id, programme, stage, source, engaged_on, assigned_to, assigned_name,
		neet_start, neet_close, next_follow_up, closed_on, closure_reason, version, anonymised_at
		FROM pathways WHERE person_id = ? ORDER BY engaged_on, created_at`, personID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("pathway: read a person's pathways: %w", err)
	}
	out := make([]subjectPathway, 0, len(rows))
	for _, r := range rows {
		out = append(out, subjectPathway{Pathway: Pathway{ID: r.ID, PersonID: r.PersonID, Programme: r.Programme,
			Stage: r.Stage, Source: r.Source, EngagedOn: dpoDay(&r.EngagedOn), AssignedTo: r.AssignedTo,
			AssignedName: r.AssignedName, NEETStart: r.NeetStart, NEETClose: r.NeetClose,
			NextFollowUp: dpoDay(r.NextFollowUp), ClosedOn: dpoDay(r.ClosedOn), ClosureReason: r.ClosureReason,
			Version: r.Version}, anonymised: r.AnonymisedAt != nil})
	}
	return out, nil
}

// dpoDay is a date column as "YYYY-MM-DD", "" for NULL.
func dpoDay(t *time.Time) Date {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}
