package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
)

// staticTypes are the media types of the files under static/ (the route declares them).
var staticTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".svg":   "image/svg+xml",
	".woff2": "font/woff2",
	".txt":   "text/plain; charset=utf-8",
	".md":    "text/plain; charset=utf-8",
	"":       "text/plain; charset=utf-8", // LICENSE
}

var errNoAsset = apperr.New(apperr.NotFound, "file inesistente", "no such file")

// assets are the embedded static files with a content hash each, so that pages can link to
// /static/app.css?v=<hash> and browsers may keep every file for a year.
type assets struct {
	fsys    fs.FS
	version map[string]string // path under static/ → short content hash
}

func loadAssets(fsys fs.FS) (*assets, error) {
	a := &assets{fsys: fsys, version: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.version[p] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
	return a, err
}

// url is the address of a static file with its version: pages use it so that a new release
// is fetched at once despite the long cache lifetime.
func (a *assets) url(p string) string {
	p = strings.TrimPrefix(p, "/")
	if v, ok := a.version[p]; ok {
		return "/static/" + p + "?v=" + v
	}
	return "/static/" + p
}

// serve answers GET /static/*.
func (a *assets) serve(c echo.Context) error {
	p := path.Clean(strings.TrimPrefix(c.Param("*"), "/"))
	if !fs.ValidPath(p) || p == "." {
		return errNoAsset
	}
	b, err := fs.ReadFile(a.fsys, p)
	if err != nil {
		return errNoAsset
	}
	ctype, ok := staticTypes[path.Ext(p)]
	if !ok {
		if ctype = mime.TypeByExtension(path.Ext(p)); ctype == "" {
			return errNoAsset
		}
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, ctype)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+a.version[p]+`"`)
	http.ServeContent(c.Response(), c.Request(), p, time.Time{}, bytes.NewReader(b))
	return nil
}
