package pathway

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// A pathway on one page: the person, the stages, the consents and every record the reader may
// see, with a small form for each thing to record; and the forms that change the pathway
// itself (stage, closure) or the person's consent. Each form posts to its own handler, which
// calls one service method and comes back to the page (pages_records.go: the records' forms).

func (pg *pages) pathwayPages() []route.Route {
	return []route.Route{
		web.PageRoute(http.MethodGet, "/percorsi/:id", route.OnDistrict, object, actRead,
			"Un percorso su una pagina / A pathway on one page", pg.pathwayPage),
		web.PageRoute(http.MethodPost, "/percorsi/:id/fase", route.OnDistrict, object, actWrite,
			"Cambia fase / Move to another stage", pg.stagePost),
		web.PageRoute(http.MethodPost, "/percorsi/:id/chiusura", route.OnDistrict, object, actWrite,
			"Chiudi il percorso / Close the pathway", pg.closePost),
		web.PageRoute(http.MethodPost, "/percorsi/:id/consensi", route.OnDistrict, object, actWrite,
			"Registra un consenso dato o revocato / Record a consent", pg.consentPost),
	}
}

// stageStep is one stage of the stepper.
type stageStep struct {
	Code, Name    string
	Done, Current bool
}

// signButton is a party the reader may sign a draft project for.
type signButton struct{ Party, Name string }

// projectView is a project version with the parties' names and the reader's sign buttons.
type projectView struct {
	Project
	Signed  []signedBy
	Missing []string
	MaySign []signButton
}

type signedBy struct {
	Name string
	Signature
}

// ons4Row is one measurement with each item apart (never a total).
type ons4View struct {
	ONS4
	OccasionName string
}

type pathwayData struct {
	Detail
	Age            int
	Programme      Programme
	ProgrammeName  string
	StageName      string
	Steps          []stageStep
	Closed         bool
	MayWrite       bool
	Projects       []projectView
	Outcomes       []ons4View
	Stages         []web.Option
	Reasons        []web.Option
	Sources        string
	Domains        []web.Option
	DomainNames    map[string]string
	NEETOptions    []web.Option
	MeetingKinds   []web.Option
	GoalStatuses   []web.Option
	ActivityKinds  []web.Option
	Services       []web.Option
	Purposes       []web.Option
	UsesONS4       bool
	UsesProject    bool
	ProjectEditing bool
	Levels         []web.Option
	SupportRows    []int
	Open           string // the form refused, shown open
	Events         []eventView
	// The referrals' section (pages_referrals.go): the referrals in words, the forms' choices.
	Referrals        []referralView
	Overrides        []overrideView
	MayRefer         bool
	MayOverride      bool
	PartyNames       map[string]string // consent party → the body's name
	Parties          []web.Option      // the parties a consent to share may name
	OverrideOrgs     []web.Option
	ReferralServices []web.OptGroup
	ServiceEmpty     web.Option
	Urgencies        []web.Option
	Preferences      []web.Option
	StepOutcomes     []web.Option
	ShareBoxes       []shareBox
}

// eventView is a line of the history in words: who, what, the stages it moved between.
type eventView struct {
	Event
	What, From, To, Detail string
}

// eventKinds are the kinds of history lines the catalogue names (pathway.event.<kind>).
var eventKinds = map[string]bool{"open": true, "consent": true, "assign": true, "stage": true, "close": true,
	"activity": true, "assessment": true, "goal": true, "meeting": true, "outcome": true, "project": true, "signature": true,
	"referral": true}

// historyOf puts the events in words; record ids and identity ids stay out of the page.
func historyOf(p *web.Page, prog Programme, evs []Event) []eventView {
	out := make([]eventView, 0, len(evs))
	for _, e := range evs {
		v := eventView{Event: e, What: e.Kind}
		if eventKinds[e.Kind] {
			v.What = p.T("pathway.event." + e.Kind)
		}
		if e.FromStage != "" {
			v.From = labelOf(p, prog.Stages, e.FromStage)
		}
		if e.ToStage != "" {
			v.To = labelOf(p, prog.Stages, e.ToStage)
		}
		switch e.Kind {
		case "close":
			v.Detail = labelOf(p, prog.ClosureReasons, e.Detail)
		case "consent":
			parts := strings.Split(e.Detail, ":")
			if len(parts) == 3 {
				v.Detail = p.T("pathway.consent.purpose."+parts[0]) + " — " + parts[2]
			}
		case "referral":
			if f := strings.Fields(e.Detail); len(f) > 0 {
				v.Detail = p.T("pathway.referral.status." + f[0])
			}
		case "outcome":
			if f := strings.Fields(e.Detail); len(f) > 0 {
				v.Detail = p.T("pathway.ons4.occasion." + f[0])
			}
		}
		out = append(out, v)
	}
	return out
}

