package export

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/route"
)

// Dossiers is where the API reads whole plans (plan.Service).
type Dossiers interface {
	Dossier(ctx context.Context, actor plan.Actor, planID int64) (plan.Dossier, error)
}

// API serves the downloads of a plan.
type API struct{ plans Dossiers }

// NewAPI returns the handlers.
func NewAPI(plans Dossiers) *API { return &API{plans: plans} }

const (
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	csvType  = "text/csv"
	pdfType  = "application/pdf"
)

// Routes are the downloads; each needs the exports permission.
func (h *API) Routes() []route.Route {
	r := func(path, summary string, fn echo.HandlerFunc, mt string) route.Route {
		return route.Route{Method: http.MethodGet, Path: path, On: route.OnDistrict, Tag: "esportazioni", Object: "exports", Action: "read",
			Summary: summary, Handler: fn, Produces: []string{mt}}
	}
	return []route.Route{
		r("/api/v1/plans/:id/export.xlsx", "Il piano in XLSX: obiettivi, indicatori, budget, valutazione / The plan as XLSX", h.file("xlsx", xlsxType, XLSX), xlsxType),
		r("/api/v1/plans/:id/export.csv", "Gli obiettivi in CSV / The objectives as CSV", h.file("csv", csvType+"; charset=utf-8", CSV), csvType),
		r("/api/v1/plans/:id/esiti.pdf", "Esiti della programmazione (PDF) / Evaluation report (PDF)", h.file("pdf", pdfType, EsitiPDF), pdfType),
		r("/api/v1/plans/:id/documento.pdf", "Il documento del Piano di Zona (PDF) / The Piano di Zona document (PDF)", h.file("documento.pdf", pdfType, DocumentPDF), pdfType),
		r("/api/v1/plans/:id/documento.odt", "Il documento del Piano di Zona, modificabile (ODT) / The Piano di Zona document, editable (ODT)", h.file("documento.odt", odtMime, DocumentODT), odtMime),
	}
}

func (h *API) file(kind, ctype string, write func(io.Writer, plan.Dossier) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := route.ID(c, "id")
		if err != nil {
			return err
		}
		d, err := h.plans.Dossier(c.Request().Context(), actor.From(c.Request().Context()), id)
		if err != nil {
			return err
		}
		// Rendered in memory first, so that a failure is a clean error, not half a file.
		var buf bytes.Buffer
		if err := write(&buf, d); err != nil {
			return fmt.Errorf("export: %s of plan %d: %w", kind, id, err)
		}
		c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, Filename(d, kind)))
		return c.Blob(http.StatusOK, ctype, buf.Bytes())
	}
}
