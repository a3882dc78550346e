package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/audit"
	"github.com/ambiti/ambiti/internal/auth"
	"github.com/ambiti/ambiti/internal/authz"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/devidp"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/pathway/pathwaydemo"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/policies"
)

// demoPathwaysFile is deploy/demo/pathways/<slug>.yaml: what to make and who acts.
type demoPathwaysFile struct {
	pathwaydemo.Spec `yaml:",inline"`
	Coordinator      string       `yaml:"coordinator"` // usernames of deploy/dev/idp.yaml
	Health           string       `yaml:"health"`
	Workers          []demoWorker `yaml:"workers"`
	Partners         []string     `yaml:"partners"` // cooperatives' users, who answer referrals
}

// demoWorker is a link worker: a user of the development provider (no name: it is there), or
// a demo-only one, who exists as an assignee and cannot log in.
type demoWorker struct {
	Username string `yaml:"username"`
	Name     string `yaml:"name"`
}

// demoOnlyIssuer is the issuer of the demo-only identities: no provider answers for it.
const demoOnlyIssuer = "urn:ambiti:demo"

// demoPathways makes each district's demo pathways, when it has a file, as the people of the
// development provider: so it needs that provider's issuer (their identities are the ones
// they log in with) and the master key. Without either it says so and does nothing.
func demoPathways(ctx context.Context, c config, d *db.DB, tenants []tenancy.Tenant, dir string, stdout io.Writer) error {
	if c.DevIssuer == "" {
		fmt.Fprintln(stdout, "percorsi demo: saltati, manca il provider di sviluppo (AMBITI_DEV_IDP_ISSUER) / demo pathways skipped: no development provider")
		return nil
	}
	keys, err := c.keys()
	if errors.Is(err, keyring.ErrNoMaster) {
		fmt.Fprintln(stdout, "percorsi demo: saltati, manca la chiave master (AMBITI_MASTER_KEY) / demo pathways skipped: no master key")
		return nil
	}
	if err != nil {
		return err
	}
	// The development provider's users are beside the demo data (deploy/dev/idp.yaml).
	idp, err := devidp.LoadConfig(filepath.Join(c.DemoDir, "..", "dev", "idp.yaml"))
	if err != nil {
		return fmt.Errorf("demo load: %w", err)
	}
	az, err := authz.New(ctx, d, policies.Model, policies.Policy, nil)
	if err != nil {
		return err
	}
	people := auth.New(d, az, auth.Config{})
	svc, err := pathway.NewService(tenancy.NewScope(d).Audited(audit.Writer{}), keys, nil)
	if err != nil {
		return err
	}
	// No facts refresh on each of the demo's thousand writes: one rebuild per district after.
	svc.WithStaff(linkWorkers{people: people, authz: az})
	facts := factsStore(d, keys)
	for _, t := range tenants {
		f, err := readDemoPathways(filepath.Join(dir, t.Slug+".yaml"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("demo load: %w", err)
		}
		cast, err := demoCast(ctx, c, people, az, idp, t, f)
		if err != nil {
			return fmt.Errorf("demo load: %s: %w", t.Slug, err)
		}
		rep, err := pathwaydemo.Load(tenancy.WithTenant(ctx, t), svc, cast, f.Spec, svc.Today())
		if err != nil {
			return fmt.Errorf("demo load: %s: %w", t.Slug, err)
		}
		if rep.Pathways > 0 {
			if err := facts.Rebuild(ctx, []tenancy.Tenant{t}); err != nil {
				return fmt.Errorf("demo load: %s: %w", t.Slug, err)
			}
		}
		fmt.Fprintf(stdout, "%-14s percorsi: %d creati\n", t.Slug, rep.Pathways)
	}
	return nil
}

func readDemoPathways(file string) (demoPathwaysFile, error) {
	var f demoPathwaysFile
	b, err := os.ReadFile(file)
	if err != nil {
		return f, err
	}
	return f, yaml.Unmarshal(b, &f)
}

// demoCast enrols the file's people in the district (as their first login would) and returns
// them as actors whose permissions Casbin answers.
func demoCast(ctx context.Context, c config, people *auth.Service, az *authz.Authorizer, idp devidp.Config, t tenancy.Tenant, f demoPathwaysFile) (pathwaydemo.Cast, error) {
	enrol := func(username, name, role string) (actor.Actor, error) {
		e := auth.Enrolment{Issuer: demoOnlyIssuer, Subject: username, Username: username, Name: name,
			Domain: t.Slug, Roles: []string{role}}
		if name == "" { // a user of the development provider
			u, ok := idp.User(username)
			if !ok {
				return actor.Actor{}, fmt.Errorf("%s is not a user of deploy/dev/idp.yaml", username)
			}
			e.Issuer, e.Subject, e.Name, e.Email, e.Organisation = c.DevIssuer, devidp.Subject(username), u.Name, u.Email, u.Organisation
		}
		id, err := people.Enrol(ctx, e)
		if err != nil {
			return actor.Actor{}, err
		}
		if err := az.Reload(); err != nil {
			return actor.Actor{}, err
		}
		can := func(object, action string) bool { ok, _ := az.Allowed(id, t.Slug, object, action); return ok }
		return actor.New(id, e.Name, e.Organisation, t.Slug, az.Roles(id, t.Slug), nil, can), nil
	}
	var cast pathwaydemo.Cast
	var err error
	if cast.Coordinator, err = enrol(f.Coordinator, "", "coordinatore"); err != nil {
		return cast, err
	}
	if cast.Health, err = enrol(f.Health, "", "asst"); err != nil {
		return cast, err
	}
	for _, w := range f.Workers {
		a, err := enrol(w.Username, w.Name, "link_worker")
		if err != nil {
			return cast, err
		}
		cast.Workers = append(cast.Workers, a)
	}
	for _, u := range f.Partners {
		a, err := enrol(u, "", "coop")
		if err != nil {
			return cast, err
		}
		cast.Partners = append(cast.Partners, a)
	}
	return cast, nil
}
