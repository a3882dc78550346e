package tenantdump

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/authz"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Options say how to import an archive.
type Options struct {
	// As imports the district under another slug ("" keeps the archive's): its schema is
	// named after it and every platform row that holds the slug is rewritten. The copy is
	// imported suspended.
	As string
	// Replace restores over a district that exists and is suspended: its schema and platform
	// rows (sessions included) are dropped in the same transaction that imports the archive,
	// so a failed restore leaves it as it was. The restored district stays suspended.
	Replace bool
	// Master and Previous are the master keys: the archive's district key must be wrapped by
	// one of them; it is rewrapped under Master when it was another one or the slug changes.
	Master   *keyring.Master
	Previous []keyring.Master
	// PlatformFS and TenantFS are the binary's migrations.
	PlatformFS, TenantFS fs.FS
}

// Result says what an import did.
type Result struct {
	Manifest
	Slug        string // the slug it was imported as
	FromVersion int64  // the archive's district schema version
	ToVersion   int64  // the version after the migrations
	Rewrapped   bool   // the district key was rewrapped (another master key or slug)
}

// Import reads an archive and creates its district: in ONE transaction the district's schema
// (created by the binary's own migrations up to the archive's version), its rows, its
// platform rows, the checks (every table's count and SHA-256 as streamed and again as stored,
// against the manifest) and the migrations to the binary's version. Any failure leaves the
// database as it was. The slug must not exist in the database, unless Options.Replace.
func Import(ctx context.Context, d *db.DB, r io.Reader, opt Options) (Result, error) {
	var res Result
	gz, err := gzip.NewReader(r)
	if err != nil {
		return res, damaged("not a gzip stream: %v", err)
	}
	ar := newReader(gz)
	first, err := ar.next()
	if err != nil || first.Header == nil {
		return res, damaged("no header")
	}
	h := *first.Header
	if h.Format != Format {
		return res, damaged("not an Ambiti district archive")
	}
	if h.FormatVersion != FormatVersion {
		return res, fmt.Errorf("tenantdump: archive format %d, this binary reads %d", h.FormatVersion, FormatVersion)
	}
	if err := checkVersions(h, opt); err != nil {
		return res, err
	}
	res.Slug = h.Slug
	if opt.As != "" {
		res.Slug = opt.As
	}
	schema, err := tenancy.SchemaName(res.Slug)
	if err != nil {
		return res, err
	}
	if _, err := tenancy.SchemaName(h.Slug); err != nil {
		return res, damaged("the archive's slug %q is malformed", h.Slug)
	}
	if h.MasterKeyID != "" && opt.Master == nil {
		return res, fmt.Errorf("tenantdump: the district's key is wrapped by master key %s: set AMBITI_MASTER_KEY to it "+
			"(or to the new one, with it as AMBITI_MASTER_KEY_PREVIOUS)", h.MasterKeyID)
	}
	// The platform schema first, in its own transaction like `ambiti migrate`: it is shared and
	// the same whatever district comes next.
	if _, err := tenancy.NewProvisioner(d, opt.PlatformFS, opt.TenantFS).MigratePlatform(ctx); err != nil {
		return res, err
	}
	err = d.Dedicated(ctx, func(ctx context.Context, c *db.Conn) error {
		tx, err := c.Begin(ctx)
		if err != nil {
			return fmt.Errorf("tenantdump: begin: %w", err)
		}
		defer tx.Rollback(context.WithoutCancel(ctx))
		im := &importer{c: c, ar: ar, h: h, slug: res.Slug, schema: schema, opt: opt}
		if err := im.run(ctx, &res); err != nil {
			return err
		}
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("tenantdump: commit: %w", err)
		}
		return nil
	})
	return res, err
}

