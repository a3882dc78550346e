// Package strictjson decodes JSON strictly — unknown fields, wrong types and trailing data are
// refused — with errors (apperr Invalid) that name the offending field.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/ambiti/ambiti/internal/apperr"
)

// Decode reads one JSON value from r into v.
func Decode(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return explain(err)
	}
	if dec.More() {
		return apperr.Invalidf("", "dati in eccesso dopo il JSON", "trailing data after the JSON value")
	}
	return nil
}

// Merge applies a JSON merge patch (the fields present in patch replace those of dst).
func Merge(dst any, patch []byte) error {
	if len(bytes.TrimSpace(patch)) == 0 {
		return apperr.Invalidf("", "corpo della richiesta vuoto", "empty request body")
	}
	return Decode(bytes.NewReader(patch), dst)
}

func explain(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		return apperr.Invalidf("", "corpo della richiesta vuoto", "empty request body")
	case errors.As(err, &typeErr):
		field := typeErr.Field
		return apperr.Invalidf(field, "tipo non valido: atteso %s, ricevuto %s", "wrong type: want %s, got %s", kind(typeErr.Type.Kind().String()), typeErr.Value)
	case errors.As(err, &syntaxErr):
		return apperr.Invalidf("", "JSON non valido (posizione %d)", "malformed JSON (offset %d)", syntaxErr.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.Invalidf(field, "campo sconosciuto", "unknown field")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.Invalidf("", "JSON incompleto", "truncated JSON")
	}
	return apperr.Wrap(apperr.Invalid, err, "JSON non valido", "malformed JSON")
}

func kind(k string) string {
	switch k {
	case "int", "int64", "int32", "float64", "float32":
		return "numero"
	case "bool":
		return "vero/falso"
	case "string":
		return "testo"
	case "slice":
		return "elenco"
	case "map", "struct":
		return "oggetto"
	}
	return k
}
