package plan

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/web"
)

type meetingList struct {
	Meetings []Meeting
	Total    int64
	Summary  ParticipationSummary
	Types    []string
	Chart    web.BarChart
	PlanOpts []web.Option
}

func (pg *pages) planOptions(c echo.Context, p *web.Page, emptyKey string) ([]web.Option, error) {
	ps, _, err := pg.svc.Plans(c.Request().Context(), pg.actor(c), PlanFilter{Page: Page{Limit: 200}})
	if err != nil {
		return nil, err
	}
	opts := []web.Option{{Value: "", Label: p.T(emptyKey)}}
	for _, pl := range ps {
		opts = append(opts, web.Option{Value: strconv.FormatInt(pl.ID, 10), Label: pl.Title})
	}
	return opts, nil
}

func (pg *pages) meetingList(c echo.Context) error {
	p := pg.web.NewPage(c, "page.meetings.title")
	var planID *int64
	if s := c.QueryParam("piano"); s != "" {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			planID = &id
		}
	}
	ms, total, sum, err := pg.svc.Meetings(c.Request().Context(), pg.actor(c), planID, Page{Limit: 200})
	if err != nil {
		return err
	}
	opts, err := pg.planOptions(c, p, "meetings.filter.all")
	if err != nil {
		return err
	}
	d := meetingList{Meetings: ms, Total: total, Summary: sum, Types: ParticipantTypes, PlanOpts: opts}
	f := p.Format()
	d.Chart = web.BarChart{ID: "chart-participants", Title: p.T("chart.participants.title"), Desc: p.T("chart.participants.desc"),
		CategoryLabel: p.T("chart.participants.category"), Format: f.Number}
	s := web.Series{Name: p.T("chart.participants.series"), Colour: web.ColourCount}
	for _, t := range ParticipantTypes {
		if n := sum.ByType[t]; n > 0 {
			d.Chart.Categories = append(d.Chart.Categories, p.T("participant."+t))
			s.Values = append(s.Values, float64(n))
		}
	}
	d.Chart.Series = []web.Series{s}
	v := url.Values{}
	if planID != nil {
		v.Set("piano", strconv.FormatInt(*planID, 10))
	}
	p.Form = &web.Form{Values: v}
	p.Data = d
	return pg.web.Render(c, "plan/meetings", p)
}

type meetingForm struct {
	PlanOpts []web.Option
	KindOpts []web.Option
	Types    []string
}

func (pg *pages) meetingPage(c echo.Context) (*web.Page, error) {
	p := pg.web.NewPage(c, "page.meeting_new.title")
	p.Crumbs = []web.Crumb{{Href: "/partecipazione", Label: p.T("nav.participation")}}
	opts, err := pg.planOptions(c, p, "meeting.no_plan")
	if err != nil {
		return nil, err
	}
	p.Data = meetingForm{PlanOpts: opts, KindOpts: p.Options("meeting.kind", MeetingKinds, true), Types: ParticipantTypes}
	return p, nil
}

func (pg *pages) meetingNew(c echo.Context) error {
	p, err := pg.meetingPage(c)
	if err != nil {
		return err
	}
	p.Form = &web.Form{Values: url.Values{}}
	return pg.web.Render(c, "plan/meeting_form", p)
}

func (pg *pages) meetingCreate(c echo.Context) error {
	p, err := pg.meetingPage(c)
	if err != nil {
		return err
	}
	v, err := web.FormValues(c)
	if err != nil {
		return pg.web.FailForm(c, "plan/meeting_form", p, v, err)
	}
	in := MeetingInput{HeldOn: strings.TrimSpace(v.Get("held_on")), Kind: v.Get("kind"), Theme: v.Get("theme"), Notes: v.Get("notes"),
		Participants: map[string]int{}}
	var ps problems
	if s := v.Get("plan_id"); s != "" {
		id, perr := strconv.ParseInt(s, 10, 64)
		if perr != nil {
			ps.add(apperr.Invalidf("plan_id", "Scegliere il piano dall'elenco", "Choose the plan from the list"))
		} else {
			in.PlanID = &id
		}
	}
	order := []string{"held_on", "kind", "plan_id", "theme"} // then the counts, then the minutes
	for _, t := range ParticipantTypes {
		n, err := web.IntValue(v, "participants."+t, "Il numero di partecipanti è un numero intero (es. 12)", "The number of participants is a whole number (e.g. 12)")
		ps.add(err)
		if n != nil && *n != 0 {
			in.Participants[t] = *n
		}
		order = append(order, "participants."+t)
	}
	order = append(order, "notes")
	if err = ps.err(); err != nil {
		err = formCheck(err, in.validate, order)
	} else {
		_, err = pg.svc.RecordMeeting(c.Request().Context(), pg.actor(c), in)
	}
	if err != nil {
		return pg.web.FailForm(c, "plan/meeting_form", p, v, err)
	}
	return web.SeeOther(c, "/partecipazione", "meeting_recorded")
}
