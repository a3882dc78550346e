package pathway

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Matching a pathway to a link worker: every link worker of the district scored 0–100, with
// the reasons that make the score, so the coordinator sees why and decides (one click assigns).
//
// The weights (shown on the page too, pathway.match.weights):
//   - territory 30: the person's comune is among those the worker covers; 15 when the person's
//     comune is not recorded (nobody is favoured), 0 when not covered;
//   - caseload 30: the free share of the worker's capacity, 30 × (capacity − open) / capacity,
//     rounded down; at or over capacity the worker is "al completo": 0 and 25 more taken off;
//   - language 15: the person's language is one the worker speaks; Italian or not recorded is
//     neutral (every worker gets the 15), a language the worker does not speak gets 0;
//   - skills 25: the share of the needed skills the worker has, 25 × had / needed, rounded
//     down; no skill needed is neutral (every worker gets the 25).
//
// The needed skills are the query's, else those of the pathway's assessment domains assessed
// at level 2 or 3 (the latest assessment of each domain), else none. A worker without a profile
// covers no comune, speaks no language recorded, has no skill and the default capacity.
// The score is deterministic: ties are ranked by name, then id.
const (
	weightTerritory = 30
	weightCaseload  = 30
	weightLanguage  = 15
	weightSkills    = 25
	penaltyFull     = 25
	neededLevel     = 2 // an assessed domain at this level or more asks for its skills
)

// Reason is one part of a match's score: a code (the page's text pathway.match.reason.<code>),
// its arguments (a comune, counts, a language code, skill codes joined by ",") and the points it
// gives (negative for the penalty of a full caseload).
type Reason struct {
	Code   string   `json:"code"`
	Points int      `json:"points"`
	Args   []string `json:"args,omitempty"`
}

// The reasons' codes.
const (
	ReasonTerritoryCovered    = "territory_covered"     // args: comune
	ReasonTerritoryNotCovered = "territory_not_covered" // args: comune
	ReasonTerritoryUnknown    = "territory_unknown"
	ReasonCaseload            = "caseload" // args: open, capacity
	ReasonFull                = "full"     // args: open, capacity
	ReasonLanguageNeutral     = "language_neutral"
	ReasonLanguageSpoken      = "language_spoken"     // args: language
	ReasonLanguageNotSpoken   = "language_not_spoken" // args: language
	ReasonSkillsNone          = "skills_none"
	ReasonSkillsHad           = "skills_had"     // args: had, needed, codes had
	ReasonSkillsMissing       = "skills_missing" // args: codes missing
	ReasonNoProfile           = "no_profile"
)

// Match is a link worker ranked for a pathway.
type Match struct {
	LinkWorker
	Score   int      `json:"score"` // 0–100
	Full    bool     `json:"full"`  // at or over capacity
	Reasons []Reason `json:"reasons"`
}

// Matches is the ranking of the district's link workers for one pathway, best first.
type Matches struct {
	Pathway      Pathway  `json:"pathway"`
	PersonName   string   `json:"person_name"`            // given and family name; "" once erased
	Erased       bool     `json:"erased,omitempty"`       // the person's data were erased
	Municipality string   `json:"municipality,omitempty"` // the person's comune
	Language     string   `json:"language,omitempty"`     // the person's language
	Skills       []string `json:"skills"`                 // the needed skills weighed
	SkillsFrom   string   `json:"skills_from"`            // query | assessments | none
	Workers      []Match  `json:"workers"`
}

// Where the needed skills came from.
const (
	SkillsFromQuery       = "query"
	SkillsFromAssessments = "assessments"
	SkillsFromNone        = "none"
)

// Match ranks the link workers for pathway id. skills are the needed skills (codes of the
// programme's skills); nil derives them from the assessments. Forbidden without match;
// NotFound for a pathway the actor does not see; Invalid (Field skills) for a skill the
// programme lacks.
func (s *Service) Match(ctx context.Context, a actor.Actor, id string, skills []string) (Matches, error) {
	if err := need(a, actMatch); err != nil {
		return Matches{}, err
	}
	var out Matches
	err := s.work(ctx, a, func(ses *session) error {
		p, _, err := ses.loadPathway(id)
		if err != nil {
			return err
		}
		prog := s.programmes[p.Programme]
		out = Matches{Pathway: p, Skills: []string{}, SkillsFrom: SkillsFromQuery}
		if skills != nil {
			for _, sk := range skills {
				if !slices.ContainsFunc(prog.Skills, func(x Skill) bool { return x.Code == sk }) {
					return apperr.Invalidf("skills", "competenza sconosciuta per il programma: %s", "not a skill of the programme: %s", sk)
				}
				if !slices.Contains(out.Skills, sk) {
					out.Skills = append(out.Skills, sk)
				}
			}
		} else if out.Skills, err = ses.neededSkills(p, prog); err != nil {
			return err
		} else if len(out.Skills) > 0 {
			out.SkillsFrom = SkillsFromAssessments
		}
		if len(out.Skills) == 0 {
			out.SkillsFrom = SkillsFromNone
		}
		if err := ses.matchPerson(&out); err != nil {
			return err
		}
		ses.Audit(tenancy.Access{Subject: p.PersonID, What: "persona", Action: "read", Detail: p.ID})
		ws, err := ses.linkWorkers(ctx)
		if err != nil {
			return err
		}
		out.Workers = rank(ws, out.Municipality, out.Language, out.Skills)
		return nil
	})
	return out, err
}

