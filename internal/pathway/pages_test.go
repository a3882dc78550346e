package pathway_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/web/webtest"
)

// TestCasePageTexts checks the vocabularies the case pages name by code (built at run time,
// so the scan of the literals cannot see them) in both languages.
func TestCasePageTexts(t *testing.T) {
	var dyn []string
	for _, v := range []struct {
		prefix string
		codes  []string
	}{
		{"pathway.neet", []string{"studio", "lavoro", "formazione", "nessuno"}},
		{"pathway.sex", []string{"F", "M", "X"}},
		{"pathway.meeting.kind", []string{"incontro", "telefonata", "follow_up", "visita"}},
		{"pathway.goal.status", []string{"aperto", "in_corso", "raggiunto", "abbandonato"}},
		{"pathway.activity.kind", []string{"attivita", "invio"}},
		{"pathway.activity.status", []string{"proposta", "in_corso", "conclusa", "rifiutata"}},
		{"pathway.assessment.level", []string{"0", "1", "2", "3"}},
		{"pathway.consent.purpose", []string{pathway.PurposeProcessing, pathway.PurposeSharing, pathway.PurposeResearch}},
		{"pathway.consent.party", []string{pathway.PartyHealth}},
		{"pathway.ons4.occasion", []string{"baseline", "follow_up", "chiusura"}},
		{"pathway.ons4.q", []string{"life_satisfaction", "worthwhile", "happiness", "anxiety"}},
		{"pathway.ons4.short", []string{"life_satisfaction", "worthwhile", "happiness", "anxiety"}},
		{"pathway.project.status", []string{"bozza", "firmato", "superato"}},
		{"pathway.event", []string{"open", "consent", "assign", "stage", "close", "activity", "assessment", "goal", "meeting", "outcome", "project", "signature", "referral"}},
		{"pathway.referral.status", []string{"inviato", "accettato", "rifiutato", "concluso", "annullato"}},
		{"pathway.referral.outcome", []string{"partecipa", "ha_concluso", "abbandonato", "non_presentato"}},
		{"pathway.referral.urgency", []string{"ordinaria", "urgente"}},
		{"pathway.referral.preference", []string{"telefono", "email", "tramite_link_worker", "di_persona"}},
		{"pathway.referral.share", []string{"nome", "fascia_eta", "motivo", "contatto"}},
	} {
		dyn = append(dyn, webtest.Keys(v.prefix, v.codes...)...)
	}
	webtest.CheckTexts(t, webtest.Room{GoFiles: "pages*.go", Dynamic: dyn, MinUsed: 100}, pathway.Pages(nil))
}
