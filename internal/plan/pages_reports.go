package plan

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// reportExtras is what the assignment page shows beyond the reports: the budget against what
// the accepted reports spent, and the indicators a report may propose a value for.
type reportExtras struct {
	SpentCents    int64
	HasBudget     bool
	ResidualCents int64
	Overspent     bool
	IndicatorOpts []web.Option
	Proposals     map[int64]string       // by report: "indicator: value"
	Pending       int                    // reports waiting for the Ufficio di Piano
	Files         map[int64][]Attachment // by report
	UploadLimit   string
}

func (pg *pages) reportExtras(c echo.Context, p *web.Page, a Assignment, rs []Report) (reportExtras, error) {
	inds, err := pg.svc.ReportableIndicators(c.Request().Context(), pg.actor(c), a.ID)
	if err != nil {
		return reportExtras{}, err
	}
	x := reportExtras{SpentCents: SpentCents(rs), Proposals: map[int64]string{}, Files: map[int64][]Attachment{},
		UploadLimit: megabytes(pg.svc.AttachmentLimit())}
	for _, r := range rs {
		fs, err := pg.svc.Attachments(c.Request().Context(), pg.actor(c), Parent{Kind: ParentReport, ID: r.ID})
		if err != nil {
			return reportExtras{}, err
		}
		x.Files[r.ID] = fs
	}
	x.IndicatorOpts = []web.Option{{Value: "", Label: p.T("report.no_indicator")}}
	names := map[int64]string{}
	for _, in := range inds {
		label := in.Name
		if in.Unit != "" {
			label += " (" + in.Unit + ")"
		}
		x.IndicatorOpts = append(x.IndicatorOpts, web.Option{Value: strconv.FormatInt(in.ID, 10), Label: label})
		names[in.ID] = label
	}
	for _, r := range rs {
		if r.IndicatorID != nil && r.ProposedValue != nil {
			x.Proposals[r.ID] = names[*r.IndicatorID] + ": " + strings.Replace(strconv.FormatFloat(*r.ProposedValue, 'f', -1, 64), ".", ",", 1)
		}
	}
	if a.BudgetCents != nil {
		x.HasBudget = true
		x.ResidualCents = *a.BudgetCents - x.SpentCents
		x.Overspent = x.ResidualCents < 0
	}
	for _, r := range rs {
		if r.Status == ReportSent {
			x.Pending++
		}
	}
	return x, nil
}

func (pg *pages) reportCreate(c echo.Context) error {
	p, a, err := pg.assignmentPage(c)
	if err != nil {
		return err
	}
	v, err := web.FormValues(c)
	if err != nil {
		return pg.web.FailForm(c, "plan/assignment", p, v, err)
	}
	in, err := reportInput(v)
	if err != nil {
		err = formCheck(err, in.validate, reportFields)
	} else {
		_, err = pg.svc.Report(c.Request().Context(), pg.actor(c), a.ID, in)
	}
	if err != nil {
		return pg.web.FailForm(c, "plan/assignment", p, v, pageField(err, "expenditure_cents", "expenditure"))
	}
	return web.SeeOther(c, fmt.Sprintf("/incarichi/%d", a.ID), "report_saved")
}

// optionalAmount reads an amount in euro typed by a person; "" is none.
func optionalAmount(s, field string) (*int64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	c, ok := web.ParseAmount(s)
	if !ok {
		return nil, apperr.Invalidf(field, "Scrivere l'importo in euro, con al massimo due decimali (es. 1.234,50)", "Write the amount in euro, with at most two decimals (e.g. 1,234.50)")
	}
	return &c, nil
}

// reportInput is the report the form describes; the error lists every field it could not
// read (left empty in the input).
func reportInput(v url.Values) (ReportInput, error) {
	in := ReportInput{Period: v.Get("period"), Note: v.Get("note")}
	var ps problems
	var err error
	in.UsersServed, err = web.IntValue(v, "users_served", "Il numero di utenti è un numero intero (es. 12)", "The number of users is a whole number (e.g. 12)")
	ps.add(err)
	in.Hours, err = web.FloatValue(v, "hours", "Scrivere le ore come numero (es. 120 o 12,5)", "Write the hours as a number (e.g. 120 or 12.5)")
	ps.add(err)
	in.Satisfaction, err = web.FloatValue(v, "satisfaction", "La soddisfazione è un numero da 1 a 5", "Satisfaction is a number from 1 to 5")
	ps.add(err)
	in.ExpenditureCents, err = optionalAmount(v.Get("expenditure"), "expenditure")
	ps.add(err)
	if s := strings.TrimSpace(v.Get("indicator_id")); s != "" {
		id, perr := strconv.ParseInt(s, 10, 64)
		if perr != nil {
			ps.add(apperr.Invalidf("indicator_id", "Scegliere un indicatore dell'elenco", "Choose an indicator from the list"))
		} else {
			in.IndicatorID = &id
		}
	}
	in.ProposedValue, err = web.FloatValue(v, "proposed_value", "Scrivere il valore proposto come numero (es. 12 o 12,5)", "Write the proposed value as a number (e.g. 12 or 12.5)")
	ps.add(err)
	return in, ps.err()
}

// pageField names the form's field where the service named the API's (in every refusal).
func pageField(err error, apiField, formField string) error { return renamed(err, apiField, formField) }

func (pg *pages) reportReview(c echo.Context) error {
	p, a, err := pg.assignmentPage(c)
	if err != nil {
		return err
	}
	rid, err := route.ID(c, "report")
	if err != nil {
		return err
	}
	v, err := web.FormValues(c)
	if err == nil {
		_, err = pg.svc.ReviewReport(c.Request().Context(), pg.actor(c), rid, ReviewInput{Decision: v.Get("decision"), Note: v.Get("review_note")})
	}
	if err != nil {
		return pg.web.FailForm(c, "plan/assignment", p, v, pageField(pageField(err, "note", "review_note"), "decision", "review_note"))
	}
	flash := "report_accepted"
	if v.Get("decision") == ReviewChanges {
		flash = "report_returned"
	}
	return web.SeeOther(c, fmt.Sprintf("/incarichi/%d", a.ID), flash)
}

// reportAttach attaches a file (a partner's report, an invoice summary…) to a report.
func (pg *pages) reportAttach(c echo.Context) error {
	p, a, err := pg.assignmentPage(c)
	if err != nil {
		return err
	}
	rid, err := route.ID(c, "report")
	if err != nil {
		return err
	}
	in, err := readUpload(c, pg.svc.AttachmentLimit())
	if err == nil {
		in.Parent = Parent{Kind: ParentReport, ID: rid}
		_, err = pg.svc.Attach(c.Request().Context(), pg.actor(c), in)
	}
	if err != nil {
		v := url.Values{"description": {c.Request().FormValue("description")}}
		return pg.web.FailForm(c, "plan/assignment", p, v, err)
	}
	return web.SeeOther(c, fmt.Sprintf("/incarichi/%d", a.ID), "report_file_attached")
}

// withUploadLimit lets a page route that takes a file receive one as large as attachments may be.
func (pg *pages) withUploadLimit(r route.Route) route.Route {
	r.BodyLimit = pg.svc.AttachmentLimit() + uploadOverhead
	return r
}
