package main

import (
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/pathway"
)

// referralFixture is a referral of the fixture's COPE pathway to a published service of the
// district's directory (an organisation written here) (with the person's consent to share with its organisation), and
// an urgent override the coordinator granted for the same person.
type referralFixture struct {
	referral, override string
}

func newReferralFixture(t *testing.T, e *env, f pathwayFixture) referralFixture {
	t.Helper()
	ctx, conn, schema := e.districtConn(t, f.slug)
	// The directory's search trigger names its functions unqualified, as in the district's schema.
	if _, err := conn.Exec(ctx, `SELECT set_config('search_path', $1, false)`, schema); err != nil {
		t.Fatal(err)
	}
	org, service, party := "7d1f7a3e-0000-4000-8000-000000000001", "7d1f7a3e-0000-4000-8000-000000000002", "prova-invii"
	if _, err := conn.Exec(ctx, `INSERT INTO `+pgx.Identifier{schema, "organizations"}.Sanitize()+
		` (id, name, partner_code) VALUES ($1, 'Cooperativa di prova', $2)`, org, party); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO `+pgx.Identifier{schema, "services"}.Sanitize()+
		` (id, organization_id, name, status, published) VALUES ($1, $2, 'Laboratorio di prova', 'active', true)`, service, org); err != nil {
		t.Fatal(err)
	}
	const v = "/api/v1"
	f.lw.ok("POST", v+"/persons/"+f.person+"/consents", map[string]any{"purpose": "condivisione", "party": party,
		"given": true, "notice_version": "2026-01"}, nil)
	var r pathway.Referral
	f.lw.ok("POST", v+"/pathways/"+f.cope+"/referrals", map[string]any{"service_id": service, "reason": "Laboratorio",
		"contact_preference": "tramite_link_worker"}, &r)
	var o pathway.Override
	f.coord.ok("POST", v+"/persons/"+f.person+"/consent-overrides", map[string]any{"party": party,
		"reason": "Rischio immediato per la persona"}, &o)
	return referralFixture{referral: r.ID, override: o.ID}
}
