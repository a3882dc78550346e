package hsds_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ambiti/ambiti/internal/directory/hsds"
)

func newValidator(t *testing.T) *hsds.Validator {
	t.Helper()
	v, err := hsds.New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return v
}

const minimalService = `{
  "id": "ac148810-d857-441c-9679-408f346de14b",
  "name": "Sportello lavoro",
  "status": "active",
  "assured_date": "2026-11-01",
  "organization": {"id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "name": "Cooperativa", "description": "Una cooperativa", "email": "info@example.it", "website": "https://example.it"}
}`

func TestValidate(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	if err := v.Validate("compiled/service.json", []byte(minimalService)); err != nil {
		t.Fatalf("a minimal service: %v, want valid", err)
	}
	cases := []struct {
		name, from, to, pointer string
	}{
		{"missing status", `"status": "active",`, ``, "/status"},
		{"bad uuid", `"id": "ac148810-d857-441c-9679-408f346de14b"`, `"id": "ac148810"`, "/id"},
		{"bad status", `"status": "active"`, `"status": "attivo"`, "/status"},
		{"bad date", `"2026-11-01"`, `"01/11/2026"`, "/assured_date"},
		{"bad email", `"info@example.it"`, `"info at example"`, "/organization/email"},
		{"bad uri", `"https://example.it"`, `"example it"`, "/organization/website"},
		{"nested missing", `"name": "Cooperativa", `, ``, "/organization/name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := strings.Replace(minimalService, c.from, c.to, 1)
			err := v.Validate("compiled/service.json", []byte(doc))
			var ve *hsds.Error
			if !errors.As(err, &ve) {
				t.Fatalf("Validate: %v, want *hsds.Error", err)
			}
			if len(ve.Problems) != 1 || ve.Problems[0].Pointer != c.pointer {
				t.Fatalf("problems %+v, want one at %s", ve.Problems, c.pointer)
			}
			if !strings.Contains(err.Error(), c.pointer) {
				t.Errorf("message %q does not name %s", err, c.pointer)
			}
		})
	}
}

func TestValidateEveryName(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	names := v.Schemas()
	for _, want := range []string{"compiled/service.json", "compiled/service_list.json", "compiled/organization.json", "compiled/organization_list.json", "compiled/tabular.json", "schema/organization.json", "schema/service.json", "schema/taxonomy_term.json"} {
		if !strings.Contains(strings.Join(names, " "), want) {
			t.Errorf("Schemas() = %v, missing %s", names, want)
		}
	}
	// every schema compiles, its $refs loaded from the embedded copy (compiled/tabular.json's
	// bare "phone.json" from schema/): an empty object is an *Error (required properties) or valid
	for _, name := range names {
		err := v.Validate(name, []byte(`{}`))
		var ve *hsds.Error
		if err != nil && !errors.As(err, &ve) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// the per-object schema resolves its $refs from the embedded copy
	phone := `{"id": "ac148810-d857-441c-9679-408f346de14b", "number": "0461 000 0000", "languages": [{"id": "x"}]}`
	err := v.Validate("schema/phone.json", []byte(phone))
	var ve *hsds.Error
	if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Pointer != "/languages/0/id" {
		t.Errorf("phone with a bad language id: %v, want one problem at /languages/0/id", err)
	}
	if err := v.Validate("schema/openapi.json", []byte(`{}`)); !errors.Is(err, hsds.ErrUnknownSchema) {
		t.Errorf("openapi.json: %v, want ErrUnknownSchema", err)
	}
	if err := v.Validate("compiled/service.json", []byte(`{"id": `)); err == nil || errors.As(err, &ve) {
		t.Errorf("broken JSON: %v, want a plain error", err)
	}
}
