package pathwaydemo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/pathway"
)

// gen makes one district's pathways, deterministically from the spec's seed.
type gen struct {
	svc   *pathway.Service
	cast  Cast
	spec  Spec
	today time.Time
	r     *rand.Rand
	// services are the directory's published services by partner code, read once.
	services map[string][]pathway.DirectoryService
}

// copeShare is how many of every 60 COPE pathways stop at each stage, from aggancio to
// chiusura: a caseload with people everywhere, most of them in follow-up.
var copeShare = []int{6, 6, 8, 8, 10, 12, 10}

// stageFor spreads pathway i of n over the programme's stages by share.
func stageFor(i, n int, share []int) int {
	total := 0
	for _, s := range share {
		total += s
	}
	pos := i * total / n
	for k, s := range share {
		if pos < s {
			return k
		}
		pos -= s
	}
	return len(share) - 1
}

func (g *gen) day(t time.Time) string { return t.Format(time.DateOnly) }

// at is engaged + days, never after today.
func (g *gen) at(engaged time.Time, days int) time.Time {
	t := engaged.AddDate(0, 0, days)
	if t.After(g.today) {
		return g.today
	}
	return t
}

func (g *gen) one(ctx context.Context, i int) error {
	if g.spec.Programme == "vmd" {
		return g.vmd(ctx, i)
	}
	return g.cope(ctx, i)
}

func (g *gen) cope(ctx context.Context, i int) error {
	k := stageFor(i, g.spec.People, copeShare)
	// Older pathways are further on: engaged 2 weeks (aggancio) to 18 months (closed) ago.
	return g.copeUpTo(ctx, i, k, g.today.AddDate(0, 0, -(14+k*60+g.r.IntN(45))))
}

// copeUpTo makes pathway i, engaged on engaged, and walks it to stage k (6: closed).
func (g *gen) copeUpTo(ctx context.Context, i, k int, engaged time.Time) error {
	worker := g.cast.Workers[i%len(g.cast.Workers)]
	person := g.person(i, 15+g.r.IntN(20), engaged)
	neet := []string{"nessuno", "nessuno", "nessuno", "formazione", "studio"}[g.r.IntN(5)]
	p, err := g.svc.OpenPathway(ctx, g.cast.Coordinator, pathway.OpenInput{
		Person: &person, Programme: "cope", Source: []string{"scuola", "centro_impiego", "servizi_sociali", "apss", "terzo_settore", "famiglia", "autosegnalazione"}[g.r.IntN(7)],
		EngagedOn: g.day(engaged), NEETStart: neet, NoticeVersion: g.spec.NoticeVersion,
	})
	if err != nil {
		return err
	}
	if err := g.consents(ctx, i, p.PersonID); err != nil {
		return err
	}
	if k == 0 {
		return nil // waiting for its link worker: on the coordinator's board
	}
	if p, err = g.move(ctx, g.cast.Coordinator, p, "abbinamento"); err != nil {
		return err
	}
	if p, err = g.svc.Assign(ctx, g.cast.Coordinator, p.ID, pathway.AssignInput{AssigneeID: worker.ID, AssigneeName: worker.Name, Version: p.Version}); err != nil {
		return err
	}
	if k == 1 {
		return nil
	}
	if p, err = g.move(ctx, worker, p, "valutazione"); err != nil {
		return err
	}
	if err := g.copeAssessment(ctx, worker, p, engaged); err != nil {
		return err
	}
	birth := person.BirthDate
	if err := g.ons4(ctx, worker, p, "baseline", g.at(engaged, 21), birth, 0); err != nil {
		return err
	}
	if k == 2 {
		return g.meeting(ctx, worker, p, g.at(engaged, 21), true)
	}
	if p, err = g.move(ctx, worker, p, "piano"); err != nil {
		return err
	}
	if err := g.goals(ctx, worker, p, g.at(engaged, 35), k >= 6); err != nil {
		return err
	}
	if k == 3 {
		return g.meeting(ctx, worker, p, g.at(engaged, 35), true)
	}
	if p, err = g.move(ctx, worker, p, "attivita"); err != nil {
		return err
	}
	if err := g.activity(ctx, worker, p, g.at(engaged, 50)); err != nil {
		return err
	}
	if err := g.referral(ctx, i, k, worker, p); err != nil {
		return err
	}
	if k == 4 {
		return g.meeting(ctx, worker, p, g.at(engaged, 50), true)
	}
	if p, err = g.move(ctx, worker, p, "follow_up"); err != nil {
		return err
	}
	if err := g.meeting(ctx, worker, p, g.at(engaged, 80), k == 5); err != nil {
		return err
	}
	if err := g.ons4(ctx, worker, p, "follow_up", g.at(engaged, 90), birth, 1); err != nil {
		return err
	}
	if k == 5 {
		return nil
	}
	closed := g.at(engaged, 150+g.r.IntN(60))
	if err := g.ons4(ctx, worker, p, "chiusura", closed, birth, 2); err != nil {
		return err
	}
	reason := []string{"obiettivi_raggiunti", "lavoro_studio", "lavoro_studio", "altro_servizio", "rinuncia", "non_reperibile"}[g.r.IntN(6)]
	neetClose := []string{"lavoro", "studio", "formazione", "nessuno"}[g.r.IntN(4)]
	_, err = g.svc.Close(ctx, worker, p.ID, pathway.ClosureInput{Reason: reason, ClosedOn: g.day(closed), NEETClose: neetClose, Version: p.Version})
	return err
}

