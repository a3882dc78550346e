package pathway

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/route"
)

// recordRoutes are the operations on the records of a pathway: assessments, goals, activities,
// meetings, ONS4, projects and signatures. All need "write"; the service decides what the
// actor may record on this pathway (its own caseload, the health view's assessments) and, for
// a signature, whether they hold the party's own action.
func (h *API) recordRoutes() []route.Route {
	const p = v + "/pathways/:id"
	return []route.Route{
		op("POST", p+"/assessments", actWrite, "Registra la valutazione di un dominio / Record a domain's assessment",
			recordAdd(h.svc.AddAssessment)).WithBody(Assessment{}).Returning(Assessment{}),
		op("POST", p+"/goals", actWrite, "Nuovo obiettivo del piano d'azione / New goal of the action plan",
			recordAdd(h.svc.AddGoal)).WithBody(Goal{}).Returning(Goal{}),
		op("PATCH", p+"/goals/:gid", actWrite, "Aggiorna un obiettivo (i campi dati sostituiscono) / Update a goal",
			recordUpdate("gid", h.svc.UpdateGoal)).WithBody(Goal{}).Returning(Goal{}),
		op("POST", p+"/activities", actWrite, "Nuova attività o invio a una risorsa / New activity or referral",
			recordAdd(h.svc.AddActivity)).WithBody(Activity{}).Returning(Activity{}),
		op("PATCH", p+"/activities/:aid", actWrite, "Aggiorna un'attività (stato, fine, descrizione) / Update an activity",
			recordUpdate("aid", h.svc.UpdateActivity)).WithBody(Activity{}).Returning(Activity{}),
		op("POST", p+"/meetings", actWrite, "Registra un incontro o un contatto di follow-up / Record a meeting or follow-up",
			recordAdd(h.svc.AddMeeting)).WithBody(Meeting{}).Returning(Meeting{}),
		op("POST", p+"/outcomes", actWrite, "Registra una misura ONS4 / Record an ONS4 measurement",
			recordAdd(h.svc.AddONS4)).WithBody(ONS4{}).Returning(ONS4{}),
		op("POST", p+"/projects", actWrite, "Salva il Progetto Individualizzato (bozza, o nuova versione dopo la firma) / Save the Individual Project",
			h.saveProject).WithBody(ProjectInput{}).Returning(Project{}),
		op("POST", p+"/projects/:pid/sign", actWrite, "Registra la firma di una parte / Record a party's signature",
			h.signProject).WithBody(SignInput{}).Returning(Project{}),
	}
}

func recordWho(c echo.Context) (context.Context, actor.Actor) {
	ctx := c.Request().Context()
	return ctx, actor.From(ctx)
}

// recordAdd binds the body strictly, records it on the pathway :id and answers 201.
func recordAdd[T any](fn func(context.Context, actor.Actor, string, T) (T, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		var in T
		if err := route.Bind(c, &in); err != nil {
			return err
		}
		ctx, a := recordWho(c)
		out, err := fn(ctx, a, c.Param("id"), in)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusCreated, out)
	}
}

// recordUpdate binds the body strictly and updates the record :param of the pathway :id.
func recordUpdate[T any](param string, fn func(context.Context, actor.Actor, string, string, T) (T, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		var in T
		if err := route.Bind(c, &in); err != nil {
			return err
		}
		ctx, a := recordWho(c)
		out, err := fn(ctx, a, c.Param("id"), c.Param(param), in)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, out)
	}
}

func (h *API) saveProject(c echo.Context) error {
	var in ProjectInput
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	ctx, a := recordWho(c)
	out, err := h.svc.SaveProject(ctx, a, c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *API) signProject(c echo.Context) error {
	var in SignInput
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	ctx, a := recordWho(c)
	out, err := h.svc.SignProject(ctx, a, c.Param("id"), c.Param("pid"), in.Party)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
