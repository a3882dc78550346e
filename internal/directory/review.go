package directory

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

var (
	errNothingChanged = apperr.New(apperr.Invalid, "nessuna modifica rispetto al servizio pubblicato", "nothing differs from the service as it stands")
	errPendingExists  = apperr.New(apperr.Conflict, "una proposta di modifica di questo servizio attende già la revisione dell'Ufficio di Piano",
		"a proposed change of this service already awaits the Ufficio di Piano's review")
	errChangeDecided = apperr.New(apperr.Conflict, "la proposta è già stata esaminata", "the proposed change was already reviewed")
	errChangeStale   = apperr.New(apperr.Conflict, "il servizio è cambiato dopo la proposta: chiedere al partner di riproporla",
		"the service changed after the proposal: ask the partner to propose again")
)

// propose stores a partner's edit of cur as a pending change, field by field.
func propose(tx *tenancy.Tx, a actor.Actor, cur, next ServiceRecord) (Change, error) {
	fields, err := diff(canonical(cur), canonical(next), partnerKeeps)
	if err != nil {
		return Change{}, err
	}
	if len(fields) == 0 {
		return Change{}, errNothingChanged
	}
	c := Change{ID: uuid.NewString(), ServiceID: cur.ID, ServiceName: cur.Name, Status: ChangePending, Fields: fields,
		ProposedBy: a.ID, ProposedByName: a.Name, ProposedAt: time.Now()}
	if err := tx.Omit("ServiceName").Create(&c).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return Change{}, errPendingExists
		}
		return Change{}, storeError(err, "proposta di modifica")
	}
	return c, nil
}

// ChangeFilter narrows the list of proposed changes; Status "" is every status.
type ChangeFilter struct {
	Status ChangeStatus
	Page
}

// Changes lists proposed changes, oldest pending first (Ufficio di Piano).
func (s *Service) Changes(ctx context.Context, a actor.Actor, f ChangeFilter) ([]Change, int64, error) {
	if !a.Can(object, actReview) {
		return nil, 0, errForbidden
	}
	if f.Status != "" && f.Status != ChangePending && f.Status != ChangeApproved && f.Status != ChangeRejected {
		return nil, 0, apperr.Invalidf("status", "stato ammesso: pending, approved, rejected", "allowed: pending, approved, rejected")
	}
	var out []Change
	var total int64
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		q := changeQuery(tx)
		if f.Status != "" {
			q = q.Where("c.status = ?", f.Status)
		}
		if err := q.Count(&total).Error; err != nil {
			return storeError(err, "proposte di modifica")
		}
		return storeError(q.Order("c.proposed_at, c.id").Limit(f.limit()).Offset(f.Offset).Find(&out).Error, "proposte di modifica")
	})
	return out, total, err
}

func changeQuery(tx *tenancy.Tx) *gorm.DB {
	return tx.Table("service_changes c").Select("c.*, s.name AS service_name").Joins("JOIN services s ON s.id = c.service_id")
}

// lockChange finds a pending change and holds its row until the transaction ends, so that two
// reviewers cannot both decide it.
func lockChange(tx *tenancy.Tx, id string) (Change, error) {
	if err := tx.Exec("SELECT 1 FROM service_changes WHERE id = ? FOR UPDATE", orZero(id)).Error; err != nil {
		return Change{}, storeError(err, "proposta di modifica")
	}
	return findChange(tx, id)
}

func findChange(tx *tenancy.Tx, id string) (Change, error) {
	if !validID(id) {
		return Change{}, errChangeNotFound
	}
	var cs []Change
	if err := changeQuery(tx).Where("c.id = ?", id).Find(&cs).Error; err != nil {
		return Change{}, storeError(err, "proposta di modifica")
	}
	if len(cs) == 0 {
		return Change{}, errChangeNotFound
	}
	if cs[0].Status != ChangePending {
		return Change{}, errChangeDecided
	}
	return cs[0], nil
}

// ApproveChange applies a pending change to its service (Ufficio di Piano): every field as the
// partner proposed it, one metadata row per field with before and after, and the service
// counts as verified today. Conflict if the service changed since on a proposed field.
func (s *Service) ApproveChange(ctx context.Context, a actor.Actor, id string) (Change, error) {
	if !a.Can(object, actReview) {
		return Change{}, errForbidden
	}
	var out Change
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		c, err := lockChange(tx, id)
		if err != nil {
			return err
		}
		cur, err := findService(tx, anyService, c.ServiceID)
		if err != nil {
			return err
		}
		now, err := fields(canonical(cur))
		if err != nil {
			return err
		}
		for _, f := range c.Fields {
			if !sameJSON(orNull(now[f.Field]), f.Before) {
				return errChangeStale.WithField(f.Field)
			}
			now[f.Field] = f.After
		}
		raw, err := json.Marshal(now)
		if err != nil {
			return err
		}
		var next ServiceRecord
		if err := json.Unmarshal(raw, &next); err != nil {
			return apperr.Wrap(apperr.Conflict, err, "la proposta non si applica più al servizio", "the proposal no longer fits the service")
		}
		next = restore(next, cur, partnerKeeps)
		next.AssuredDate = Date(time.Now().Format(time.DateOnly))
		if err := next.validate(s.taxonomy); err != nil {
			return err
		}
		if err := checkReferences(tx, &next); err != nil {
			return err
		}
		if err := saveService(tx, &next, false); err != nil {
			return err
		}
		by := c.ProposedByName + " (" + c.ProposedBy + "), approvato da " + a.Name
		for _, f := range c.Fields {
			if err := record(tx, c.ServiceID, "service", "update", f.Field, string(f.Before), string(f.After), by); err != nil {
				return err
			}
		}
		if err := record(tx, c.ServiceID, "service", "confirm", "assured_date", jsonText(cur.AssuredDate), jsonText(next.AssuredDate), by); err != nil {
			return err
		}
		out, err = decide(tx, a, c, ChangeApproved, "")
		return err
	})
	return out, err
}

// RejectChange turns a pending change down with a note for the partner (Ufficio di Piano);
// the service stays as it was.
func (s *Service) RejectChange(ctx context.Context, a actor.Actor, id, note string) (Change, error) {
	if !a.Can(object, actReview) {
		return Change{}, errForbidden
	}
	note = strings.TrimSpace(note)
	if note == "" || len(note) > 2000 {
		return Change{}, apperr.Invalidf("note", "spiegare al partner perché (massimo 2.000 caratteri)", "tell the partner why (at most 2,000 characters)")
	}
	var out Change
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		c, err := lockChange(tx, id)
		if err != nil {
			return err
		}
		out, err = decide(tx, a, c, ChangeRejected, note)
		return err
	})
	return out, err
}

func decide(tx *tenancy.Tx, a actor.Actor, c Change, st ChangeStatus, note string) (Change, error) {
	now := time.Now()
	if err := tx.Exec("UPDATE service_changes SET status = ?, reviewed_by = ?, reviewed_at = ?, review_note = ? WHERE id = ?",
		st, a.Name, now, note, c.ID).Error; err != nil {
		return Change{}, storeError(err, "proposta di modifica")
	}
	c.Status, c.ReviewedBy, c.ReviewedAt, c.ReviewNote = st, a.Name, &now, note
	return c, nil
}

// orZero keeps a malformed id out of a uuid comparison (it would be a database error).
func orZero(id string) string {
	if validID(id) {
		return id
	}
	return "00000000-0000-0000-0000-000000000000"
}
