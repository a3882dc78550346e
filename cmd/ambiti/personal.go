package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/audit"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// auditVerify checks the hash chain of every district's audit trail (or of one, --district):
// a line per district, and a failure when any chain is broken. Run it daily and keep its
// output outside the database: the head hashes it prints anchor the chain.
func auditVerify(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	district, args, err := takeFlag(args, "district")
	if err != nil {
		return err
	}
	c, err := parseConfig("audit verify", args, getenv, stderr)
	if err != nil {
		return err
	}
	return withTenants(ctx, c, func(d *db.DB, tenants []tenancy.Tenant) error {
		tenants, err := onlyDistrict(tenants, district, "audit verify")
		if err != nil {
			return err
		}
		scope, job := tenancy.NewScope(d), actor.System("audit-verify")
		var broken []string
		for _, t := range tenants {
			r, err := audit.Verify(ctx, scope, t, job)
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, r)
			if r.Break != nil {
				broken = append(broken, fmt.Sprintf("%s (seq %d)", t.Slug, r.Break.Seq))
			}
		}
		if len(broken) > 0 {
			return fmt.Errorf("audit verify: registro degli accessi manomesso / audit trail tampered with: %s", strings.Join(broken, ", "))
		}
		return nil
	})
}

// keysRotate rewraps every district's key with the new master key (AMBITI_MASTER_KEY) in place
// of the old one (AMBITI_MASTER_KEY_PREVIOUS). Run again after a failure: done districts are
// skipped. Keep the old key until it reports every district rotated or already done.
func keysRotate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseConfig("keys rotate", args, getenv, stderr)
	if err != nil {
		return err
	}
	to, previous, err := c.masters()
	if err != nil {
		return err
	}
	if len(previous) == 0 {
		return usageError{"keys rotate: set the old master key in AMBITI_MASTER_KEY_PREVIOUS (or _FILE) and the new one in AMBITI_MASTER_KEY (or _FILE)"}
	}
	return withTenants(ctx, c, func(d *db.DB, tenants []tenancy.Tenant) error {
		results, err := keyring.Rotate(ctx, tenancy.NewScope(d), tenants, previous[0], to)
		for _, r := range results {
			if r.Err != nil {
				fmt.Fprintf(stdout, "%s: ERRORE / ERROR %v\n", r.District, r.Err)
				continue
			}
			fmt.Fprintf(stdout, "%s: %s\n", r.District, r.Outcome)
		}
		if err != nil {
			return fmt.Errorf("keys rotate: keep the old key and run again: %w", err)
		}
		fmt.Fprintf(stdout, "master key %s → %s: every district done; the old key may be retired\n", previous[0].ID(), to.ID())
		return nil
	})
}

// takeFlag removes a command's own string flag (-name v, --name v, --name=v) from args, so
// that parseConfig sees only the shared ones.
func takeFlag(args []string, name string) (string, []string, error) {
	var value string
	rest := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		flag := strings.TrimLeft(a, "-")
		switch {
		case a == flag: // not a flag
			rest = append(rest, a)
		case flag == name:
			if i+1 >= len(args) {
				return "", nil, usageError{"flag -" + name + " needs a value"}
			}
			value, i = args[i+1], i+1
		case strings.HasPrefix(flag, name+"="):
			value = strings.TrimPrefix(flag, name+"=")
		default:
			rest = append(rest, a)
		}
	}
	return value, rest, nil
}
