package web

import (
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/route"
)

// legacyRoutes are the feature pages that still live in the shell while they move out.
func (w *Web) legacyRoutes() []route.Route {
	get := func(path, obj, act, summary string, h echo.HandlerFunc) route.Route {
		return PageRoute(http.MethodGet, path, route.OnDistrict, obj, act, summary, h)
	}
	post := func(path, obj, act, summary string, h echo.HandlerFunc) route.Route {
		return PageRoute(http.MethodPost, path, route.OnDistrict, obj, act, summary, h)
	}
	public := func(r route.Route) route.Route { r.Public = true; return r }
	return []route.Route{
		public(PageRoute(http.MethodGet, "/", route.OnDistrict, "", "", "Home del distretto: il piano in sintesi / District home: the plan at a glance", w.districtHome)),
		public(PageRoute(http.MethodGet, "/", route.OnPlatform, "", "", "Home della piattaforma / Platform home", w.platformHome)),

		get("/piani", "plan", "read", "Piani di Zona / Plans", w.planList),
		get("/piani/nuovo", "plan", "write", "Nuovo piano (modulo) / New plan (form)", w.planNew),
		post("/piani", "plan", "write", "Crea un piano / Create a plan", w.planCreate),
		get("/piani/:id", "plan", "read", "Un piano: obiettivi, stato, storia / A plan: objectives, status, history", w.planShow),
		post("/piani/:id/proponi", "plan", "propose", "Proponi all'Assemblea / Propose", w.planMove("propose")),
		post("/piani/:id/approva", "plan", "approve", "Approva / Approve", w.planMove("approve")),
		post("/piani/:id/restituisci", "plan", "approve", "Restituisci con nota / Send back", w.planMove("return")),
		post("/piani/:id/chiudi", "plan", "approve", "Chiudi il piano / Close", w.planMove("close")),
		post("/piani/:id/variazioni", "plan", "write", "Apri una variazione / Open an amendment", w.amendmentOpen),
		post("/piani/:id/variazioni/:aid/proponi", "plan", "propose", "Proponi la variazione / Propose the amendment", w.amendmentMove("propose")),
		post("/piani/:id/variazioni/:aid/approva", "plan", "approve", "Approva la variazione / Approve the amendment", w.amendmentMove("approve")),
		post("/piani/:id/variazioni/:aid/restituisci", "plan", "approve", "Restituisci la variazione / Send the amendment back", w.amendmentMove("return")),
		get("/piani/:id/obiettivi/nuovo", "plan", "write", "Nuovo obiettivo (modulo) / New objective (form)", w.objectiveNew),
		post("/piani/:id/obiettivi", "plan", "write", "Crea un obiettivo / Create an objective", w.objectiveCreate),

		get("/obiettivi/:id", "plan", "read", "Un obiettivo: scheda, indicatori, budget, valutazioni / An objective", w.objectiveShow),
		get("/obiettivi/:id/modifica", "objectives", "edit", "Modifica obiettivo (modulo) / Edit objective (form)", w.objectiveEdit),
		post("/obiettivi/:id", "objectives", "edit", "Salva l'obiettivo / Save the objective", w.objectiveUpdate),
		get("/obiettivi/:id/indicatori/nuovo", "objectives", "edit", "Nuovo indicatore (modulo) / New indicator (form)", w.indicatorNew),
		post("/obiettivi/:id/indicatori", "objectives", "edit", "Crea un indicatore / Create an indicator", w.indicatorCreate),
		get("/obiettivi/:id/budget", "budget", "write", "Budget dell'obiettivo (modulo) / The objective's budget (form)", w.budgetEdit),
		post("/obiettivi/:id/budget", "budget", "write", "Salva le righe di budget (una transazione) / Save the budget lines", w.budgetSave),
		get("/obiettivi/:id/valutazioni/:year", "monitoring", "write", "Valutazione dell'anno (modulo) / The year's evaluation (form)", w.evaluationEdit),
		post("/obiettivi/:id/valutazioni/:year", "monitoring", "write", "Salva la valutazione / Save the evaluation", w.evaluationSave),
		get("/obiettivi/:id/incarichi/nuovo", "assignments", "manage", "Affida un'attività (modulo) / Entrust an activity (form)", w.assignmentNew),
		post("/obiettivi/:id/incarichi", "assignments", "manage", "Affida un'attività / Entrust an activity", w.assignmentCreate),
		get("/obiettivi/:id/indicatori/:iid/misurazioni/nuova", "monitoring", "write", "Nuova misurazione (modulo) / New measurement (form)", w.measurementNew),
		post("/obiettivi/:id/indicatori/:iid/misurazioni", "monitoring", "write", "Registra una misurazione / Record a measurement", w.measurementCreate),

		get("/approvazioni", "plan", "approve", "Da approvare: piani e variazioni proposti / Waiting for approval", w.approvals),
		get("/partner", "partners", "read", "Partner / Partners", w.partnerList),
		get("/partner/nuovo", "partners", "manage", "Nuovo partner (modulo) / New partner (form)", w.partnerNew),
		post("/partner", "partners", "manage", "Crea un partner / Create a partner", w.partnerCreate),
		get("/partecipazione", "participation", "read", "Partecipazione: incontri e partecipanti / Participation", w.meetingList),
		get("/partecipazione/nuovo", "participation", "manage", "Nuovo incontro (modulo) / New meeting (form)", w.meetingNew),
		post("/partecipazione", "participation", "manage", "Registra un incontro / Record a meeting", w.meetingCreate),
		get("/incarichi", "assignments", "read", "Incarichi (una cooperativa vede i propri) / Assignments", w.assignmentList),
		get("/incarichi/:id", "assignments", "read", "Un incarico e le sue rendicontazioni / An assignment and its reports", w.assignmentShow),
		post("/incarichi/:id/rendicontazioni", "assignments", "report", "Rendiconta un periodo / Report a period", w.reportCreate),

		PageRoute(http.MethodGet, "/regioni/:region", route.OnPlatform, "regional", "read", "Distretti della regione a confronto / The region's districts side by side", w.regionShow),
		PageRoute(http.MethodGet, "/regioni/:region/distretti/:slug", route.OnPlatform, "regional", "read", "Un distretto nel dettaglio / One district in detail", w.regionDistrict),
	}
}

