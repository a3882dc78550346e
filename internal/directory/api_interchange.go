package directory

import (
	"fmt"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/directory/hsds"
	"github.com/ambiti/ambiti/internal/route"
)

// zipType is the tabular form's media type (a Tabular Data Package in a zip).
const zipType = "application/zip"

// InterchangeAPI serves the Ufficio di Piano's HSDS files: the published directory exported
// as JSON or as a Tabular Data Package, and either imported back.
type InterchangeAPI struct {
	svc *Service
	v   *hsds.Validator
}

// NewInterchangeAPI returns the handlers; v checks what is imported against HSDS.
func NewInterchangeAPI(svc *Service, v *hsds.Validator) *InterchangeAPI {
	return &InterchangeAPI{svc: svc, v: v}
}

// Routes are the export and the import; both need manage.
func (h *InterchangeAPI) Routes() []route.Route {
	r := func(method, path, summary string, fn echo.HandlerFunc, produces string) route.Route {
		return route.Route{Method: method, Path: path, On: route.OnDistrict, Tag: "risorse", Object: object, Action: actManage,
			Summary: summary, Handler: fn, Produces: []string{produces}}
	}
	const v = "/api/v1/directory"
	return []route.Route{
		r("GET", v+"/export.json", "Risorse pubblicate in HSDS 3.0 JSON (elenco di servizi compilati) / Published directory as HSDS 3.0 JSON",
			h.exportJSON, route.JSON).Returning([]HSDSService{}),
		r("GET", v+"/export.zip", "Risorse pubblicate come Tabular Data Package HSDS 3.0 (CSV + datapackage.json) / As an HSDS Tabular Data Package",
			h.exportZip, zipType),
		r("POST", v+"/import", "Importa un file HSDS (JSON o zip tabellare; ?publish=true), tutto o niente / Import an HSDS file, all or nothing",
			h.importFile, route.JSON).Returning(ImportReport{}),
	}
}

func (h *InterchangeAPI) exportJSON(c echo.Context) error {
	ctx, a := who(c)
	rs, err := h.svc.Export(ctx, a)
	if err != nil {
		return err
	}
	b, err := WriteHSDSJSON(rs)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="risorse-hsds.json"`)
	return c.Blob(http.StatusOK, route.JSON, b)
}

func (h *InterchangeAPI) exportZip(c echo.Context) error {
	ctx, a := who(c)
	rs, err := h.svc.Export(ctx, a)
	if err != nil {
		return err
	}
	b, err := WriteHSDSZip(rs)
	if err != nil {
		return fmt.Errorf("directory: export zip: %w", err)
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="risorse-hsds.zip"`)
	return c.Blob(http.StatusOK, zipType, b)
}

func (h *InterchangeAPI) importFile(c echo.Context) error {
	publish, err := route.BoolParam(c, "publish")
	if err != nil {
		return err
	}
	body, err := route.Body(c)
	if err != nil {
		return err
	}
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get("Content-Type"))
	var b Batch
	switch mt {
	case route.JSON:
		b, err = ReadHSDSJSON(h.v, body)
	case zipType:
		b, err = ReadHSDSZip(h.v, body)
	default:
		return apperr.New(apperr.Invalid, "formato ammesso: application/json o application/zip", "allowed: application/json or application/zip")
	}
	if err != nil {
		return err
	}
	ctx, a := who(c)
	rep, err := h.svc.Import(ctx, a, b, ImportOptions{Publish: publish})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}
