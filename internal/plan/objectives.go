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

// Objectives lists a plan's objectives in their order, with the total count.
func (s *Service) Objectives(ctx context.Context, actor Actor, planID int64, f ObjectiveFilter) ([]Objective, int64, error) {
	var out []Objective
	var total int64
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) error {
		if _, err := findPlan(tx, planID, false); err != nil {
			return err
		}
		q := tx.Model(&Objective{}).Where("plan_id = ?", planID)
		if f.AreaCode != "" {
			q = q.Where("area_code = ?", f.AreaCode)
		}
		if f.SocioSanitary != nil {
			q = q.Where("socio_sanitary = ?", *f.SocioSanitary)
		}
		if w := strings.TrimSpace(f.Query); w != "" {
			like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(w) + "%"
			q = q.Where("(title ILIKE ? OR description ILIKE ?)", like, like)
		}
		if err := q.Count(&total).Error; err != nil {
			return err
		}
		return q.Order("position, id").Limit(f.Limit).Offset(f.Offset).Find(&out).Error
	})
	return out, total, err
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

// validate checks an objective against the district's catalogue.
func (o *Objective) validate(tx *tenancy.Tx) error {
	o.Title = strings.TrimSpace(o.Title)
	if o.Title == "" {
		return apperr.Invalidf("title", "il titolo è obbligatorio", "the title is required")
	}
	if len(o.Title) > 300 {
		return apperr.Invalidf("title", "il titolo supera i 300 caratteri", "the title exceeds 300 characters")
	}
	for field, v := range map[string]string{"description": o.Description, "needs": o.Needs, "process_modalities": o.ProcessModalities,
		"expected_results": o.ExpectedResults, "impact": o.Impact, "target": o.Target, "economic_resources": o.EconomicResources,
		"staff_resources": o.StaffResources, "co_design_partners": o.CoDesignPartners, "transversal_areas": o.TransversalAreas, "timing": o.Timing} {
		if len(v) > 20000 {
			return apperr.Invalidf(field, "testo troppo lungo (massimo 20.000 caratteri)", "text too long (at most 20,000 characters)")
		}
	}
	if err := checkPosition(o.Position); err != nil {
		return err
	}
	if o.Marker != "" && o.Marker != Innovative && o.Marker != Continuing {
		return apperr.Invalidf("marker", "valore ammesso: innovativo o continuita", "allowed: innovativo or continuita")
	}
	if o.AreaCode == "" {
		return apperr.Invalidf("area_code", "indicare l'area (macro-area) del catalogo regionale", "the area of the regional catalogue is required")
	}
	var n int64
	if err := tx.Table("policy_areas").Where("code = ?", o.AreaCode).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 && strings.TrimSpace(o.AreaCode) == "" {
		return apperr.Invalidf("area_code", "Scegliere l'area del catalogo regionale", "Choose the area of the region's catalogue")
	}
	if n == 0 {
		return apperr.Invalidf("area_code", "area %q non presente nel catalogo della regione", "area %q is not in the region's catalogue", o.AreaCode)
	}
	if o.ItemCode != nil && *o.ItemCode == "" {
		o.ItemCode = nil
	}
	if o.ItemCode != nil {
		var area []string
		if err := tx.Table("policy_area_items").Where("code = ?", *o.ItemCode).Pluck("area_code", &area).Error; err != nil {
			return err
		}
		if len(area) == 0 {
			return apperr.Invalidf("item_code", "voce %q non presente nel catalogo", "item %q is not in the catalogue", *o.ItemCode)
		}
		if area[0] != o.AreaCode {
			return apperr.Invalidf("item_code", "la voce %q appartiene all'area %s, non %s", "item %q belongs to area %s, not %s", *o.ItemCode, area[0], o.AreaCode)
		}
	}
	return nil
}

// CreateObjective adds an objective to a plan (Ufficio di Piano).
func (s *Service) CreateObjective(ctx context.Context, actor Actor, planID int64, o Objective) (Objective, error) {
	err := s.write(ctx, actor, func(tx *tenancy.Tx) error {
		amendment, err := contentGuard(tx, planID)
		if err != nil {
			return err
		}
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
	err := s.write(ctx, actor, func(tx *tenancy.Tx) (err error) {
		if o, err = findObjective(tx, id); err != nil {
			return err
		}
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
	return s.write(ctx, actor, func(tx *tenancy.Tx) error {
		o, err := findObjective(tx, id)
		if err != nil {
			return err
		}
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
// evaluations and assignments.
func (s *Service) ObjectiveDetail(ctx context.Context, actor Actor, id int64) (ObjectiveDetail, error) {
	var d ObjectiveDetail
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) error {
		o, err := findObjective(tx, id)
		if err != nil {
			return err
		}
		ds, err := loadDetails(tx, []Objective{o})
		if err != nil {
			return err
		}
		d = ds[0]
		return nil
	})
	return d, err
}
