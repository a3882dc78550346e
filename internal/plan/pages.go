package plan

import (
	"embed"
	"fmt"
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// pageFiles are the templates (templates/pages/<name>.html, shared pieces in templates/*.html)
// and the texts (locales/<lang>.json) of the plan's pages.
//
//go:embed templates locales
var pageFiles embed.FS

// pages are the plan's pages: the same Service as the API, rendered in the shell. One page
// family per file (pages_<family>.go), its templates under templates/pages.
type pages struct {
	svc     *Service
	web     *web.Web
	glances *versioned[glanceKey, template.HTML] // the district homes' glance (homeGlance)
}

// Pages is the plan's part of the user interface, for the shell to register: the district's
// home, plans and amendments, objectives with their indicators, budget and evaluations,
// partners, participation and assignments.
func Pages(svc *Service) web.Feature {
	return web.Feature{Name: "plan", Files: pageFiles, Nav: nav,
		Funcs: template.FuncMap{"achievement": achievement, "diffValue": diffValue, "fileSize": fileSize},
		Pages: func(w *web.Web) []route.Route {
			return (&pages{svc: svc, web: w, glances: newVersioned[glanceKey, template.HTML](homesKept)}).routes()
		},
		Organisation: func(c echo.Context) string { return ownOrganisation(c, svc) }}
}

// actor is who is acting on a page, as the request chain established it.
func (pg *pages) actor(c echo.Context) Actor { return actor.From(c.Request().Context()) }

// nav are the plan's entries of the main navigation, on a district's host.
func nav(_ echo.Context, p *web.Page) []web.NavItem {
	if p.District == nil {
		return nil
	}
	var items []web.NavItem
	for _, n := range []struct{ href, key, obj, act string }{
		{"/piani", "nav.plans", "plan", "read"},
		{"/approvazioni", "nav.approvals", "plan", "approve"},
		{"/incarichi", "nav.assignments", "assignments", "read"},
		{"/partner", "nav.partners", "partners", "read"},
		{"/partecipazione", "nav.participation", "participation", "read"},
	} {
		if p.Can(n.obj, n.act) {
			items = append(items, web.NavItem{Href: n.href, Label: p.T(n.key)})
		}
	}
	return items
}

// achievement is the grado di raggiungimento of the latest evaluation, if any (a template
// function).
func achievement(evs []Evaluation) *int {
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].AchievementPct != nil {
			return evs[i].AchievementPct
		}
	}
	return nil
}

