package keycloak

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// ComposeTenants copies the tenants folder for the compose stack, each district's issuer
// placeholder (the development provider of `make run`) replaced by its Keycloak realm: an
// issuer is per district, and the compose stack has no development provider. The result maps
// each file's path relative to the folder to its content.
func ComposeTenants(dir string) (map[string][]byte, error) {
	placeholder := []byte(`issuer: "` + tenancy.DevIssuerPlaceholder + `"`)
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !strings.HasPrefix(rel, "regions/") {
			slug := strings.TrimSuffix(rel, ".yaml")
			if bytes.Count(b, placeholder) != 1 {
				return fmt.Errorf("keycloak: %s: expected one line %s to point at the realm %q", rel, placeholder, slug)
			}
			b = bytes.Replace(b, placeholder, []byte(`issuer: "`+Issuer(slug)+`"`), 1)
		}
		header := "# GENERATED from tenants/" + rel + " for deploy/compose.yaml (the issuer is the district's\n" +
			"# Keycloak realm): do not edit; run `go test ./deploy/keycloak -update` after changing the original.\n"
		out[rel] = append([]byte(header), b...)
		return nil
	})
	return out, err
}
