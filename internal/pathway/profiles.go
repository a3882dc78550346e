package pathway

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
)

// The link workers' profiles: the comuni each covers, how many open pathways they can hold,
// the languages they speak and their skills. Staff data, not the people's: no keyring, no
// audit of a person; the coordinator (action match) reads and edits them for the matching
// board (match.go).

// actMatch is the coordinator's matching board and the link workers' profiles.
const actMatch = "match"

// defaultCapacity is a link worker's capacity until their profile says otherwise (the
// column's default).
const defaultCapacity = 15

// Skill is a link worker's skill a programme weighs, with the assessment domains whose needs it
// answers (a domain assessed at level 2 or more asks for it).
type Skill struct {
	Label   `yaml:",inline"`
	Domains []string `yaml:"domains" json:"domains,omitempty"`
}

// checkSkills refuses an empty or repeated skill, or one naming a domain the programme lacks.
func (p Programme) checkSkills() error {
	seen := map[string]bool{}
	for _, sk := range p.Skills {
		if !skillShape.MatchString(sk.Code) || sk.Name == "" || sk.NameEN == "" || seen[sk.Code] {
			return fmt.Errorf("skill %q: empty, badly shaped or repeated", sk.Code)
		}
		seen[sk.Code] = true
		for _, d := range sk.Domains {
			if _, ok := p.Domain(d); !ok {
				return fmt.Errorf("skill %q: unknown domain %q", sk.Code, d)
			}
		}
	}
	return nil
}

var skillShape = regexp.MustCompile(`^[a-z][a-z0-9_]{1,40}$`)

