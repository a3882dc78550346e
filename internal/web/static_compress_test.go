package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/labstack/echo/v4"
)

// fetch serves one static path with the given Accept-Encoding and returns the response.
func fetch(t *testing.T, w *Web, p, acceptEncoding string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, p, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	rec := httptest.NewRecorder()
	c := echo.New().NewContext(req, rec)
	c.SetParamNames("*")
	c.SetParamValues(strings.TrimPrefix(p, "/static/"))
	if err := w.assets.serve(c); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return rec
}

func TestStaticFilesAreCompressedAndVersionedByName(t *testing.T) {
	t.Parallel()
	w, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	const css = "vendor/bootstrap-italia/css/bootstrap-italia.min.css"
	raw, err := fs.ReadFile(w.assets.fsys, css)
	if err != nil {
		t.Fatal(err)
	}
	url := w.assets.url(css)
	decoders := map[string]func(io.Reader) (io.Reader, error){
		"br":   func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
		"gzip": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
	}
	for _, c := range []struct{ accept, want string }{
		{"gzip, deflate, br, zstd", "br"},
		{"gzip, deflate", "gzip"},
		{"br;q=0, gzip", "gzip"},
		{"", ""},
	} {
		rec := fetch(t, w, url, c.accept)
		h := rec.Header()
		if got := h.Get("Content-Encoding"); got != c.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", c.accept, got, c.want)
		}
		if !strings.Contains(h.Get("Vary"), "Accept-Encoding") {
			t.Errorf("Accept-Encoding %q: no Vary", c.accept)
		}
		if !strings.Contains(h.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: cache %q, want immutable for a hashed name", url, h.Get("Cache-Control"))
		}
		body := rec.Body.Bytes()
		if dec := decoders[c.want]; dec != nil {
			r, err := dec(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(r); err != nil {
				t.Fatal(err)
			}
			if rec.Body.Len()*4 > len(raw) {
				t.Errorf("%s: %d bytes compressed of %d: less than 4×", c.want, rec.Body.Len(), len(raw))
			}
		}
		if !bytes.Equal(body, raw) {
			t.Errorf("Accept-Encoding %q: the body is not the file", c.accept)
		}
	}
	// A name with another release's hash still gets the file, cached briefly.
	old := "/static/vendor/bootstrap-italia/css/bootstrap-italia.min.0123456789ab.css"
	if rec := fetch(t, w, old, ""); rec.Code != http.StatusOK || strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("%s: %d, cache %q; want 200 and no immutable cache", old, rec.Code, rec.Header().Get("Cache-Control"))
	}
	// Fonts are compressed already; a tiny file is not worth it.
	font := "/static/vendor/bootstrap-italia/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2"
	if got := fetch(t, w, font, "br").Header().Get("Content-Encoding"); got != "" {
		t.Errorf("woff2 sent with Content-Encoding %q", got)
	}
	if got := fetch(t, w, "/static/favicon.svg", "br").Header().Get("Content-Encoding"); got != "" {
		t.Errorf("a 182-byte file sent with Content-Encoding %q", got)
	}
}

// BenchmarkCompressBootstrapCSS is what the first request of each encoding pays, once per
// process (figures in docs/benchmarks.md).
func BenchmarkCompressBootstrapCSS(b *testing.B) {
	w, err := New(Deps{})
	if err != nil {
		b.Fatal(err)
	}
	raw, err := fs.ReadFile(w.assets.fsys, "vendor/bootstrap-italia/css/bootstrap-italia.min.css")
	if err != nil {
		b.Fatal(err)
	}
	for _, enc := range []encoding{brotliEnc, gzipEnc} {
		b.Run(enc.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				n = len(compress(enc, raw))
			}
			b.ReportMetric(float64(n), "bytes")
		})
	}
}
