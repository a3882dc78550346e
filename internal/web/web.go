// Package web is Ambiti's user interface: server-rendered pages with Bootstrap Italia, Italian
// first and English through a language switch, progressive enhancement with htmx (every page
// works without JavaScript). Pages are route.Route values like the API's: each names the
// permission it needs, and the guard checks it before the handler runs; a hidden button is
// never the only barrier. The pages call the same domain services as the API.
package web

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/auth"
	"github.com/ambiti/ambiti/internal/authz"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/region"
	"github.com/ambiti/ambiti/internal/route"
)

//go:embed templates locales static
var files embed.FS

// Directory knows the people of a district (auth.Service).
type Directory interface {
	Members(ctx context.Context, domain string) ([]auth.Member, error)
	Member(ctx context.Context, domain, id string) (auth.Member, error)
}

// Deps are what the pages are built on.
type Deps struct {
	Plans   *plan.Service
	Authz   *authz.Authorizer
	People  Directory
	Regions *region.Store
	Log     *slog.Logger
}

// Web serves the pages.
type Web struct {
	Deps
	cats   map[string]catalogue
	pages  map[string]map[string]*template.Template // language → page name → template
	assets *assets
}

// New parses every template and catalogue once; an error in any of them fails the start.
func New(d Deps) (*Web, error) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	w := &Web{Deps: d}
	var err error
	if w.cats, err = loadCatalogues(files); err != nil {
		return nil, err
	}
	static, err := fs.Sub(files, "static")
	if err != nil {
		return nil, err
	}
	if w.assets, err = loadAssets(static); err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	if w.pages, err = parseTemplates(files, w.cats, w.assets); err != nil {
		return nil, err
	}
	return w, nil
}

// Routes lists every page; each line shows the permission it needs (none: public, or any
// person logged in on this host when not public).
func (w *Web) Routes() []route.Route {
	page := func(method, path string, on route.Hosts, obj, act, summary string, h echo.HandlerFunc) route.Route {
		return route.Route{Method: method, Path: path, On: on, Tag: "pagine", Object: obj, Action: act, Summary: summary,
			Handler: h, Produces: []string{route.HTML}}
	}
	get := func(path, obj, act, summary string, h echo.HandlerFunc) route.Route {
		return page(http.MethodGet, path, route.OnDistrict, obj, act, summary, h)
	}
	post := func(path, obj, act, summary string, h echo.HandlerFunc) route.Route {
		return page(http.MethodPost, path, route.OnDistrict, obj, act, summary, h)
	}
	public := func(r route.Route) route.Route { r.Public = true; return r }
	static := route.Route{Method: http.MethodGet, Path: "/static/*", On: route.OnAny, Tag: "pagine", Public: true, Handler: w.assets.serve,
		Summary:  "File statici delle pagine (CSS, JavaScript, icone, caratteri) / The pages' static files",
		Produces: []string{"text/css", "text/javascript", "image/svg+xml", "font/woff2", "text/plain"}}
	return []route.Route{
		static,
		public(page(http.MethodGet, "/", route.OnDistrict, "", "", "Home del distretto: il piano in sintesi / District home: the plan at a glance", w.districtHome)),
		public(page(http.MethodGet, "/", route.OnPlatform, "", "", "Home della piattaforma / Platform home", w.platformHome)),
		page(http.MethodGet, "/profilo", route.OnAny, "", "", "Il mio profilo / My profile", w.profile),

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
		get("/amministrazione/utenti", "members", "read", "Utenti del distretto e ruoli / The district's users and roles", w.members),
		post("/amministrazione/utenti/:id/ruoli", "members", "manage", "Assegna o revoca un ruolo / Grant or revoke a role", w.memberRole),

		page(http.MethodGet, "/regioni/:region", route.OnPlatform, "regional", "read", "Distretti della regione a confronto / The region's districts side by side", w.regionShow),
		page(http.MethodGet, "/regioni/:region/distretti/:slug", route.OnPlatform, "regional", "read", "Un distretto nel dettaglio / One district in detail", w.regionDistrict),
	}
}