// Skills is the vocabulary of every programme's skills, by code (the first programme by code
// names a skill two programmes share), sorted by code.
func (ps Programmes) Skills() []Label {
	seen := map[string]bool{}
	var out []Label
	for _, p := range ps.Sorted() {
		for _, sk := range p.Skills {
			if !seen[sk.Code] {
				seen[sk.Code] = true
				out = append(out, sk.Label)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// LinkWorker is a link worker the coordinator may assign pathways to, with their open
// pathways and their profile (the defaults when none was written: Profiled false).
type LinkWorker struct {
	Worker
	Profiled       bool       `json:"profiled"`
	Capacity       int        `json:"capacity"`
	Municipalities []string   `json:"municipalities"` // names of the comuni covered, sorted
	Languages      []string   `json:"languages"`
	Skills         []string   `json:"skills"`
	UpdatedAt      *time.Time `json:"updated_at,omitempty"`
}

// ProfileInput is a link worker's whole profile, as PUT replaces it.
type ProfileInput struct {
	Municipalities []string `json:"municipalities"` // comuni of the district, by name
	Capacity       int      `json:"capacity"`       // 1–200; 0 (omitted) is the default, 15
	Languages      []string `json:"languages"`      // ISO 639 codes
	Skills         []string `json:"skills"`         // codes of the programmes' skills
}

// LinkWorkers lists the district's link workers (the staff directory's, or the known
// assignees) with their open pathways and profiles, by name. Forbidden without match.
func (s *Service) LinkWorkers(ctx context.Context, a actor.Actor) ([]LinkWorker, error) {
	if err := need(a, actMatch); err != nil {
		return nil, err
	}
	var out []LinkWorker
	err := s.work(ctx, a, func(ses *session) error {
		var err error
		out, err = ses.linkWorkers(ctx)
		return err
	})
	return out, err
}

// SetProfile replaces the profile of link worker id. Forbidden without match; NotFound for
// someone who is not one of the district's link workers; Invalid (Field municipalities,
// capacity, languages or skills) for an unknown comune, skill or language or a capacity out of
// 1–200.
func (s *Service) SetProfile(ctx context.Context, a actor.Actor, id string, in ProfileInput) (LinkWorker, error) {
	if err := need(a, actMatch); err != nil {
		return LinkWorker{}, err
	}
	var out LinkWorker
	err := s.work(ctx, a, func(ses *session) error {
		ws, err := ses.workers(ctx)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(ws, func(w Worker) bool { return w.ID == id })
		if i < 0 {
			return errWorkerNotFound
		}
		row, err := ses.profileRow(in)
		if err != nil {
			return err
		}
		comuni, _ := json.Marshal(row.municipalityIDs)
		langs, _ := json.Marshal(row.languages)
		skills, _ := json.Marshal(row.skills)
		// The arrays travel as JSON: GORM would expand a Go slice into a list of values.
		err = ses.Exec(`INSERT INTO link_worker_profiles (identity_id, name, municipality_ids, capacity, languages, skills, updated_at, updated_by)
			VALUES (?, ?, ARRAY(SELECT jsonb_array_elements_text(?::jsonb)::bigint), ?,
				ARRAY(SELECT jsonb_array_elements_text(?::jsonb)), ARRAY(SELECT jsonb_array_elements_text(?::jsonb)), ?, ?)
			ON CONFLICT (identity_id) DO UPDATE SET name = EXCLUDED.name, municipality_ids = EXCLUDED.municipality_ids,
				capacity = EXCLUDED.capacity, languages = EXCLUDED.languages, skills = EXCLUDED.skills,
				updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
			id, ws[i].Name, string(comuni), row.capacity, string(langs), string(skills), s.now(), a.ID).Error
		if err != nil {
			return err
		}
		all, err := ses.linkWorkers(ctx)
		if err != nil {
			return err
		}
		out = all[slices.IndexFunc(all, func(w LinkWorker) bool { return w.ID == id })]
		return nil
	})
	return out, err
}

var errWorkerNotFound = apperr.New(apperr.NotFound, "link worker non trovato", "link worker not found")

// profileValues is a checked ProfileInput, as the table stores it.
type profileValues struct {
	municipalityIDs []int64
	capacity        int
	languages       []string
	skills          []string
}

// profileRow checks in against the district's comuni, the skills' vocabulary and ISO 639.
func (s *session) profileRow(in ProfileInput) (profileValues, error) {
	v := profileValues{capacity: in.Capacity, municipalityIDs: []int64{}, languages: []string{}, skills: []string{}}
	if v.capacity == 0 {
		v.capacity = defaultCapacity
	}
	if v.capacity < 1 || v.capacity > 200 {
		return v, apperr.Invalidf("capacity", "capacità: da 1 a 200 percorsi aperti", "capacity: from 1 to 200 open pathways")
	}
	if len(in.Municipalities) > 500 || len(in.Languages) > 30 || len(in.Skills) > 50 {
		return v, apperr.Invalidf("municipalities", "troppi valori", "too many values")
	}
	for _, name := range in.Municipalities {
		id, err := s.municipality("municipalities", strings.TrimSpace(name))
		if _, bad := apperr.As(err); bad {
			return v, apperr.Invalidf("municipalities", "comune sconosciuto nel distretto: %s", "not a comune of the district: %s", name)
		} else if err != nil {
			return v, err
		}
		if id != nil && !slices.Contains(v.municipalityIDs, *id) {
			v.municipalityIDs = append(v.municipalityIDs, *id)
		}
	}
	for _, l := range in.Languages {
		l = strings.ToLower(strings.TrimSpace(l))
		if !knownLanguage(l) {
			return v, apperr.Invalidf("languages", "lingua sconosciuta (codice ISO 639, per esempio it, en, ar): %s",
				"unknown language (an ISO 639 code, e.g. it, en, ar): %s", l)
		}
		if !slices.Contains(v.languages, l) {
			v.languages = append(v.languages, l)
		}
	}
	vocab := s.svc.programmes.Skills()
	for _, sk := range in.Skills {
		sk = strings.TrimSpace(sk)
		if !hasLabel(vocab, sk) {
			return v, apperr.Invalidf("skills", "competenza sconosciuta: %s", "unknown skill: %s", sk)
		}
		if !slices.Contains(v.skills, sk) {
			v.skills = append(v.skills, sk)
		}
	}
	sort.Slice(v.municipalityIDs, func(i, j int) bool { return v.municipalityIDs[i] < v.municipalityIDs[j] })
	sort.Strings(v.languages)
	sort.Strings(v.skills)
	return v, nil
}

// profileRecord is a link_worker_profiles row with its arrays as JSON and the comuni by name.
type profileRecord struct {
	IdentityID        string
	Capacity          int
	MunicipalityNames string // JSON array of the names of those still in the district
	LanguagesJSON     string
	SkillsJSON        string
	UpdatedAt         time.Time
}

// linkWorkers is ses.workers with each one's profile.
func (s *session) linkWorkers(ctx context.Context) ([]LinkWorker, error) {
	ws, err := s.workers(ctx)
	if err != nil {
		return nil, err
	}
	var recs []profileRecord
	err = s.Raw(`SELECT l.identity_id, l.capacity,
			(SELECT COALESCE(jsonb_agg(m.name ORDER BY m.name), '[]'::jsonb) FROM municipalities m WHERE m.id = ANY (l.municipality_ids))::text AS municipality_names,
			to_jsonb(l.languages)::text AS languages_json, to_jsonb(l.skills)::text AS skills_json, l.updated_at
		FROM link_worker_profiles l`).Scan(&recs).Error
	if err != nil {
		return nil, err
	}
	byID := map[string]profileRecord{}
	for _, r := range recs {
		byID[r.IdentityID] = r
	}
	out := make([]LinkWorker, len(ws))
	for i, w := range ws {
		lw := LinkWorker{Worker: w, Capacity: defaultCapacity, Municipalities: []string{}, Languages: []string{}, Skills: []string{}}
		if r, ok := byID[w.ID]; ok {
			lw.Profiled, lw.Capacity = true, r.Capacity
			at := r.UpdatedAt
			lw.UpdatedAt = &at
			for _, x := range []struct {
				src string
				dst *[]string
			}{{r.MunicipalityNames, &lw.Municipalities}, {r.LanguagesJSON, &lw.Languages}, {r.SkillsJSON, &lw.Skills}} {
				if err := json.Unmarshal([]byte(x.src), x.dst); err != nil {
					return nil, fmt.Errorf("pathway: profile of %s: %w", w.ID, err)
				}
			}
		}
		out[i] = lw
	}
	return out, nil
}

// knownLanguage says whether l is an ISO 639-1 code, or shaped as an ISO 639-2/3 one (three
// letters: too many to list, and rarely spoken by staff).
func knownLanguage(l string) bool {
	if len(l) == 3 {
		return languageShape.MatchString(l)
	}
	return len(l) == 2 && strings.Contains(iso6391, " "+l+" ")
}

// iso6391 are the ISO 639-1 codes.
const iso6391 = " aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy" +
	" da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz" +
	" ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo" +
	" lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps" +
	" pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn" +
	" to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu "
