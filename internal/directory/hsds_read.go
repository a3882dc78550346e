package directory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/directory/hsds"
)

// The JSON form of an HSDS directory, as Export writes it and Import reads it: an array of
// compiled services (each with its organisation, locations, phones… nested), the shape of
// deploy/demo/directory/<slug>.json. A page of HSDS's API ({"contents": [...]}) is accepted too.

// serviceSchema is the HSDS schema every service of a file is checked against.
const serviceSchema = "compiled/service.json"

// ReadHSDSJSON reads a JSON directory: every service is checked against HSDS's compiled
// service schema first, then decoded; an organisation repeated in several services must be
// repeated identically. Errors are Invalid and name the field as services[3].phones[0].number.
func ReadHSDSJSON(v *hsds.Validator, data []byte) (Batch, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		var page struct {
			Contents []json.RawMessage `json:"contents"`
		}
		if err2 := json.Unmarshal(data, &page); err2 != nil || page.Contents == nil {
			return Batch{}, apperr.Wrap(apperr.Invalid, err, "il file non è un elenco JSON di servizi HSDS", "the file is not a JSON list of HSDS services")
		}
		items = page.Contents
	}
	where := func(i int) func(string) string {
		return func(f string) string { return joinField(fmt.Sprintf("services[%d]", i), f) }
	}
	return readServices(v, items, where)
}

// readServices checks and decodes the services of a file; at(i) names the file's field of
// service i from the room's field path ("phones[0].number").
func readServices(v *hsds.Validator, items []json.RawMessage, at func(i int) func(field string) string) (Batch, error) {
	var b Batch
	orgAt := map[string]int{} // organisation id → index in b.Organizations
	orgFrom := []int{}        // index in b.Organizations → the service that first carried it
	for i, raw := range items {
		if err := v.Validate(serviceSchema, raw); err != nil {
			return Batch{}, schemaError(err, at(i))
		}
		var h HSDSService
		if err := json.Unmarshal(raw, &h); err != nil {
			return Batch{}, apperr.Wrap(apperr.Invalid, err, "servizio illeggibile", "unreadable service").WithField(at(i)(""))
		}
		r, o := FromHSDS(h)
		if o != nil {
			if k, ok := orgAt[o.ID]; ok {
				if !reflect.DeepEqual(b.Organizations[k], *o) {
					return Batch{}, apperr.Invalidf(at(i)("organization"), "l'organizzazione %s è diversa da quella del servizio %d", "organization %s differs from the one of service %d", o.ID, orgFrom[k])
				}
			} else {
				orgAt[o.ID] = len(b.Organizations)
				orgFrom = append(orgFrom, i)
				b.Organizations = append(b.Organizations, *o)
			}
		}
		b.Services = append(b.Services, r)
	}
	b.Locate = func(i int, field string) string {
		if i < 0 {
			return at(orgFrom[-1-i])(joinField("organization", field))
		}
		return at(i)(field)
	}
	return b, nil
}

// schemaError turns an HSDS schema error into Invalid naming the first problem's field.
func schemaError(err error, at func(field string) string) error {
	var he *hsds.Error
	if !errors.As(err, &he) || len(he.Problems) == 0 {
		return apperr.Wrap(apperr.Invalid, err, "servizio non conforme a HSDS 3.0", "service not valid against HSDS 3.0").WithField(at(""))
	}
	p := he.Problems[0]
	return apperr.Invalidf(at(pointerField(p.Pointer)), "non conforme a HSDS 3.0: %s", "not valid against HSDS 3.0: %s", p.Message)
}

// pointerField writes a JSON pointer as the room's field path: /phones/0/number is
// phones[0].number.
func pointerField(pointer string) string {
	var sb strings.Builder
	for _, part := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		if part == "" {
			continue
		}
		part = strings.NewReplacer("~1", "/", "~0", "~").Replace(part)
		if _, err := strconv.Atoi(part); err == nil {
			sb.WriteString("[" + part + "]")
			continue
		}
		if sb.Len() > 0 {
			sb.WriteByte('.')
		}
		sb.WriteString(part)
	}
	return sb.String()
}

func joinField(prefix, field string) string {
	switch {
	case field == "":
		return prefix
	case prefix == "":
		return field
	}
	return prefix + "." + field
}

// WriteHSDSJSON writes services as the JSON form: an array of HSDS compiled services.
func WriteHSDSJSON(rs []ServiceRecord) ([]byte, error) {
	out := make([]HSDSService, len(rs))
	for i, r := range rs {
		out[i] = ToHSDS(r)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("directory: export: %w", err)
	}
	return buf.Bytes(), nil
}
