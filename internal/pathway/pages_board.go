package pathway

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// The coordinator's assignment board: the pathways waiting for a link worker, each link
// worker with their open caseload, and a form per pathway to assign or reassign it.

func (pg *pages) boardPages() []route.Route {
	return []route.Route{
		web.PageRoute(http.MethodGet, "/percorsi/assegnazioni", route.OnDistrict, object, actAssign,
			"Assegnazione dei percorsi ai link worker / Assignment board", pg.boardPage),
		web.PageRoute(http.MethodPost, "/percorsi/:id/assegna", route.OnDistrict, object, actAssign,
			"Assegna o riassegna un percorso / Assign or reassign a pathway", pg.assignPost),
	}
}

type boardData struct {
	Sections []boardSection // waiting for a link worker, then assigned
	Workers  []Worker
	Options  []web.Option
}

type boardSection struct {
	ID, Heading string
	Rows        []caseRow
}

func (pg *pages) boardPage(c echo.Context) error {
	p := pg.web.NewPage(c, "pathway.board.title")
	p.Form = &web.Form{Values: c.QueryParams()}
	return pg.renderBoard(c, p)
}

func (pg *pages) renderBoard(c echo.Context, p *web.Page) error {
	ctx, a := c.Request().Context(), pg.actor(c)
	ws, err := pg.svc.Workers(ctx, a)
	if err != nil {
		return err
	}
	items, _, err := pg.svc.Caseload(ctx, a, CaseloadFilter{Limit: caseloadLimit})
	if err != nil {
		return err
	}
	d := boardData{Workers: ws, Options: workerOptions(p, ws)}
	waiting := boardSection{ID: "waiting", Heading: "pathway.board.waiting"}
	assigned := boardSection{ID: "assigned", Heading: "pathway.board.assigned"}
	for _, it := range items {
		r := caseRow{CaseloadItem: it, ProgrammeName: pg.programmeName(p, it.Programme), StageName: pg.stageName(p, it.Programme, it.Stage)}
		if it.AssignedTo == "" {
			waiting.Rows = append(waiting.Rows, r)
		} else {
			assigned.Rows = append(assigned.Rows, r)
		}
	}
	d.Sections = []boardSection{waiting, assigned}
	p.Data = d
	return pg.web.Render(c, "pathway/board", p)
}

// assignPost assigns pathway :id; each row's select is named "assignee_id-<pathway>", so a
// refusal shows next to that row's select.
func (pg *pages) assignPost(c echo.Context) error {
	id := c.Param("id")
	field := "assignee_id-" + id
	v, err := web.FormValues(c)
	if err == nil {
		ver, _ := strconv.Atoi(v.Get("version"))
		_, err = pg.svc.Assign(c.Request().Context(), pg.actor(c), id, AssignInput{AssigneeID: v.Get(field), Version: ver})
	}
	if err == nil && v.Get("from") == "abbinamento" { // the matching page's one-click assignment
		return web.SeeOther(c, "/percorsi/"+id, "pathway_assigned")
	}
	if err == nil {
		return web.SeeOther(c, "/percorsi/assegnazioni", "pathway_assigned")
	}
	e, ok := apperr.As(err)
	if !ok || (e.Code != apperr.Invalid && e.Code != apperr.Conflict) || v == nil {
		return err
	}
	p := pg.web.NewPage(c, "pathway.board.title")
	if e.Field == "assignee_id" || e.Field == "version" {
		e = e.WithField(field)
	}
	p.Form = &web.Form{Values: v, Err: e}
	p.Status = http.StatusUnprocessableEntity
	if e.Code == apperr.Conflict {
		p.Status = http.StatusConflict
	}
	return pg.renderBoard(c, p)
}
