package web

import (
	"bytes"
	"compress/gzip"
	"flag"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

var updatePrecompressed = flag.Bool("update-precompressed", false, "rewrite the vendored assets' .br and .gz files")

// TestPrecompressedAssetsMatchTheirSources keeps the committed .br and .gz files of the
// vendored assets in step with them: every compressible vendored file of 1 KB or more has both,
// and each decodes to exactly its source. After updating a vendored asset, run
// go test ./internal/web -run Precompressed -update-precompressed
func TestPrecompressedAssetsMatchTheirSources(t *testing.T) {
	static := os.DirFS("static")
	err := fs.WalkDir(static, "vendor", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !compressible[path.Ext(p)] || strings.HasSuffix(p, ".md") {
			return err
		}
		raw, err := fs.ReadFile(static, p)
		if err != nil || len(raw) < minCompress {
			return err
		}
		for _, enc := range []encoding{brotliEnc, gzipEnc} {
			if *updatePrecompressed {
				if err := os.WriteFile(filepath.Join("static", filepath.FromSlash(p+enc.suffix)), compressAt(enc, raw, true), 0o644); err != nil {
					return err
				}
				continue
			}
			packed, err := fs.ReadFile(static, p+enc.suffix)
			if err != nil {
				t.Errorf("%s has no %s: run go test ./internal/web -run Precompressed -update-precompressed", p, enc.suffix)
				continue
			}
			var r io.Reader
			if enc == brotliEnc {
				r = brotli.NewReader(bytes.NewReader(packed))
			} else if r, err = gzip.NewReader(bytes.NewReader(packed)); err != nil {
				t.Errorf("%s%s: %v", p, enc.suffix, err)
				continue
			}
			got, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(got, raw) {
				t.Errorf("%s%s does not decode to %s (%v): run go test ./internal/web -run Precompressed -update-precompressed", p, enc.suffix, p, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
