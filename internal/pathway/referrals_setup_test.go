package pathway_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// refDistrict is a fresh database with the service on Valle Trompia (its clock at now, which
// a test moves), the case roles, the DPO and the users of two partner organisations, and a
// directory of three organisations: Alfa and Beta with users here (partner codes), Gamma without.
type refDistrict struct {
	*room
	base               *roomBase
	now                time.Time
	alfa, beta, noOrg  actor.Actor // coop users: of Alfa, of Beta, of no organisation
	alfaOrg, gammaOrg  string      // organisation ids
	alfaSvc, betaSvc   string      // published services
	gammaSvc, draftSvc string      // Gamma's published service, and an unpublished one of Alfa
}

const (
	refAlfaCode = "coop-alfa"
	refBetaCode = "coop-beta"
)

func refNew(t *testing.T) *refDistrict {
	t.Helper()
	x := &refDistrict{now: time.Now()}
	b := newRoomBase(t, func() time.Time { return x.now })
	x.base = b
	b.svc.WithFacts(facts.NewStore(b.db, pathway.FactsSection(b.keys))) // refreshed by every step, a partner's included
	r := b.room(t)
	x.room = r
	x.alfa = x.coopOf(t, "coop-a", "Anna Alfa", refAlfaCode)
	x.beta = x.coopOf(t, "coop-b", "Bruno Beta", refBetaCode)
	x.noOrg = x.coopOf(t, "coop-x", "Senza Organizzazione", "")
	x.alfaOrg, x.gammaOrg = uuid.NewString(), uuid.NewString()
	betaOrg := uuid.NewString()
	x.alfaSvc, x.betaSvc, x.gammaSvc, x.draftSvc = uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString()
	r.sql(t, func(g *gorm.DB) error {
		for _, o := range []struct{ id, name, code string }{
			{x.alfaOrg, "Cooperativa Alfa", refAlfaCode}, {betaOrg, "Associazione Beta", refBetaCode}, {x.gammaOrg, "Oratorio Gamma", ""},
		} {
			if err := g.Exec(`INSERT INTO organizations (id, name, partner_code) VALUES (?, ?, NULLIF(?, ''))`, o.id, o.name, o.code).Error; err != nil {
				return err
			}
		}
		for _, s := range []struct {
			id, org, name string
			published     bool
		}{
			{x.alfaSvc, x.alfaOrg, "Laboratorio di falegnameria", true}, {x.betaSvc, betaOrg, "Corso di italiano", true},
			{x.gammaSvc, x.gammaOrg, "Calcio giovanile", true}, {x.draftSvc, x.alfaOrg, "Servizio in bozza", false},
		} {
			if err := g.Exec(`INSERT INTO services (id, organization_id, name, status, published) VALUES (?, ?, ?, 'active', ?)`,
				s.id, s.org, s.name, s.published).Error; err != nil {
				return err
			}
		}
		return nil
	})
	return x
}

// coopOf is a partner's user of organisation code, as the request chain would make them.
func (x *refDistrict) coopOf(t *testing.T, id, name, code string) actor.Actor {
	t.Helper()
	b := x.base
	if err := b.az.Grant(context.Background(), id, "coop", roomDistrict, ""); err != nil {
		t.Fatal(err)
	}
	can := func(object, action string) bool {
		ok, err := b.az.Allowed(id, roomDistrict, object, action)
		return err == nil && ok
	}
	return actor.New(id, name, code, roomDistrict, b.az.Roles(id, roomDistrict), nil, can)
}

// share records the person's consent to share with party.
func (x *refDistrict) share(t *testing.T, a actor.Actor, personID, party string, given bool) {
	t.Helper()
	_, err := x.svc.RecordConsent(x.ctx, a, personID, pathway.ConsentInput{Purpose: pathway.PurposeSharing, Party: party,
		Given: given, NoticeVersion: "2026-01"})
	roomNoError(t, err)
}

// referral is a good referral to service, sharing the defaults and the phone.
func referral(service string) pathway.ReferralInput {
	return pathway.ReferralInput{ServiceID: service, Urgency: "ordinaria",
		Reason: "Cerca un'attività manuale dopo l'abbandono scolastico",
		Shared: []string{"nome", "fascia_eta", "motivo", "contatto"}, ContactPreference: "telefono", Contact: "+39 333 111 2222"}
}

// audits counts the district's audit rows of what and action.
func (x *refDistrict) audits(t *testing.T, what, action string) int64 {
	t.Helper()
	return x.count(t, "audit_log", "what = ? AND action = ?", what, action)
}

// tenantTx runs fn as the system in the district (for direct checks).
func (x *refDistrict) tenantTx(t *testing.T, fn func(tx *tenancy.Tx) error) {
	t.Helper()
	if err := x.base.scope.TxFor(x.ctx, x.base.tenant, actor.System("ref-test"), fn); err != nil {
		t.Fatal(err)
	}
}