func (pg *pages) pathwayPage(c echo.Context) error {
	p, err := pg.pathwayView(c, c.Param("id"))
	if err != nil {
		return err
	}
	p.Form = &web.Form{Values: pg.prefill(p.Data.(pathwayData))}
	return pg.web.Render(c, "pathway/pathway", p)
}

// failPathway shows the pathway page again with the refused form's values and its error.
func (pg *pages) failPathway(c echo.Context, id string, v url.Values, err error) error {
	p, derr := pg.pathwayView(c, id)
	if derr != nil {
		return derr
	}
	d := p.Data.(pathwayData)
	if e, ok := apperr.As(err); ok {
		d.Open, _, _ = strings.Cut(e.Field, "-")
	}
	if _, sent := v["referral-service_id"]; sent && d.ShareBoxes != nil {
		d.ShareBoxes = shareBoxes(p, append([]string{}, v["referral-shared"]...))
	}
	p.Data = d
	return pg.web.FailForm(c, "pathway/pathway", p, v, err)
}

// prefill is what the forms start from: today, the project's current content.
func (pg *pages) prefill(d pathwayData) url.Values {
	v := url.Values{}
	today := pg.svc.today().Format(time.DateOnly) // the district's day, as the service checks dates
	for _, k := range []string{"closed_on", "meeting-held_on", "goal-started_on", "activity-started_on", "assessment-assessed_on"} {
		v.Set(k, today)
	}
	if n := len(d.Detail.Projects); n > 0 {
		cur := d.Detail.Projects[n-1]
		for i, s := range cur.Supports {
			f := "project-supports[" + strconv.Itoa(i) + "]-"
			v.Set(f+"kind", s.Kind)
			v.Set(f+"provider", s.Provider)
			v.Set(f+"frequency", s.Frequency)
			v.Set(f+"funding", s.Funding)
		}
		v.Set("project-commitments-persona", cur.Commitments.Person)
		v.Set("project-commitments-famiglia", cur.Commitments.Family)
		v.Set("project-commitments-comune", cur.Commitments.Comune)
		v.Set("project-commitments-asst", cur.Commitments.ASST)
	}
	return v
}

// pathwayView reads the pathway (what Detail gives this reader) and prepares its page.
func (pg *pages) pathwayView(c echo.Context, id string) (*web.Page, error) {
	ctx, a := c.Request().Context(), pg.actor(c)
	det, err := pg.svc.Detail(ctx, a, id)
	if err != nil {
		return nil, err
	}
	p := pg.web.NewPage(c, "pathway.detail.title", det.Person.GivenName+" "+det.Person.FamilyName)
	p.Crumbs = []web.Crumb{{Href: "/percorsi", Label: p.T("pathway.caseload.title")}}
	prog := pg.svc.programmes[det.Pathway.Programme]
	d := pathwayData{Detail: det, Programme: prog, ProgrammeName: pg.programmeName(p, prog.Code),
		StageName: labelOf(p, prog.Stages, det.Pathway.Stage), Closed: det.Pathway.ClosedOn != "",
		MayWrite: a.Can(object, actWrite), UsesONS4: prog.Measures("ons4") && !det.HealthView,
		UsesProject: len(prog.Signatures) > 0, DomainNames: map[string]string{}}
	d.Age = ageOf(det.Person.BirthDate, time.Now())
	cur := prog.StageIndex(det.Pathway.Stage)
	for i, l := range prog.Stages {
		d.Steps = append(d.Steps, stageStep{Code: l.Code, Name: name(p, l), Done: i < cur, Current: i == cur})
	}
	d.Stages = labelOptions(p, prog.Stages[:len(prog.Stages)-1])
	d.Reasons = labelOptions(p, prog.ClosureReasons)
	for _, dm := range prog.Domains {
		d.DomainNames[dm.Code] = name(p, dm.Label)
	}
	d.Domains = labelOptions(p, domainLabels(prog, det.HealthView))
	if prog.Measures("neet") {
		d.NEETOptions = p.Options(vocab("neet"), []string{"studio", "lavoro", "formazione", "nessuno"}, true)
	}
	d.MeetingKinds = p.Options(vocab("meeting", "kind"), []string{"incontro", "telefonata", "follow_up", "visita"}, true)
	d.GoalStatuses = p.Options(vocab("goal", "status"), []string{goalOpen, goalUnderway, goalReached, goalAbandoned}, false)
	// Referrals go through «Invii alla rete» (consent-gated); the activities' kind "invio" stays
	// readable for the ones recorded before, and the API still takes it.
	d.ActivityKinds = p.Options(vocab("activity", "kind"), []string{activityOwn}, true)
	d.Levels = p.Options(vocab("assessment", "level"), []string{"0", "1", "2", "3"}, true)
	for i := range projectSupportRows {
		d.SupportRows = append(d.SupportRows, i)
	}
	d.Purposes = p.Options(vocab("consent", "purpose"), []string{PurposeProcessing, PurposeSharing, PurposeResearch}, true)
	if svcs, err := pg.svc.PublishedServices(ctx, a); err == nil && len(svcs) > 0 {
		d.Services = []web.Option{{Value: "", Label: p.T("form.choose")}}
		for _, s := range svcs {
			d.Services = append(d.Services, web.Option{Value: s.ID, Label: s.Name})
		}
	} else if err != nil {
		return nil, err
	}
	for _, o := range det.Outcomes {
		d.Outcomes = append(d.Outcomes, ons4View{ONS4: o, OccasionName: p.T("pathway.ons4.occasion." + o.Occasion)})
	}
	for _, pr := range det.Projects {
		d.Projects = append(d.Projects, projectFor(p, prog, pr))
	}
	d.Events = historyOf(p, prog, det.History)
	if err := pg.referralForms(c, p, &d); err != nil {
		return nil, err
	}
	p.Data = d
	return p, nil
}

