package dbtest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// Digest is a key for a Template: a hex SHA-256 over the path and content of every regular
// file of fsys matching one of patterns (fs.Glob syntax), so that it changes when any of them
// does, or when one appears or goes. Test files (_test.go) are left out: they never shape what
// a build writes, and editing one should not cost a rebuild.
func Digest(fsys fs.FS, patterns ...string) (string, error) {
	paths, err := digestPaths(fsys, patterns)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, p := range paths {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return "", fmt.Errorf("dbtest: digest: %w", err)
		}
		// Lengths first, so that no two different file sets can hash the same bytes.
		fmt.Fprintf(h, "%d:%s %d:", len(p), p, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// digestPaths lists the regular files matching patterns, sorted and each once. A pattern that
// matches nothing is an error: a key that silently ignores a moved folder would go stale.
func digestPaths(fsys fs.FS, patterns []string) ([]string, error) {
	var paths []string
	for _, pat := range patterns {
		matches, err := fs.Glob(fsys, pat)
		if err != nil {
			return nil, fmt.Errorf("dbtest: digest %q: %w", pat, err)
		}
		n := len(paths)
		for _, m := range matches {
			info, err := fs.Stat(fsys, m)
			if err != nil {
				return nil, fmt.Errorf("dbtest: digest: %w", err)
			}
			if info.Mode().IsRegular() && !strings.HasSuffix(m, "_test.go") {
				paths = append(paths, m)
			}
		}
		if len(paths) == n {
			return nil, fmt.Errorf("dbtest: digest: no file matches %q", pat)
		}
	}
	slices.Sort(paths)
	return slices.Compact(paths), nil
}
