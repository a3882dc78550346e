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

// evaluationFields are the evaluation sheet's fields, in the form's order.
var evaluationFields = []string{"achievement_pct", "user_evaluation", "user_evaluation_note", "resource_match_pct", "resource_match_note",
	"issues", "need_met", "need_met_note", "continuity_previous", "continuity_note", "proposed_again", "proposed_again_note"}

// validate checks an evaluation sheet, every field at once in the form's order.
func (e *Evaluation) validate() error {
	var ps problems
	pct := func(field string, v *int) {
		if v != nil && (*v < 0 || *v > 100) {
			ps.add(apperr.Invalidf(field, "Una percentuale va da 0 a 100, non %d", "A percentage goes from 0 to 100, not %d", *v))
		}
	}
	texts := map[string]string{"user_evaluation_note": e.UserEvaluationNote, "resource_match_note": e.ResourceMatchNote,
		"issues": e.Issues, "need_met_note": e.NeedMetNote, "continuity_note": e.ContinuityNote, "proposed_again_note": e.ProposedAgainNote}
	for _, field := range evaluationFields {
		switch field {
		case "achievement_pct":
			pct(field, e.AchievementPct)
		case "resource_match_pct":
			pct(field, e.ResourceMatchPct)
		case "user_evaluation":
			if e.UserEvaluation != "" && !contains(UserEvaluations, e.UserEvaluation) {
				ps.add(apperr.Invalidf(field, "Scegliere la valutazione degli utenti dall'elenco", "Choose the users' evaluation from the list"))
			}
		case "need_met":
			if e.NeedMet != "" && !contains(NeedMetAnswers, e.NeedMet) {
				ps.add(apperr.Invalidf(field, "Scegliere dall'elenco se l'obiettivo ha risposto al bisogno", "Choose from the list whether the objective met the need"))
			}
		default:
			if len(texts[field]) > 10000 {
				ps.add(apperr.Invalidf(field, "Il testo è troppo lungo: al massimo 10.000 caratteri", "The text is too long: at most 10,000 characters"))
			}
		}
	}
	return ps.err()
}

// SetEvaluation fills (or corrects) the evaluation sheet of an objective for a year, applying
// edit to what is there (an empty sheet the first time). When the resource match is not given, it is
// proposed from the budget: impegnato over stanziato for that year.
func (s *Service) SetEvaluation(ctx context.Context, actor Actor, objectiveID int64, year int, edit Edit[Evaluation]) (Evaluation, error) {
	var e Evaluation
	if year < 2000 || year > 2100 {
		return e, apperr.Invalidf("year", "L'anno %d non è valido", "The year %d is not valid", year)
	}
	var touched int64
	err := s.writeIn(ctx, actor, &touched, func(tx *tenancy.Tx) error {
		o, err := objectiveForWrite(tx, actor, objectiveID)
		if err != nil {
			return err
		}
		if err := monitoringGuard(tx, o.PlanID); err != nil {
			return err
		}
		touched = o.PlanID
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
