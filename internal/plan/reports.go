package plan

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// ReportStatus is where a partner's report stands in the Ufficio di Piano's review.
type ReportStatus string

// A report is sent, then accepted (it counts: its proposed measurement becomes a measurement
// and its expenditure is added to what the assignment has spent) or sent back for changes.
const (
	ReportSent     ReportStatus = "inviata"
	ReportAccepted ReportStatus = "accettata"
	ReportReturned ReportStatus = "da_modificare"
)

// validateTerms checks the assignment's date and budget.
func (in *AssignmentInput) validateTerms() error {
	var ps problems
	in.AssignedOn = strings.TrimSpace(in.AssignedOn)
	if in.AssignedOn != "" {
		ps.add(checkDate("assigned_on", in.AssignedOn))
	}
	if in.BudgetCents != nil && (*in.BudgetCents < 0 || *in.BudgetCents > maxCents) {
		ps.add(apperr.Invalidf("budget_cents", "L'importo va da 0 a 1.000.000.000 di euro", "The amount goes from 0 to 1,000,000,000 euro"))
	}
	return ps.err()
}

// assignedOn is the day the activity was entrusted: the one given, or today.
func (in *AssignmentInput) assignedOn(now time.Time) *time.Time {
	d, err := time.Parse(time.DateOnly, in.AssignedOn)
	if err != nil {
		d = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	}
	return &d
}

// ReportInput is what a partner reports for a period.
type ReportInput struct {
	Period           string   `json:"period"`
	UsersServed      *int     `json:"users_served"`
	Hours            *float64 `json:"hours"`
	Satisfaction     *float64 `json:"satisfaction"`
	Note             string   `json:"note"`
	ExpenditureCents *int64   `json:"expenditure_cents"`
	// A measurement proposed for one of the objective's indicators, for the same period.
	IndicatorID   *int64   `json:"indicator_id"`
	ProposedValue *float64 `json:"proposed_value"`
}

// reportFields are the report form's fields, in its order (expenditure_cents is the form's
// "expenditure").
var reportFields = []string{"period", "users_served", "hours", "satisfaction", "expenditure_cents", "expenditure", "indicator_id", "proposed_value", "note"}

// validate checks a report, every field at once in the form's order.
func (in *ReportInput) validate() error {
	var ps problems
	in.Period, in.Note = strings.TrimSpace(in.Period), strings.TrimSpace(in.Note)
	if !periodRE.MatchString(in.Period) {
		ps.add(periodError("period", in.Period))
	}
	if in.UsersServed != nil && (*in.UsersServed < 0 || *in.UsersServed > 10_000_000) {
		ps.add(apperr.Invalidf("users_served", "Il numero di utenti è un intero da 0 a 10.000.000", "The number of users is a whole number from 0 to 10,000,000"))
	}
	if in.Hours != nil && !(*in.Hours >= 0 && *in.Hours <= 10_000_000) {
		ps.add(apperr.Invalidf("hours", "Le ore vanno da 0 a 10.000.000", "The hours go from 0 to 10,000,000"))
	}
	if in.Satisfaction != nil && !(*in.Satisfaction >= 1 && *in.Satisfaction <= 5) {
		ps.add(apperr.Invalidf("satisfaction", "La soddisfazione va da 1 a 5", "Satisfaction goes from 1 to 5"))
	}
	if in.ExpenditureCents != nil && (*in.ExpenditureCents < 0 || *in.ExpenditureCents > maxCents) {
		ps.add(apperr.Invalidf("expenditure_cents", "La spesa va da 0 a 1.000.000.000 di euro", "The expenditure goes from 0 to 1,000,000,000 euro"))
	}
	switch {
	case in.IndicatorID != nil && in.ProposedValue == nil:
		ps.add(apperr.Invalidf("proposed_value", "Indicare il valore proposto per l'indicatore scelto", "Enter the value proposed for the chosen indicator"))
	case in.IndicatorID == nil && in.ProposedValue != nil:
		ps.add(apperr.Invalidf("indicator_id", "Scegliere l'indicatore a cui si riferisce il valore proposto", "Choose the indicator the proposed value is for"))
	}
	ps.add(checkDecimal("proposed_value", in.ProposedValue))
	if len(in.Note) > 4000 {
		ps.add(apperr.Invalidf("note", "La nota è troppo lunga: al massimo 4.000 caratteri", "The note is too long: at most 4,000 characters"))
	}
	return ps.err()
}

