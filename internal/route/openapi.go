package route

import (
	"reflect"
	"regexp"
	"sort"
	"strings"
)

var paramRE = regexp.MustCompile(`:([A-Za-z_][A-Za-z0-9_]*)`)

// OpenAPIPath turns an Echo pattern into an OpenAPI path: /plans/:id → /plans/{id}.
func OpenAPIPath(p string) string { return paramRE.ReplaceAllString(p, "{$1}") }

// OpenAPI builds the OpenAPI 3 document of the routes served on hosts of kind h.
func OpenAPI(routes []Route, h Hosts, title, version string) map[string]any {
	paths := map[string]any{}
	tags := map[string]bool{}
	sc := &schemas{components: map[string]any{}}
	for _, r := range Ops(routes, h) {
		p := OpenAPIPath(r.Path)
		item, _ := paths[p].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[p] = item
		}
		content := map[string]any{}
		for _, mt := range r.Produces {
			content[mt] = map[string]any{}
		}
		if r.Response != nil && len(r.Produces) > 0 && r.Produces[0] == JSON {
			schema := sc.of(r.Response)
			if reflect.TypeOf(r.Response).Kind() == reflect.Slice {
				schema = map[string]any{"type": "object", "required": []string{"items"}, "properties": map[string]any{
					"items": schema, "total": map[string]any{"type": "integer"},
					"limit": map[string]any{"type": "integer"}, "offset": map[string]any{"type": "integer"}}}
			}
			content[JSON] = map[string]any{"schema": schema}
		}
		errContent := map[string]any{JSON: map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}
		op := map[string]any{
			"summary":     r.Summary,
			"operationId": operationID(r),
			"responses": map[string]any{
				"200":     map[string]any{"description": "OK", "content": content},
				"default": map[string]any{"description": "Errore / Error", "content": errContent},
			},
		}
		if r.Tag != "" {
			op["tags"] = []string{r.Tag}
			tags[r.Tag] = true
		}
		if !r.Public {
			op["security"] = []map[string][]string{{"bearer": {}}, {"session": {}}}
		}
		var params []map[string]any
		for _, m := range paramRE.FindAllStringSubmatch(r.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if r.Request != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{JSON: map[string]any{"schema": sc.of(r.Request)}}}
		}
		item[strings.ToLower(r.Method)] = op
	}
	var tagList []map[string]any
	for _, t := range sortedKeys(tags) {
		tagList = append(tagList, map[string]any{"name": t})
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": title, "version": version},
		"paths":   paths,
		"tags":    tagList,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "ambiti_session"},
			},
			"schemas": withComponents(sc.components, map[string]any{
				"Error": map[string]any{
					"type":     "object",
					"required": []string{"error"},
					"properties": map[string]any{"error": map[string]any{
						"type":     "object",
						"required": []string{"code", "message"},
						"properties": map[string]any{
							"code":    map[string]any{"type": "string"},
							"message": map[string]any{"type": "string"},
							"field":   map[string]any{"type": "string"},
							// Every refusal of an invalid submission, each with code, message, field.
							"errors": map[string]any{"type": "array", "items": map[string]any{"type": "object"}},
						},
					}},
				},
			}),
		},
	}
}

func withComponents(generated, fixed map[string]any) map[string]any {
	for k, v := range fixed {
		generated[k] = v
	}
	return generated
}

func operationID(r Route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(r.Method))
	for _, part := range strings.FieldsFunc(r.Path, func(c rune) bool { return c == '/' || c == '.' || c == '-' || c == ':' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