// routes lists the plan's pages; each line shows the permission it needs, the same as the API
// operation the page calls.
func (pg *pages) routes() []route.Route {
	get := func(path, obj, act, summary string, h echo.HandlerFunc) route.Route {
		return web.PageRoute(http.MethodGet, path, route.OnDistrict, obj, act, summary, h)
	}
	post := func(path, obj, act, summary string, h echo.HandlerFunc) route.Route {
		return web.PageRoute(http.MethodPost, path, route.OnDistrict, obj, act, summary, h)
	}
	home := web.PageRoute(http.MethodGet, "/", route.OnDistrict, "", "", "Home del distretto: il piano in sintesi / District home: the plan at a glance", pg.districtHome)
	home.Public = true
	return append([]route.Route{
		home,
		get("/piani", "plan", "read", "Piani di Zona / Plans", pg.planList),
		get("/piani/nuovo", "plan", "write", "Nuovo piano (modulo) / New plan (form)", pg.planNew),
		post("/piani", "plan", "write", "Crea un piano / Create a plan", pg.planCreate),
		get("/piani/:id", "plan", "read", "Un piano: obiettivi, stato, storia / A plan: objectives, status, history", pg.planShow),
		post("/piani/:id/proponi", "plan", "propose", "Proponi all'Assemblea / Propose", pg.planMove(StepPropose)),
		post("/piani/:id/approva", "plan", "approve", "Approva / Approve", pg.planMove(StepApprove)),
		post("/piani/:id/restituisci", "plan", "approve", "Restituisci con nota / Send back", pg.planMove(StepReturn)),
		post("/piani/:id/chiudi", "plan", "approve", "Chiudi il piano / Close", pg.planMove(StepClose)),
		post("/piani/:id/variazioni", "plan", "write", "Apri una variazione / Open an amendment", pg.amendmentOpen),
		post("/piani/:id/variazioni/:aid/proponi", "plan", "propose", "Proponi la variazione / Propose the amendment", pg.amendmentMove(StepPropose)),
		post("/piani/:id/variazioni/:aid/approva", "plan", "approve", "Approva la variazione / Approve the amendment", pg.amendmentMove(StepApprove)),
		post("/piani/:id/variazioni/:aid/restituisci", "plan", "approve", "Restituisci la variazione / Send the amendment back", pg.amendmentMove(StepReturn)),
		get("/piani/:id/obiettivi/nuovo", "plan", "write", "Nuovo obiettivo (modulo) / New objective (form)", pg.objectiveNew),
		post("/piani/:id/obiettivi", "plan", "write", "Crea un obiettivo / Create an objective", pg.objectiveCreate),

		get("/obiettivi/:id", "plan", "read", "Un obiettivo: scheda, indicatori, budget, valutazioni / An objective", pg.objectiveShow),
		get("/obiettivi/:id/modifica", "objectives", "edit", "Modifica obiettivo (modulo) / Edit objective (form)", pg.objectiveEdit),
		post("/obiettivi/:id", "objectives", "edit", "Salva l'obiettivo / Save the objective", pg.objectiveUpdate),
		get("/obiettivi/:id/indicatori/nuovo", "objectives", "edit", "Nuovo indicatore (modulo) / New indicator (form)", pg.indicatorNew),
		post("/obiettivi/:id/indicatori", "objectives", "edit", "Crea un indicatore / Create an indicator", pg.indicatorCreate),
		get("/obiettivi/:id/budget", "budget", "write", "Budget dell'obiettivo (modulo) / The objective's budget (form)", pg.budgetEdit),
		post("/obiettivi/:id/budget", "budget", "write", "Salva le righe di budget (una transazione) / Save the budget lines", pg.budgetSave),
		get("/obiettivi/:id/valutazioni/:year", "monitoring", "write", "Valutazione dell'anno (modulo) / The year's evaluation (form)", pg.evaluationEdit),
		post("/obiettivi/:id/valutazioni/:year", "monitoring", "write", "Salva la valutazione / Save the evaluation", pg.evaluationSave),
		get("/obiettivi/:id/incarichi/nuovo", "assignments", "manage", "Affida un'attività (modulo) / Entrust an activity (form)", pg.assignmentNew),
		post("/obiettivi/:id/incarichi", "assignments", "manage", "Affida un'attività / Entrust an activity", pg.assignmentCreate),
		get("/obiettivi/:id/indicatori/:iid/misurazioni/nuova", "monitoring", "write", "Nuova misurazione (modulo) / New measurement (form)", pg.measurementNew),
		post("/obiettivi/:id/indicatori/:iid/misurazioni", "monitoring", "write", "Registra una misurazione / Record a measurement", pg.measurementCreate),

		get("/approvazioni", "plan", "approve", "Da approvare: piani e variazioni proposti / Waiting for approval", pg.approvals),
		get("/partner", "partners", "read", "Partner / Partners", pg.partnerList),
		get("/partner/nuovo", "partners", "manage", "Nuovo partner (modulo) / New partner (form)", pg.partnerNew),
		post("/partner", "partners", "manage", "Crea un partner / Create a partner", pg.partnerCreate),
		get("/partecipazione", "participation", "read", "Partecipazione: incontri e partecipanti / Participation", pg.meetingList),
		get("/partecipazione/nuovo", "participation", "manage", "Nuovo incontro (modulo) / New meeting (form)", pg.meetingNew),
		post("/partecipazione", "participation", "manage", "Registra un incontro / Record a meeting", pg.meetingCreate),
		get("/incarichi", "assignments", "read", "Incarichi (una cooperativa vede i propri) / Assignments", pg.assignmentList),
		get("/incarichi/:id", "assignments", "read", "Un incarico e le sue rendicontazioni / An assignment and its reports", pg.assignmentShow),
		post("/incarichi/:id/rendicontazioni", "assignments", "report", "Rendiconta un periodo / Report a period", pg.reportCreate),
		post("/incarichi/:id/rendicontazioni/:report/esame", "assignments", "manage", "Esamina una rendicontazione / Review a report", pg.reportReview),
		pg.withUploadLimit(post("/incarichi/:id/rendicontazioni/:report/allegati", "assignments", "report", "Allega un file a una rendicontazione / Attach a file to a report", pg.reportAttach)),
	}, append(append(pg.attachmentPageRoutes(), pg.correctionRoutes()...), pg.copyRoutes()...)...)
}

// objectiveContext loads an objective in full with its plan (one round trip).
func (pg *pages) objectiveContext(c echo.Context) (ObjectiveDetail, Plan, error) {
	sh, err := pg.objectiveSheet(c)
	return sh.Detail, sh.Plan, err
}

// objectiveSheet loads the objective the route names, with what its page shows around it.
func (pg *pages) objectiveSheet(c echo.Context) (ObjectiveSheet, error) {
	id, err := route.ID(c, "id")
	if err != nil {
		return ObjectiveSheet{}, err
	}
	return pg.svc.ObjectiveSheet(c.Request().Context(), pg.actor(c), id)
}

func objectiveCrumbs(p *web.Page, pl Plan, o *Objective) []web.Crumb {
	cs := []web.Crumb{{Href: "/piani", Label: p.T("nav.plans")}, {Href: fmt.Sprintf("/piani/%d", pl.ID), Label: pl.Title}}
	if o != nil {
		cs = append(cs, web.Crumb{Href: fmt.Sprintf("/obiettivi/%d", o.ID), Label: o.Title})
	}
	return cs
}
