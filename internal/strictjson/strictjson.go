// Package strictjson decodes JSON strictly — unknown fields, wrong types, trailing data, and
// strings holding a NUL character or bytes that are not UTF-8 are refused — with errors
// (apperr Invalid) that name the offending field.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/ambiti/ambiti/internal/apperr"
)

// Decode reads one JSON value from r into v.
func Decode(r io.Reader, v any) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return apperr.Wrap(apperr.Invalid, err, "corpo della richiesta illeggibile", "unreadable request body")
	}
	return decode(b, v)
}

func decode(b []byte, v any) error {
	// Go would quietly turn bytes that are not UTF-8 into U+FFFD, and PostgreSQL refuses a NUL
	// in text: both are refused here, naming the field, before anything is stored.
	if err := checkStrings(b); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return explain(err)
	}
	if dec.More() {
		return apperr.Invalidf("", "dati in eccesso dopo il JSON", "trailing data after the JSON value")
	}
	return nil
}

// Patch is the edit that applies patch as a JSON merge patch to the value a service reads
// inside its transaction (what plan.Edit and directory.Edit take), refusing unknown fields.
func Patch[T any](patch []byte) func(current *T) error {
	return func(current *T) error { return Merge(current, patch) }
}

// Merge applies a JSON merge patch (the fields present in patch replace those of dst).
func Merge(dst any, patch []byte) error {
	if len(bytes.TrimSpace(patch)) == 0 {
		return apperr.Invalidf("", "corpo della richiesta vuoto", "empty request body")
	}
	return decode(patch, dst)
}

// Text checks one text value that did not come through JSON (a query parameter, a form
// field): it must be UTF-8 without NUL characters. The error names field.
func Text(field, s string) error {
	switch {
	case !utf8.ValidString(s):
		return errNotUTF8(field)
	case strings.IndexByte(s, 0) >= 0:
		return errNUL(field)
	}
	return nil
}

func errNotUTF8(field string) *apperr.Error {
	return apperr.Invalidf(field, "testo non valido: non è UTF-8", "invalid text: not UTF-8")
}

func errNUL(field string) *apperr.Error {
	return apperr.Invalidf(field, "testo non valido: contiene il carattere nullo (U+0000)", "invalid text: it holds the NUL character (U+0000)")
}

// checkStrings refuses the first JSON string (value or member name) of b's first value that is
// not UTF-8 or holds a NUL, naming its path: "title", "lines[1].note". A bad member name is
// reported on the object holding it. Malformed JSON is left to the decoder to explain.
func checkStrings(b []byte) error {
	if utf8.Valid(b) && !bytes.Contains(b, []byte(`\u0000`)) {
		return nil // the common case: nothing to look for
	}
	type frame struct {
		object   bool
		key      string // the member being read, in an object
		wantKey  bool   // in an object, the next string is a member name
		index    int    // the element being read, in an array
		hasIndex bool
	}
	var stack []frame
	path := func(last bool) string {
		var sb strings.Builder
		n := len(stack)
		if !last {
			n-- // the path of the container itself
		}
		for _, f := range stack[:max(n, 0)] {
			switch {
			case f.object && f.key != "":
				if sb.Len() > 0 {
					sb.WriteByte('.')
				}
				sb.WriteString(f.key)
			case !f.object && f.hasIndex:
				fmt.Fprintf(&sb, "[%d]", f.index)
			}
		}
		return sb.String()
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	prev := dec.InputOffset()
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		raw := b[prev:dec.InputOffset()]
		prev = dec.InputOffset()
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		isKey := top != nil && top.object && top.wantKey
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return nil
			}
			if parent := &stack[len(stack)-1]; parent.object {
				parent.wantKey = true
			}
			continue
		}
		if top != nil && !top.object {
			if top.hasIndex {
				top.index++
			}
			top.hasIndex = true
		}
		if isKey {
			s, _ := tok.(string)
			top.key, top.wantKey = s, false
			switch {
			case !utf8.Valid(raw):
				return errNotUTF8(path(false))
			case strings.IndexByte(s, 0) >= 0:
				return errNUL(path(false))
			}
			continue
		}
		if s, ok := tok.(string); ok {
			switch {
			case !utf8.Valid(raw):
				return errNotUTF8(path(true))
			case strings.IndexByte(s, 0) >= 0:
				return errNUL(path(true))
			}
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, frame{object: d == '{', wantKey: d == '{'})
			continue
		}
		if top == nil {
			return nil // a lone scalar
		}
		if top.object {
			top.wantKey = true
		}
	}
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
