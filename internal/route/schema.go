package route

import (
	"reflect"
	"strings"
	"time"
)

// schemas turns Go types into OpenAPI schemas, by reflection on the very types the handlers
// encode and decode, so the description cannot drift from the code. Named struct types become
// components referenced with $ref.
type schemas struct {
	components map[string]any
}

var timeType = reflect.TypeOf(time.Time{})

// of returns the schema of v's type (nil for nil).
func (s *schemas) of(v any) map[string]any {
	if v == nil {
		return nil
	}
	return s.typ(reflect.TypeOf(v))
}

func (s *schemas) typ(t reflect.Type) map[string]any {
	nullable := false
	for t.Kind() == reflect.Pointer {
		t, nullable = t.Elem(), true
	}
	var out map[string]any
	switch {
	case t == timeType:
		out = map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Struct:
		name := t.Name()
		if name == "" {
			return s.object(t)
		}
		if _, ok := s.components[name]; !ok {
			s.components[name] = map[string]any{} // placeholder: recursive types stop here
			s.components[name] = s.object(t)
		}
		out = map[string]any{"$ref": "#/components/schemas/" + name}
		if nullable {
			return map[string]any{"allOf": []any{out}, "nullable": true}
		}
		return out
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			out = map[string]any{"type": "string", "format": "byte"}
		} else {
			out = map[string]any{"type": "array", "items": s.typ(t.Elem())}
		}
	case t.Kind() == reflect.Map:
		out = map[string]any{"type": "object", "additionalProperties": s.typ(t.Elem())}
	case t.Kind() == reflect.Bool:
		out = map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		out = map[string]any{"type": "integer"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		out = map[string]any{"type": "number"}
	case t.Kind() == reflect.String:
		out = map[string]any{"type": "string"}
	default:
		out = map[string]any{} // any value (interfaces, custom JSON such as "<5" counts)
	}
	if nullable {
		out["nullable"] = true
	}
	return out
}

// object describes a struct as encoding/json sees it: exported fields by their json name,
// embedded structs flattened, "-" skipped.
func (s *schemas) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	s.fields(t, props)
	return map[string]any{"type": "object", "properties": props}
}

func (s *schemas) fields(t reflect.Type, props map[string]any) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		ft := f.Type
		if f.Anonymous && name == "" {
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				s.fields(ft, props)
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		// json.Marshaler types decide their own shape: describe them loosely.
		base := ft
		for base.Kind() == reflect.Pointer {
			base = base.Elem()
		}
		if base != timeType && (reflect.PointerTo(ft).Implements(marshalerType) || ft.Implements(marshalerType)) {
			props[name] = map[string]any{}
			continue
		}
		props[name] = s.typ(ft)
	}
}
