package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"
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
// /static/app.<hash>.css and browsers may keep every file for a year.
type assets struct {
	fsys       fs.FS
	version    map[string]string // path under static/ → short content hash
	compressed compressedCache
	bodies     sync.Map // path → []byte: each file read out of the embedded ones once, on first request
}

// hashedName matches a path carrying a content hash before its extension: app.0123456789ab.css.
var hashedName = regexp.MustCompile(`^(.*)\.([0-9a-f]{12})(\.[^./]+)$`)

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

// url is the address of a static file with its content hash in its name: pages use it so that
// a new release is fetched at once despite the long cache lifetime.
func (a *assets) url(p string) string {
	p = strings.TrimPrefix(p, "/")
	if v, ok := a.version[p]; ok {
		ext := path.Ext(p)
		return "/static/" + strings.TrimSuffix(p, ext) + "." + v + ext
	}
	return "/static/" + p
}

// resolve maps a requested path to the embedded file, and says whether the request named the
// file's current content (its hash), which alone may be cached as immutable. A hash of another
// release (a page from an instance not yet upgraded) gets today's file, briefly cached.
func (a *assets) resolve(p string) (file string, current bool, ok bool) {
	if _, exists := a.version[p]; exists {
		return p, false, true
	}
	m := hashedName.FindStringSubmatch(p)
	if m == nil {
		return "", false, false
	}
	file = m[1] + m[3]
	v, exists := a.version[file]
	return file, v == m[2], exists
}

// body is a file's content, read once: fs.ReadFile copies the embedded file on every call,
// 605 KB for Bootstrap Italia's stylesheet, which a client without compression asks for.
func (a *assets) body(file string) ([]byte, error) {
	if b, ok := a.bodies.Load(file); ok {
		return b.([]byte), nil
	}
	b, err := fs.ReadFile(a.fsys, file)
	if err != nil {
		return nil, err
	}
	a.bodies.Store(file, b)
	return b, nil
}

// serve answers GET /static/*: the file, compressed when the browser accepts it and it is
// worth it, cached for a year when its name carries its content hash (or, as before, ?v=).
func (a *assets) serve(c echo.Context) error {
	p := path.Clean(strings.TrimPrefix(c.Param("*"), "/"))
	if !fs.ValidPath(p) || p == "." {
		return errNoAsset
	}
	file, current, ok := a.resolve(p)
	if !ok {
		return errNoAsset
	}
	b, err := a.body(file)
	if err != nil {
		return errNoAsset
	}
	ext := path.Ext(file)
	ctype, ok := staticTypes[ext]
	if !ok {
		if ctype = mime.TypeByExtension(ext); ctype == "" {
			return errNoAsset
		}
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, ctype)
	if current || c.QueryParam("v") == a.version[file] {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		// Unversioned: what a stylesheet names relatively (Bootstrap Italia's fonts and icons),
		// or a page of another release. A day, then a revalidation by ETag.
		h.Set("Cache-Control", "public, max-age=86400")
	}
	etag := a.version[file]
	if compressible[ext] && len(b) >= minCompress {
		h.Add("Vary", "Accept-Encoding")
		if enc, ok := negotiate(c.Request()); ok {
			b = a.compressed.get(a.fsys, file, enc, b)
			etag += enc.tag
			h.Set("Content-Encoding", enc.name)
		}
	}
	h.Set("ETag", `"`+etag+`"`)
	http.ServeContent(c.Response(), c.Request(), file, time.Time{}, bytes.NewReader(b))
	return nil
}