// domainLabels are the domains the reader may assess: health staff the socio-sanitary ones.
func domainLabels(prog Programme, health bool) []Label {
	var out []Label
	for _, dm := range prog.Domains {
		if health && dm.Assessor != "sanitaria" {
			continue
		}
		out = append(out, dm.Label)
	}
	return out
}

// projectFor names a project's signatures and says which parties the reader may still sign.
func projectFor(p *web.Page, prog Programme, pr Project) projectView {
	v := projectView{Project: pr}
	signed := map[string]bool{}
	for _, s := range pr.Signatures {
		signed[s.Party] = true
		sig, _ := prog.Signatory(s.Party)
		v.Signed = append(v.Signed, signedBy{Name: name(p, Label{Name: sig.Name, NameEN: sig.NameEN}), Signature: s})
	}
	for _, sig := range prog.Signatures {
		if signed[sig.Party] {
			continue
		}
		n := name(p, Label{Name: sig.Name, NameEN: sig.NameEN})
		v.Missing = append(v.Missing, n)
		if pr.Status == projectDraft && p.Can(object, sig.Action) {
			v.MaySign = append(v.MaySign, signButton{Party: sig.Party, Name: n})
		}
	}
	return v
}

// ageOf is the age in whole years on now of someone born on birth ("" or unreadable: 0).
func ageOf(birth string, now time.Time) int {
	b, err := time.Parse(time.DateOnly, birth)
	if err != nil {
		return 0
	}
	age := now.Year() - b.Year()
	if now.Month() < b.Month() || now.Month() == b.Month() && now.Day() < b.Day() {
		age--
	}
	return age
}

// back is the pathway page, at the section just recorded, with a flash message.
func back(c echo.Context, id, anchor, flash string) error {
	return web.SeeOther(c, "/percorsi/"+id+"#"+anchor, flash)
}

// version reads the pathway's version the form was shown with.
func version(v url.Values) int {
	n, _ := strconv.Atoi(v.Get("version"))
	return n
}

func (pg *pages) stagePost(c echo.Context) error {
	id := c.Param("id")
	v, err := web.FormValues(c)
	if err == nil {
		_, err = pg.svc.MoveStage(c.Request().Context(), pg.actor(c), id, v.Get("stage"), version(v))
	}
	if err != nil {
		return pg.failPathway(c, id, v, err)
	}
	return back(c, id, "stages", "pathway_stage")
}

func (pg *pages) closePost(c echo.Context) error {
	id := c.Param("id")
	v, err := web.FormValues(c)
	if err == nil {
		in := ClosureInput{Reason: v.Get("reason"), ClosedOn: v.Get("closed_on"), NEETClose: v.Get("neet_close"), Version: version(v)}
		_, err = pg.svc.Close(c.Request().Context(), pg.actor(c), id, in)
	}
	if err != nil {
		return pg.failPathway(c, id, v, err)
	}
	return back(c, id, "stages", "pathway_closed")
}

func (pg *pages) consentPost(c echo.Context) error {
	id := c.Param("id")
	v, err := web.FormValues(c)
	if err == nil {
		in := ConsentInput{Purpose: v.Get("consent-purpose"), Given: v.Get("consent-given") == "si",
			NoticeVersion: v.Get("consent-notice_version")}
		if in.Purpose == PurposeSharing {
			in.Party = v.Get("consent-party")
			if in.Party == "" {
				in.Party = PartyHealth
			}
		}
		if v.Get("consent-given") == "" {
			err = apperr.Invalidf("consent-given", "indicare se il consenso è dato o revocato", "say whether consent is given or withdrawn")
		} else {
			_, err = pg.svc.RecordConsent(c.Request().Context(), pg.actor(c), v.Get("person_id"), in)
			err = inForm("consent-", err)
		}
	}
	if err != nil {
		return pg.failPathway(c, id, v, err)
	}
	return back(c, id, "consents", "pathway_consent")
}