// legacyNav are the navigation entries of the pages that still live in the shell.
func (w *Web) legacyNav(c echo.Context, p *Page) []NavItem {
	var items []NavItem
	if p.District != nil {
		for _, n := range []struct{ href, key, obj, act string }{
			{"/piani", "nav.plans", "plan", "read"},
			{"/approvazioni", "nav.approvals", "plan", "approve"},
			{"/incarichi", "nav.assignments", "assignments", "read"},
			{"/partner", "nav.partners", "partners", "read"},
			{"/partecipazione", "nav.participation", "participation", "read"},
		} {
			if p.Can(n.obj, n.act) {
				items = append(items, NavItem{Href: n.href, Label: p.T(n.key)})
			}
		}
	} else if p.User != nil && w.Regions != nil {
		if slugs := w.regionsOf(c); len(slugs) > 0 {
			rs, err := w.Regions.Regions(c.Request().Context(), slugs)
			if err == nil {
				for _, r := range rs {
					items = append(items, NavItem{Href: "/regioni/" + r.Slug, Label: r.Name})
				}
			}
		}
	}
	return items
}

// legacyFuncs are the template functions of the pages that still live in the shell.
func legacyFuncs() template.FuncMap {
	return template.FuncMap{
		// achievement is the grado di raggiungimento of the latest evaluation, if any.
		"achievement": func(evs []plan.Evaluation) *int {
			for i := len(evs) - 1; i >= 0; i-- {
				if evs[i].AchievementPct != nil {
					return evs[i].AchievementPct
				}
			}
			return nil
		},
	}
}