// errReportAccepted refuses to change what the Ufficio di Piano has already accepted.
var errReportAccepted = apperr.New(apperr.Conflict, "la rendicontazione del periodo è già stata accettata: non si può modificare",
	"the period's report has already been accepted: it cannot change")

// Report records (or corrects, until it is accepted) a partner's report on one of its
// assignments for a period; it waits for the Ufficio di Piano's review. Reports are aggregate
// figures: the note must not name people.
func (s *Service) Report(ctx context.Context, actor Actor, assignmentID int64, in ReportInput) (Report, error) {
	if err := in.validate(); err != nil {
		return Report{}, err
	}
	var r Report
	err := s.write(ctx, actor, func(tx *tenancy.Tx) error {
		a, err := findAssignment(tx, assignmentID)
		if err != nil {
			return err
		}
		if err := monitoringGuard(tx, a.PlanID); err != nil {
			return err
		}
		if in.IndicatorID != nil {
			if err := proposableIndicator(tx, a, *in.IndicatorID); err != nil {
				return err
			}
		}
		var prev []Report
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("assignment_id = ? AND period = ?", assignmentID, in.Period).Find(&prev).Error; err != nil {
			return err
		}
		if len(prev) > 0 && prev[0].Status == ReportAccepted {
			return errReportAccepted
		}
		// A correction goes back to the Ufficio di Piano: the previous review no longer holds,
		// but its note stays visible until the next one.
		return tx.Raw(`INSERT INTO assignment_reports (assignment_id, period, users_served, hours, satisfaction, note,
				expenditure_cents, indicator_id, proposed_value, status, reported_by, reported_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'inviata', ?, now())
			ON CONFLICT (assignment_id, period) DO UPDATE
			SET users_served = excluded.users_served, hours = excluded.hours, satisfaction = excluded.satisfaction,
			    note = excluded.note, expenditure_cents = excluded.expenditure_cents, indicator_id = excluded.indicator_id,
			    proposed_value = excluded.proposed_value, status = 'inviata',
			    reported_by = excluded.reported_by, reported_at = excluded.reported_at
			RETURNING *`, assignmentID, in.Period, in.UsersServed, in.Hours, in.Satisfaction, in.Note,
			in.ExpenditureCents, in.IndicatorID, in.ProposedValue, actor.ID).Scan(&r).Error
	})
	return r, err
}

// proposableIndicator checks that a report may propose a value for the indicator: one of the
// assignment's objective, measured by hand (a bound indicator measures itself).
func proposableIndicator(tx *tenancy.Tx, a Assignment, indicatorID int64) error {
	ind, err := findIndicator(tx, indicatorID)
	if err != nil || ind.ObjectiveID != a.ObjectiveID {
		return apperr.Invalidf("indicator_id", "L'indicatore scelto non è dell'obiettivo dell'incarico: sceglierne uno dall'elenco", "The chosen indicator is not of the assignment's objective: choose one from the list")
	}
	if ind.Binding.Bound() {
		return apperr.Invalidf("indicator_id", "L'indicatore si misura da sé dai percorsi: non accetta valori proposti", "The indicator measures itself from the pathways: it takes no proposed value")
	}
	return nil
}

// Reports lists the reports of an assignment the actor may see.
func (s *Service) Reports(ctx context.Context, actor Actor, assignmentID int64) ([]Report, error) {
	var out []Report
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) error {
		if _, err := findAssignment(tx, assignmentID); err != nil {
			return err
		}
		return tx.Where("assignment_id = ?", assignmentID).Order("period").Find(&out).Error
	})
	return out, err
}

// ReviewInput is the Ufficio di Piano's decision on a report.
type ReviewInput struct {
	Decision string `json:"decision"` // accetta | modifiche
	Note     string `json:"note"`     // required to ask for changes
}

// Review decisions.
const (
	ReviewAccept  = "accetta"
	ReviewChanges = "modifiche"
)

