package hsds

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// baseURL names the embedded files for the compiler. A scheme of our own keeps every lookup
// in the embedded copy: a reference can never reach the network or the disk, and relative
// references ("phone.json" in schema/service.json) resolve against it as against a directory.
const baseURL = "hsds:///"

// loader reads the schemas a reference names from the embedded specification.
type loader struct {
	files fs.FS
}

// Load implements jsonschema.URLLoader.
func (l loader) Load(rawURL string) (any, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("hsds: schema reference %q: %w", rawURL, err)
	}
	if u.Scheme != "hsds" {
		return nil, fmt.Errorf("hsds: schema reference %q: only the embedded HSDS schemas are loaded", rawURL)
	}
	name := strings.TrimPrefix(path.Clean(u.Path), "/")
	f, err := l.files.Open(name)
	if errors.Is(err, fs.ErrNotExist) && path.Dir(name) == "compiled" {
		// compiled/tabular.json refers to the object schemas by bare name ("phone.json"), as
		// if it sat beside them in schema/; resolve it there rather than edit the vendored file.
		f, err = l.files.Open(path.Join("schema", path.Base(name)))
	}
	if err != nil {
		return nil, fmt.Errorf("hsds: schema reference %q: %w", rawURL, err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("hsds: schema %s: %w", name, err)
	}
	return doc, nil
}
