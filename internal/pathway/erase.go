package pathway

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// ErasureInput is a request to erase a person's data: why, and the request's reference (a
// protocol number), kept in the audit trail.
type ErasureInput struct {
	Reason    string `json:"reason"`
	Reference string `json:"reference"`
}

// Erasure is what an erasure did.
type Erasure struct {
	PersonID       string    `json:"person_id"`
	ErasedAt       time.Time `json:"erased_at"`
	PathwaysClosed int       `json:"pathways_closed"`
}

// closureErased is the closure reason of a pathway closed by an erasure; it is none of the
// programmes' reasons on purpose.
const closureErased = "cancellazione_dati"

// ErasePerson erases a person on request (the DPO): their data key is destroyed, so that every
// value sealed for them, here, in a backup or in an export, can no longer be opened; the
// identifying columns are emptied, and the other sealed columns that may be empty too; their
// open pathways are closed. The audit trail keeps the fact under the pseudonymous id.
func (s *Service) ErasePerson(ctx context.Context, a actor.Actor, personID string, in ErasureInput) (Erasure, error) {
	if !a.Can(objSubjects, actManage) {
		return Erasure{}, errMayNotManageSubjects
	}
	in.Reason, in.Reference = strings.TrimSpace(in.Reason), strings.TrimSpace(in.Reference)
	switch {
	case in.Reason == "":
		return Erasure{}, apperr.Invalidf("reason", "indica il motivo della cancellazione", "give the reason for the erasure")
	case len(in.Reason) > 500:
		return Erasure{}, apperr.Invalidf("reason", "il motivo è troppo lungo (al massimo 500 caratteri)", "the reason is too long (at most 500 characters)")
	case len(in.Reference) > 100:
		return Erasure{}, apperr.Invalidf("reference", "il riferimento è troppo lungo (al massimo 100 caratteri)", "the reference is too long (at most 100 characters)")
	}
	var e Erasure
	err := s.work(ctx, a, func(ses *session) error {
		sub, err := ses.subject(personID)
		if err != nil {
			return err
		}
		if sub.Erased {
			return keyring.ErrShredded
		}
		e, err = ses.erase(personID, in.Reference)
		return err
	})
	return e, err
}

// erase does the erasure in the session's transaction (also for retention): reference goes to
// the audit row.
func (s *session) erase(personID, reference string) (Erasure, error) {
	if _, err := s.keys.Shred(personID); err != nil {
		return Erasure{}, err
	}
	now := s.svc.now()
	if err := s.Exec(`UPDATE persons SET given_name_enc = NULL, family_name_enc = NULL, cf_enc = NULL,
		cf_blind = NULL, birth_date_enc = NULL, contacts_enc = NULL, erased_at = ?, updated_at = ?
		WHERE id = ?`, now, now, personID).Error; err != nil {
		return Erasure{}, fmt.Errorf("pathway: erase a person: %w", err)
	}
	if err := s.Exec(`UPDATE consent_overrides SET reason_enc = NULL WHERE person_id = ?`, personID).Error; err != nil {
		return Erasure{}, fmt.Errorf("pathway: erase a person's overrides: %w", err)
	}
	ps, err := s.pathwaysOfPerson(personID)
	if err != nil {
		return Erasure{}, err
	}
	e := Erasure{PersonID: personID, ErasedAt: now}
	for _, p := range ps {
		if err := s.emptyRecords(p.ID); err != nil {
			return Erasure{}, err
		}
		if p.ClosedOn != "" {
			if err := s.dpoEvent(p.Pathway, "erasure", p.Stage, p.Stage); err != nil {
				return Erasure{}, err
			}
			continue
		}
		to := p.Stage
		if prog, ok := s.svc.programmes[p.Programme]; ok {
			to = prog.ClosedStage()
		}
		if err := s.Exec(`UPDATE pathways SET closed_on = ?, closure_reason = ?, stage = ?, next_follow_up = NULL,
			version = version + 1, updated_at = ? WHERE id = ?`, s.svc.today().Format(time.DateOnly), closureErased,
			to, now, p.ID).Error; err != nil {
			return Erasure{}, fmt.Errorf("pathway: close an erased person's pathway: %w", err)
		}
		if err := s.dpoEvent(p.Pathway, "erasure", p.Stage, to); err != nil {
			return Erasure{}, err
		}
		e.PathwaysClosed++
	}
	s.Audit(tenancy.Access{Subject: personID, What: "persona", Action: "erase", Detail: reference})
	return e, nil
}

// emptyRecords empties the sealed columns of a pathway's records that may be empty; the others
// stay as ciphertext that no key opens any more.
func (s *session) emptyRecords(pathwayID string) error {
	for _, q := range []string{
		"UPDATE activities SET description_enc = NULL WHERE pathway_id = ? AND description_enc IS NOT NULL",
		"UPDATE pathway_meetings SET notes_enc = NULL WHERE pathway_id = ? AND notes_enc IS NOT NULL",
		"UPDATE outcome_measures SET anxiety_enc = NULL WHERE pathway_id = ? AND anxiety_enc IS NOT NULL",
		"UPDATE referrals SET reason_enc = NULL, contact_enc = NULL WHERE pathway_id = ?",
		`UPDATE referral_steps SET note_enc = NULL WHERE note_enc IS NOT NULL
			AND referral_id IN (SELECT id FROM referrals WHERE pathway_id = ?)`,
	} {
		if err := s.Exec(q, pathwayID).Error; err != nil {
			return fmt.Errorf("pathway: empty a pathway's records: %w", err)
		}
	}
	return nil
}

// dpoEvent writes a line of the pathway's history for the DPO's part (no personal data).
func (s *session) dpoEvent(p Pathway, kind, from, to string) error {
	s.wrote = true
	if err := s.Exec(`INSERT INTO pathway_events (pathway_id, actor_id, actor_name, kind, from_stage, to_stage)
		VALUES (?, ?, ?, ?, ?, ?)`, p.ID, s.Actor.ID, s.Actor.Name, kind, from, to).Error; err != nil {
		return fmt.Errorf("pathway: record a pathway event: %w", err)
	}
	return nil
}
