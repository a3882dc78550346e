package plan

import (
	"context"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

var partnerCodeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,60}$`)

// PartnerInput creates or updates a partner.
type PartnerInput struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Kind string `json:"kind"`
	Note string `json:"note"`
}

// partnerFields are the partner form's fields, in its order.
var partnerFields = []string{"name", "kind", "code", "note"}

// validate checks a partner, every field at once.
func (in *PartnerInput) validate() error {
	var ps problems
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	switch {
	case in.Name == "":
		ps.add(apperr.Invalidf("name", "Indicare il nome del partner", "Enter the partner's name"))
	case len(in.Name) > 300:
		ps.add(apperr.Invalidf("name", "Il nome è troppo lungo: al massimo 300 caratteri", "The name is too long: at most 300 characters"))
	}
	if !contains(PartnerKinds, in.Kind) {
		ps.add(apperr.Invalidf("kind", "Scegliere il tipo di partner", "Choose the partner's kind"))
	}
	switch {
	case in.Code == "":
		ps.add(apperr.Invalidf("code", "Indicare il codice organizzazione (minuscole, cifre e '-', es. ilponte): è quello dei suoi utenti", "Enter the organisation code (lower case, digits and '-', e.g. ilponte): it is its users' one"))
	case !partnerCodeRE.MatchString(in.Code):
		ps.add(apperr.Invalidf("code", "Il codice «%s» non va bene: solo minuscole, cifre e '-' (es. ilponte), da 2 a 61 caratteri", "The code “%s” will not do: lower case, digits and '-' only (e.g. ilponte), 2 to 61 characters", in.Code))
	}
	if len(in.Note) > 2000 {
		ps.add(apperr.Invalidf("note", "La nota è troppo lunga: al massimo 2.000 caratteri", "The note is too long: at most 2,000 characters"))
	}
	return ordered(ps.err(), partnerFields)
}

// Partners lists the district's partners by name.
func (s *Service) Partners(ctx context.Context, actor Actor, p Page) ([]Partner, int64, error) {
	var out []Partner
	var total int64
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) error {
		if err := tx.Model(&Partner{}).Count(&total).Error; err != nil {
			return err
		}
		return tx.Order("name").Limit(p.Limit).Offset(p.Offset).Find(&out).Error
	})
	return out, total, err
}

// CreatePartner adds a partner.
func (s *Service) CreatePartner(ctx context.Context, actor Actor, in PartnerInput) (Partner, error) {
	if err := in.validate(); err != nil {
		return Partner{}, err
	}
	p := Partner{Code: in.Code, Name: in.Name, Kind: in.Kind, Note: in.Note}
	err := s.write(ctx, actor, func(tx *tenancy.Tx) error {
		if err := tx.Create(&p).Error; err != nil {
			if e := storeError(err, "partner"); apperr.CodeOf(e) == apperr.Conflict {
				return apperr.Invalidf("code", "Esiste già un partner con il codice «%s»", "A partner with the code “%s” already exists", in.Code)
			}
			return storeError(err, "partner")
		}
		return nil
	})
	return p, err
}

// assignmentQuery selects assignments with their objective's title and partner's name.
func assignmentQuery(tx *tenancy.Tx) *gorm.DB {
	return tx.Table("assignments a").
		Select("a.*, o.title AS objective_title, o.plan_id, p.name AS partner_name").
		Joins("JOIN objectives o ON o.id = a.objective_id").
		Joins("JOIN partners p ON p.id = a.partner_id")
}

// visibleAssignments selects the assignments the transaction's actor may see: everything for
// the district's own staff and the Assemblea, only its organisation's for a partner.
func visibleAssignments(tx *tenancy.Tx) *gorm.DB {
	q := assignmentQuery(tx)
	if seesAllAssignments(tx.Actor) {
		return q
	}
	return q.Where("p.code = ?", tx.Actor.Organisation)
}

// Assignments lists the assignments the actor may see, optionally of one plan.
func (s *Service) Assignments(ctx context.Context, actor Actor, planID int64, p Page) ([]Assignment, int64, error) {
	var out []Assignment
	var total int64
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) error {
		q := visibleAssignments(tx)
		if planID != 0 {
			q = q.Where("o.plan_id = ?", planID)
		}
		if err := q.Count(&total).Error; err != nil {
			return err
		}
		return q.Order("a.id").Limit(p.Limit).Offset(p.Offset).Find(&out).Error
	})
	return out, total, err
}

// Assignment returns one assignment the actor may see; another partner's is not found.
func (s *Service) Assignment(ctx context.Context, actor Actor, id int64) (Assignment, error) {
	var a Assignment
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) (err error) {
		a, err = findAssignment(tx, id)
		return err
	})
	return a, err
}

func findAssignment(tx *tenancy.Tx, id int64) (Assignment, error) {
	var as []Assignment
	if err := visibleAssignments(tx).Where("a.id = ?", id).Find(&as).Error; err != nil {
		return Assignment{}, err
	}
	if len(as) == 0 {
		return Assignment{}, errAssignmentNotFound
	}
	return as[0], nil
}

// AssignmentInput entrusts an activity of an objective to a partner.
type AssignmentInput struct {
	PartnerID int64  `json:"partner_id"`
	Activity  string `json:"activity"`
	// AssignedOn (YYYY-MM-DD) is the day it was entrusted; empty: today.
	AssignedOn  string `json:"assigned_on"`
	BudgetCents *int64 `json:"budget_cents"`
}

// validate checks an assignment on its own and trims its activity.
func (in *AssignmentInput) validate() error {
	var ps problems
	in.Activity = strings.TrimSpace(in.Activity)
	if in.PartnerID <= 0 {
		ps.add(apperr.Invalidf("partner_id", "Scegliere il partner", "Choose the partner"))
	}
	switch {
	case in.Activity == "":
		ps.add(apperr.Invalidf("activity", "Descrivere l'attività affidata", "Describe the activity entrusted"))
	case len(in.Activity) > 2000:
		ps.add(apperr.Invalidf("activity", "La descrizione dell'attività è troppo lunga: al massimo 2.000 caratteri", "The activity's description is too long: at most 2,000 characters"))
	}
	ps.add(in.validateTerms())
	return ps.err()
}

// assignmentFields are the assignment form's fields, in its order (budget_cents is the
// form's "budget").
var assignmentFields = []string{"partner_id", "activity", "assigned_on", "budget_cents", "budget"}

// Assign entrusts an activity of an objective to a partner (plan content).
func (s *Service) Assign(ctx context.Context, actor Actor, objectiveID int64, in AssignmentInput) (Assignment, error) {
	if err := in.validate(); err != nil {
		return Assignment{}, err
	}
	var a Assignment
	err := s.write(ctx, actor, func(tx *tenancy.Tx) error {
		o, err := findObjective(tx, objectiveID)
		if err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Partner{}).Where("id = ?", in.PartnerID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return apperr.Invalidf("partner_id", "Il partner scelto non esiste più: sceglierne uno dall'elenco", "The partner chosen no longer exists: choose one from the list")
		}
		amendment, err := contentGuard(tx, o.PlanID)
		if err != nil {
			return err
		}
		a = Assignment{ObjectiveID: objectiveID, PartnerID: in.PartnerID, Activity: in.Activity, BudgetCents: in.BudgetCents,
			AssignedOn: in.assignedOn(time.Now())}
		if err := tx.Omit("objective_title", "partner_name", "plan_id").Create(&a).Error; err != nil {
			return storeError(err, "incarico")
		}
		if err := record(tx, amendment, actor, "assignment", a.ID, "create", nil, a); err != nil {
			return err
		}
		a, err = findAssignment(tx, a.ID)
		return err
	})
	return a, err
}

// Unassign removes an assignment (plan content).
func (s *Service) Unassign(ctx context.Context, actor Actor, id int64) error {
	return s.write(ctx, actor, func(tx *tenancy.Tx) error {
		a, err := findAssignment(tx, id)
		if err != nil {
			return err
		}
		amendment, err := contentGuard(tx, a.PlanID)
		if err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Delete(&Assignment{}).Error; err != nil {
			return storeError(err, "incarico")
		}
		return record(tx, amendment, actor, "assignment", id, "delete", a, nil)
	})
}
