// Package migrations holds the plain SQL migrations, embedded in the binary: `platform/` for
// the shared schema, `tenant/` for every district's schema. goose applies them per schema.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed platform/*.sql tenant/*.sql
var files embed.FS

// Platform returns the migrations of the shared `platform` schema.
func Platform() fs.FS { return sub("platform") }

// Tenant returns the migrations every district schema runs.
func Tenant() fs.FS { return sub("tenant") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // the directory is embedded above: this cannot fail at run time
	}
	return f
}