func checkVersions(h Header, opt Options) error {
	tenantLatest, err := db.LatestVersion(opt.TenantFS)
	if err != nil {
		return err
	}
	platformLatest, err := db.LatestVersion(opt.PlatformFS)
	if err != nil {
		return err
	}
	if h.TenantVersion > tenantLatest || h.PlatformVersion > platformLatest {
		return apperr.New(apperr.Invalid,
			fmt.Sprintf("l'archivio viene da una versione più recente (distretto %d, piattaforma %d; questa versione arriva a %d e %d): usare una versione di Ambiti aggiornata",
				h.TenantVersion, h.PlatformVersion, tenantLatest, platformLatest),
			fmt.Sprintf("the archive comes from a newer Ambiti (district schema %d, platform %d; this binary knows up to %d and %d): import it with an up-to-date binary",
				h.TenantVersion, h.PlatformVersion, tenantLatest, platformLatest))
	}
	if h.TenantVersion < 1 {
		return damaged("no district schema version")
	}
	return nil
}

type importer struct {
	c      *db.Conn
	ar     *reader
	h      Header
	slug   string // the slug imported as
	schema string
	opt    Options

	tables   []relation       // the district tables as the migrations made them
	streamed map[string]Table // set/name → what the archive's rows hashed to on the way in
	staged   []string         // platform tables loaded into their staging tables
}

func (im *importer) run(ctx context.Context, res *Result) error {
	c := im.c
	if err := canonical(ctx, c, im.slug); err != nil {
		return err
	}
	if err := im.refuseExisting(ctx); err != nil {
		return err
	}
	mig, err := c.CreateAndMigrate(ctx, im.schema, im.opt.TenantFS, im.h.TenantVersion)
	if err != nil {
		return err
	}
	if mig.To != im.h.TenantVersion {
		return fmt.Errorf("tenantdump: the migrations reach version %d, the archive is at %d", mig.To, im.h.TenantVersion)
	}
	if im.tables, err = districtTables(ctx, c, im.schema); err != nil {
		return err
	}
	// The migrations' own rows (seeded catalogues, goose's history) give way to the archive's;
	// the tables' triggers stay off while loading, so rows land exactly as they were written.
	for i := len(im.tables) - 1; i >= 0; i-- {
		t := pgx.Identifier{im.schema, im.tables[i].name}.Sanitize()
		for _, q := range []string{`ALTER TABLE ` + t + ` DISABLE TRIGGER USER`, `DELETE FROM ` + t} {
			if _, err := c.Exec(ctx, q); err != nil {
				return fmt.Errorf("tenantdump: empty %s: %w", im.tables[i].name, err)
			}
		}
	}
	m, err := im.load(ctx)
	if err != nil {
		return err
	}
	res.Manifest = m
	if err := im.verify(ctx, m); err != nil {
		return err
	}
	for _, s := range m.Sequences {
		_, err := c.Exec(ctx, `SELECT setval($1::regclass, $2, $3)`, pgx.Identifier{im.schema, s.Name}.Sanitize(), s.LastValue, s.IsCalled)
		if err != nil {
			return fmt.Errorf("tenantdump: sequence %s: %w", s.Name, err)
		}
	}
	for _, r := range im.tables {
		if _, err := c.Exec(ctx, `ALTER TABLE `+pgx.Identifier{im.schema, r.name}.Sanitize()+` ENABLE TRIGGER USER`); err != nil {
			return fmt.Errorf("tenantdump: %s: %w", r.name, err)
		}
	}
	if res.Rewrapped, err = im.rewrap(ctx); err != nil {
		return err
	}
	if err := im.platformRows(ctx); err != nil {
		return err
	}
	up, err := c.MigrateUp(ctx, im.schema, im.opt.TenantFS)
	if err != nil {
		return err
	}
	res.FromVersion, res.ToVersion = im.h.TenantVersion, up.To
	_, err = c.Exec(ctx, `UPDATE platform.tenants SET schema_version = $1, updated_at = now() WHERE slug = $2 AND schema_version <> $1`, up.To, im.slug)
	if err != nil {
		return fmt.Errorf("tenantdump: record the version: %w", err)
	}
	outcome := "created"
	if im.opt.Replace {
		outcome = "updated"
	}
	_, err = c.Exec(ctx, `INSERT INTO platform.provisioning_log (kind, slug, outcome, from_version, to_version)
		VALUES ('district', $1, $2, $3, $4)`, im.slug, outcome, im.h.TenantVersion, up.To)
	if err != nil {
		return fmt.Errorf("tenantdump: log: %w", err)
	}
	// Every instance reloads its role bindings, as after a grant.
	if _, err := c.Exec(ctx, `SELECT pg_notify($1, 'tenant-import')`, authz.PolicyChannel); err != nil {
		return fmt.Errorf("tenantdump: notify: %w", err)
	}
	return nil
}

