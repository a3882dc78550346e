package plan

import (
	"context"
	"strings"
	"time"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// ObjectiveFilter narrows a plan's objectives.
type ObjectiveFilter struct {
	AreaCode      string
	SocioSanitary *bool
	Query         string // words in the title or description
	Page
}

// Objectives lists a plan's objectives in their order, with the total count, in one round
// trip. Errors: NotFound when the plan does not exist.
func (s *Service) Objectives(ctx context.Context, actor Actor, planID int64, f ObjectiveFilter) ([]Objective, int64, error) {
	l, err := s.ObjectiveList(ctx, actor, planID, f)
	return l.Objectives, l.Total, err
}

// ObjectiveList is Objectives with the district's data version it was read at, in the same
// round trip (see PlanVersion). Errors: NotFound when the plan does not exist.
func (s *Service) ObjectiveList(ctx context.Context, actor Actor, planID int64, f ObjectiveFilter) (ObjectiveWindow, error) {
	var l ObjectiveWindow
	if err := s.read(ctx, actor, func(r *reads) {
		queueDataVersion(r, planTables, &l.Version)
		queueObjectiveList(r, planID, f, &l)
	}); err != nil {
		return ObjectiveWindow{}, err
	}
	if !l.Found {
		return ObjectiveWindow{}, errPlanNotFound
	}
	return l, nil
}

func findObjective(tx *tenancy.Tx, id int64) (Objective, error) {
	var os []Objective
	if err := tx.Where("id = ?", id).Limit(1).Find(&os).Error; err != nil {
		return Objective{}, err
	}
	if len(os) == 0 {
		return Objective{}, errObjectiveNotFound
	}
	return os[0], nil
}

// objectiveLongTexts are the sheet's long texts, in the form's order.
var objectiveLongTexts = []string{"description", "target", "timing", "economic_resources", "staff_resources",
	"transversal_areas", "co_design_partners", "needs", "process_modalities", "expected_results", "impact"}

// validate checks an objective, every field at once in the form's order, and against the
// district's catalogue (tx nil: the catalogue is not read, as when the page could not read
// the form and only lists what else is wrong).
func (o *Objective) validate(tx *tenancy.Tx) error {
	var ps problems
	o.Title = strings.TrimSpace(o.Title)
	switch {
	case o.Title == "":
		ps.add(apperr.Invalidf("title", "Indicare il titolo dell'obiettivo", "Enter the objective's title"))
	case len(o.Title) > 300:
		ps.add(apperr.Invalidf("title", "Il titolo è troppo lungo: al massimo 300 caratteri", "The title is too long: at most 300 characters"))
	}
	if err := o.validateCatalogue(tx, &ps); err != nil {
		return err
	}
	if o.Marker != "" && o.Marker != Innovative && o.Marker != Continuing {
		ps.add(apperr.Invalidf("marker", "Scegliere se l'obiettivo è innovativo o in continuità (o nessuno dei due)", "Choose whether the objective is innovative or continuing (or neither)"))
	}
	ps.add(checkPosition(o.Position))
	texts := map[string]string{"description": o.Description, "target": o.Target, "timing": o.Timing,
		"economic_resources": o.EconomicResources, "staff_resources": o.StaffResources, "transversal_areas": o.TransversalAreas,
		"co_design_partners": o.CoDesignPartners, "needs": o.Needs, "process_modalities": o.ProcessModalities,
		"expected_results": o.ExpectedResults, "impact": o.Impact}
	for _, field := range objectiveLongTexts {
		if len(texts[field]) > 20000 {
			ps.add(apperr.Invalidf(field, "Il testo è troppo lungo: al massimo 20.000 caratteri", "The text is too long: at most 20,000 characters"))
		}
	}
	return ps.err()
}

// validateCatalogue checks the objective's area and item against the region's catalogue;
// the error it returns is a failure to read it.
func (o *Objective) validateCatalogue(tx *tenancy.Tx, ps *problems) error {
	o.AreaCode = strings.TrimSpace(o.AreaCode)
	if o.ItemCode != nil && strings.TrimSpace(*o.ItemCode) == "" {
		o.ItemCode = nil
	}
	if o.AreaCode == "" {
		ps.add(apperr.Invalidf("area_code", "Scegliere l'area del catalogo regionale", "Choose the area of the region's catalogue"))
	}
	if tx == nil {
		return nil
	}
	if o.AreaCode != "" {
		var n int64
		if err := tx.Table("policy_areas").Where("code = ?", o.AreaCode).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			ps.add(apperr.Invalidf("area_code", "L'area «%s» non è nel catalogo della regione: sceglierne una dall'elenco",
				"The area “%s” is not in the region's catalogue: choose one from the list", o.AreaCode))
		}
	}
	if o.ItemCode != nil {
		var area []string
		if err := tx.Table("policy_area_items").Where("code = ?", *o.ItemCode).Pluck("area_code", &area).Error; err != nil {
			return err
		}
		switch {
		case len(area) == 0:
			ps.add(apperr.Invalidf("item_code", "La voce «%s» non è nel catalogo: sceglierne una dall'elenco", "The item “%s” is not in the catalogue: choose one from the list", *o.ItemCode))
		case o.AreaCode != "" && area[0] != o.AreaCode:
			ps.add(apperr.Invalidf("item_code", "La voce «%s» è dell'area %s, non dell'area scelta (%s)", "The item “%s” belongs to area %s, not to the area chosen (%s)", *o.ItemCode, area[0], o.AreaCode))
		}
	}
	return nil
}

