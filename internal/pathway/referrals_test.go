package pathway_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/pathway"
)

// Without the person's consent to share with the organisation a referral is refused (409,
// field consent, naming the organisation); with it, it is sent, with its first step and a line
// of the pathway's history; bad input is Invalid naming the field and writes nothing.
func TestReferralNeedsConsent(t *testing.T) {
	x := refNew(t)
	p := x.openCOPE(t, x.lw1, "Giulia", "Rossi", "")
	_, err := x.svc.SendReferral(x.ctx, x.lw1, p.ID, referral(x.alfaSvc))
	e := roomWantCode(t, err, apperr.Conflict, "consent", "Cooperativa Alfa")
	if !strings.Contains(e.Message, "manca il consenso della persona alla condivisione con Cooperativa Alfa") {
		t.Errorf("message %q", e.Message)
	}
	// A consent to another organisation does not count; a withdrawn one neither.
	x.share(t, x.lw1, p.PersonID, refBetaCode, true)
	x.share(t, x.lw1, p.PersonID, refAlfaCode, true)
	x.share(t, x.lw1, p.PersonID, refAlfaCode, false)
	_, err = x.svc.SendReferral(x.ctx, x.lw1, p.ID, referral(x.alfaSvc))
	roomWantCode(t, err, apperr.Conflict, "consent")

	before := x.count(t, "referrals", "TRUE")
	bad := func(field string, edit func(*pathway.ReferralInput)) {
		t.Helper()
		in := referral(x.betaSvc)
		edit(&in)
		_, err := x.svc.SendReferral(x.ctx, x.lw1, p.ID, in)
		roomWantCode(t, err, apperr.Invalid, field)
	}
	bad("reason", func(in *pathway.ReferralInput) { in.Reason = "  " })
	bad("reason", func(in *pathway.ReferralInput) { in.Reason = strings.Repeat("a", 2001) })
	bad("urgency", func(in *pathway.ReferralInput) { in.Urgency = "subito" })
	bad("shared", func(in *pathway.ReferralInput) { in.Shared = []string{"cognome"} })
	bad("contact", func(in *pathway.ReferralInput) { in.Contact = "" })
	bad("contact", func(in *pathway.ReferralInput) { in.ContactPreference, in.Contact = "email", "non una mail" })
	bad("contact", func(in *pathway.ReferralInput) { in.Shared = nil })
	bad("contact_preference", func(in *pathway.ReferralInput) { in.ContactPreference = "piccione" })
	bad("service_id", func(in *pathway.ReferralInput) { in.ServiceID = "x" })
	bad("service_id", func(in *pathway.ReferralInput) { in.ServiceID = x.draftSvc })
	if after := x.count(t, "referrals", "TRUE"); after != before {
		t.Fatalf("refused referrals wrote rows: %d → %d", before, after)
	}

	// Consent to Beta: the referral goes, sharing by default everything but the contact.
	in := referral(x.betaSvc)
	in.Shared, in.Contact = nil, ""
	ref, err := x.svc.SendReferral(x.ctx, x.lw1, p.ID, in)
	roomNoError(t, err)
	if ref.Status != "inviato" || ref.OrganizationName != "Associazione Beta" || ref.PartnerCode != refBetaCode ||
		ref.ConsentParty != refBetaCode || ref.OverrideID != "" || len(ref.Steps) != 1 || ref.Steps[0].ByName != "Lucia Link" ||
		strings.Join(ref.Shared, ",") != "nome,fascia_eta,motivo" || ref.Reason != in.Reason {
		t.Fatalf("referral = %+v", ref)
	}
	if n := x.count(t, "pathway_events", "pathway_id = ? AND kind = 'referral' AND detail = ?", p.ID, "inviato "+ref.ID); n != 1 {
		t.Errorf("history lines of the referral: %d", n)
	}
	// The reason is sealed, never stored in clear.
	if n := x.count(t, "referrals", "id = ? AND position(convert_to(?, 'UTF8') in reason_enc) = 0", ref.ID, "abbandono"); n != 1 {
		t.Error("the reason is stored in clear")
	}
	// The sender sees it in the pathway's detail and list; another link worker does not.
	d, err := x.svc.Detail(x.ctx, x.lw1, p.ID)
	roomNoError(t, err)
	if len(d.Referrals) != 1 || d.Referrals[0].ID != ref.ID {
		t.Errorf("detail's referrals = %+v", d.Referrals)
	}
	_, err = x.svc.PathwayReferrals(x.ctx, x.lw2, p.ID)
	roomWantCode(t, err, apperr.NotFound, "")
	// Neither health staff nor the Ufficio di Piano refer.
	_, err = x.svc.SendReferral(x.ctx, x.asst, p.ID, referral(x.betaSvc))
	roomWantCode(t, err, apperr.Forbidden, "")
}