// refuseExisting refuses a slug or a schema that is already there: an import never overwrites.
func (im *importer) refuseExisting(ctx context.Context) error {
	// Serialise with a sync or another import of the same district.
	if _, err := im.c.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, "ambiti.migrate."+im.schema); err != nil {
		return fmt.Errorf("tenantdump: lock: %w", err)
	}
	var status string
	err := im.c.QueryRow(ctx, `SELECT status FROM platform.tenants WHERE slug = $1`, im.slug).Scan(&status)
	tenant := err == nil
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("tenantdump: look for the district: %w", err)
	}
	var schema bool
	if err := im.c.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, im.schema).Scan(&schema); err != nil {
		return fmt.Errorf("tenantdump: look for the schema: %w", err)
	}
	switch {
	case im.opt.Replace && !tenant:
		return apperr.New(apperr.NotFound,
			fmt.Sprintf("il distretto %s non c'è: nulla da sostituire (importarlo senza --replace)", im.slug),
			fmt.Sprintf("district %s does not exist: nothing to replace (import it without --replace)", im.slug))
	case im.opt.Replace && status != "suspended":
		return apperr.New(apperr.Conflict,
			fmt.Sprintf("il distretto %s è attivo: sospenderlo prima (ambiti tenants suspend %s), poi ripristinarlo", im.slug, im.slug),
			fmt.Sprintf("district %s is active: suspend it first (ambiti tenants suspend %s), then restore it", im.slug, im.slug))
	case im.opt.Replace:
		return im.drop(ctx)
	case tenant || schema:
		return apperr.New(apperr.Conflict,
			fmt.Sprintf("il distretto %s esiste già in questo database: importarlo con --as <altro identificativo>, oppure sospenderlo e sostituirlo con --replace", im.slug),
			fmt.Sprintf("district %s already exists in this database: import it with --as <another slug>, or suspend it and restore over it with --replace", im.slug))
	}
	return nil
}

// drop removes the district being replaced: its schema and its platform rows, people's
// sessions and logins in progress on it included. Identities and the region stay (shared).
func (im *importer) drop(ctx context.Context) error {
	for _, q := range []string{
		`DELETE FROM platform.sessions WHERE domain = $1`,
		`DELETE FROM platform.login_states WHERE domain = $1`,
		`DELETE FROM platform.invitations WHERE domain = $1`,
		`DELETE FROM platform.casbin_rules WHERE ptype = 'g' AND v2 = $1`,
		`DELETE FROM platform.memberships WHERE domain = $1`,
		`DELETE FROM platform.district_facts WHERE tenant_slug = $1`,
		`DELETE FROM platform.tenants WHERE slug = $1`,
	} {
		if _, err := im.c.Exec(ctx, q, im.slug); err != nil {
			return fmt.Errorf("tenantdump: remove the district being replaced: %w", err)
		}
	}
	if _, err := im.c.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{im.schema}.Sanitize()+` CASCADE`); err != nil {
		return fmt.Errorf("tenantdump: drop the schema being replaced: %w", err)
	}
	return nil
}

// load reads the archive's tables into the district schema and the platform staging tables,
// and returns its manifest.
func (im *importer) load(ctx context.Context) (Manifest, error) {
	im.streamed = map[string]Table{}
	for {
		l, err := im.ar.next()
		if errors.Is(err, io.EOF) {
			return Manifest{}, damaged("it ends before its manifest")
		}
		if err != nil {
			return Manifest{}, err
		}
		switch {
		case l.Manifest != nil:
			if _, err := im.ar.next(); !errors.Is(err, io.EOF) {
				return Manifest{}, damaged("lines after the manifest")
			}
			return *l.Manifest, nil
		case l.Table != nil:
			if err := im.loadTable(ctx, *l.Table); err != nil {
				return Manifest{}, err
			}
		default:
			return Manifest{}, damaged("an unknown line")
		}
	}
}