// matchPerson fills in what matching reads of the person: the comune and the language (plain
// columns) and, for the page's heading, the given and family names: the only fields decrypted.
func (s *session) matchPerson(m *Matches) error {
	rows, err := findPersonRows(s.Tx, []string{m.Pathway.PersonID})
	if err != nil {
		return err
	}
	r, ok := rows[m.Pathway.PersonID]
	if !ok || r.ErasedAt != nil {
		m.Erased = true
		return nil
	}
	m.Municipality, m.Language = r.Municipality, r.Language
	var names [2]string
	for i, f := range []struct {
		name  string
		value []byte
	}{{"given_name_enc", r.GivenNameEnc}, {"family_name_enc", r.FamilyNameEnc}} {
		v, err := s.keys.Open(r.ID, f.name, f.value)
		if keyring.IsShredded(err) {
			m.Erased = true
			return nil
		}
		if err != nil {
			return err
		}
		names[i] = v
	}
	m.PersonName = names[0] + " " + names[1]
	return nil
}

// neededSkills are the programme's skills answering the domains whose latest assessment is at
// neededLevel or more, in the programme's order; reading the assessments is audited.
func (s *session) neededSkills(p Pathway, prog Programme) ([]string, error) {
	as, err := s.assessments(p) // newest first
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return []string{}, nil
	}
	s.Audit(tenancy.Access{Subject: p.PersonID, What: "valutazione", Action: "read", Detail: p.ID})
	seen, needs := map[string]bool{}, map[string]bool{}
	for _, x := range as {
		if !seen[x.Domain] {
			seen[x.Domain] = true
			needs[x.Domain] = x.Level >= neededLevel
		}
	}
	out := []string{}
	for _, sk := range prog.Skills {
		if slices.ContainsFunc(sk.Domains, func(d string) bool { return needs[d] }) {
			out = append(out, sk.Code)
		}
	}
	return out, nil
}

// rank scores every worker and sorts them, best first, ties by name then id.
func rank(ws []LinkWorker, comune, language string, needed []string) []Match {
	out := make([]Match, len(ws))
	for i, w := range ws {
		out[i] = score(w, comune, language, needed)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.ID < b.ID
	})
	return out
}

// score is one worker's match: the sum of the four parts and the penalty, within 0–100.
func score(w LinkWorker, comune, language string, needed []string) Match {
	m := Match{LinkWorker: w}
	add := func(code string, points int, args ...string) {
		m.Reasons = append(m.Reasons, Reason{Code: code, Points: points, Args: args})
		m.Score += points
	}
	if !w.Profiled {
		add(ReasonNoProfile, 0)
	}
	switch {
	case comune == "":
		add(ReasonTerritoryUnknown, weightTerritory/2)
	case slices.Contains(w.Municipalities, comune):
		add(ReasonTerritoryCovered, weightTerritory, comune)
	default:
		add(ReasonTerritoryNotCovered, 0, comune)
	}
	capacity := max(w.Capacity, 1)
	open, capArg := strconv.Itoa(w.Open), strconv.Itoa(capacity)
	if w.Open >= capacity {
		m.Full = true
		add(ReasonFull, -penaltyFull, open, capArg)
	} else {
		add(ReasonCaseload, weightCaseload*(capacity-w.Open)/capacity, open, capArg)
	}
	switch {
	case language == "" || language == "it":
		add(ReasonLanguageNeutral, weightLanguage)
	case slices.Contains(w.Languages, language):
		add(ReasonLanguageSpoken, weightLanguage, language)
	default:
		add(ReasonLanguageNotSpoken, 0, language)
	}
	if len(needed) == 0 {
		add(ReasonSkillsNone, weightSkills)
	} else {
		var had, missing []string
		for _, sk := range needed {
			if slices.Contains(w.Skills, sk) {
				had = append(had, sk)
			} else {
				missing = append(missing, sk)
			}
		}
		if len(had) > 0 {
			add(ReasonSkillsHad, weightSkills*len(had)/len(needed), strconv.Itoa(len(had)), strconv.Itoa(len(needed)), strings.Join(had, ","))
		}
		if len(missing) > 0 {
			add(ReasonSkillsMissing, 0, strings.Join(missing, ","))
		}
	}
	m.Score = min(max(m.Score, 0), 100)
	return m
}
