package plan

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/ambiti/ambiti/internal/apperr"
)

// Every form of the plan refuses a submission with all its refusals at once, in the form's
// order, each naming its field, in words a person understands (issue 19).
func TestEveryPlanFormListsAllItsRefusals(t *testing.T) {
	t.Parallel()
	year := func(s string) url.Values { return url.Values{"start_year": {s}} }
	for _, c := range []struct {
		form  string
		check func() error
		want  []string
	}{
		{"objective, empty", func() error { return (&Objective{}).validate(nil) }, []string{"title", "area_code"}},
		{"objective, position unreadable", func() error {
			edit, err := objectiveEdit(url.Values{"position": {"primo"}})
			var o Objective
			_ = edit(&o)
			return objectiveRefusal(err, o)
		}, []string{"title", "area_code", "position"}},
		{"indicator, empty", func() error { return (&Indicator{}).validate() }, []string{"name", "kind"}},
		{"indicator, empty range", func() error { return (&Indicator{Direction: Range}).validate() }, []string{"name", "kind", "target_min", "target_max"}},
		{"indicator form, numbers unreadable", func() error {
			in, err := indicatorInput(url.Values{"baseline": {"tanti"}, "target": {"1,2,3"}, "unit": {"n."}})
			return formCheck(err, in.validate, indicatorFields)
		}, []string{"name", "kind", "baseline", "target"}},
		{"measurement, empty", func() error { return (&MeasurementInput{}).validate() }, []string{"period", "value"}},
		{"evaluation, out of range", func() error {
			return (&Evaluation{AchievementPct: ptr(130), ResourceMatchPct: ptr(-1), UserEvaluation: "boh", NeedMet: "forse"}).validate()
		}, []string{"achievement_pct", "user_evaluation", "resource_match_pct", "need_met"}},
		{"evaluation form, unreadable", func() error {
			edit, err := evaluationEdit(url.Values{"achievement_pct": {"molto"}, "continuity_previous": {"forse"}, "resource_match_pct": {"200"}})
			var e Evaluation
			_ = edit(&e)
			return formCheck(err, e.validate, evaluationFields)
		}, []string{"achievement_pct", "resource_match_pct", "continuity_previous"}},
		{"budget, empty line", func() error { return validateBudgetLines("lines", []BudgetLineInput{{}}) }, []string{"lines[0].year", "lines[0].source_code"}},
		{"budget form, two bad rows", func() error {
			_, _, err := budgetLines(url.Values{"year": {"", "2022"}, "source_code": {"", ""}, "stanziato": {"mille", "10"},
				"impegnato": {"", "20"}, "liquidato": {"", "30"}, "note": {"x", ""}})
			return err
		}, []string{"lines[0].year", "lines[0].source_code", "lines[0].stanziato_cents", "lines[1].source_code", "lines[1].liquidato_cents"}},
		{"assignment, empty", func() error { return (&AssignmentInput{}).validate() }, []string{"partner_id", "activity"}},
		{"assignment form, budget unreadable", func() error {
			in, err := assignmentInput(url.Values{"budget": {"diecimila"}, "assigned_on": {"31/02/2022"}})
			return pageField(formCheck(err, in.validate, assignmentFields), "budget_cents", "budget")
		}, []string{"partner_id", "activity", "assigned_on", "budget"}},
		{"partner, empty", func() error { return (&PartnerInput{}).validate() }, []string{"name", "kind", "code"}},
		{"plan, empty", func() error { return PlanInput{}.validate() }, []string{"title", "start_year"}},
		{"plan form, years missing", func() error {
			var in PlanInput
			var err error
			in.StartYear, in.EndYear, err = planYearsOf(url.Values{})
			return formCheck(err, in.validate, planFields)
		}, []string{"title", "start_year", "end_year"}},
		{"plan form, end before start", func() error { return PlanInput{Title: "P", StartYear: 2024, EndYear: 2020}.validate() }, []string{"end_year"}},
		{"plan form, start unreadable", func() error {
			var in PlanInput
			var err error
			in.StartYear, in.EndYear, err = planYearsOf(year("duemila"))
			return formCheck(err, in.validate, planFields)
		}, []string{"title", "start_year", "end_year"}},
		{"delibera, empty", func() error { return (&Delibera{}).validate() }, []string{"delibera_number", "delibera_date"}},
		{"delibera, future", func() error { return (&Delibera{Number: "1/2024", Date: "2999-01-01"}).validate() }, []string{"delibera_date"}},
		{"report, empty", func() error { return (&ReportInput{}).validate() }, []string{"period"}},
		{"report form, unreadable", func() error {
			in, err := reportInput(url.Values{"users_served": {"molti"}, "hours": {"x"}, "satisfaction": {"9"}, "expenditure": {"tanto"}, "proposed_value": {"12"}})
			return pageField(formCheck(err, in.validate, reportFields), "expenditure_cents", "expenditure")
		}, []string{"period", "users_served", "hours", "satisfaction", "expenditure", "indicator_id"}},
		{"review, empty", func() error { return (&ReviewInput{}).validate() }, []string{"decision"}},
		{"review, changes without a note", func() error { return (&ReviewInput{Decision: ReviewChanges}).validate() }, []string{"note"}},
		{"meeting, empty", func() error { return (&MeetingInput{}).validate() }, []string{"held_on", "kind", "theme"}},
	} {
		err := c.check()
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.Invalid {
			t.Errorf("%s: %v, want invalid", c.form, err)
			continue
		}
		var fields []string
		for _, x := range e.All() {
			fields = append(fields, x.Field)
			if msg := x.Message; msg == "" || !unicode.IsUpper([]rune(msg)[0]) || strings.Contains(msg, `""`) ||
				strings.Contains(msg, "/api") || strings.Contains(msg, "(POST") || x.MessageEN == "" {
				t.Errorf("%s: %s: message %q (%q) is not a sentence for a person", c.form, x.Field, msg, x.MessageEN)
			}
		}
		if !slices.Equal(fields, c.want) {
			t.Errorf("%s: refusals name %v, want %v", c.form, fields, c.want)
		}
	}
}

// The helpers keep one refusal a field, and rename and order every refusal of a joined error.
func TestProblemsKeepTheFirstRefusalOfAFieldAndOrderThemAsTheForm(t *testing.T) {
	t.Parallel()
	var ps problems
	ps.add(apperr.Invalidf("b", "B letto male", "B unreadable"), nil,
		apperr.Join(apperr.Invalidf("a", "A manca", "A missing"), apperr.Invalidf("b", "B manca", "B missing")))
	err := ordered(renamed(ps.err(), "a", "c"), []string{"c", "b"})
	e, _ := apperr.As(err)
	var got []string
	for _, x := range e.All() {
		got = append(got, x.Field+":"+x.Message)
	}
	if want := []string{"c:A manca", "b:B letto male"}; !slices.Equal(got, want) {
		t.Errorf("refusals = %v, want %v", got, want)
	}
	if ps := (problems{}); ps.err() != nil {
		t.Error("no refusal is not nil")
	}
}

func ptr[T any](v T) *T { return &v }