func (im *importer) loadTable(ctx context.Context, t Table) error {
	key := t.Set + "." + t.Name
	if _, seen := im.streamed[key]; seen {
		return damaged("table %s twice", key)
	}
	var target string
	switch t.Set {
	case District:
		i := slices.IndexFunc(im.tables, func(r relation) bool { return r.name == t.Name })
		if i < 0 {
			return fmt.Errorf("tenantdump: table %s is not in the district schema at version %d", t.Name, im.h.TenantVersion)
		}
		if err := knownColumns(t, im.tables[i].columns); err != nil {
			return err
		}
		target = pgx.Identifier{im.schema, t.Name}.Sanitize()
	case Platform:
		if _, ok := platformTableNamed(t.Name); !ok {
			return damaged("unknown platform table %s", t.Name)
		}
		var err error
		if target, err = im.stage(ctx, t); err != nil {
			return err
		}
	default:
		return damaged("unknown set %q", t.Set)
	}
	rr := im.ar.rows()
	_, err := im.c.PgConn().CopyFrom(ctx, rr, `COPY `+target+` (`+columnList(t.Columns)+`) FROM STDIN`)
	if err != nil {
		return fmt.Errorf("tenantdump: load %s: %w", key, err)
	}
	if err := rr.drain(); err != nil {
		return err
	}
	t.Rows, t.SHA256 = rr.d.rows, rr.d.sum()
	im.streamed[key] = t
	return nil
}

// stage makes the temporary table a platform table's rows land in first: they are checked,
// renamed if need be, then inserted. Its name comes from platformTables, never from the archive.
func (im *importer) stage(ctx context.Context, t Table) (string, error) {
	var oid uint32
	name := pgx.Identifier{db.PlatformSchema, t.Name}.Sanitize()
	if err := im.c.QueryRow(ctx, `SELECT $1::regclass::oid`, name).Scan(&oid); err != nil {
		return "", fmt.Errorf("tenantdump: %s: %w", name, err)
	}
	r := relation{oid: oid, name: t.Name}
	if err := describe(ctx, im.c, &r, true); err != nil {
		return "", err
	}
	if err := knownColumns(t, r.columns); err != nil {
		return "", err
	}
	stage := stageName(t.Name)
	_, err := im.c.Exec(ctx, `CREATE TEMPORARY TABLE `+stage+` ON COMMIT DROP AS SELECT `+columnList(t.Columns)+` FROM `+name+` WITH NO DATA`)
	if err != nil {
		return "", fmt.Errorf("tenantdump: stage %s: %w", t.Name, err)
	}
	im.staged = append(im.staged, t.Name)
	return stage, nil
}

func stageName(table string) string {
	return pgx.Identifier{"pg_temp", "ambiti_import_" + table}.Sanitize()
}

func knownColumns(t Table, have []string) error {
	if len(t.Columns) == 0 {
		return damaged("table %s.%s without columns", t.Set, t.Name)
	}
	for _, col := range t.Columns {
		if !slices.Contains(have, col) {
			return fmt.Errorf("tenantdump: column %s of %s.%s is not in this database's schema", col, t.Set, t.Name)
		}
	}
	return nil
}

