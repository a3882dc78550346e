package tenantdump

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Export writes the archive of district slug to w: every table of its schema and its rows in
// the platform schema, all read in one REPEATABLE READ, READ ONLY transaction, so the archive
// is one consistent moment of the district while it keeps serving. It returns the manifest
// written at the end.
func Export(ctx context.Context, d *db.DB, slug string, w io.Writer, now time.Time) (Manifest, error) {
	var m Manifest
	schema, err := tenancy.SchemaName(slug)
	if err != nil {
		return m, err
	}
	err = d.Dedicated(ctx, func(ctx context.Context, c *db.Conn) error {
		tx, err := c.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
		if err != nil {
			return fmt.Errorf("tenantdump: begin: %w", err)
		}
		defer tx.Rollback(context.WithoutCancel(ctx))
		if err := canonical(ctx, c, slug); err != nil {
			return err
		}
		m, err = export(ctx, c, slug, schema, w, now)
		return err
	})
	return m, err
}

func export(ctx context.Context, c *db.Conn, slug, schema string, w io.Writer, now time.Time) (Manifest, error) {
	m := Manifest{Header: Header{Format: Format, FormatVersion: FormatVersion, Slug: slug, Schema: schema,
		CreatedAt: now.UTC().Truncate(time.Second), Encryption: encryptionNote}}
	var stored string
	err := c.QueryRow(ctx, `SELECT schema_name FROM platform.tenants WHERE slug = $1`, slug).Scan(&stored)
	if errors.Is(err, pgx.ErrNoRows) {
		return m, apperr.New(apperr.NotFound, "distretto inesistente: "+slug, "no such district: "+slug)
	}
	if err != nil {
		return m, fmt.Errorf("tenantdump: read the district: %w", err)
	}
	if stored != schema {
		return m, fmt.Errorf("tenantdump: district %s records schema %q, expected %q", slug, stored, schema)
	}
	if m.TenantVersion, err = schemaVersion(ctx, c, schema); err != nil {
		return m, err
	}
	if m.PlatformVersion, err = schemaVersion(ctx, c, db.PlatformSchema); err != nil {
		return m, err
	}
	if m.MasterKeyID, err = masterKeyID(ctx, c, schema); err != nil {
		return m, err
	}
	tables, err := districtTables(ctx, c, schema)
	if err != nil {
		return m, err
	}
	platform, err := platformRelations(ctx, c)
	if err != nil {
		return m, err
	}

	gz := gzip.NewWriter(w)
	enc := json.NewEncoder(gz)
	if err := enc.Encode(line{Header: &m.Header}); err != nil {
		return m, fmt.Errorf("tenantdump: write: %w", err)
	}
	for _, r := range tables {
		q := `SELECT ` + columnList(r.columns) + ` FROM ` + pgx.Identifier{schema, r.name}.Sanitize() + ` ORDER BY ` + r.order
		t, err := writeTable(ctx, c, enc, gz, Table{Set: District, Name: r.name, Columns: r.columns}, q)
		if err != nil {
			return m, err
		}
		m.Tables = append(m.Tables, t)
	}
	for i, p := range platformTables {
		r := platform[i]
		q := `SELECT ` + columnList(r.columns) + ` FROM ` + pgx.Identifier{db.PlatformSchema, p.name}.Sanitize() +
			` WHERE ` + p.rows + ` ORDER BY ` + r.order
		t, err := writeTable(ctx, c, enc, gz, Table{Set: Platform, Name: p.name, Columns: r.columns}, q)
		if err != nil {
			return m, err
		}
		m.Tables = append(m.Tables, t)
	}
	if m.Sequences, err = sequences(ctx, c, schema); err != nil {
		return m, err
	}
	if err := enc.Encode(line{Manifest: &m}); err != nil {
		return m, fmt.Errorf("tenantdump: write: %w", err)
	}
	if err := gz.Close(); err != nil {
		return m, fmt.Errorf("tenantdump: write: %w", err)
	}
	return m, nil
}

// writeTable streams one table's rows (the query q) into the archive, counting and hashing them.
func writeTable(ctx context.Context, c *db.Conn, enc *json.Encoder, w io.Writer, t Table, q string) (Table, error) {
	if err := enc.Encode(line{Table: &Table{Set: t.Set, Name: t.Name, Columns: t.Columns}}); err != nil {
		return t, fmt.Errorf("tenantdump: write: %w", err)
	}
	dg := newDigest()
	if _, err := c.PgConn().CopyTo(ctx, teeDigest{w: w, d: dg}, `COPY (`+q+`) TO STDOUT`); err != nil {
		return t, fmt.Errorf("tenantdump: copy %s.%s: %w", t.Set, t.Name, err)
	}
	if _, err := w.Write(endOfRows); err != nil {
		return t, fmt.Errorf("tenantdump: write: %w", err)
	}
	t.Rows, t.SHA256 = dg.rows, dg.sum()
	return t, nil
}

// platformRelations describes the platform tables of platformTables, without their identity
// columns (an imported row gets the target's next id; nothing references those ids).
func platformRelations(ctx context.Context, c *db.Conn) ([]relation, error) {
	out := make([]relation, len(platformTables))
	for i, p := range platformTables {
		out[i].name = p.name
		err := c.QueryRow(ctx, `SELECT $1::regclass::oid`, pgx.Identifier{db.PlatformSchema, p.name}.Sanitize()).Scan(&out[i].oid)
		if err != nil {
			return nil, fmt.Errorf("tenantdump: platform.%s: %w", p.name, err)
		}
		if err := describe(ctx, c, &out[i], true); err != nil {
			return nil, err
		}
		// Without their ids the rows have no key to sort by: the row's text orders them.
		out[i].order = rowOrder(out[i].columns)
	}
	return out, nil
}

// masterKeyID is the fingerprint of the master key wrapping the district key ("" for none).
func masterKeyID(ctx context.Context, c *db.Conn, schema string) (string, error) {
	var exists bool
	table := pgx.Identifier{schema, "district_key"}.Sanitize()
	if err := c.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, table).Scan(&exists); err != nil || !exists {
		return "", err
	}
	var id string
	err := c.QueryRow(ctx, `SELECT master_id FROM `+table).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("tenantdump: read the district key: %w", err)
	}
	return id, nil
}
