package pathway

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/route"
)

// matchRoutes are the coordinator's matching: the link workers' profiles and the ranking of
// the link workers for a pathway (match.go).
func (h *API) matchRoutes() []route.Route {
	return []route.Route{
		op("GET", v+"/link-workers", actMatch, "Link worker con il loro profilo (comuni, capacità, lingue, competenze) / Link workers with their profiles", h.linkWorkers).Returning([]LinkWorker{}),
		op("PUT", v+"/link-workers/:id/profile", actMatch, "Sostituisci il profilo di un link worker / Replace a link worker's profile", h.setProfile).WithBody(ProfileInput{}).Returning(LinkWorker{}),
		op("GET", v+"/pathways/:id/matches", actMatch, "Link worker in ordine di abbinamento al percorso, con le ragioni (?skills=a,b) / Link workers ranked for the pathway, with the reasons", h.matches).Returning(Matches{}),
	}
}

func (h *API) linkWorkers(c echo.Context) error {
	ws, err := h.svc.LinkWorkers(c.Request().Context(), h.actor(c))
	if err != nil {
		return err
	}
	return route.List(c, ws, int64(len(ws)), len(ws), 0)
}

func (h *API) setProfile(c echo.Context) error {
	var in ProfileInput
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	w, err := h.svc.SetProfile(c.Request().Context(), h.actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}

// matches reads ?skills=a,b as the needed skills; without the parameter they come from the
// assessments.
func (h *API) matches(c echo.Context) error {
	var skills []string
	if c.QueryParams().Has("skills") {
		skills = splitCodes(c.QueryParam("skills"))
	}
	m, err := h.svc.Match(c.Request().Context(), h.actor(c), c.Param("id"), skills)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

// splitCodes is a comma-separated list without blanks; never nil.
func splitCodes(s string) []string {
	out := []string{}
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