// An override needs a reason, lets a referral go without the consent for 72 hours (it is
// named on the referral), and the DPO sees it with its reason and the referrals sent under it.
func TestReferralOverride(t *testing.T) {
	x := refNew(t)
	p := x.openCOPE(t, x.lw1, "Sara", "Bianchi", "")
	_, err := x.svc.GrantOverride(x.ctx, x.coord, p.PersonID, pathway.OverrideInput{Party: refAlfaCode, Reason: "urgente"})
	roomWantCode(t, err, apperr.Invalid, "reason")
	_, err = x.svc.GrantOverride(x.ctx, x.coord, p.PersonID, pathway.OverrideInput{Reason: "Rischio immediato per la persona"})
	roomWantCode(t, err, apperr.Invalid, "party")
	_, err = x.svc.GrantOverride(x.ctx, x.lw1, p.PersonID, pathway.OverrideInput{Party: refAlfaCode, Reason: "Rischio immediato per la persona"})
	roomWantCode(t, err, apperr.Forbidden, "")

	o, err := x.svc.GrantOverride(x.ctx, x.coord, p.PersonID, pathway.OverrideInput{OrganizationID: x.alfaOrg,
		Reason: "Rischio immediato per la persona, non raggiungibile"})
	roomNoError(t, err)
	if o.Party != refAlfaCode || !o.ExpiresAt.Equal(o.GrantedAt.Add(72*time.Hour)) {
		t.Fatalf("override = %+v", o)
	}
	ref, err := x.svc.SendReferral(x.ctx, x.lw1, p.ID, referral(x.alfaSvc))
	roomNoError(t, err)
	if ref.OverrideID != o.ID {
		t.Errorf("referral's override = %q, want %q", ref.OverrideID, o.ID)
	}
	// It covers Alfa only.
	_, err = x.svc.SendReferral(x.ctx, x.lw1, p.ID, referral(x.betaSvc))
	roomWantCode(t, err, apperr.Conflict, "consent")

	// The DPO's list: reason decrypted, one referral, audited.
	before := x.audits(t, "deroga", "read")
	list, err := x.svc.Overrides(x.ctx, x.dpo)
	roomNoError(t, err)
	if len(list) != 1 || list[0].Reason != "Rischio immediato per la persona, non raggiungibile" || list[0].Referrals != 1 ||
		list[0].PartyName != "Cooperativa Alfa" || list[0].GrantedByName != "Carla Coordinatrice" {
		t.Fatalf("DPO's list = %+v", list)
	}
	if x.audits(t, "deroga", "read") != before+1 {
		t.Error("the DPO's read of the override is not audited")
	}
	_, err = x.svc.Overrides(x.ctx, x.coord)
	roomWantCode(t, err, apperr.Forbidden, "")
	// The person's access export holds the override and the referral sent under it.
	exp, err := x.svc.ExportPerson(x.ctx, x.dpo, p.PersonID)
	roomNoError(t, err)
	if len(exp.Overrides) != 1 || exp.Overrides[0].ID != o.ID || len(exp.Pathways) != 1 || len(exp.Pathways[0].Referrals) != 1 {
		t.Errorf("export: overrides %+v, pathways %d", exp.Overrides, len(exp.Pathways))
	}

	// 72 hours later it no longer counts.
	x.now = x.now.Add(72*time.Hour + time.Minute)
	_, err = x.svc.SendReferral(x.ctx, x.lw1, p.ID, referral(x.alfaSvc))
	roomWantCode(t, err, apperr.Conflict, "consent")
	_, err = x.svc.RevokeOverride(x.ctx, x.coord, o.ID)
	roomWantCode(t, err, apperr.Conflict, "")

	// A new one, revoked: no longer counts either.
	o2, err := x.svc.GrantOverride(x.ctx, x.coord, p.PersonID, pathway.OverrideInput{Party: refAlfaCode, Reason: "Seconda urgenza documentata"})
	roomNoError(t, err)
	r2, err := x.svc.RevokeOverride(x.ctx, x.coord, o2.ID)
	roomNoError(t, err)
	if r2.RevokedAt == nil || r2.RevokedBy != "coord-1" {
		t.Errorf("revoked = %+v", r2)
	}
	_, err = x.svc.SendReferral(x.ctx, x.lw1, p.ID, referral(x.alfaSvc))
	roomWantCode(t, err, apperr.Conflict, "consent")
}