func (g *gen) move(ctx context.Context, a actor.Actor, p pathway.Pathway, to string) (pathway.Pathway, error) {
	return g.svc.MoveStage(ctx, a, p.ID, to, p.Version)
}

// consents: everyone consented to the pathway when it opened; a third also to sharing it with
// the health authority; most to anonymous research use, a few withdrew it.
func (g *gen) consents(ctx context.Context, i int, person string) error {
	if i%3 == 0 {
		if _, err := g.svc.RecordConsent(ctx, g.cast.Coordinator, person, pathway.ConsentInput{
			Purpose: pathway.PurposeSharing, Party: pathway.PartyHealth, Given: true, NoticeVersion: g.spec.NoticeVersion}); err != nil {
			return err
		}
	}
	_, err := g.svc.RecordConsent(ctx, g.cast.Coordinator, person, pathway.ConsentInput{
		Purpose: pathway.PurposeResearch, Given: i%11 != 0, NoticeVersion: g.spec.NoticeVersion})
	return err
}

var copeDomains = []string{"lavoro_formazione", "relazioni", "salute_benessere", "casa", "tempo_libero", "economia"}

func (g *gen) copeAssessment(ctx context.Context, a actor.Actor, p pathway.Pathway, engaged time.Time) error {
	for j, d := range copeDomains {
		if j > 0 && g.r.IntN(3) == 0 {
			continue
		}
		_, err := g.svc.AddAssessment(ctx, a, p.ID, pathway.Assessment{Domain: d, AssessorKind: "sociale",
			AssessedOn: g.day(g.at(engaged, 20)), Level: g.r.IntN(4), Notes: assessmentNotes[d]})
		if err != nil {
			return err
		}
	}
	return nil
}

var assessmentNotes = map[string]string{
	"lavoro_formazione": "Ha lasciato la scuola al terzo anno; vorrebbe una qualifica pratica.",
	"relazioni":         "Pochi contatti fuori casa, un amico di riferimento.",
	"salute_benessere":  "Dorme poco, dice di sentirsi spesso stanco e giù di morale.",
	"casa":              "Vive con la madre; spazi stretti ma situazione stabile.",
	"tempo_libero":      "Passa molte ore online; in passato giocava a calcio.",
	"economia":          "Nessun reddito proprio; la famiglia fatica a fine mese.",
}

