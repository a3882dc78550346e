package pathway

import (
	"github.com/ambiti/ambiti/internal/apperr"
)

// reach is how much of a pathway the actor sees.
type reach int

const (
	reachNone   reach = iota // not at all: 404, never a name
	reachHealth              // health staff: the socio-sanitary records (assessments, projects)
	reachFull                // its link worker, or the coordinator: everything
)

// consentShared is the SQL for "the person's latest decision on sharing with the health
// authority is a yes", for a row of pathways.
const consentShared = `COALESCE((SELECT c.given FROM consents c
	WHERE c.person_id = pathways.person_id AND c.purpose = 'condivisione' AND c.party = '` + PartyHealth + `'
	ORDER BY c.recorded_at DESC LIMIT 1), false)`

// visible returns the SQL condition (on table pathways) and its arguments for the pathways the
// session's actor may read: every one with read_all; else the union of their own caseload (read)
// and, with read_health, the programmes health staff take part in (VMD) and the others'
// pathways whose person consented to share them with the health authority.
func (s *session) visible() (string, []any) {
	a := s.Actor
	if a.Can(object, actReadAll) {
		return "TRUE", nil
	}
	cond, args := "FALSE", []any{}
	if a.Can(object, actRead) {
		cond += " OR pathways.assigned_to = ?"
		args = append(args, a.ID)
	}
	if a.Can(object, actReadHealth) {
		var always, withConsent []string
		for _, p := range s.svc.programmes {
			if p.HealthNeedsConsent {
				withConsent = append(withConsent, p.Code)
			} else {
				always = append(always, p.Code)
			}
		}
		if len(always) > 0 {
			cond += " OR pathways.programme IN ?"
			args = append(args, always)
		}
		if len(withConsent) > 0 {
			cond += " OR (pathways.programme IN ? AND " + consentShared + ")"
			args = append(args, withConsent)
		}
	}
	return "(" + cond + ")", args
}

// reachOf is how much of p the actor sees; p was read through visible, so health staff who
// are not its link worker see its health view.
func (s *session) reachOf(p Pathway) reach {
	a := s.Actor
	switch {
	case a.Can(object, actReadAll):
		return reachFull
	case a.Can(object, actRead) && p.AssignedTo == a.ID:
		return reachFull
	case a.Can(object, actReadHealth):
		return reachHealth
	}
	return reachNone
}

// errNotFound is the answer for a pathway or person the actor may not see, as for one that
// does not exist: never a hint that it does.
var errNotFound = apperr.New(apperr.NotFound, "percorso non trovato", "pathway not found")

// errPersonNotFound is errNotFound for a person.
var errPersonNotFound = apperr.New(apperr.NotFound, "persona non trovata", "person not found")
