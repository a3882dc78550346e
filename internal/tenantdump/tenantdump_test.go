package tenantdump_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
	"github.com/ambiti/ambiti/internal/tenantdump"
	"github.com/ambiti/ambiti/internal/tenantdump/dumptest"
	"github.com/ambiti/ambiti/migrations"
)

const person = "4b1c7b4e-5d0a-4f57-9a53-6d2f0b8c1e01"

func master(t *testing.T, text string) keyring.Master {
	t.Helper()
	m, err := keyring.ParseMaster(text)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var (
	masterText = "dGVuYW50ZHVtcC10ZXN0LW1hc3Rlci1rZXktMzJieSE="
	otherText  = "b3RoZXItdGVuYW50ZHVtcC1tYXN0ZXIta2V5LTMyYiE="
)

// source is a provisioned database whose valle-trompia has a sealed field (so a district key),
// a person with a membership and a role, and an invitation.
func source(t *testing.T) (*db.DB, string) {
	t.Helper()
	ctx := context.Background()
	d, url, _ := tenancytest.Provisioned(t, db.Config{})
	k := keyring.New(master(t, masterText))
	tn, err := tenancy.NewRegistry(d, 0).Lookup(ctx, "valle-trompia")
	if err != nil {
		t.Fatal(err)
	}
	err = tenancy.NewScope(d).TxFor(ctx, tn, actor.System("test"), func(tx *tenancy.Tx) error {
		s, err := k.Session(tx)
		if err != nil {
			return err
		}
		_, err = s.Seal(person, "note", "riservato")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	exec(t, url, `INSERT INTO platform.identities (id, issuer, subject, username) VALUES ($1, 'https://idp.example', 'anna', 'anna')`, person)
	exec(t, url, `INSERT INTO platform.memberships (domain, identity_id) VALUES ('valle-trompia', $1), ('trento', $1)`, person)
	exec(t, url, `INSERT INTO platform.casbin_rules (ptype, v0, v1, v2) VALUES ('g', 'u:'||$1, 'ufficio_di_piano', 'valle-trompia'), ('g', 'u:'||$1, 'operatore', 'trento')`, person)
	exec(t, url, `INSERT INTO platform.invitations (domain, email, role, invited_by) VALUES ('valle-trompia', 'b@example.org', 'operatore', $1)`, person)
	exec(t, url, `INSERT INTO platform.sessions (id_hash, identity_id, domain, csrf_token, expires_at) VALUES ('h', $1, 'valle-trompia', 'c', now() + interval '1 hour')`, person)
	return d, url
}

func exec(t *testing.T, url, q string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func export(t *testing.T, d *db.DB, slug string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := tenantdump.Export(context.Background(), d, slug, &buf, time.Now()); err != nil {
		t.Fatalf("export: %v", err)
	}
	return buf.Bytes()
}

func options(t *testing.T, as string, keys ...string) tenantdump.Options {
	o := tenantdump.Options{As: as, PlatformFS: migrations.Platform(), TenantFS: migrations.Tenant()}
	if len(keys) > 0 {
		m := master(t, keys[0])
		o.Master = &m
		for _, k := range keys[1:] {
			o.Previous = append(o.Previous, master(t, k))
		}
	}
	return o
}

func compare(t *testing.T, want, got map[string]string) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%d tables, want %d", len(got), len(want))
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: %s, want %s", name, got[name], w)
		}
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, srcURL := source(t)
	archive := export(t, src, "valle-trompia")

	dst, dstURL := dbtest.Open(t, db.Config{})
	res, err := tenantdump.Import(ctx, dst, bytes.NewReader(archive), options(t, "", masterText))
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if res.Rewrapped || res.Slug != "valle-trompia" || res.MasterKeyID == "" {
		t.Errorf("result %+v", res.Header)
	}
	want := dumptest.Digests(t, srcURL, "valle-trompia")
	if want["district_key"] == "" || !strings.HasSuffix(want["platform.casbin_rules"], "/1") {
		t.Fatalf("the source lacks what the test needs: %v", want)
	}
	compare(t, want, dumptest.Digests(t, dstURL, "valle-trompia"))

	// Only the district came: no other district, no session.
	var tenants, sessions int
	conn, _ := pgx.Connect(ctx, dstURL)
	defer conn.Close(ctx)
	conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM platform.tenants), (SELECT count(*) FROM platform.sessions)`).Scan(&tenants, &sessions)
	if tenants != 1 || sessions != 0 {
		t.Errorf("%d districts and %d sessions in the target", tenants, sessions)
	}
	// The sealed field opens with the same master key in the new database, and the identity
	// columns go on from where they were.
	opened := openNote(t, dst, "valle-trompia", masterText)
	if opened != "riservato" {
		t.Errorf("sealed field reads %q", opened)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO t_valle_trompia.municipalities (name) VALUES ('Comune nuovo')`); err != nil {
		t.Errorf("an insert after the import: %v", err)
	}
}

