package plan

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/web"
)

type evaluationForm struct {
	Detail   ObjectiveDetail
	Plan     Plan
	Year     int
	Existing bool
	UserOpts []web.Option
	NeedOpts []web.Option
	YesNo    []web.Option
}

func (pg *pages) evaluationPage(c echo.Context) (*web.Page, ObjectiveDetail, int, *Evaluation, error) {
	d, pl, err := pg.objectiveContext(c)
	if err != nil {
		return nil, d, 0, nil, err
	}
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil || year < 2000 || year > 2100 {
		return nil, d, 0, nil, apperr.New(apperr.NotFound, "anno non valido", "invalid year")
	}
	var cur *Evaluation
	for i := range d.Evaluations {
		if d.Evaluations[i].Year == year {
			cur = &d.Evaluations[i]
		}
	}
	p := pg.web.NewPage(c, "page.evaluation.title", year)
	p.Crumbs = objectiveCrumbs(p, pl, &d.Objective)
	p.Data = evaluationForm{Detail: d, Plan: pl, Year: year, Existing: cur != nil,
		UserOpts: p.Options("evaluation.user", UserEvaluations, true),
		NeedOpts: p.Options("evaluation.need", NeedMetChoices, true),
		YesNo:    p.Options("evaluation.yesno", []string{"si", "no"}, true)}
	return p, d, year, cur, nil
}

func yesNo(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "si"
	}
	return "no"
}

func (pg *pages) evaluationEdit(c echo.Context) error {
	p, _, _, cur, err := pg.evaluationPage(c)
	if err != nil {
		return err
	}
	v := url.Values{}
	if cur != nil {
		if cur.AchievementPct != nil {
			v.Set("achievement_pct", strconv.Itoa(*cur.AchievementPct))
		}
		if cur.ResourceMatchPct != nil {
			v.Set("resource_match_pct", strconv.Itoa(*cur.ResourceMatchPct))
		}
		v.Set("user_evaluation", cur.UserEvaluation)
		v.Set("user_evaluation_note", cur.UserEvaluationNote)
		v.Set("resource_match_note", cur.ResourceMatchNote)
		v.Set("issues", cur.Issues)
		v.Set("need_met", needMetChoice(cur.NeedMet))
		v.Set("need_met_note", cur.NeedMetNote)
		v.Set("continuity_previous", yesNo(cur.ContinuityPrevious))
		v.Set("continuity_note", cur.ContinuityNote)
		v.Set("proposed_again", yesNo(cur.ProposedAgain))
		v.Set("proposed_again_note", cur.ProposedAgainNote)
	}
	p.Form = &web.Form{Values: v}
	return pg.web.Render(c, "plan/evaluation_form", p)
}

func (pg *pages) evaluationSave(c echo.Context) error {
	p, d, year, _, err := pg.evaluationPage(c)
	if err != nil {
		return err
	}
	v, err := web.FormValues(c)
	if err != nil {
		return pg.web.FailForm(c, "plan/evaluation_form", p, v, err)
	}
	edit, err := evaluationEdit(v)
	if err != nil {
		var e Evaluation
		_ = edit(&e)
		err = formCheck(err, e.validate, evaluationFields)
	} else {
		_, err = pg.svc.SetEvaluation(c.Request().Context(), pg.actor(c), d.ID, year, edit)
	}
	if err != nil {
		return pg.web.FailForm(c, "plan/evaluation_form", p, v, err)
	}
	return web.SeeOther(c, fmt.Sprintf("/obiettivi/%d#valutazioni", d.ID), "evaluation_saved")
}

// evaluationEdit turns the submitted sheet into an edit that sets every field of it; the
// error lists every answer it could not read (the edit leaves those empty).
func evaluationEdit(v url.Values) (Edit[Evaluation], error) {
	var e Evaluation
	texts := map[string]*string{"user_evaluation": &e.UserEvaluation, "user_evaluation_note": &e.UserEvaluationNote,
		"resource_match_note": &e.ResourceMatchNote, "issues": &e.Issues, "need_met": &e.NeedMet, "need_met_note": &e.NeedMetNote,
		"continuity_note": &e.ContinuityNote, "proposed_again_note": &e.ProposedAgainNote}
	for k, p := range texts {
		*p = strings.TrimSpace(strings.ReplaceAll(v.Get(k), "\r\n", "\n"))
	}
	var ps problems
	for _, f := range []struct {
		name string
		dst  **int
	}{{"achievement_pct", &e.AchievementPct}, {"resource_match_pct", &e.ResourceMatchPct}} {
		var err error
		*f.dst, err = web.IntValue(v, f.name, "Scrivere la percentuale come numero intero da 0 a 100", "Write the percentage as a whole number from 0 to 100")
		ps.add(err)
	}
	for _, f := range []struct {
		name string
		dst  **bool
	}{{"continuity_previous", &e.ContinuityPrevious}, {"proposed_again", &e.ProposedAgain}} {
		switch v.Get(f.name) {
		case "si":
			*f.dst = &[]bool{true}[0]
		case "no":
			*f.dst = &[]bool{false}[0]
		case "":
			*f.dst = nil
		default:
			ps.add(apperr.Invalidf(f.name, "Scegliere sì o no", "Choose yes or no"))
		}
	}
	return func(cur *Evaluation) error {
		e.ID, e.ObjectiveID, e.Year = cur.ID, cur.ObjectiveID, cur.Year
		*cur = e
		return nil
	}, ps.err()
}
