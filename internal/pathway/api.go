package pathway

import (
	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/route"
)

// API adapts the Service to HTTP: bind, call, answer. Its operations are grouped by file:
// people and pathways (api_people.go), the records of a pathway (api_records.go), the data
// protection officer's (api_dpo.go), the referrals, the partners' inbox and the urgent
// overrides (api_referrals.go).
type API struct {
	svc *Service
}

// NewAPI returns the handlers.
func NewAPI(svc *Service) *API { return &API{svc: svc} }

func (h *API) actor(c echo.Context) actor.Actor { return actor.From(c.Request().Context()) }

// Routes lists the room's operations; each line shows the permission it needs.
func (h *API) Routes() []route.Route {
	var rs []route.Route
	rs = append(rs, h.peopleRoutes()...)
	rs = append(rs, h.recordRoutes()...)
	rs = append(rs, h.dpoRoutes()...)
	rs = append(rs, h.referralRoutes()...)
	rs = append(rs, h.matchRoutes()...)
	return rs
}

// op is one operation of the room on district hosts, answering JSON.
func op(method, path, act, summary string, fn echo.HandlerFunc) route.Route {
	return route.Route{Method: method, Path: path, On: route.OnDistrict, Tag: "percorsi", Object: object, Action: act,
		Summary: summary, Handler: fn, Produces: []string{route.JSON}}
}

// v is the API's prefix.
const v = "/api/v1"
