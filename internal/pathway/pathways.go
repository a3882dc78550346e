package pathway

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// OpenPathway opens a pathway of a programme for a new person (in.Person) or an existing one
// (in.PersonID), with the person's consent to the pathway itself, in one transaction: the
// person, the consent, the pathway at its first stage, the event and the audit rows, or none.
// The coordinator (assign) opens for anyone; a link worker opens their own, becoming its
// assignee.
func (s *Service) OpenPathway(ctx context.Context, a actor.Actor, in OpenInput) (Pathway, error) {
	prog, err := s.checkOpen(a, &in)
	if err != nil {
		return Pathway{}, err
	}
	var p Pathway
	err = s.work(ctx, a, func(ses *session) error {
		p, err = ses.open(ctx, prog, in)
		return err
	})
	return p, err
}

// checkOpen validates what needs no database, and who opens it for whom.
func (s *Service) checkOpen(a actor.Actor, in *OpenInput) (Programme, error) {
	switch {
	case a.Can(object, actAssign):
	case mayOpenOwn(a):
		if in.AssignTo != "" && in.AssignTo != a.ID {
			return Programme{}, apperr.New(apperr.Forbidden, "un link worker apre percorsi solo per sé: l'assegnazione ad altri spetta al coordinatore",
				"a link worker opens pathways for themselves only: the coordinator assigns them to others")
		}
		in.AssignTo = a.ID
	default:
		return Programme{}, errForbidden
	}
	prog, ok := s.programmes[in.Programme]
	if !ok {
		return Programme{}, apperr.Invalidf("programme", "programma sconosciuto", "unknown programme")
	}
	if !prog.HasSource(in.Source) && (len(prog.Sources) > 0 || in.Source != "") {
		return Programme{}, apperr.Invalidf("source", "canale di contatto non previsto dal programma", "source not in the programme")
	}
	if _, err := s.pastDay("engaged_on", in.EngagedOn); err != nil {
		return Programme{}, err
	}
	if prog.Measures("neet") != neetStates[in.NEETStart] {
		return Programme{}, apperr.Invalidf("neet_start", "condizione NEET all'avvio: studio, lavoro, formazione o nessuno (solo per i programmi che la misurano)",
			"NEET status at start: studio, lavoro, formazione or nessuno (only for programmes measuring it)")
	}
	if in.NoticeVersion = strings.TrimSpace(in.NoticeVersion); in.NoticeVersion == "" {
		return Programme{}, apperr.Invalidf("notice_version", "indicare la versione dell'informativa vista dalla persona", "the information notice's version is required")
	}
	if (in.Person == nil) == (in.PersonID == "") {
		return Programme{}, apperr.Invalidf("person", "indicare una persona nuova oppure l'id di una persona esistente", "give a new person or an existing person's id")
	}
	return prog, nil
}

// open runs the opening inside the transaction.
func (s *session) open(ctx context.Context, prog Programme, in OpenInput) (Pathway, error) {
	engaged, _, _ := day("engaged_on", in.EngagedOn, true)
	name, err := s.assignee(ctx, in.AssignTo, "assign_to")
	if err != nil {
		return Pathway{}, err
	}
	personID, err := s.personToOpen(prog, in, engaged)
	if err != nil {
		return Pathway{}, err
	}
	if _, err := s.addConsent(personID, ConsentInput{Purpose: PurposeProcessing, Given: true, NoticeVersion: in.NoticeVersion}); err != nil {
		return Pathway{}, err
	}
	row := pathwayRow{ID: uuid.NewString(), PersonID: personID, Programme: prog.Code, Stage: prog.FirstStage(), Source: in.Source,
		EngagedOn: engaged, AssignedTo: in.AssignTo, AssignedName: name, NEETStart: in.NEETStart}
	if err := s.Omit("version").Create(&row).Error; err != nil {
		return Pathway{}, err
	}
	if err := s.Where("id = ?", row.ID).Take(&row).Error; err != nil {
		return Pathway{}, err
	}
	p := row.pathway()
	s.Audit(tenancy.Access{Subject: personID, What: "percorso", Action: "create", Detail: p.ID})
	if err := s.event(p, "open", "", p.Stage, prog.Code); err != nil {
		return Pathway{}, err
	}
	if err := s.event(p, "consent", "", "", consentDetail(PurposeProcessing, "", true)); err != nil {
		return Pathway{}, err
	}
	if in.AssignTo != "" {
		if err := s.event(p, "assign", "", "", in.AssignTo); err != nil {
			return Pathway{}, err
		}
	}
	return p, nil
}

// personToOpen is the person of a new pathway: created from in.Person, or the existing one the
// actor may reach; either way of an age the programme takes.
func (s *session) personToOpen(prog Programme, in OpenInput, engaged time.Time) (string, error) {
	if in.Person != nil {
		muni, err := s.checkPerson("person.", in.Person)
		if err != nil {
			return "", err
		}
		if err := checkAge("person.birth_date", prog, in.Person.BirthDate, engaged); err != nil {
			return "", err
		}
		return s.createPerson(*in.Person, muni)
	}
	r, err := s.personReach(in.PersonID)
	if err != nil {
		return "", err
	}
	if r != reachFull {
		return "", errPersonNotFound.WithField("person_id")
	}
	p, err := s.loadPerson(in.PersonID)
	if err != nil {
		return "", err
	}
	if p.Erased {
		return "", apperr.New(apperr.Conflict, "i dati della persona sono stati cancellati", "the person's data was erased")
	}
	return p.ID, checkAge("person.birth_date", prog, p.BirthDate, engaged)
}
