package pathway

// A minimal stand-in for three functions of the core part of the room (HA), so that the records
// part builds and is tested on its own. The integrator deletes this file and keeps the core's
// versions, which have the same signatures and meaning.

import (
	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/apperr"
)

// recStubPathway is a pathways row as the stub reads it.
type recStubPathway struct {
	ID            string
	PersonID      string
	Programme     string
	Stage         string
	Source        string
	EngagedOn     string
	AssignedTo    string
	AssignedName  string
	NEETStart     string `gorm:"column:neet_start"`
	NEETClose     string `gorm:"column:neet_close"`
	NextFollowUp  string
	ClosedOn      string
	ClosureReason string
	Version       int
}

// loadPathway reads a pathway the actor may see, with how much of it they see; errNotFound
// for one that does not exist or is not theirs to see.
func (s *session) loadPathway(id string) (Pathway, reach, error) {
	if _, err := uuid.Parse(id); err != nil {
		return Pathway{}, reachNone, errNotFound
	}
	cond, args := s.visible()
	var rows []recStubPathway
	err := s.Raw(`SELECT id::text, person_id::text, programme, stage, source, engaged_on::text AS engaged_on,
		assigned_to, assigned_name, neet_start, neet_close,
		COALESCE(next_follow_up::text, '') AS next_follow_up, COALESCE(closed_on::text, '') AS closed_on,
		closure_reason, version
		FROM pathways WHERE id = ? AND anonymised_at IS NULL AND `+cond, append([]any{id}, args...)...).Scan(&rows).Error
	if err != nil {
		return Pathway{}, reachNone, err
	}
	if len(rows) == 0 {
		return Pathway{}, reachNone, errNotFound
	}
	r := rows[0]
	p := Pathway{ID: r.ID, PersonID: r.PersonID, Programme: r.Programme, Stage: r.Stage, Source: r.Source,
		EngagedOn: r.EngagedOn, AssignedTo: r.AssignedTo, AssignedName: r.AssignedName, NEETStart: r.NEETStart,
		NEETClose: r.NEETClose, NextFollowUp: r.NextFollowUp, ClosedOn: r.ClosedOn, ClosureReason: r.ClosureReason,
		Version: r.Version}
	rc := s.reachOf(p)
	if rc == reachNone {
		return Pathway{}, reachNone, errNotFound
	}
	return p, rc, nil
}

// requireWritable refuses new records on a closed pathway, or on one whose person withdrew
// the consent to the pathway itself (trattamento).
func (s *session) requireWritable(p Pathway) error {
	if p.ClosedOn != "" {
		return apperr.New(apperr.Conflict, "il percorso è chiuso: non si registrano altri dati",
			"the pathway is closed: nothing more can be recorded")
	}
	var given []bool
	if err := s.Raw(`SELECT given FROM consents WHERE person_id = ? AND purpose = ?
		ORDER BY recorded_at DESC LIMIT 1`, p.PersonID, PurposeProcessing).Scan(&given).Error; err != nil {
		return err
	}
	if len(given) == 1 && !given[0] {
		return apperr.New(apperr.Conflict, "la persona ha revocato il consenso al trattamento: il percorso è sospeso",
			"the person withdrew the consent to processing: the pathway is frozen")
	}
	return nil
}

// event writes a line of the pathway's history; detail holds codes and ids only.
func (s *session) event(p Pathway, kind, from, to, detail string) error {
	return s.Exec(`INSERT INTO pathway_events (pathway_id, at, actor_id, actor_name, kind, from_stage, to_stage, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, s.svc.now(), s.Actor.ID, s.Actor.Name, kind, from, to, detail).Error
}