func (g *gen) goals(ctx context.Context, a actor.Actor, p pathway.Pathway, from time.Time, done bool) error {
	for j, text := range []string{"Iscriversi a un corso di formazione professionale", "Tornare a fare sport una volta a settimana", "Preparare il curriculum con il Centro per l'Impiego"} {
		if j == 2 && g.r.IntN(2) == 0 {
			continue
		}
		goal, err := g.svc.AddGoal(ctx, a, p.ID, pathway.Goal{Domain: copeDomains[j%2*4], Text: text, Status: "in_corso",
			StartedOn: g.day(from), TargetOn: g.day(from.AddDate(0, 4, 0))})
		if err != nil {
			return err
		}
		if done {
			goal.Status, goal.EndedOn = "raggiunto", g.day(g.at(from, 90))
			if _, err := g.svc.UpdateGoal(ctx, a, p.ID, goal.ID, goal); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *gen) activity(ctx context.Context, a actor.Actor, p pathway.Pathway, on time.Time) error {
	_, err := g.svc.AddActivity(ctx, a, p.ID, pathway.Activity{Kind: "attivita", ServiceName: "Laboratorio di falegnameria del centro giovani",
		Description: "Due pomeriggi a settimana, con un educatore.", Status: "in_corso", StartedOn: g.day(on)})
	return err
}

// meeting records a meeting on day; open pathways get their next follow-up, for some of them
// within this week.
func (g *gen) meeting(ctx context.Context, a actor.Actor, p pathway.Pathway, on time.Time, open bool) error {
	m := pathway.Meeting{HeldOn: g.day(on), Kind: []string{"incontro", "telefonata", "follow_up"}[g.r.IntN(3)],
		Notes: "Incontro al bar vicino alla stazione: parlato del corso e di come va a casa."}
	if open {
		m.NextFollowUp = g.day(g.today.AddDate(0, 0, g.r.IntN(21)))
	}
	_, err := g.svc.AddMeeting(ctx, a, p.ID, m)
	return err
}

// ons4 records the four items; each later occasion a little better than the first.
// Under-16s skip the anxiety item, as the ONS guidance for children says.
func (g *gen) ons4(ctx context.Context, a actor.Actor, p pathway.Pathway, occasion string, on time.Time, birth string, step int) error {
	minor := birth > g.day(on.AddDate(-16, 0, 0))
	item := func(base int) *int {
		v := min(10, base+step*(1+g.r.IntN(2)))
		return &v
	}
	m := pathway.ONS4{Occasion: occasion, MeasuredOn: g.day(on),
		LifeSatisfaction: item(3 + g.r.IntN(3)), Worthwhile: item(3 + g.r.IntN(4)), Happiness: item(3 + g.r.IntN(3))}
	if !minor {
		v := max(0, 7+g.r.IntN(3)-step*(1+g.r.IntN(2)))
		m.Anxiety = &v
	}
	_, err := g.svc.AddONS4(ctx, a, p.ID, m)
	return err
}

// vmdStages are where the Valle Trompia pathways stop.
var vmdStages = []string{"accesso", "valutazione", "progetto", "attuazione", "monitoraggio", "attuazione"}

func (g *gen) vmd(ctx context.Context, i int) error {
	worker := g.cast.Workers[i%len(g.cast.Workers)]
	target := vmdStages[i%len(vmdStages)]
	engaged := g.today.AddDate(0, 0, -(30 + i*40))
	person := g.person(i, 40+g.r.IntN(45), engaged)
	p, err := g.svc.OpenPathway(ctx, g.cast.Coordinator, pathway.OpenInput{Person: &person, Programme: "vmd",
		Source: []string{"segretariato_sociale", "asst", "medico", "famiglia"}[i%4], EngagedOn: g.day(engaged),
		AssignTo: worker.ID, NoticeVersion: g.spec.NoticeVersion})
	if err != nil {
		return err
	}
	if target == "accesso" {
		return nil
	}
	if p, err = g.move(ctx, worker, p, "valutazione"); err != nil {
		return err
	}
	for _, as := range []struct {
		who    actor.Actor
		domain string
		kind   string
		notes  string
	}{
		{g.cast.Health, "autonomia", "sanitaria", "Necessita di aiuto per igiene personale e pasti (ADL 3/6)."},
		{g.cast.Health, "salute", "sanitaria", "Patologia cronica stabile; controlli ogni tre mesi."},
		{worker, "rete_familiare", "sociale", "Figlia caregiver, lavora a tempo pieno."},
		{worker, "abitazione", "sociale", "Appartamento al secondo piano senza ascensore."},
	} {
		if _, err := g.svc.AddAssessment(ctx, as.who, p.ID, pathway.Assessment{Domain: as.domain, AssessorKind: as.kind,
			AssessedOn: g.day(g.at(engaged, 14)), Level: 1 + g.r.IntN(3), Notes: as.notes}); err != nil {
			return fmt.Errorf("%s assessment: %w", as.domain, err)
		}
	}
	if target == "valutazione" {
		return nil
	}
	if p, err = g.move(ctx, worker, p, "progetto"); err != nil {
		return err
	}
	in := pathway.ProjectInput{
		Supports: []pathway.Support{
			{Kind: "Assistenza domiciliare (SAD)", Provider: "Cooperativa sociale del territorio", Frequency: "3 accessi a settimana", Funding: "Comune"},
			{Kind: "Buono sociale per caregiver familiare", Provider: "Ambito di Valle Trompia", Frequency: "mensile", Funding: "FNA Misura B2"},
		},
		Commitments: pathway.Commitments{Person: "Partecipare alle verifiche trimestrali.", Family: "La figlia coordina gli orari con il SAD.",
			Comune: "Attiva il SAD entro 30 giorni.", ASST: "Rivaluta l'autonomia tra sei mesi."},
	}
	pr, err := g.svc.SaveProject(ctx, worker, p.ID, in)
	if err != nil {
		return err
	}
	if target == "progetto" && i%2 == 0 {
		return nil // a draft waiting for signatures
	}
	for _, s := range []struct {
		who   actor.Actor
		party string
	}{{g.cast.Health, "asst"}, {worker, "comune"}, {worker, "persona"}, {g.cast.Coordinator, "process_manager"}} {
		if pr, err = g.svc.SignProject(ctx, s.who, p.ID, pr.ID, s.party); err != nil {
			return fmt.Errorf("sign %s: %w", s.party, err)
		}
	}
	if target == "progetto" {
		return nil
	}
	if p, err = g.move(ctx, worker, p, "attuazione"); err != nil {
		return err
	}
	if err := g.meeting(ctx, worker, p, g.at(engaged, 60), true); err != nil {
		return err
	}
	if target == "monitoraggio" {
		if _, err = g.move(ctx, worker, p, "monitoraggio"); err != nil {
			return err
		}
		// The review changed the supports: a new version, still to be signed.
		in.Supports[0].Frequency = "5 accessi a settimana"
		_, err = g.svc.SaveProject(ctx, worker, p.ID, in)
	}
	return err
}
