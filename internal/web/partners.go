package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/route"
)

// --- partners ---

type partnerList struct {
	Partners []plan.Partner
	Total    int64
}

func (w *Web) partnerList(c echo.Context) error {
	p := w.NewPage(c, "page.partners.title")
	ps, total, err := w.Plans.Partners(c.Request().Context(), w.Actor(c), plan.Page{Limit: 500})
	if err != nil {
		return err
	}
	p.Data = partnerList{Partners: ps, Total: total}
	return w.Render(c, "partners", p)
}

type partnerForm struct {
	KindOpts []Option
}

func (w *Web) partnerPage(c echo.Context) *Page {
	p := w.NewPage(c, "page.partner_new.title")
	p.Crumbs = []Crumb{{"/partner", p.T("nav.partners")}}
	p.Data = partnerForm{KindOpts: p.Options("partner.kind", plan.PartnerKinds, true)}
	return p
}

func (w *Web) partnerNew(c echo.Context) error {
	return ShowForm(w, c, "partner_form", NoContext(w.partnerPage), nil)
}

func (w *Web) partnerCreate(c echo.Context) error {
	return SubmitForm(w, c, "partner_form", NoContext(w.partnerPage), func(_ struct{}, v url.Values) (string, string, error) {
		_, err := w.Plans.CreatePartner(c.Request().Context(), w.Actor(c), plan.PartnerInput{Code: v.Get("code"), Name: v.Get("name"), Kind: v.Get("kind"), Note: v.Get("note")})
		return "/partner", "partner_created", err
	})
}

// --- participation ---

type meetingList struct {
	Meetings []plan.Meeting
	Total    int64
	Summary  plan.ParticipationSummary
	Types    []string
	Chart    BarChart
	PlanOpts []Option
}

func (w *Web) planOptions(c echo.Context, p *Page, emptyKey string) ([]Option, error) {
	ps, _, err := w.Plans.Plans(c.Request().Context(), w.Actor(c), plan.PlanFilter{Page: plan.Page{Limit: 200}})
	if err != nil {
		return nil, err
	}
	opts := []Option{{Value: "", Label: p.T(emptyKey)}}
	for _, pl := range ps {
		opts = append(opts, Option{Value: strconv.FormatInt(pl.ID, 10), Label: pl.Title})
	}
	return opts, nil
}

func (w *Web) meetingList(c echo.Context) error {
	p := w.NewPage(c, "page.meetings.title")
	var planID *int64
	if s := c.QueryParam("piano"); s != "" {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			planID = &id
		}
	}
	ms, total, sum, err := w.Plans.Meetings(c.Request().Context(), w.Actor(c), planID, plan.Page{Limit: 200})
	if err != nil {
		return err
	}
	opts, err := w.planOptions(c, p, "meetings.filter.all")
	if err != nil {
		return err
	}
	d := meetingList{Meetings: ms, Total: total, Summary: sum, Types: plan.ParticipantTypes, PlanOpts: opts}
	f := Formatter{p.Lang}
	d.Chart = BarChart{ID: "chart-participants", Title: p.T("chart.participants.title"), Desc: p.T("chart.participants.desc"),
		CategoryLabel: p.T("chart.participants.category"), Format: f.Number}
	s := Series{Name: p.T("chart.participants.series"), Colour: ColourCount}
	for _, t := range plan.ParticipantTypes {
		if n := sum.ByType[t]; n > 0 {
			d.Chart.Categories = append(d.Chart.Categories, p.T("participant."+t))
			s.Values = append(s.Values, float64(n))
		}
	}
	d.Chart.Series = []Series{s}
	v := url.Values{}
	if planID != nil {
		v.Set("piano", strconv.FormatInt(*planID, 10))
	}
	p.Form = &Form{Values: v}
	p.Data = d
	return w.Render(c, "meetings", p)
}

type meetingForm struct {
	PlanOpts []Option
	KindOpts []Option
	Types    []string
}

func (w *Web) meetingPage(c echo.Context) (*Page, error) {
	p := w.NewPage(c, "page.meeting_new.title")
	p.Crumbs = []Crumb{{"/partecipazione", p.T("nav.participation")}}
	opts, err := w.planOptions(c, p, "meeting.no_plan")
	if err != nil {
		return nil, err
	}
	p.Data = meetingForm{PlanOpts: opts, KindOpts: p.Options("meeting.kind", plan.MeetingKinds, true), Types: plan.ParticipantTypes}
	return p, nil
}

func (w *Web) meetingNew(c echo.Context) error {
	p, err := w.meetingPage(c)
	if err != nil {
		return err
	}
	p.Form = &Form{Values: url.Values{}}
	return w.Render(c, "meeting_form", p)
}

func (w *Web) meetingCreate(c echo.Context) error {
	p, err := w.meetingPage(c)
	if err != nil {
		return err
	}
	v, err := FormValues(c)
	if err != nil {
		return w.FailForm(c, "meeting_form", p, v, err)
	}
	in := plan.MeetingInput{HeldOn: strings.TrimSpace(v.Get("held_on")), Kind: v.Get("kind"), Theme: v.Get("theme"), Notes: v.Get("notes"),
		Participants: map[string]int{}}
	if s := v.Get("plan_id"); s != "" {
		id, perr := strconv.ParseInt(s, 10, 64)
		if perr != nil {
			err = apperr.Invalidf("plan_id", "piano non valido", "invalid plan")
		}
		in.PlanID = &id
	}
	for _, t := range plan.ParticipantTypes {
		if err != nil {
			break
		}
		var n *int
		n, err = IntValue(v, "participants."+t, "numero non valido: un intero", "invalid number: a whole number")
		if n != nil && *n != 0 {
			in.Participants[t] = *n
		}
	}
	if err == nil {
		_, err = w.Plans.RecordMeeting(c.Request().Context(), w.Actor(c), in)
	}
	if err != nil {
		return w.FailForm(c, "meeting_form", p, v, err)
	}
	return SeeOther(c, "/partecipazione", "meeting_recorded")
}