// A partner's user sees only the referrals addressed to their organisation, with only what
// the sender shared, every view audited; another organisation's referral is not found.
func TestReferralInbox(t *testing.T) {
	x := refNew(t)
	p := x.openCOPE(t, x.lw1, "Giulia", "Rossi", roomCF("RSSGLI04A41B157"))
	x.share(t, x.lw1, p.PersonID, refAlfaCode, true)
	x.share(t, x.lw1, p.PersonID, refBetaCode, true)
	_, err := x.svc.AddONS4(x.ctx, x.lw1, p.ID, pathway.ONS4{Occasion: "baseline", MeasuredOn: roomToday(),
		LifeSatisfaction: ptr(3), Worthwhile: ptr(4), Happiness: ptr(5), Anxiety: ptr(9)})
	roomNoError(t, err)
	_, err = x.svc.AddAssessment(x.ctx, x.lw1, p.ID, pathway.Assessment{Domain: "casa", AssessedOn: roomToday(), Level: 2,
		Notes: "Segreto della valutazione"})
	roomNoError(t, err)
	toAlfa, err := x.svc.SendReferral(x.ctx, x.lw1, p.ID, referral(x.alfaSvc))
	roomNoError(t, err)
	onlyName := referral(x.betaSvc)
	onlyName.Shared, onlyName.Contact, onlyName.ContactPreference = []string{"nome"}, "", "tramite_link_worker"
	toBeta, err := x.svc.SendReferral(x.ctx, x.lw1, p.ID, onlyName)
	roomNoError(t, err)

	before := x.audits(t, "referral", "read")
	list, err := x.svc.Inbox(x.ctx, x.alfa, pathway.InboxFilter{})
	roomNoError(t, err)
	if len(list) != 1 || list[0].ID != toAlfa.ID || list[0].GivenName != "Giulia" || list[0].AgeBand != "18-24" ||
		list[0].Contact != "+39 333 111 2222" || list[0].Reason == "" {
		t.Fatalf("Alfa's inbox = %+v", list)
	}
	got, err := x.svc.InboxReferral(x.ctx, x.alfa, toAlfa.ID)
	roomNoError(t, err)
	if x.audits(t, "referral", "read") != before+2 {
		t.Errorf("inbox views audited: %d, want 2", x.audits(t, "referral", "read")-before)
	}
	secrets := []string{"Rossi", "RSSGLI04A41B157", "Segreto della valutazione", p.ID, p.PersonID, "birth", "life_satisfaction"}
	js, _ := json.Marshal(map[string]any{"list": list, "one": got})
	for _, s := range secrets {
		if strings.Contains(string(js), s) {
			t.Errorf("the inbox's JSON holds %q: %s", s, js)
		}
	}
	// Beta sees only the given name of its own.
	bl, err := x.svc.Inbox(x.ctx, x.beta, pathway.InboxFilter{})
	roomNoError(t, err)
	if len(bl) != 1 || bl[0].ID != toBeta.ID || bl[0].GivenName != "Giulia" || bl[0].AgeBand != "" || bl[0].Reason != "" || bl[0].Contact != "" {
		t.Fatalf("Beta's inbox = %+v", bl)
	}
	_, err = x.svc.InboxReferral(x.ctx, x.beta, toAlfa.ID)
	roomWantCode(t, err, apperr.NotFound, "")
	_, err = x.svc.AcceptReferral(x.ctx, x.beta, toAlfa.ID, pathway.ReferralStepInput{Version: 1})
	roomWantCode(t, err, apperr.NotFound, "")
	// No organisation: nothing. Case roles have no inbox.
	none, err := x.svc.Inbox(x.ctx, x.noOrg, pathway.InboxFilter{})
	roomNoError(t, err)
	if len(none) != 0 {
		t.Errorf("inbox without organisation = %+v", none)
	}
	_, err = x.svc.Inbox(x.ctx, x.lw1, pathway.InboxFilter{})
	roomWantCode(t, err, apperr.Forbidden, "")
	_, err = x.svc.Inbox(x.ctx, x.alfa, pathway.InboxFilter{Status: "boh"})
	roomWantCode(t, err, apperr.Invalid, "status")
	filtered, err := x.svc.Inbox(x.ctx, x.alfa, pathway.InboxFilter{Status: "accettato"})
	roomNoError(t, err)
	if len(filtered) != 0 {
		t.Errorf("accepted in Alfa's inbox = %d", len(filtered))
	}

}

