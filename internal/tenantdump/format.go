// Package tenantdump moves one district in and out of a database: its whole schema and its
// rows in the shared platform schema, as one archive (ambiti tenants export / import). It is
// the backup and restore of one district and the way to move a district to another
// PostgreSQL.
//
// The archive is a gzip stream of lines: a header (JSON), then for each table a JSON line
// naming it and its columns followed by the table's rows in PostgreSQL's COPY text format,
// ended by a line `\.` (a backslash in the data is always escaped, so no row is that line),
// and last the manifest (JSON): per table its row count and the SHA-256 of its rows as
// written, in a canonical order (primary key, or the row's text, compared byte-wise). The
// manifest comes last because it is computed while the rows stream: a large district never
// sits in memory, on either side.
package tenantdump

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"time"
)

// Format names the archive kind; FormatVersion changes when its layout does.
const (
	Format        = "ambiti-district-dump"
	FormatVersion = 1
)

// The two sets of tables an archive holds.
const (
	District = "district" // every table of the district's schema t_<slug>
	Platform = "platform" // the district's rows in the shared schema
)

// encryptionNote is written into every header, for whoever holds an archive without the code.
const encryptionNote = "personal fields are sealed with person keys wrapped by the district key, " +
	"itself wrapped by the master key master_key_id (never in the archive); the import needs that " +
	"master key, as current or previous, and rewraps the district key under the current one"

// Header opens an archive: enough to refuse it before reading any row.
type Header struct {
	Format          string    `json:"format"`
	FormatVersion   int       `json:"format_version"`
	Slug            string    `json:"slug"`
	Schema          string    `json:"schema"`
	CreatedAt       time.Time `json:"created_at"`
	TenantVersion   int64     `json:"tenant_schema_version"`   // goose version of the district schema
	PlatformVersion int64     `json:"platform_schema_version"` // goose version of the platform schema
	// MasterKeyID is the fingerprint of the master key that wraps the district key as stored
	// (empty: the district has no key yet, no personal data was ever sealed).
	MasterKeyID string `json:"master_key_id,omitempty"`
	Encryption  string `json:"encryption"`
}

// Table is one table of the archive; Rows and SHA256 are filled in the manifest.
type Table struct {
	Set     string   `json:"set"`
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Rows    int64    `json:"rows"`
	SHA256  string   `json:"sha256,omitempty"`
}

// Sequence is a sequence of the district's schema (identity columns) as it stood.
type Sequence struct {
	Name      string `json:"name"`
	LastValue int64  `json:"last_value"`
	IsCalled  bool   `json:"is_called"`
}

// Manifest closes an archive.
type Manifest struct {
	Header
	Tables    []Table    `json:"tables"`
	Sequences []Sequence `json:"sequences"`
}

// line is one JSON line of the archive: exactly one field is set.
type line struct {
	Header   *Header   `json:"header,omitempty"`
	Table    *Table    `json:"table,omitempty"`
	Manifest *Manifest `json:"manifest,omitempty"`
}

// endOfRows ends a table's rows, as in psql's COPY text.
var endOfRows = []byte("\\.\n")

// digest counts and hashes the rows that pass through it, on the way out or in.
type digest struct {
	h    hash.Hash
	rows int64
}

func newDigest() *digest { return &digest{h: sha256.New()} }

func (d *digest) add(p []byte) {
	d.h.Write(p)
	d.rows += int64(bytes.Count(p, []byte{'\n'}))
}

func (d *digest) sum() string { return hex.EncodeToString(d.h.Sum(nil)) }

// teeDigest writes to w and into the digest: COPY TO's rows on their way into the archive.
type teeDigest struct {
	w io.Writer
	d *digest
}

func (t teeDigest) Write(p []byte) (int, error) {
	t.d.add(p)
	return t.w.Write(p)
}
