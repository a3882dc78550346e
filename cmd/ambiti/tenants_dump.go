package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/tenantdump"
	"github.com/ambiti/ambiti/migrations"
)

// tenantsExport writes one district's archive (internal/tenantdump) to --out, or to standard
// output without it (to pipe it elsewhere); the report then goes to standard error.
func tenantsExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError{"tenants export: name the district, e.g. ambiti tenants export valle-trompia --out valle-trompia.ambiti.gz"}
	}
	slug := args[0]
	out, rest, err := takeFlag(args[1:], "out")
	if err != nil {
		return err
	}
	c, err := parseConfig("tenants export", rest, getenv, stderr)
	if err != nil {
		return err
	}
	return withDB(ctx, c, func(d *db.DB) error {
		start := time.Now()
		var m tenantdump.Manifest
		report := stdout
		if out == "" || out == "-" {
			report = stderr
			m, err = tenantdump.Export(ctx, d, slug, stdout, start)
		} else {
			m, err = exportFile(ctx, d, slug, out, start)
		}
		if err != nil {
			return fmt.Errorf("tenants export: %w", err)
		}
		var rows int64
		for _, t := range m.Tables {
			rows += t.Rows
		}
		fmt.Fprintf(report, "%s: %d tabelle, %d righe, schema %d, esportato in / exported in %s\n",
			slug, len(m.Tables), rows, m.TenantVersion, time.Since(start).Round(time.Millisecond))
		if m.MasterKeyID != "" {
			fmt.Fprintf(report, "la chiave del distretto è cifrata con la chiave master %s: serve per importarlo / "+
				"the district key is wrapped by master key %s: the import needs it\n", m.MasterKeyID, m.MasterKeyID)
		}
		return nil
	})
}

// exportFile writes the archive beside file and renames it into place once complete, so a
// failed export never leaves something that looks like an archive.
func exportFile(ctx context.Context, d *db.DB, slug, file string, now time.Time) (tenantdump.Manifest, error) {
	f, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*")
	if err != nil {
		return tenantdump.Manifest{}, err
	}
	defer os.Remove(f.Name())
	m, err := tenantdump.Export(ctx, d, slug, f, now)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), file)
	}
	return m, err
}

// tenantsImport creates a district from an archive ("-" reads standard input), or with
// --replace restores it over the same, suspended district.
func tenantsImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (strings.HasPrefix(args[0], "-") && args[0] != "-") {
		return usageError{"tenants import: name the archive, e.g. ambiti tenants import valle-trompia.ambiti.gz [--as SLUG]"}
	}
	file := args[0]
	as, rest, err := takeFlag(args[1:], "as")
	if err != nil {
		return err
	}
	replace, rest := takeSwitch(rest, "replace")
	c, err := parseConfig("tenants import", rest, getenv, stderr)
	if err != nil {
		return err
	}
	opt := tenantdump.Options{As: as, Replace: replace, PlatformFS: migrations.Platform(), TenantFS: migrations.Tenant()}
	current, previous, err := c.masters()
	switch {
	case err == nil:
		opt.Master, opt.Previous = &current, previous
	case !errors.Is(err, keyring.ErrNoMaster):
		return err
	}
	in := io.Reader(os.Stdin)
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return fmt.Errorf("tenants import: %w", err)
		}
		defer f.Close()
		in = f
	}
	return withDB(ctx, c, func(d *db.DB) error {
		start := time.Now()
		res, err := tenantdump.Import(ctx, d, in, opt)
		if err != nil {
			return fmt.Errorf("tenants import: nothing imported: %w", err)
		}
		var rows int64
		for _, t := range res.Tables {
			rows += t.Rows
		}
		fmt.Fprintf(stdout, "%s: %d tabelle, %d righe verificate (SHA-256), schema %d → %d, importato in / imported in %s\n",
			res.Slug, len(res.Tables), rows, res.FromVersion, res.ToVersion, time.Since(start).Round(time.Millisecond))
		if replace {
			fmt.Fprintf(stdout, "%s: ripristinato e ancora sospeso: controllarlo, poi ambiti tenants resume %s / restored and still suspended: check it, then resume it\n", res.Slug, res.Slug)
		}
		if res.Rewrapped {
			fmt.Fprintf(stdout, "la chiave del distretto è ora cifrata con la chiave master corrente / the district key is now wrapped by the current master key\n")
		}
		return nil
	})
}

// takeSwitch removes the boolean flag --name (or -name) from args and says whether it was there.
func takeSwitch(args []string, name string) (bool, []string) {
	var on bool
	rest := make([]string, 0, len(args))
	for _, a := range args {
		if f := strings.TrimLeft(a, "-"); f != a && f == name {
			on = true
			continue
		}
		rest = append(rest, a)
	}
	return on, rest
}