func ptr(i int) *int { return &i }

// The steps: the organisation accepts and concludes (versions checked), the sender cancels;
// a step out of order is a conflict on status; a refusal needs its reason. For an
// organisation with no users here, the sender's side records the answer.
func TestReferralSteps(t *testing.T) {
	x := refNew(t)
	p := x.openCOPE(t, x.lw1, "Luca", "Verdi", "")
	x.share(t, x.lw1, p.PersonID, refAlfaCode, true)
	gammaParty := x.gammaOrg
	x.share(t, x.lw1, p.PersonID, gammaParty, true)
	ref, err := x.svc.SendReferral(x.ctx, x.lw1, p.ID, referral(x.alfaSvc))
	roomNoError(t, err)

	_, err = x.svc.AcceptReferral(x.ctx, x.lw1, ref.ID, pathway.ReferralStepInput{Version: 1})
	roomWantCode(t, err, apperr.Forbidden, "")
	_, err = x.svc.AcceptReferral(x.ctx, x.alfa, ref.ID, pathway.ReferralStepInput{Version: 7})
	roomWantCode(t, err, apperr.Conflict, "version")
	_, err = x.svc.ConcludeReferral(x.ctx, x.alfa, ref.ID, pathway.ReferralStepInput{Version: 1, Outcome: "partecipa"})
	roomWantCode(t, err, apperr.Conflict, "status")
	_, err = x.svc.RefuseReferral(x.ctx, x.alfa, ref.ID, pathway.ReferralStepInput{Version: 1})
	roomWantCode(t, err, apperr.Invalid, "reason")
	acc, err := x.svc.AcceptReferral(x.ctx, x.alfa, ref.ID, pathway.ReferralStepInput{Version: 1})
	roomNoError(t, err)
	if acc.Status != "accettato" || acc.Version != 2 || acc.PathwayID != "" || acc.Reason != "" {
		t.Fatalf("accepted (the inbox's view) = %+v", acc)
	}
	_, err = x.svc.CancelReferral(x.ctx, x.alfa, ref.ID, pathway.ReferralStepInput{Version: 2, Reason: "non più"})
	roomWantCode(t, err, apperr.Forbidden, "")
	_, err = x.svc.ConcludeReferral(x.ctx, x.alfa, ref.ID, pathway.ReferralStepInput{Version: 2, Outcome: "boh"})
	roomWantCode(t, err, apperr.Invalid, "outcome")
	_, err = x.svc.ConcludeReferral(x.ctx, x.alfa, ref.ID, pathway.ReferralStepInput{Version: 2, Outcome: "ha_concluso", Note: "Ha finito il corso"})
	roomNoError(t, err)
	_, err = x.svc.CancelReferral(x.ctx, x.lw1, ref.ID, pathway.ReferralStepInput{Version: 3, Reason: "non serve più"})
	roomWantCode(t, err, apperr.Conflict, "status")
	full, err := x.svc.PathwayReferrals(x.ctx, x.lw1, p.ID)
	roomNoError(t, err)
	if len(full) != 1 || len(full[0].Steps) != 3 || full[0].Steps[2].Note != "Ha finito il corso" ||
		full[0].Steps[1].ByOrganisation != refAlfaCode || full[0].Outcome != "ha_concluso" {
		t.Fatalf("the sender's view = %+v", full)
	}
	if n := x.count(t, "pathway_events", "pathway_id = ? AND kind = 'referral'", p.ID); n != 3 {
		t.Errorf("history lines = %d, want 3", n)
	}

	// Gamma has no users here: the sender records its answer, and cancels.
	g, err := x.svc.SendReferral(x.ctx, x.lw1, p.ID, referral(x.gammaSvc))
	roomNoError(t, err)
	if g.PartnerCode != "" || g.ConsentParty != gammaParty {
		t.Fatalf("Gamma's referral = %+v", g)
	}
	g, err = x.svc.AcceptReferral(x.ctx, x.lw1, g.ID, pathway.ReferralStepInput{Version: 1})
	roomNoError(t, err)
	_, err = x.svc.AcceptReferral(x.ctx, x.lw2, g.ID, pathway.ReferralStepInput{Version: 2})
	roomWantCode(t, err, apperr.NotFound, "")
	g, err = x.svc.CancelReferral(x.ctx, x.coord, g.ID, pathway.ReferralStepInput{Version: 2, Reason: "La persona ha cambiato idea"})
	roomNoError(t, err)
	if g.Status != "annullato" || len(g.Steps) != 3 || g.Steps[2].Note != "La persona ha cambiato idea" {
		t.Fatalf("cancelled = %+v", g)
	}
}