// verify compares the manifest with the rows as they streamed in and, independently, as the
// database now holds them: same tables, same columns, same counts, same SHA-256.
func (im *importer) verify(ctx context.Context, m Manifest) error {
	if m.Slug != im.h.Slug || m.TenantVersion != im.h.TenantVersion || m.MasterKeyID != im.h.MasterKeyID {
		return damaged("the manifest does not match the header")
	}
	if len(m.Tables) != len(im.streamed) {
		return damaged("the manifest lists %d tables, the archive holds %d", len(m.Tables), len(im.streamed))
	}
	for _, want := range m.Tables {
		key := want.Set + "." + want.Name
		got, ok := im.streamed[key]
		if !ok {
			return damaged("table %s is in the manifest, not in the archive", key)
		}
		if got.Rows != want.Rows || got.SHA256 != want.SHA256 || !slices.Equal(got.Columns, want.Columns) {
			return damaged("table %s: %d rows with SHA-256 %s read, the manifest says %d rows, %s", key, got.Rows, got.SHA256, want.Rows, want.SHA256)
		}
		stored, err := im.storedDigest(ctx, want)
		if err != nil {
			return err
		}
		if stored.rows != want.Rows || stored.sum() != want.SHA256 {
			return fmt.Errorf("tenantdump: table %s as stored: %d rows with SHA-256 %s, the manifest says %d rows, %s",
				key, stored.rows, stored.sum(), want.Rows, want.SHA256)
		}
	}
	for _, r := range im.tables {
		if _, ok := im.streamed[District+"."+r.name]; !ok {
			return damaged("table %s of the district schema is missing", r.name)
		}
	}
	return nil
}

// storedDigest reads a loaded table back in the canonical order and hashes it as the export did.
func (im *importer) storedDigest(ctx context.Context, t Table) (*digest, error) {
	var q string
	if t.Set == District {
		i := slices.IndexFunc(im.tables, func(r relation) bool { return r.name == t.Name })
		q = `SELECT ` + columnList(t.Columns) + ` FROM ` + pgx.Identifier{im.schema, t.Name}.Sanitize() + ` ORDER BY ` + im.tables[i].order
	} else {
		q = `SELECT ` + columnList(t.Columns) + ` FROM ` + stageName(t.Name) + ` ORDER BY ` + rowOrder(t.Columns)
	}
	dg := newDigest()
	if _, err := im.c.PgConn().CopyTo(ctx, teeDigest{w: io.Discard, d: dg}, `COPY (`+q+`) TO STDOUT`); err != nil {
		return nil, fmt.Errorf("tenantdump: read back %s.%s: %w", t.Set, t.Name, err)
	}
	return dg, nil
}

// rewrap checks that the district key opens with the master keys given, and rewraps it under
// the current one when it was wrapped by another or the slug changes (the slug is part of
// what the wrapping authenticates).
func (im *importer) rewrap(ctx context.Context) (bool, error) {
	if im.h.MasterKeyID == "" {
		return false, nil
	}
	table := pgx.Identifier{im.schema, "district_key"}.Sanitize()
	var wrapped []byte
	var masterID string
	if err := im.c.QueryRow(ctx, `SELECT master_id, wrapped FROM `+table).Scan(&masterID, &wrapped); err != nil {
		return false, fmt.Errorf("tenantdump: read the district key: %w", err)
	}
	out, outID, err := keyring.RewrapDistrictKey(wrapped, masterID, im.h.Slug, im.slug, *im.opt.Master, im.opt.Previous...)
	if err != nil {
		return false, err
	}
	if outID == masterID && string(out) == string(wrapped) {
		return false, nil
	}
	_, err = im.c.Exec(ctx, `UPDATE `+table+` SET master_id = $1, wrapped = $2, rotated_at = now()`, outID, out)
	if err != nil {
		return false, fmt.Errorf("tenantdump: rewrap the district key: %w", err)
	}
	return true, nil
}

