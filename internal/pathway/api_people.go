package pathway

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/strictjson"
)

// peopleRoutes are the operations on people and pathways: persons, opening, caseload, detail, stages, assignment, consent, history, stats.
func (h *API) peopleRoutes() []route.Route {
	return []route.Route{
		op("GET", v+"/programmes", actRead, "Programmi dei percorsi / Pathway programmes", h.programmes).Returning([]Programme{}),
		op("GET", v+"/pathways", actRead, "Percorsi visibili: il proprio carico, o tutti per il coordinatore (?programme=&stage=&assigned_to=&due=&closed=&codice_fiscale=) / Visible pathways", h.caseload).Returning([]CaseloadItem{}),
		op("POST", v+"/pathways", actWrite, "Apri un percorso, con il consenso al trattamento / Open a pathway, with the consent to processing", h.open).WithBody(OpenInput{}).Returning(Pathway{}),
		op("GET", v+"/pathways/:id", actRead, "Un percorso su una pagina / A pathway on one page", h.detail).Returning(Detail{}),
		op("POST", v+"/pathways/:id/stage", actWrite, "Cambia fase / Move to another stage", h.moveStage).WithBody(stageBody{}).Returning(Pathway{}),
		op("POST", v+"/pathways/:id/close", actWrite, "Chiudi il percorso con il motivo / Close the pathway with its reason", h.close).WithBody(ClosureInput{}).Returning(Pathway{}),
		op("POST", v+"/pathways/:id/assign", actAssign, "Assegna o riassegna / Assign or reassign", h.assign).WithBody(AssignInput{}).Returning(Pathway{}),
		op("GET", v+"/workers", actAssign, "Link worker a cui assegnare, con i percorsi aperti / Link workers to assign to", h.workers).Returning([]Worker{}),
		op("GET", v+"/persons/:id", actRead, "Una persona / A person", h.person).Returning(Person{}),
		op("PATCH", v+"/persons/:id", actWrite, "Modifica i dati di una persona (merge patch) / Edit a person", h.updatePerson).WithBody(PersonInput{}).Returning(Person{}),
		op("GET", v+"/persons/:id/consents", actRead, "Storia dei consensi / Consent history", h.consents).Returning([]Consent{}),
		op("POST", v+"/persons/:id/consents", actWrite, "Registra un consenso dato o revocato / Record a consent given or withdrawn", h.recordConsent).WithBody(ConsentInput{}).Returning(Consent{}),
		op("GET", v+"/pathways-stats", actStats, "Dati aggregati, senza dati personali / Aggregates, no personal data", h.stats).Returning(Stats{}),
	}
}

// stageBody moves a pathway to a stage.
type stageBody struct {
	Stage   string `json:"stage"`
	Version int    `json:"version"`
}

func (h *API) programmes(c echo.Context) error {
	ps := h.svc.Programmes().Sorted()
	return route.List(c, ps, int64(len(ps)), len(ps), 0)
}

func (h *API) caseload(c echo.Context) error {
	limit, offset, err := route.Paging(c)
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), h.actor(c)
	if cf := c.QueryParam("codice_fiscale"); cf != "" {
		items, err := h.svc.FindByCF(ctx, a, cf)
		if err != nil {
			return err
		}
		return route.List(c, items, int64(len(items)), len(items), 0)
	}
	f := CaseloadFilter{Programme: c.QueryParam("programme"), Stage: c.QueryParam("stage"), AssignedTo: c.QueryParam("assigned_to"),
		Limit: limit, Offset: offset}
	if f.DueThisWeek, err = route.BoolParam(c, "due"); err != nil {
		return err
	}
	if f.IncludeClosed, err = route.BoolParam(c, "closed"); err != nil {
		return err
	}
	items, total, err := h.svc.Caseload(ctx, a, f)
	if err != nil {
		return err
	}
	return route.List(c, items, total, limit, offset)
}

// open refuses health staff before reading the body: they may write records, never open.
func (h *API) open(c echo.Context) error {
	a := h.actor(c)
	if !a.Can(object, actAssign) && !mayOpenOwn(a) {
		return errForbidden
	}
	var in OpenInput
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	p, err := h.svc.OpenPathway(c.Request().Context(), a, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, p)
}

func (h *API) detail(c echo.Context) error {
	d, err := h.svc.Detail(c.Request().Context(), h.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

func (h *API) moveStage(c echo.Context) error {
	var in stageBody
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	p, err := h.svc.MoveStage(c.Request().Context(), h.actor(c), c.Param("id"), in.Stage, in.Version)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (h *API) close(c echo.Context) error {
	var in ClosureInput
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	p, err := h.svc.Close(c.Request().Context(), h.actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (h *API) assign(c echo.Context) error {
	var in AssignInput
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	p, err := h.svc.Assign(c.Request().Context(), h.actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (h *API) workers(c echo.Context) error {
	ws, err := h.svc.Workers(c.Request().Context(), h.actor(c))
	if err != nil {
		return err
	}
	return route.List(c, ws, int64(len(ws)), len(ws), 0)
}

func (h *API) person(c echo.Context) error {
	p, err := h.svc.Person(c.Request().Context(), h.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// updatePerson applies the body as a merge patch onto the person's current details.
func (h *API) updatePerson(c echo.Context) error {
	body, err := route.Body(c)
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), h.actor(c)
	cur, err := h.svc.Person(ctx, a, c.Param("id"))
	if err != nil {
		return err
	}
	in := PersonInput{GivenName: cur.GivenName, FamilyName: cur.FamilyName, CodiceFisc: cur.CodiceFisc, BirthDate: cur.BirthDate,
		Sex: cur.Sex, Municipality: cur.Municipality, Language: cur.Language, Contacts: cur.Contacts}
	if err := strictjson.Merge(&in, body); err != nil {
		return err
	}
	p, err := h.svc.UpdatePerson(ctx, a, c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (h *API) consents(c echo.Context) error {
	cs, err := h.svc.Consents(c.Request().Context(), h.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return route.List(c, cs, int64(len(cs)), len(cs), 0)
}

func (h *API) recordConsent(c echo.Context) error {
	var in ConsentInput
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	cs, err := h.svc.RecordConsent(c.Request().Context(), h.actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, cs)
}

func (h *API) stats(c echo.Context) error {
	st, err := h.svc.Stats(c.Request().Context(), h.actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}
