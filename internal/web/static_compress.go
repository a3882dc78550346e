package web

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"net/http"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Text assets are sent compressed: Bootstrap Italia's CSS is 605 KB as written and 71 KB in
// brotli, its JavaScript bundle 1 MB. The vendored files are compressed at the highest
// settings ahead of time and committed beside their source (<file>.br, <file>.gz: written by
// `go test ./internal/web -run Precompressed -update-precompressed`, checked by the same test
// without the flag); brotli's best quality takes seconds on the bundle, which no request and no
// server start should pay. Our own small files (app.css) change often and compress in
// milliseconds: they are compressed once per encoding on first request and kept in memory.

// compressible are the extensions worth compressing; fonts (woff2) and images are already.
var compressible = map[string]bool{".css": true, ".js": true, ".svg": true, ".txt": true, ".md": true, "": true}

// minCompress is the size under which compression saves less than its headers cost.
const minCompress = 1024

type encoding struct {
	name   string // the Content-Encoding token
	tag    string // appended to the ETag, so a cache never mixes encodings
	suffix string // of a precompressed sibling file
}

var (
	brotliEnc = encoding{"br", "-br", ".br"}
	gzipEnc   = encoding{"gzip", "-gz", ".gz"}
)

// compressedCache holds the compressed forms, computed once each.
type compressedCache struct {
	mu    sync.Mutex
	items map[string]*compressedItem // key: encoding + "\x00" + path
}

type compressedItem struct {
	once sync.Once
	body []byte
}

// get returns the file compressed with enc: its precompressed sibling when there is one, else
// compressed on first use; either way read or made once and kept.
func (c *compressedCache) get(fsys fs.FS, p string, enc encoding, raw []byte) []byte {
	c.mu.Lock()
	if c.items == nil {
		c.items = map[string]*compressedItem{}
	}
	key := enc.name + "\x00" + p
	it, ok := c.items[key]
	if !ok {
		it = &compressedItem{}
		c.items[key] = it
	}
	c.mu.Unlock()
	it.once.Do(func() {
		if b, err := fs.ReadFile(fsys, p+enc.suffix); err == nil {
			it.body = b
			return
		}
		it.body = compress(enc, raw)
	})
	return it.body
}

// compress is the on-demand compression: middle settings, milliseconds for a small file.
func compress(enc encoding, raw []byte) []byte { return compressAt(enc, raw, false) }

// compressAt compresses raw, at the highest settings when best (the precompressed files).
func compressAt(enc encoding, raw []byte, best bool) []byte {
	var buf bytes.Buffer
	switch enc {
	case brotliEnc:
		level := 6
		if best {
			level = brotli.BestCompression
		}
		w := brotli.NewWriterLevel(&buf, level)
		_, _ = w.Write(raw) // writes to a bytes.Buffer do not fail
		_ = w.Close()
	default:
		level := 6
		if best {
			level = gzip.BestCompression
		}
		w, _ := gzip.NewWriterLevel(&buf, level) // a valid level: no error
		_, _ = w.Write(raw)
		_ = w.Close()
	}
	return buf.Bytes()
}

// negotiate picks the encoding a request accepts, brotli first; ok is false for identity.
// Good enough for what browsers send ("gzip, deflate, br, zstd"); a q=0 excludes the coding.
func negotiate(r *http.Request) (encoding, bool) {
	accepted := map[string]bool{}
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if q := strings.ReplaceAll(params, " ", ""); q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
			continue
		}
		accepted[strings.ToLower(strings.TrimSpace(name))] = true
	}
	switch {
	case accepted["br"]:
		return brotliEnc, true
	case accepted["gzip"]:
		return gzipEnc, true
	}
	return encoding{}, false
}