// platformRows renames the staged platform rows if the slug changes and inserts them.
func (im *importer) platformRows(ctx context.Context) error {
	c := im.c
	if err := im.refuseOtherIdentities(ctx); err != nil {
		return err
	}
	for _, p := range platformTables {
		if !slices.Contains(im.staged, p.name) {
			return damaged("platform table %s is missing", p.name)
		}
	}
	if err := im.onlyItsOwnRows(ctx); err != nil {
		return err
	}
	for _, p := range platformTables {
		stage := stageName(p.name)
		if im.slug != im.h.Slug {
			for _, col := range p.slugColumns {
				col := pgx.Identifier{col}.Sanitize()
				if _, err := c.Exec(ctx, `UPDATE `+stage+` SET `+col+` = $1 WHERE `+col+` = $2`, im.slug, im.h.Slug); err != nil {
					return fmt.Errorf("tenantdump: rename in %s: %w", p.name, err)
				}
			}
			if p.name == "tenants" {
				_, err := c.Exec(ctx, `UPDATE `+stage+` SET schema_name = $1, definition = jsonb_set(definition, '{slug}', to_jsonb($2::text))`, im.schema, im.slug)
				if err != nil {
					return fmt.Errorf("tenantdump: rename the district: %w", err)
				}
			}
		}
		// A restore, or a copy under another slug, does not go live by itself: the operator
		// checks it and resumes it.
		if p.name == "tenants" && (im.opt.Replace || im.slug != im.h.Slug) {
			if _, err := c.Exec(ctx, `UPDATE `+stage+` SET status = 'suspended'`); err != nil {
				return fmt.Errorf("tenantdump: keep the district suspended: %w", err)
			}
		}
		cols, err := stageColumns(ctx, c, stage)
		if err != nil {
			return err
		}
		list := columnList(cols)
		q := `INSERT INTO ` + pgx.Identifier{db.PlatformSchema, p.name}.Sanitize() + ` (` + list + `) SELECT ` + list + ` FROM ` + stage + ` ` + p.onConflict
		if _, err := c.Exec(ctx, q); err != nil {
			return fmt.Errorf("tenantdump: insert into platform.%s: %w", p.name, err)
		}
	}
	return nil
}

// onlyItsOwnRows refuses platform rows that are not the district's: the manifest's checksums
// show an archive intact, not honest, and a hand-made one must not bind anyone elsewhere.
func (im *importer) onlyItsOwnRows(ctx context.Context) error {
	checks := []string{
		`SELECT count(*) <> 1 OR bool_or(slug <> $1) FROM ` + stageName("tenants"),
		`SELECT count(*) > 1 OR bool_or(slug IS DISTINCT FROM (SELECT region_slug FROM ` + stageName("tenants") + ` WHERE slug = $1)) FROM ` + stageName("regions"),
		`SELECT bool_or(domain <> $1) FROM ` + stageName("memberships"),
		`SELECT bool_or(ptype <> 'g' OR v2 <> $1) FROM ` + stageName("casbin_rules"),
		`SELECT bool_or(domain <> $1) FROM ` + stageName("invitations"),
		`SELECT bool_or(tenant_slug <> $1) FROM ` + stageName("district_facts"),
	}
	for _, q := range checks {
		var foreign *bool
		if err := im.c.QueryRow(ctx, q, im.h.Slug).Scan(&foreign); err != nil {
			return fmt.Errorf("tenantdump: check the platform rows: %w", err)
		}
		if foreign != nil && *foreign {
			return damaged("platform rows that are not district %s's", im.h.Slug)
		}
	}
	return nil
}

// refuseOtherIdentities refuses people known to the target database under another id: their
// bindings would name the wrong identity.
func (im *importer) refuseOtherIdentities(ctx context.Context) error {
	rows, err := im.c.Query(ctx, `SELECT s.issuer || ' ' || s.subject FROM `+stageName("identities")+` s
		JOIN platform.identities i ON i.issuer = s.issuer AND i.subject = s.subject WHERE i.id <> s.id`)
	if err != nil {
		return fmt.Errorf("tenantdump: compare identities: %w", err)
	}
	clash, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	if len(clash) > 0 {
		return fmt.Errorf("tenantdump: %d people of the archive exist in this database under another id (%s): "+
			"their role bindings cannot be carried over", len(clash), strings.Join(clash, ", "))
	}
	return nil
}

func stageColumns(ctx context.Context, c *db.Conn, stage string) ([]string, error) {
	rows, err := c.Query(ctx, `SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`, stage)
	if err != nil {
		return nil, fmt.Errorf("tenantdump: %s: %w", stage, err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
