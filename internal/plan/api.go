package plan

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/strictjson"
)

// API adapts the Service to HTTP. It holds no logic of its own: bind, call, answer.
type API struct {
	svc   *Service
	lists *versioned[string, []byte] // encoded lists, by data version (listObjectives)
}

// listsKept bounds the encoded lists kept (the objectives of a plan: about 100 KB each): a few
// MB, against the server's memory goal (issue 21: < 150 MB with 1,000 districts under load).
const listsKept = 32

// NewAPI returns the handlers.
func NewAPI(svc *Service) *API { return &API{svc: svc, lists: newVersioned[string, []byte](listsKept)} }

// actor is who is calling, as the request chain established it.
func (h *API) actor(c echo.Context) Actor { return actor.From(c.Request().Context()) }

// Routes lists the plan's operations; each line shows the permission it needs.
func (h *API) Routes() []route.Route {
	r := func(method, path, obj, act, summary string, fn echo.HandlerFunc) route.Route {
		return route.Route{Method: method, Path: path, On: route.OnDistrict, Tag: "piano", Object: obj, Action: act,
			Summary: summary, Handler: fn, Produces: []string{route.JSON}}
	}
	const v = "/api/v1"
	return append([]route.Route{
		r("GET", v+"/funding-sources", "plan", "read", "Fonti di finanziamento / Funding sources", h.fundingSources).Returning([]FundingSource{}),
		r("GET", v+"/areas", "plan", "read", "Catalogo regionale: aree e schede / Regional catalogue: areas and items", h.areas).Returning([]Area{}),
		r("GET", v+"/plans", "plan", "read", "Piani di Zona del distretto / The district's plans (?status=)", h.listPlans).Returning([]Plan{}),
		r("POST", v+"/plans", "plan", "write", "Nuovo piano in bozza / New draft plan", h.createPlan).WithBody(PlanInput{}).Returning(Plan{}),
		r("GET", v+"/plans/:id", "plan", "read", "Un piano / One plan", getByID(h.svc.Plan)).Returning(Plan{}),
		r("POST", v+"/plans/:id/copy", "plan", "write", "Nuovo piano in bozza dal precedente (riproposto) / New draft plan from a previous one", bindByID(h, http.StatusCreated, h.svc.CopyPlan)).WithBody(CopyInput{}).Returning(Plan{}),
		r("PATCH", v+"/plans/:id", "plan", "write", "Titolo e anni di una bozza / A draft's title and years", h.updatePlan).WithBody(PlanInput{}).Returning(Plan{}),
		r("GET", v+"/plans/:id/dossier", "plan", "read", "Il piano completo con budget e partecipazione / The whole plan with budget and participation", getByID(h.svc.Dossier)).Returning(Dossier{}),
		r("GET", v+"/plans/:id/history", "plan", "read", "Storia: passaggi di stato e variazioni / History: transitions and amendments", getByID(h.svc.PlanHistory)).Returning(History{}),
		r("POST", v+"/plans/:id/propose", "plan", "propose", "Proponi all'Assemblea / Propose to the Assemblea", h.transition(StepPropose)).WithBody(noteBody{}).Returning(Plan{}),
		r("POST", v+"/plans/:id/approve", "plan", "approve", "Approva (Assemblea), con la delibera (numero e data) / Approve (Assemblea), with its delibera", h.approvePlan).WithBody(approveBody{}).Returning(Plan{}),
		r("POST", v+"/plans/:id/return", "plan", "approve", "Restituisci con nota (Assemblea) / Send back with a note (Assemblea)", h.transition(StepReturn)).WithBody(noteBody{}).Returning(Plan{}),
		r("POST", v+"/plans/:id/close", "plan", "approve", "Chiudi il piano / Close the plan", h.transition(StepClose)).WithBody(noteBody{}).Returning(Plan{}),
		r("GET", v+"/plans/:id/amendments", "plan", "read", "Variazioni del piano / The plan's amendments", listByID(h.svc.Amendments)).Returning([]Amendment{}),
		r("POST", v+"/plans/:id/amendments", "plan", "write", "Apri una variazione / Open an amendment", h.openAmendment).WithBody(reasonBody{}).Returning(Amendment{}),
		r("POST", v+"/plans/:id/amendments/:aid/propose", "plan", "propose", "Proponi la variazione / Propose the amendment", h.amendmentTransition(StepPropose)).Returning(Amendment{}),
		r("POST", v+"/plans/:id/amendments/:aid/approve", "plan", "approve", "Approva la variazione, con la delibera / Approve the amendment, with its delibera", h.approveAmendment).WithBody(approveBody{}).Returning(Amendment{}),
		r("POST", v+"/plans/:id/amendments/:aid/return", "plan", "approve", "Restituisci la variazione / Send the amendment back", h.amendmentTransition(StepReturn)).WithBody(noteBody{}).Returning(Amendment{}),
		r("GET", v+"/plans/:id/objectives", "plan", "read", "Obiettivi (?area=&socio_sanitary=&q=) / Objectives", h.listObjectives).Returning([]Objective{}),
		r("POST", v+"/plans/:id/objectives", "plan", "write", "Nuovo obiettivo / New objective", createByID(h, h.svc.CreateObjective)).WithBody(Objective{}).Returning(Objective{}),
		r("GET", v+"/objectives/:id", "plan", "read", "Un obiettivo con indicatori, budget, valutazioni / An objective in full", getByID(h.svc.ObjectiveDetail)).Returning(ObjectiveDetail{}),
		r("PATCH", v+"/objectives/:id", "objectives", "edit", "Modifica un obiettivo (merge patch) / Edit an objective", patchByID(h, h.svc.UpdateObjective)).WithBody(Objective{}).Returning(Objective{}),
		r("DELETE", v+"/objectives/:id", "plan", "write", "Elimina un obiettivo / Delete an objective", deleteByID(h, h.svc.DeleteObjective)),
		r("POST", v+"/objectives/:id/indicators", "objectives", "edit", "Nuovo indicatore / New indicator", createByID(h, h.svc.CreateIndicator)).WithBody(Indicator{}).Returning(Indicator{}),
		r("PATCH", v+"/indicators/:id", "objectives", "edit", "Modifica un indicatore / Edit an indicator", patchByID(h, h.svc.UpdateIndicator)).WithBody(Indicator{}).Returning(Indicator{}),
		r("DELETE", v+"/indicators/:id", "objectives", "edit", "Elimina un indicatore / Delete an indicator", deleteByID(h, h.svc.DeleteIndicator)),
		r("GET", v+"/indicators/:id/measurements", "plan", "read", "Misurazioni / Measurements", listByID(h.svc.Measurements)).Returning([]Measurement{}),
		r("POST", v+"/indicators/:id/measurements", "monitoring", "write", "Registra una misurazione / Record a measurement", bindByID(h, http.StatusCreated, h.svc.RecordMeasurement)).WithBody(MeasurementInput{}).Returning(Measurement{}),
		r("PATCH", v+"/measurements/:id", "monitoring", "write", "Correggi una misurazione (merge patch) / Correct a measurement", h.correctMeasurement()).WithBody(MeasurementInput{}).Returning(Measurement{}),
		r("DELETE", v+"/measurements/:id", "monitoring", "write", "Elimina una misurazione / Delete a measurement", deleteByID(h, h.svc.DeleteMeasurement)),
		r("GET", v+"/objectives/:id/budget", "plan", "read", "Budget dell'obiettivo / The objective's budget", h.budget).Returning([]BudgetLine{}),
		r("PUT", v+"/objectives/:id/budget", "budget", "write", "Sostituisce le righe di budget (una transazione) / Replace the budget lines (one transaction)", h.setBudget).WithBody(budgetBody{}).Returning([]BudgetLine{}),
		r("GET", v+"/objectives/:id/evaluations", "plan", "read", "Schede di valutazione / Evaluation sheets", listByID(h.svc.Evaluations)).Returning([]Evaluation{}),
		r("PUT", v+"/objectives/:id/evaluations/:year", "monitoring", "write", "Compila la valutazione dell'anno / Fill the year's evaluation", h.setEvaluation).WithBody(Evaluation{}).Returning(Evaluation{}),
		r("GET", v+"/partners", "partners", "read", "Partner / Partners", h.partners).Returning([]Partner{}),
		r("POST", v+"/partners", "partners", "manage", "Nuovo partner / New partner", h.createPartner).WithBody(PartnerInput{}).Returning(Partner{}),
		r("GET", v+"/assignments", "assignments", "read", "Incarichi visibili (una cooperativa vede i propri) / Visible assignments (?plan_id=)", h.assignments).Returning([]Assignment{}),
		r("GET", v+"/assignments/:id", "assignments", "read", "Un incarico / One assignment", h.assignment).Returning(Assignment{}),
		r("POST", v+"/objectives/:id/assignments", "assignments", "manage", "Affida un'attività a un partner / Entrust an activity to a partner", bindByID(h, http.StatusCreated, h.svc.Assign)).WithBody(AssignmentInput{}).Returning(Assignment{}),
		r("PATCH", v+"/assignments/:id", "assignments", "manage", "Modifica un incarico (merge patch: partner, attività) / Edit an assignment", h.updateAssignment()).WithBody(AssignmentInput{}).Returning(Assignment{}),
		r("DELETE", v+"/assignments/:id", "assignments", "manage", "Revoca un incarico / Remove an assignment", deleteByID(h, h.svc.Unassign)),
		r("GET", v+"/assignments/:id/reports", "assignments", "read", "Rendicontazioni dell'incarico / The assignment's reports", h.reports).Returning([]Report{}),
		r("POST", v+"/assignments/:id/reports", "assignments", "report", "Rendiconta un periodo / Report a period", bindByID(h, http.StatusCreated, h.svc.Report)).WithBody(ReportInput{}).Returning(Report{}),
		r("POST", v+"/reports/:id/review", "assignments", "manage", "Esamina una rendicontazione: accetta o chiede modifiche / Review a report: accept or ask for changes", bindByID(h, http.StatusOK, h.svc.ReviewReport)).WithBody(ReviewInput{}).Returning(Report{}),
		r("GET", v+"/meetings", "participation", "read", "Incontri e partecipanti (?plan_id=) / Meetings and participants", h.meetings).Returning([]Meeting{}),
		r("POST", v+"/meetings", "participation", "manage", "Registra un incontro / Record a meeting", h.recordMeeting).WithBody(MeetingInput{}).Returning(Meeting{}),
	}, h.attachmentRoutes()...)
}

