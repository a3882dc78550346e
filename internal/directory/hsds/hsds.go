// Package hsds checks documents against the Open Referral Human Services Data Specification
// (HSDS) 3.0 JSON schemas, vendored unchanged in schemas/ and embedded in the binary, so that
// what the directory emits and what it imports can be held to the standard without a network.
package hsds

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// schemaFiles holds the vendored specification; go:embed needs a package variable.
//
//go:embed schemas
var schemaFiles embed.FS

// Files returns the vendored specification (schema/, compiled/, datapackage.json, LICENSE):
// the tabular export ships datapackage.json from here.
func Files() fs.FS {
	sub, err := fs.Sub(schemaFiles, "schemas")
	if err != nil {
		panic(err) // the directory is embedded above; fs.Sub cannot miss it
	}
	return sub
}

// Validator checks documents against the HSDS schemas; it is safe for concurrent use. Each
// schema is compiled once, the first time it is asked for: compiled/organization.json alone
// (3.5 MB) takes about a second to compile, which a caller that never validates an
// organisation should not pay.
type Validator struct {
	names   []string // sorted; what Validate accepts
	printer *message.Printer

	mu       sync.Mutex // guards compiler and compiled: the compiler is not safe for concurrent use
	compiler *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema
}

// New prepares a validator for every object schema (schema/<object>.json, but the OpenAPI
// document) and every compiled response schema (compiled/<name>.json). References between
// files are loaded from the embedded copy; keywords that are not JSON Schema (constraints,
// core, datapackage_metadata, example...) are ignored; format is asserted (uuid, email, uri,
// date-time) and so is datapackage_type "date" (see date.go), since HSDS marks its dates only
// that way.
func New() (*Validator, error) {
	files := Files()
	names, err := schemaNames(files)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.UseLoader(loader{files: files})
	c.AssertFormat()
	c.RegisterVocabulary(dateVocabulary())
	c.AssertVocabs()
	return &Validator{
		names:    names,
		printer:  message.NewPrinter(language.English),
		compiler: c,
		compiled: make(map[string]*jsonschema.Schema, len(names)),
	}, nil
}

// schema returns the named schema, compiling it on first use.
func (v *Validator) schema(name string) (*jsonschema.Schema, error) {
	if _, ok := slices.BinarySearch(v.names, name); !ok {
		return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknownSchema, name, strings.Join(v.names, ", "))
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if sch, ok := v.compiled[name]; ok {
		return sch, nil
	}
	sch, err := v.compiler.Compile(baseURL + name)
	if err != nil {
		return nil, fmt.Errorf("hsds: compile %s: %w", name, err)
	}
	v.compiled[name] = sch
	return sch, nil
}

// schemaNames lists the schemas Validate accepts, sorted.
func schemaNames(files fs.FS) ([]string, error) {
	var names []string
	for _, dir := range []string{"schema", "compiled"} {
		matches, err := fs.Glob(files, dir+"/*.json")
		if err != nil {
			return nil, fmt.Errorf("hsds: list %s: %w", dir, err)
		}
		for _, m := range matches {
			if path.Base(m) == "openapi.json" { // an API description, not a JSON Schema
				continue
			}
			names = append(names, m)
		}
	}
	slices.Sort(names)
	return names, nil
}

// Schemas returns the names Validate accepts ("compiled/service.json", "schema/phone.json"...).
func (v *Validator) Schemas() []string { return slices.Clone(v.names) }

// ErrUnknownSchema is returned (wrapped) for a schema name that is not in the specification.
var ErrUnknownSchema = errors.New("hsds: unknown schema")

// Validate checks one JSON document against the named schema, e.g. "compiled/service.json"
// for a service as GET /services/{id} returns it. It returns nil when the document is valid,
// an *Error listing every problem with the JSON pointer of the field when it is not, and
// another error when the name is unknown (ErrUnknownSchema) or the document is not JSON.
func (v *Validator) Validate(schemaName string, doc []byte) error {
	sch, err := v.schema(schemaName)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("hsds: %s: the document is not JSON: %w", schemaName, err)
	}
	err = sch.Validate(inst)
	var ve *jsonschema.ValidationError
	if errors.As(err, &ve) {
		return newError(schemaName, ve, v.printer)
	}
	if err != nil {
		return fmt.Errorf("hsds: %s: %w", schemaName, err)
	}
	return nil
}