// ReviewReport accepts a partner's report (it then counts: a proposed measurement is recorded
// for the indicator, with the partner as its source) or sends it back with a note. Only a
// report waiting for review can be reviewed.
func (s *Service) ReviewReport(ctx context.Context, actor Actor, reportID int64, in ReviewInput) (Report, error) {
	if err := in.validate(); err != nil {
		return Report{}, err
	}
	if !actor.Can(objAssignments, "manage") {
		return Report{}, apperr.New(apperr.Forbidden, "solo l'Ufficio di Piano esamina le rendicontazioni", "only the Ufficio di Piano reviews reports")
	}
	var r Report
	err := s.write(ctx, actor, func(tx *tenancy.Tx) error {
		var rs []Report
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", reportID).Find(&rs).Error; err != nil {
			return err
		}
		if len(rs) == 0 {
			return apperr.New(apperr.NotFound, "rendicontazione non trovata", "report not found")
		}
		r = rs[0]
		a, err := findAssignment(tx, r.AssignmentID)
		if err != nil {
			return err
		}
		if err := monitoringGuard(tx, a.PlanID); err != nil {
			return err
		}
		if r.Status != ReportSent {
			return apperr.New(apperr.Conflict, "la rendicontazione non è in attesa di esame", "the report is not waiting for review")
		}
		r.Status, r.ReviewNote, r.ReviewedBy = ReportReturned, in.Note, actor.ID
		if in.Decision == ReviewAccept {
			r.Status = ReportAccepted
			if err := acceptMeasurement(tx, actor, a, r); err != nil {
				return err
			}
		}
		return tx.Raw(`UPDATE assignment_reports SET status = ?, review_note = ?, reviewed_by = ?, reviewed_at = now()
			WHERE id = ? RETURNING *`, r.Status, r.ReviewNote, r.ReviewedBy, r.ID).Scan(&r).Error
	})
	return r, err
}

// acceptMeasurement turns an accepted report's proposed value into the indicator's
// measurement for the period, naming the partner as its source.
func acceptMeasurement(tx *tenancy.Tx, actor Actor, a Assignment, r Report) error {
	if r.IndicatorID == nil || r.ProposedValue == nil {
		return nil
	}
	if err := proposableIndicator(tx, a, *r.IndicatorID); err != nil {
		return err
	}
	note := "Rendicontazione accettata dall'Ufficio di Piano"
	return tx.Exec(`INSERT INTO measurements (indicator_id, period, value, source, note, recorded_by, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, now())
		ON CONFLICT (indicator_id, period) DO UPDATE
		SET value = excluded.value, source = excluded.source, note = excluded.note,
		    recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
		*r.IndicatorID, r.Period, *r.ProposedValue, truncate(a.PartnerName, 300), note, actor.ID).Error
}

// SpentCents is what the accepted reports say was spent: only what the Ufficio di Piano
// accepted counts against the budget.
func SpentCents(rs []Report) int64 {
	var n int64
	for _, r := range rs {
		if r.Status == ReportAccepted && r.ExpenditureCents != nil {
			n += *r.ExpenditureCents
		}
	}
	return n
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// ReportableIndicators lists the indicators a report on the assignment may propose a value
// for: its objective's, measured by hand.
func (s *Service) ReportableIndicators(ctx context.Context, actor Actor, assignmentID int64) ([]Indicator, error) {
	var out []Indicator
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) error {
		a, err := findAssignment(tx, assignmentID)
		if err != nil {
			return err
		}
		return tx.Where("objective_id = ? AND bound_figure = ''", a.ObjectiveID).Order("id").Find(&out).Error
	})
	return out, err
}

// validate checks a review, both fields at once.
func (in *ReviewInput) validate() error {
	var ps problems
	in.Note = strings.TrimSpace(in.Note)
	if in.Decision != ReviewAccept && in.Decision != ReviewChanges {
		ps.add(apperr.Invalidf("decision", "Scegliere se accettare la rendicontazione o chiedere modifiche", "Choose whether to accept the report or ask for changes"))
	}
	switch {
	case in.Decision == ReviewChanges && in.Note == "":
		ps.add(apperr.Invalidf("note", "Indicare quali modifiche chiedere al partner", "Say what changes the partner should make"))
	case len(in.Note) > 2000:
		ps.add(apperr.Invalidf("note", "La nota è troppo lunga: al massimo 2.000 caratteri", "The note is too long: at most 2,000 characters"))
	}
	return ps.err()
}
