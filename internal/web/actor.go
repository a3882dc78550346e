package web

import (
	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
)

// Actor is who is acting on a page, as the request chain established it.
func (w *Web) Actor(c echo.Context) actor.Actor { return actor.From(c.Request().Context()) }