func (h *API) fundingSources(c echo.Context) error {
	fs, err := h.svc.FundingSources(c.Request().Context(), h.actor(c))
	if err != nil {
		return err
	}
	return route.List(c, fs, int64(len(fs)), len(fs), 0)
}

func (h *API) areas(c echo.Context) error {
	as, err := h.svc.Areas(c.Request().Context(), h.actor(c))
	if err != nil {
		return err
	}
	return route.List(c, as, int64(len(as)), len(as), 0)
}

func (h *API) listPlans(c echo.Context) error {
	limit, offset, err := route.Paging(c)
	if err != nil {
		return err
	}
	st := Status(c.QueryParam("status"))
	if st != "" && !contains(Statuses, st) {
		allowed := joined(Statuses)
		return apperr.Invalidf("status", "stato ammesso: %s", "allowed: %s", allowed)
	}
	ps, total, err := h.svc.Plans(c.Request().Context(), h.actor(c), PlanFilter{Status: st, Page: Page{limit, offset}})
	if err != nil {
		return err
	}
	return route.List(c, ps, total, limit, offset)
}

func (h *API) createPlan(c echo.Context) error {
	var in PlanInput
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	p, err := h.svc.CreatePlan(c.Request().Context(), h.actor(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, p)
}

func (h *API) updatePlan(c echo.Context) error {
	id, err := route.ID(c, "id")
	if err != nil {
		return err
	}
	cur, err := h.svc.Plan(c.Request().Context(), h.actor(c), id)
	if err != nil {
		return err
	}
	in := PlanInput{Title: cur.Title, StartYear: cur.StartYear, EndYear: cur.EndYear}
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	p, err := h.svc.UpdatePlan(c.Request().Context(), h.actor(c), id, in)
	return answer(c, p, err)
}

// reasonBody opens an amendment; budgetBody replaces an objective's budget lines.
type (
	reasonBody struct {
		Reason string `json:"reason"`
	}
	budgetBody struct {
		Lines []BudgetLineInput `json:"lines"`
	}
)

// noteBody is the optional body of a transition.
type noteBody struct {
	Note string `json:"note"`
}

func optionalNote(c echo.Context) (string, error) {
	b, err := route.Body(c)
	if err != nil || len(b) == 0 {
		return "", err
	}
	var n noteBody
	if err := strictjson.Merge(&n, b); err != nil {
		return "", err
	}
	return n.Note, nil
}

func (h *API) transition(step Step) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := route.ID(c, "id")
		if err != nil {
			return err
		}
		note, err := optionalNote(c)
		if err != nil {
			return err
		}
		p, err := h.svc.MovePlan(c.Request().Context(), h.actor(c), id, step, note)
		return answer(c, p, err)
	}
}

func answer[T any](c echo.Context, v T, err error) error {
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func queryID(c echo.Context, name string) (int64, error) {
	v := c.QueryParam(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Invalidf(name, "identificativo non valido", "invalid id")
	}
	return id, nil
}