// An erased person's referrals stay in the inbox as erased, without an error.
func TestReferralErasedPerson(t *testing.T) {
	x := refNew(t)
	p := x.openCOPE(t, x.lw1, "Marta", "Neri", "")
	x.share(t, x.lw1, p.PersonID, refAlfaCode, true)
	ref, err := x.svc.SendReferral(x.ctx, x.lw1, p.ID, referral(x.alfaSvc))
	roomNoError(t, err)
	_, err = x.svc.ErasePerson(x.ctx, x.dpo, p.PersonID, pathway.ErasureInput{Reason: "richiesta dell'interessata"})
	roomNoError(t, err)
	got, err := x.svc.InboxReferral(x.ctx, x.alfa, ref.ID)
	roomNoError(t, err)
	if !got.Erased || got.GivenName != "" || got.Reason != "" || got.Contact != "" {
		t.Fatalf("erased person's referral = %+v", got)
	}
	if n := x.count(t, "referrals", "id = ? AND reason_enc IS NULL AND contact_enc IS NULL", ref.ID); n != 1 {
		t.Error("the erasure left the referral's sealed fields")
	}

	// A pathway anonymised after its retention period: its referral shows nothing of the person.
	q := x.openCOPE(t, x.lw1, "Nadia", "Gialli", "")
	x.share(t, x.lw1, q.PersonID, refAlfaCode, true)
	ref2, err := x.svc.SendReferral(x.ctx, x.lw1, q.ID, referral(x.alfaSvc))
	roomNoError(t, err)
	x.sql(t, func(g *gorm.DB) error {
		return g.Exec(`UPDATE pathways SET anonymised_at = now() WHERE id = ?`, q.ID).Error
	})
	got, err = x.svc.InboxReferral(x.ctx, x.alfa, ref2.ID)
	roomNoError(t, err)
	if !got.Erased || got.GivenName != "" || got.Reason != "" {
		t.Fatalf("anonymised pathway's referral = %+v", got)
	}
}
