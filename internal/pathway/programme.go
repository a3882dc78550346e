package pathway

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sort"

	"go.yaml.in/yaml/v3"
)

// Programme is a kind of pathway, defined by a file in programmes/: its stages in order, where
// people come from, the domains assessed, the outcome measures, the reasons for closing and
// the parties that sign its project.
type Programme struct {
	Code               string      `yaml:"code" json:"code"`
	Name               string      `yaml:"name" json:"name"`
	NameEN             string      `yaml:"name_en" json:"name_en"`
	Description        string      `yaml:"description" json:"description"`
	MinAge             int         `yaml:"min_age" json:"min_age"`
	MaxAge             int         `yaml:"max_age" json:"max_age"`
	RetentionYears     int         `yaml:"retention_years" json:"retention_years"`
	HealthNeedsConsent bool        `yaml:"health_needs_consent" json:"health_needs_consent"`
	Stages             []Label     `yaml:"stages" json:"stages"`
	Sources            []Label     `yaml:"sources" json:"sources"`
	Domains            []Domain    `yaml:"assessment_domains" json:"assessment_domains"`
	Outcomes           []string    `yaml:"outcome_measures" json:"outcome_measures"`
	ClosureReasons     []Label     `yaml:"closure_reasons" json:"closure_reasons"`
	Signatures         []Signatory `yaml:"signatures" json:"signatures"`
	Skills             []Skill     `yaml:"skills" json:"skills"` // the link workers' skills matching weighs (match.go)
}

// Label is a code with its Italian and English names.
type Label struct {
	Code   string `yaml:"code" json:"code"`
	Name   string `yaml:"name" json:"name"`
	NameEN string `yaml:"name_en" json:"name_en"`
}

// Domain is an assessment domain and who assesses it.
type Domain struct {
	Label    `yaml:",inline"`
	Assessor string `yaml:"assessor" json:"assessor"` // sociale | sanitaria
}

// Signatory is a party that signs the programme's project, and the action (on object
// "pathways") needed to record its signature.
type Signatory struct {
	Party  string `yaml:"party" json:"party"`
	Name   string `yaml:"name" json:"name"`
	NameEN string `yaml:"name_en" json:"name_en"`
	Action string `yaml:"action" json:"-"`
}

// FirstStage is where a pathway starts; ClosedStage where it ends.
func (p Programme) FirstStage() string { return p.Stages[0].Code }

// ClosedStage is the last stage: a pathway there is closed.
func (p Programme) ClosedStage() string { return p.Stages[len(p.Stages)-1].Code }

// StageIndex is the position of a stage, -1 if the programme has none of that code.
func (p Programme) StageIndex(code string) int {
	return slices.IndexFunc(p.Stages, func(l Label) bool { return l.Code == code })
}

// HasSource, HasDomain and HasClosureReason check a code against the programme's lists.
func (p Programme) HasSource(code string) bool { return hasLabel(p.Sources, code) }

// HasClosureReason reports whether code is one of the programme's reasons for closing.
func (p Programme) HasClosureReason(code string) bool { return hasLabel(p.ClosureReasons, code) }

// Domain returns the assessment domain of that code.
func (p Programme) Domain(code string) (Domain, bool) {
	i := slices.IndexFunc(p.Domains, func(d Domain) bool { return d.Code == code })
	if i < 0 {
		return Domain{}, false
	}
	return p.Domains[i], true
}

// Measures reports whether the programme uses an outcome measure (ons4, neet).
func (p Programme) Measures(m string) bool { return slices.Contains(p.Outcomes, m) }

// Signatory returns the signing party of that code.
func (p Programme) Signatory(party string) (Signatory, bool) {
	i := slices.IndexFunc(p.Signatures, func(s Signatory) bool { return s.Party == party })
	if i < 0 {
		return Signatory{}, false
	}
	return p.Signatures[i], true
}

func hasLabel(ls []Label, code string) bool {
	return slices.ContainsFunc(ls, func(l Label) bool { return l.Code == code })
}

// Programmes are the shipped programmes by code.
type Programmes map[string]Programme

// Sorted lists them by code.
func (ps Programmes) Sorted() []Programme {
	out := make([]Programme, 0, len(ps))
	for _, p := range ps {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

//go:embed programmes/*.yaml
var programmeFiles embed.FS

// LoadProgrammes reads and checks the shipped definitions.
func LoadProgrammes() (Programmes, error) {
	return loadProgrammes(programmeFiles)
}

func loadProgrammes(fsys fs.FS) (Programmes, error) {
	names, err := fs.Glob(fsys, "programmes/*.yaml")
	if err != nil {
		return nil, err
	}
	ps := Programmes{}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var p Programme
		if err := yaml.Unmarshal(b, &p); err != nil {
			return nil, fmt.Errorf("pathway: %s: %w", name, err)
		}
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("pathway: %s: %w", name, err)
		}
		if _, dup := ps[p.Code]; dup {
			return nil, fmt.Errorf("pathway: %s: programme %q defined twice", name, p.Code)
		}
		ps[p.Code] = p
	}
	return ps, nil
}

// check refuses a definition the code could not run: no stages, a duplicate code, a closed
// stage other than "chiusura", a domain without its assessor, a party without its action.
func (p Programme) check() error {
	if p.Code == "" || p.Name == "" || len(p.Stages) < 2 || len(p.ClosureReasons) == 0 || p.RetentionYears < 1 {
		return fmt.Errorf("code, name, two stages or more, closure reasons and retention_years are required")
	}
	if p.ClosedStage() != "chiusura" {
		return fmt.Errorf("the last stage must be chiusura, not %q", p.ClosedStage())
	}
	for _, list := range [][]Label{p.Stages, p.Sources, p.ClosureReasons} {
		seen := map[string]bool{}
		for _, l := range list {
			if l.Code == "" || l.Name == "" || l.NameEN == "" || seen[l.Code] {
				return fmt.Errorf("label %q: empty or repeated", l.Code)
			}
			seen[l.Code] = true
		}
	}
	for _, d := range p.Domains {
		if d.Assessor != "sociale" && d.Assessor != "sanitaria" {
			return fmt.Errorf("domain %q: assessor must be sociale or sanitaria", d.Code)
		}
	}
	for _, m := range p.Outcomes {
		if m != "ons4" && m != "neet" {
			return fmt.Errorf("unknown outcome measure %q", m)
		}
	}
	for _, s := range p.Signatures {
		if s.Party == "" || s.Action == "" {
			return fmt.Errorf("signature %q: party and action are required", s.Party)
		}
	}
	return p.checkSkills()
}
