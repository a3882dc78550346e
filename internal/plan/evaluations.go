package plan

import (
	"context"
	"fmt"
	"time"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// The coded answers of the evaluation sheet, in the sheets' order; "" is an answer not given.
var (
	UserEvaluations = []string{"non_pertinente", "si", "non_attivata", "non_effettuata"} // the users' evaluation
	NeedMetAnswers  = []string{"si", "no", "in_parte", "parzialmente"}                   // whether the objective met a need
)

func (e *Evaluation) validate() error {
	pct := func(field string, v *int) error {
		if v != nil && (*v < 0 || *v > 100) {
			return apperr.Invalidf(field, "percentuale tra 0 e 100, non %d", "a percentage between 0 and 100, not %d", *v)
		}
		return nil
	}
	if err := pct("achievement_pct", e.AchievementPct); err != nil {
		return err
	}
	if err := pct("resource_match_pct", e.ResourceMatchPct); err != nil {
		return err
	}
	if e.UserEvaluation != "" && !contains(UserEvaluations, e.UserEvaluation) {
		allowed := joined(UserEvaluations)
		return apperr.Invalidf("user_evaluation", "valori ammessi: %s", "allowed: %s", allowed)
	}
	if e.NeedMet != "" && !contains(NeedMetAnswers, e.NeedMet) {
		allowed := joined(NeedMetAnswers)
		return apperr.Invalidf("need_met", "valori ammessi: %s", "allowed: %s", allowed)
	}
	for field, v := range map[string]string{"user_evaluation_note": e.UserEvaluationNote, "resource_match_note": e.ResourceMatchNote,
		"issues": e.Issues, "need_met_note": e.NeedMetNote, "continuity_note": e.ContinuityNote, "proposed_again_note": e.ProposedAgainNote} {
		if len(v) > 10000 {
			return apperr.Invalidf(field, "testo troppo lungo (massimo 10.000 caratteri)", "text too long (at most 10,000 characters)")
		}
	}
	return nil
}

// SetEvaluation fills (or corrects) the evaluation sheet of an objective for a year, applying
// edit to what is there (an empty sheet the first time). When the resource match is not given, it is
// proposed from the budget: impegnato over stanziato for that year.
func (s *Service) SetEvaluation(ctx context.Context, actor Actor, objectiveID int64, year int, edit Edit[Evaluation]) (Evaluation, error) {
	var e Evaluation
	if year < 2000 || year > 2100 {
		return e, apperr.Invalidf("year", "anno non valido: %d", "invalid year: %d", year)
	}
	err := s.write(ctx, actor, func(tx *tenancy.Tx) error {
		o, err := objectiveForWrite(tx, actor, objectiveID)
		if err != nil {
			return err
		}
		if err := monitoringGuard(tx, o.PlanID); err != nil {
			return err
		}
		p, err := findPlan(tx, o.PlanID, false)
		if err != nil {
			return err
		}
		if err := checkYearInPlan("year", year, p); err != nil {
			return err
		}
		var existing []Evaluation
		if err := tx.Where("objective_id = ? AND year = ?", objectiveID, year).Find(&existing).Error; err != nil {
			return err
		}
		if len(existing) == 1 {
			e = existing[0]
		}
		if err := edit(&e); err != nil {
			return err
		}
		e.ObjectiveID, e.Year, e.UpdatedBy, e.UpdatedAt = objectiveID, year, actor.ID, time.Now()
		if e.ResourceMatchPct == nil {
			var lines []BudgetLine
			if err := tx.Where("objective_id = ? AND year = ?", objectiveID, year).Find(&lines).Error; err != nil {
				return err
			}
			if p := Totals(lines).ImpegnatoPct; p != nil {
				v := int(*p + 0.5)
				v = min(v, 100)
				e.ResourceMatchPct = &v
			}
		}
		if err := e.validate(); err != nil {
			return err
		}
		if len(existing) == 1 {
			e.ID = existing[0].ID
			return storeError(tx.Model(&e).Where("id = ?", e.ID).Select("*").Omit("id", "objective_id", "year").Updates(&e).Error, "valutazione")
		}
		e.ID = 0
		return storeError(tx.Create(&e).Error, fmt.Sprintf("valutazione %d", year))
	})
	return e, err
}

// Evaluations lists an objective's evaluation sheets by year.
func (s *Service) Evaluations(ctx context.Context, actor Actor, objectiveID int64) ([]Evaluation, error) {
	var out []Evaluation
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) error {
		if _, err := findObjective(tx, objectiveID); err != nil {
			return err
		}
		return tx.Where("objective_id = ?", objectiveID).Order("year").Find(&out).Error
	})
	return out, err
}
