// Package route describes Ambiti's HTTP operations as data: which method and path, on which
// hosts, producing which media types. The server registers them, the OpenAPI document is
// generated from them, and the tests walk them, so no route exists that these do not list.
package route

import (
	"encoding/json"
	"net/http"
	"reflect"

	"github.com/labstack/echo/v4"
)

// Hosts says on which kind of host a route is served.
type Hosts uint8

// The host sets.
const (
	OnPlatform Hosts = 1 << iota // the base domain: platform and regional pages
	OnDistrict                   // <slug>.<base domain>
	OnAny      = OnPlatform | OnDistrict
)

// Media types the routes produce.
const (
	JSON       = "application/json"
	HTML       = "text/html"
	Prometheus = "text/plain; version=0.0.4"
)

// Route is one HTTP operation.
type Route struct {
	Method   string
	Path     string // Echo pattern: /api/v1/plans/:id
	On       Hosts
	Summary  string // "Italiano / English"
	Tag      string // OpenAPI tag, e.g. "operations"
	Produces []string
	Public   bool // served without login (health, metrics, the API description)
	// Object and Action are the permission checked in the request's domain (Casbin). Empty on
	// a non-public route: any authenticated person of this host may call it.
	Object, Action string
	Handler        echo.HandlerFunc
	// BodyLimit is the largest body this route accepts when it takes files (uploads), over
	// MaxBody; 0: MaxBody.
	BodyLimit int64
	// Request and Response are zero values of the body types, for the OpenAPI description.
	Request, Response any
}

var marshalerType = reflect.TypeOf((*json.Marshaler)(nil)).Elem()

// Ops returns the routes served on hosts of kind h.
func Ops(routes []Route, h Hosts) []Route {
	var out []Route
	for _, r := range routes {
		if r.On&h != 0 {
			out = append(out, r)
		}
	}
	return out
}

// Get is a shorthand for a GET route.
func Get(path string, on Hosts, summary string, h echo.HandlerFunc, produces ...string) Route {
	return Route{Method: http.MethodGet, Path: path, On: on, Summary: summary, Produces: produces, Handler: h}
}

// WithBody returns r describing its request body as the JSON of v's type.
func (r Route) WithBody(v any) Route { r.Request = v; return r }

// Returning returns r describing its 200 answer as the JSON of v's type; for a list, pass a
// slice: it is described inside the {"items": [...], "total": …} envelope.
func (r Route) Returning(v any) Route { r.Response = v; return r }
