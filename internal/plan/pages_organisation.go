package plan

import (
	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
)

// ownOrganisation is the name of the person's own partner organisation, for the profile;
// "" when unknown (the profile then shows the code), never an error page for a profile.
func ownOrganisation(c echo.Context, svc *Service) string {
	ctx := c.Request().Context()
	name, err := svc.OwnOrganisationName(ctx, actor.From(ctx))
	if err != nil {
		return ""
	}
	return name
}
