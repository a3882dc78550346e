package pathwaydemo

import (
	"context"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/pathway"
)

// referral sends one pathway in three, from the activities' stage on, to a service of a
// cooperative whose users log in (cast.Partners), after recording the person's consent to
// share with it; the cooperative has accepted it once the pathway is in follow-up, and reported
// how it went once the pathway closed. So each partner's inbox holds referrals in every state.
// Referrals are dated when the demo loads (their steps take the service's clock), and the
// pilot's past pathways get none: they would count in this year's figures.
func (g *gen) referral(ctx context.Context, i, k int, worker actor.Actor, p pathway.Pathway) error {
	if i%3 != 1 || i >= g.spec.People || len(g.cast.Partners) == 0 {
		return nil
	}
	if g.services == nil {
		all, err := g.svc.ReferralServices(ctx, worker)
		if err != nil {
			return err
		}
		g.services = map[string][]pathway.DirectoryService{}
		for _, s := range all {
			if s.PartnerCode != "" {
				g.services[s.PartnerCode] = append(g.services[s.PartnerCode], s)
			}
		}
	}
	partner := g.cast.Partners[i%len(g.cast.Partners)]
	services := g.services[partner.Organisation]
	if len(services) == 0 {
		return nil
	}
	svc := services[(i/len(g.cast.Partners))%len(services)]
	if _, err := g.svc.RecordConsent(ctx, worker, p.PersonID, pathway.ConsentInput{Purpose: pathway.PurposeSharing,
		Party: partner.Organisation, Given: true, NoticeVersion: g.spec.NoticeVersion}); err != nil {
		return err
	}
	r, err := g.svc.SendReferral(ctx, worker, p.ID, pathway.ReferralInput{ServiceID: svc.ID, Urgency: "ordinaria",
		Reason:            "Vorrebbe un'attività con altri ragazzi, vicino a casa: ne abbiamo parlato al colloquio.",
		Shared:            []string{"nome", "fascia_eta", "motivo"},
		ContactPreference: "tramite_link_worker"})
	if err != nil || k < 5 {
		return err
	}
	if r, err = g.svc.AcceptReferral(ctx, partner, r.ID, pathway.ReferralStepInput{Version: r.Version}); err != nil || k < 6 {
		return err
	}
	_, err = g.svc.ConcludeReferral(ctx, partner, r.ID, pathway.ReferralStepInput{Version: r.Version,
		Outcome: []string{"ha_concluso", "partecipa", "abbandonato"}[i%3]})
	return err
}
