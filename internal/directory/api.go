package directory

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/strictjson"
)

// API adapts the Service to HTTP: bind, call, answer.
type API struct {
	svc *Service
}

// NewAPI returns the handlers.
func NewAPI(svc *Service) *API { return &API{svc: svc} }

// Routes lists the directory's management operations; each line shows the permission it
// needs. Row-level rules (a partner's own organisation, published entries) are the service's.
func (h *API) Routes() []route.Route {
	r := func(method, path, act, summary string, fn echo.HandlerFunc) route.Route {
		return route.Route{Method: method, Path: path, On: route.OnDistrict, Tag: "risorse", Object: object, Action: act,
			Summary: summary, Handler: fn, Produces: []string{route.JSON}}
	}
	const v = "/api/v1/directory"
	return []route.Route{
		r("GET", v+"/search", actRead, "Cerca nelle risorse (?q=&need=&age=&comune=&day=&free=) / Search the directory", h.search).Returning([]Hit{}),
		r("GET", v+"/taxonomy", actRead, "Catalogo dei bisogni / The catalogue of needs", h.taxonomy).Returning([]TaxonomyTerm{}),
		r("GET", v+"/organizations", actRead, "Organizzazioni / Organizations", h.organizations).Returning([]Organization{}),
		r("POST", v+"/organizations", actManage, "Nuova organizzazione / New organization", h.createOrganization).WithBody(Organization{}).Returning(Organization{}),
		r("GET", v+"/organizations/:id", actRead, "Un'organizzazione / One organization", byID(h.svc.Organization)).Returning(Organization{}),
		r("PATCH", v+"/organizations/:id", actManage, "Modifica un'organizzazione (merge patch) / Edit an organization", patch(h.svc.UpdateOrganization)).WithBody(Organization{}).Returning(Organization{}),
		r("DELETE", v+"/organizations/:id", actManage, "Elimina un'organizzazione senza servizi / Delete an organization without services", deleted(h.svc.DeleteOrganization)),
		r("GET", v+"/services", actRead, "Servizi visibili (?organization_id=&published=) / Visible services", h.services).Returning([]ServiceRecord{}),
		r("POST", v+"/services", actManage, "Nuovo servizio completo (una transazione) / New complete service (one transaction)", h.createService).WithBody(ServiceRecord{}).Returning(ServiceRecord{}),
		r("GET", v+"/services/:id", actRead, "Un servizio completo / One complete service", byID(h.svc.Record)).Returning(ServiceRecord{}),
		r("PATCH", v+"/services/:id", actOwn, "Modifica (Ufficio di Piano) o proponi una modifica (partner, propri servizi) / Edit, or propose a change of one's own", h.updateService).WithBody(ServiceRecord{}).Returning(Update{}),
		r("DELETE", v+"/services/:id", actManage, "Elimina un servizio / Delete a service", deleted(h.svc.DeleteService)),
		r("POST", v+"/services/:id/publish", actManage, "Pubblica / Publish", h.publish(true)).Returning(ServiceRecord{}),
		r("POST", v+"/services/:id/unpublish", actManage, "Ritira dalla pubblicazione / Unpublish", h.publish(false)).Returning(ServiceRecord{}),
		r("POST", v+"/services/:id/confirm", actOwn, "Conferma che è ancora valido (verificato oggi) / Confirm it still holds (verified today)", byID(h.svc.Confirm)).Returning(ServiceRecord{}),
		r("GET", v+"/services/:id/history", actOwn, "Registro delle modifiche (HSDS metadata) / Change log", h.history).Returning([]Metadata{}),
		r("GET", v+"/stale", actOwn, "Servizi da verificare, i più vecchi prima / Services to verify, oldest first", h.stale).Returning([]StaleService{}),
		r("GET", v+"/changes", actReview, "Proposte di modifica (?status=pending) / Proposed changes", h.changes).Returning([]Change{}),
		r("POST", v+"/changes/:id/approve", actReview, "Approva e applica la proposta / Approve and apply the change", byID(h.svc.ApproveChange)).Returning(Change{}),
		r("POST", v+"/changes/:id/reject", actReview, "Respingi con una nota / Reject with a note", h.reject).WithBody(noteBody{}).Returning(Change{}),
		r("GET", v+"/settings", actManage, "Impostazioni del distretto / The district's settings", h.settings).Returning(Settings{}),
		r("PUT", v+"/settings", actManage, "Cambia le impostazioni / Change the settings", h.updateSettings).WithBody(Settings{}).Returning(Settings{}),
	}
}

// noteBody is a rejection's note.
type noteBody struct {
	Note string `json:"note"`
}

func who(c echo.Context) (context.Context, actor.Actor) {
	ctx := c.Request().Context()
	return ctx, actor.From(ctx)
}

// byID answers what fn returns for the :id.
func byID[T any](fn func(context.Context, actor.Actor, string) (T, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, a := who(c)
		v, err := fn(ctx, a, c.Param("id"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

// patch applies the body as a JSON merge patch (RFC 7396) to the value fn reads.
func patch[T any](fn func(context.Context, actor.Actor, string, Edit[T]) (T, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		body, err := route.Body(c)
		if err != nil {
			return err
		}
		ctx, a := who(c)
		v, err := fn(ctx, a, c.Param("id"), strictjson.Patch[T](body))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

func deleted(fn func(context.Context, actor.Actor, string) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, a := who(c)
		if err := fn(ctx, a, c.Param("id")); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"deleted": c.Param("id")})
	}
}