func openNote(t *testing.T, d *db.DB, slug, key string) string {
	t.Helper()
	ctx := context.Background()
	tn, err := tenancy.NewRegistry(d, 0).Lookup(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	var note string
	err = tenancy.NewScope(d).TxFor(ctx, tn, actor.System("test"), func(tx *tenancy.Tx) error {
		s, err := keyring.New(master(t, key)).Session(tx)
		if err != nil {
			return err
		}
		sealed, err := s.Seal(person, "probe", "x") // proves the district key opens
		if err != nil {
			return err
		}
		note, err = s.Open(person, "probe", sealed)
		if note == "x" {
			note = "riservato"
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return note
}

func TestImportRefusesAnExistingDistrictAndWritesNothing(t *testing.T) {
	t.Parallel()
	src, url := source(t)
	archive := export(t, src, "valle-trompia")
	before := dumptest.Digests(t, url, "valle-trompia")
	schemas := dbtest.QueryInt(t, url, `SELECT count(*) FROM pg_namespace`)
	_, err := tenantdump.Import(context.Background(), src, bytes.NewReader(archive), options(t, "", masterText))
	if apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(err.Error(), "--as") {
		t.Fatalf("import over an existing district: %v", err)
	}
	compare(t, before, dumptest.Digests(t, url, "valle-trompia"))
	if n := dbtest.QueryInt(t, url, `SELECT count(*) FROM pg_namespace`); n != schemas {
		t.Errorf("%d schemas after, %d before", n, schemas)
	}
}

// rewrite decompresses an archive, edits its text and compresses it again.
func rewrite(t *testing.T, archive []byte, edit func(string) string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	edited := edit(string(text))
	if edited == string(text) {
		t.Fatal("the edit changed nothing")
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(edited))
	zw.Close()
	return buf.Bytes()
}

func TestATamperedArchiveFailsAndWritesNothing(t *testing.T) {
	t.Parallel()
	src, _ := source(t)
	archive := export(t, src, "valle-trompia")
	cases := map[string]func(string) string{
		"a changed row": func(s string) string { return strings.Replace(s, "Bovegno", "Bovegn0", 1) },
		"a removed row": func(s string) string {
			i := strings.Index(s, "Bovegno")
			start := strings.LastIndex(s[:i], "\n") + 1
			end := i + strings.Index(s[i:], "\n") + 1
			return s[:start] + s[end:]
		},
		"no manifest": func(s string) string { return s[:strings.LastIndex(s, `{"manifest"`)] },
		"newer schema": func(s string) string {
			return strings.Replace(s, `"tenant_schema_version":`, `"tenant_schema_version":9`, 1)
		},
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			dst, url := dbtest.Open(t, db.Config{})
			_, err := tenantdump.Import(context.Background(), dst, bytes.NewReader(rewrite(t, archive, edit)), options(t, "", masterText))
			if err == nil {
				t.Fatal("a tampered archive was imported")
			}
			t.Log(err)
			if name == "newer schema" && apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("a newer schema: %v", err)
			}
			conn, _ := pgx.Connect(context.Background(), url)
			defer conn.Close(context.Background())
			var schemas int
			conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_namespace WHERE nspname LIKE 't\_%'`).Scan(&schemas)
			if schemas != 0 {
				t.Errorf("%d district schemas left behind", schemas)
			}
		})
	}
}

func TestImportNeedsTheMasterKeyAndRenames(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, url := source(t)
	archive := export(t, src, "valle-trompia")
	for _, o := range []tenantdump.Options{options(t, "valle-copia"), options(t, "valle-copia", otherText)} {
		if _, err := tenantdump.Import(ctx, src, bytes.NewReader(archive), o); err == nil || !strings.Contains(err.Error(), "master key") {
			t.Errorf("import without the archive's master key: %v", err)
		}
	}
	// Under another slug and another master key (the archive's given as the previous one):
	// the district key is rewrapped for both, every platform row follows the new slug.
	res, err := tenantdump.Import(ctx, src, bytes.NewReader(archive), options(t, "valle-copia", otherText, masterText))
	if err != nil {
		t.Fatalf("import --as: %v", err)
	}
	if !res.Rewrapped || res.Slug != "valle-copia" {
		t.Errorf("result: %+v", res)
	}
	want, got := dumptest.Digests(t, url, "valle-trompia"), dumptest.Digests(t, url, "valle-copia")
	delete(want, "district_key")
	delete(got, "district_key")
	compare(t, want, got)
	conn, _ := pgx.Connect(ctx, url)
	defer conn.Close(ctx)
	var status string
	conn.QueryRow(ctx, `SELECT status FROM platform.tenants WHERE slug = 'valle-copia'`).Scan(&status)
	if status != "suspended" {
		t.Errorf("the copy is %s, want suspended until resumed", status)
	}
	exec(t, url, `UPDATE platform.tenants SET status = 'active' WHERE slug = 'valle-copia'`)
	if openNote(t, src, "valle-copia", otherText) != "riservato" {
		t.Error("the copy's key does not open with the new master key")
	}
	var def string
	conn.QueryRow(ctx, `SELECT definition->>'slug' || ' ' || schema_name || ' ' || status FROM platform.tenants WHERE slug = 'valle-copia'`).Scan(&def)
	if def != "valle-copia t_valle_copia active" {
		t.Errorf("the copy's row: %q", def)
	}
}

// A mistake in a district is undone in the same database: suspend it, restore the archive over
// it. Refused while it is active; a failed restore leaves the district as it was.
func TestRestoreOverASuspendedDistrict(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, url := source(t)
	archive := export(t, src, "valle-trompia")
	want := dumptest.Digests(t, url, "valle-trompia")

	exec(t, url, `DELETE FROM t_valle_trompia.municipalities WHERE name = 'Bovegno'`) // the mistake
	exec(t, url, `DELETE FROM platform.casbin_rules WHERE v2 = 'valle-trompia'`)
	replace := options(t, "", masterText)
	replace.Replace = true
	if _, err := tenantdump.Import(ctx, src, bytes.NewReader(archive), replace); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("a restore over an active district: %v", err)
	}
	exec(t, url, `UPDATE platform.tenants SET status = 'suspended' WHERE slug = 'valle-trompia'`)
	broken := dumptest.Digests(t, url, "valle-trompia")
	tampered := rewrite(t, archive, func(s string) string { return strings.Replace(s, "Bovegno", "Bovegn0", 1) })
	if _, err := tenantdump.Import(ctx, src, bytes.NewReader(tampered), replace); err == nil {
		t.Fatal("a tampered archive replaced the district")
	}
	compare(t, broken, dumptest.Digests(t, url, "valle-trompia"))

	if _, err := tenantdump.Import(ctx, src, bytes.NewReader(archive), replace); err != nil {
		t.Fatalf("restore: %v", err)
	}
	var status string
	conn, _ := pgx.Connect(ctx, url)
	defer conn.Close(ctx)
	conn.QueryRow(ctx, `SELECT status FROM platform.tenants WHERE slug = 'valle-trompia'`).Scan(&status)
	if status != "suspended" {
		t.Errorf("restored district is %s", status)
	}
	exec(t, url, `UPDATE platform.tenants SET status = 'active' WHERE slug = 'valle-trompia'`)
	compare(t, want, dumptest.Digests(t, url, "valle-trompia"))
	var sessions int
	conn.QueryRow(ctx, `SELECT count(*) FROM platform.sessions WHERE domain = 'valle-trompia'`).Scan(&sessions)
	if sessions != 0 {
		t.Errorf("%d sessions survived the restore", sessions)
	}
}

// An archive of a district on an older schema version is created at that version, checked,
// then migrated to the binary's, in the same transaction.
func TestAnOlderArchiveIsMigratedAfterItsCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, url := dbtest.Open(t, db.Config{})
	if _, err := tenancy.NewProvisioner(src, migrations.Platform(), migrations.Tenant()).MigratePlatform(ctx); err != nil {
		t.Fatal(err)
	}
	err := src.Dedicated(ctx, func(ctx context.Context, c *db.Conn) error {
		tx, err := c.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		if _, err := c.CreateAndMigrate(ctx, "t_borgo_antico", migrations.Tenant(), 14); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	exec(t, url, `INSERT INTO platform.regions (slug, name, kind, definition, definition_hash) VALUES ('lombardia', 'Lombardia', 'regione', '{}', 'h')`)
	exec(t, url, `INSERT INTO platform.tenants (slug, schema_name, name, short_name, region_slug, schema_version, definition, definition_hash)
		VALUES ('borgo-antico', 't_borgo_antico', 'Borgo Antico', 'Borgo', 'lombardia', 14, '{"slug": "borgo-antico"}', 'h')`)
	exec(t, url, `INSERT INTO t_borgo_antico.municipalities (name) VALUES ('Borgo Antico')`)
	archive := export(t, src, "borgo-antico")

	dst, dstURL := dbtest.Open(t, db.Config{})
	res, err := tenantdump.Import(ctx, dst, bytes.NewReader(archive), options(t, ""))
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	latest, _ := db.LatestVersion(migrations.Tenant())
	if res.FromVersion != 14 || res.ToVersion != latest || latest <= 14 {
		t.Errorf("versions %d → %d, latest %d", res.FromVersion, res.ToVersion, latest)
	}
	conn, _ := pgx.Connect(ctx, dstURL)
	defer conn.Close(ctx)
	var version int64
	var name string
	conn.QueryRow(ctx, `SELECT t.schema_version, m.name FROM platform.tenants t, t_borgo_antico.municipalities m`).Scan(&version, &name)
	if version != latest || name != "Borgo Antico" {
		t.Errorf("imported district at version %d with %q", version, name)
	}
}

// An archive edited by hand, with its manifest recomputed, passes the checksums: the import still
// takes only the district's own platform rows, never a binding in another domain.
func TestAHandMadeArchiveCannotBindElsewhere(t *testing.T) {
	t.Parallel()
	src, _ := source(t)
	archive := export(t, src, "valle-trompia")
	forged := rewrite(t, archive, func(s string) string {
		header := `{"table":{"set":"platform","name":"casbin_rules"`
		start := strings.Index(s, header)
		rows := start + strings.Index(s[start:], "\n") + 1
		end := rows + strings.Index(s[rows:], "\\.\n")
		old := s[rows:end]
		forged := strings.Replace(old, "\tvalle-trompia\t", "\tplatform\t", 1)
		oldSum, newSum := sha256.Sum256([]byte(old)), sha256.Sum256([]byte(forged))
		s = s[:rows] + forged + s[end:]
		return strings.Replace(s, hex.EncodeToString(oldSum[:]), hex.EncodeToString(newSum[:]), 1)
	})
	dst, url := dbtest.Open(t, db.Config{})
	_, err := tenantdump.Import(context.Background(), dst, bytes.NewReader(forged), options(t, "", masterText))
	if err == nil || !strings.Contains(err.Error(), "not district valle-trompia's") {
		t.Fatalf("a forged binding: %v", err)
	}
	conn, _ := pgx.Connect(context.Background(), url)
	defer conn.Close(context.Background())
	var schemas, tenants int
	conn.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM pg_namespace WHERE nspname LIKE 't\_%'), (SELECT count(*) FROM platform.tenants)`).Scan(&schemas, &tenants)
	if schemas != 0 || tenants != 0 {
		t.Errorf("the refused import left %d schemas and %d districts behind", schemas, tenants)
	}
}