// CreateObjective adds an objective to a plan (Ufficio di Piano).
func (s *Service) CreateObjective(ctx context.Context, actor Actor, planID int64, o Objective) (Objective, error) {
	var touched int64
	err := s.writeIn(ctx, actor, &touched, func(tx *tenancy.Tx) error {
		amendment, err := contentGuard(tx, planID)
		if err != nil {
			return err
		}
		touched = planID
		o.ID, o.PlanID, o.CreatedAt, o.UpdatedAt, o.RipropostoDa = 0, planID, time.Now(), time.Now(), nil
		if err := o.validate(tx); err != nil {
			return err
		}
		if o.Position == 0 {
			if err := tx.Raw(`SELECT least(coalesce(max(position), 0) + 1, ?) FROM objectives WHERE plan_id = ?`, maxPosition, planID).Scan(&o.Position).Error; err != nil {
				return err
			}
		}
		if err := tx.Create(&o).Error; err != nil {
			return storeError(err, "obiettivo")
		}
		return record(tx, amendment, actor, "objective", o.ID, "create", nil, o)
	})
	return o, err
}

// UpdateObjective applies edit to an objective. The Ufficio di Piano edits any
// objective; health staff only those of socio-sanitary integration, and cannot take that flag
// away (it is what gives them access).
func (s *Service) UpdateObjective(ctx context.Context, actor Actor, id int64, edit Edit[Objective]) (Objective, error) {
	var o Objective
	var touched int64
	err := s.writeIn(ctx, actor, &touched, func(tx *tenancy.Tx) (err error) {
		if o, err = findObjective(tx, id); err != nil {
			return err
		}
		touched = o.PlanID
		if !writesAnyObjective(actor) && !o.SocioSanitary {
			return errOnlyIntegrated
		}
		amendment, err := contentGuard(tx, o.PlanID)
		if err != nil {
			return err
		}
		before, snap := o, snapshot(o)
		if err := edit(&o); err != nil {
			return err
		}
		o.ID, o.PlanID, o.CreatedAt, o.UpdatedAt = before.ID, before.PlanID, before.CreatedAt, time.Now()
		if !writesAnyObjective(actor) && !o.SocioSanitary {
			return apperr.Invalidf("socio_sanitary", "il personale sanitario non può togliere l'integrazione sociosanitaria",
				"health staff cannot remove socio-sanitary integration")
		}
		if err := o.validate(tx); err != nil {
			return err
		}
		if err := tx.Model(&o).Where("id = ?", id).Select("*").Omit("id", "plan_id", "created_at", "riproposto_da").Updates(&o).Error; err != nil {
			return storeError(err, "obiettivo")
		}
		return record(tx, amendment, actor, "objective", id, "update", snap, o)
	})
	return o, err
}

// DeleteObjective removes an objective with its indicators, budget and evaluations.
func (s *Service) DeleteObjective(ctx context.Context, actor Actor, id int64) error {
	var touched int64
	return s.writeIn(ctx, actor, &touched, func(tx *tenancy.Tx) error {
		o, err := findObjective(tx, id)
		if err != nil {
			return err
		}
		touched = o.PlanID
		amendment, err := contentGuard(tx, o.PlanID)
		if err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Delete(&Objective{}).Error; err != nil {
			return storeError(err, "obiettivo")
		}
		return record(tx, amendment, actor, "objective", id, "delete", o, nil)
	})
}

// ObjectiveDetail returns an objective with its indicators (with progress), budget,
// evaluations and assignments, in one round trip. Errors: NotFound.
func (s *Service) ObjectiveDetail(ctx context.Context, actor Actor, id int64) (ObjectiveDetail, error) {
	var ds []ObjectiveDetail
	if err := s.read(ctx, actor, func(r *reads) { queueDetails(r, oneObjective(id), &ds) }); err != nil {
		return ObjectiveDetail{}, err
	}
	if len(ds) == 0 {
		return ObjectiveDetail{}, errObjectiveNotFound
	}
	return ds[0], nil
}