// --- assignments and reports ---

type assignmentList struct {
	Assignments []plan.Assignment
	Total       int64
	All         bool // the person sees every partner's (not a cooperative)
}

func (w *Web) assignmentList(c echo.Context) error {
	p := w.NewPage(c, "page.assignments.title")
	as, total, err := w.Plans.Assignments(c.Request().Context(), w.Actor(c), 0, plan.Page{Limit: 500})
	if err != nil {
		return err
	}
	p.Data = assignmentList{Assignments: as, Total: total, All: p.Can("assignments", "read_all")}
	return w.Render(c, "assignments", p)
}

type assignmentView struct {
	Assignment plan.Assignment
	Reports    []plan.Report
}

func (w *Web) assignmentPage(c echo.Context) (*Page, plan.Assignment, error) {
	id, err := route.ID(c, "id")
	if err != nil {
		return nil, plan.Assignment{}, err
	}
	ctx, actor := c.Request().Context(), w.Actor(c)
	a, err := w.Plans.Assignment(ctx, actor, id)
	if err != nil {
		return nil, a, err
	}
	rs, err := w.Plans.Reports(ctx, actor, id)
	if err != nil {
		return nil, a, err
	}
	p := w.NewPage(c, "page.assignment.title")
	p.Title = a.Activity
	p.Crumbs = []Crumb{{"/incarichi", p.T("nav.assignments")}}
	p.Data = assignmentView{Assignment: a, Reports: rs}
	return p, a, nil
}

func (w *Web) assignmentShow(c echo.Context) error {
	p, _, err := w.assignmentPage(c)
	if err != nil {
		return err
	}
	p.Form = &Form{Values: url.Values{}}
	return w.Render(c, "assignment", p)
}

func (w *Web) reportCreate(c echo.Context) error {
	p, a, err := w.assignmentPage(c)
	if err != nil {
		return err
	}
	v, err := FormValues(c)
	if err != nil {
		return w.FailForm(c, "assignment", p, v, err)
	}
	in := plan.ReportInput{Period: v.Get("period"), Note: v.Get("note")}
	in.UsersServed, err = IntValue(v, "users_served", "numero di utenti non valido: un intero", "invalid number of users: a whole number")
	if err == nil {
		in.Hours, err = FloatValue(v, "hours", "numero di ore non valido", "invalid number of hours")
	}
	if err == nil {
		in.Satisfaction, err = FloatValue(v, "satisfaction", "soddisfazione da 1 a 5", "satisfaction from 1 to 5")
	}
	if err == nil {
		_, err = w.Plans.Report(c.Request().Context(), w.Actor(c), a.ID, in)
	}
	if err != nil {
		return w.FailForm(c, "assignment", p, v, err)
	}
	return SeeOther(c, fmt.Sprintf("/incarichi/%d", a.ID), "report_saved")
}

type assignmentForm struct {
	Detail      plan.ObjectiveDetail
	Plan        plan.Plan
	PartnerOpts []Option
}

func (w *Web) assignmentFormPage(c echo.Context) (*Page, plan.ObjectiveDetail, error) {
	d, pl, err := w.objectiveContext(c)
	if err != nil {
		return nil, d, err
	}
	ps, _, err := w.Plans.Partners(c.Request().Context(), w.Actor(c), plan.Page{Limit: 500})
	if err != nil {
		return nil, d, err
	}
	p := w.NewPage(c, "page.assignment_new.title")
	p.Crumbs = objectiveCrumbs(p, pl, &d.Objective)
	opts := []Option{{Value: "", Label: p.T("form.choose")}}
	for _, pa := range ps {
		opts = append(opts, Option{Value: strconv.FormatInt(pa.ID, 10), Label: pa.Name})
	}
	p.Data = assignmentForm{Detail: d, Plan: pl, PartnerOpts: opts}
	return p, d, nil
}

func (w *Web) assignmentNew(c echo.Context) error {
	return ShowForm(w, c, "assignment_form", w.assignmentFormPage, nil)
}

func (w *Web) assignmentCreate(c echo.Context) error {
	return SubmitForm(w, c, "assignment_form", w.assignmentFormPage, func(d plan.ObjectiveDetail, v url.Values) (string, string, error) {
		pid, err := strconv.ParseInt(v.Get("partner_id"), 10, 64)
		if err != nil || pid <= 0 {
			return "", "", apperr.Invalidf("partner_id", "scegliere il partner", "choose the partner")
		}
		_, err = w.Plans.Assign(c.Request().Context(), w.Actor(c), d.ID, plan.AssignmentInput{PartnerID: pid, Activity: v.Get("activity")})
		return fmt.Sprintf("/obiettivi/%d#incarichi", d.ID), "assignment_created", err
	})
}
