package hsds

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/message"
)

// Problem is one reason a document is not valid.
type Problem struct {
	// Pointer is the JSON pointer (RFC 6901) of the offending field: "/status" for a missing
	// status, "/phones/0/id" for a bad phone id, "" for the document itself.
	Pointer string
	// Message says what is wrong, in English (the library's wording).
	Message string
}

// Error is a document that does not follow an HSDS schema; Problems are sorted by pointer.
type Error struct {
	Schema   string
	Problems []Problem
}

func (e *Error) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "hsds: not valid against %s:", e.Schema)
	const shown = 5 // enough to act on; Problems has them all
	for i, p := range e.Problems {
		if i == shown {
			fmt.Fprintf(&sb, " (and %d more)", len(e.Problems)-shown)
			break
		}
		if i > 0 {
			sb.WriteByte(';')
		}
		fmt.Fprintf(&sb, " %s: %s", cmp.Or(p.Pointer, "/"), p.Message)
	}
	return sb.String()
}

// newError flattens the library's tree of errors into its leaves, the actual problems. A
// missing required property is reported at the property's own pointer (the library puts it
// on the parent object), so that the caller can name the field.
func newError(schema string, ve *jsonschema.ValidationError, p *message.Printer) *Error {
	e := &Error{Schema: schema}
	var walk func(*jsonschema.ValidationError)
	walk = func(ve *jsonschema.ValidationError) {
		if len(ve.Causes) > 0 {
			for _, c := range ve.Causes {
				walk(c)
			}
			return
		}
		at := pointer(ve.InstanceLocation)
		if req, ok := ve.ErrorKind.(*kind.Required); ok {
			for _, name := range req.Missing {
				e.Problems = append(e.Problems, Problem{Pointer: at + "/" + escape(name), Message: "required property missing"})
			}
			return
		}
		e.Problems = append(e.Problems, Problem{Pointer: at, Message: ve.ErrorKind.LocalizedString(p)})
	}
	walk(ve)
	slices.SortStableFunc(e.Problems, func(a, b Problem) int { return cmp.Compare(a.Pointer, b.Pointer) })
	e.Problems = slices.Compact(e.Problems)
	return e
}

// pointer writes instance location tokens as a JSON pointer.
func pointer(tokens []string) string {
	var sb strings.Builder
	for _, t := range tokens {
		sb.WriteByte('/')
		sb.WriteString(escape(t))
	}
	return sb.String()
}

// escape applies RFC 6901: "~" is "~0" and "/" is "~1".
func escape(token string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(token)
}
