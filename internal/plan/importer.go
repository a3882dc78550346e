package plan

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// ImportFile is a district's plans, partners and meetings as documents describe them
// (deploy/demo/<slug>.yaml holds the demo districts' real plans).
type ImportFile struct {
	Partners []PartnerInput  `yaml:"partners"`
	Meetings []ImportMeeting `yaml:"meetings"`
	Plans    []ImportPlan    `yaml:"plans"`
}

// ImportMeeting is a meeting, optionally of a plan named by title.
type ImportMeeting struct {
	Plan         string         `yaml:"plan"`
	HeldOn       string         `yaml:"held_on"`
	Kind         string         `yaml:"kind"`
	Theme        string         `yaml:"theme"`
	Notes        string         `yaml:"notes"`
	Participants map[string]int `yaml:"participants"`
}

// ImportPlan is a plan with its objectives, in the status it has reached.
type ImportPlan struct {
	Title      string            `yaml:"title"`
	StartYear  int               `yaml:"start_year"`
	EndYear    int               `yaml:"end_year"`
	Status     Status            `yaml:"status"`
	Objectives []ImportObjective `yaml:"objectives"`
}

// ImportObjective is an objective with everything hanging from it.
type ImportObjective struct {
	Title              string             `yaml:"title"`
	Description        string             `yaml:"description"`
	AreaCode           string             `yaml:"area_code"`
	ItemCode           string             `yaml:"item_code"`
	Marker             string             `yaml:"marker"`
	Target             string             `yaml:"target"`
	EconomicResources  string             `yaml:"economic_resources"`
	StaffResources     string             `yaml:"staff_resources"`
	Transversal        bool               `yaml:"transversal"`
	TransversalAreas   string             `yaml:"transversal_areas"`
	SocioSanitary      bool               `yaml:"socio_sanitary"`
	ContinuityPrevious bool               `yaml:"continuity_previous"`
	CoDesigned         bool               `yaml:"co_designed"`
	CoDesignPartners   string             `yaml:"co_design_partners"`
	Needs              string             `yaml:"needs"`
	ProcessModalities  string             `yaml:"process_modalities"`
	ExpectedResults    string             `yaml:"expected_results"`
	Impact             string             `yaml:"impact"`
	Timing             string             `yaml:"timing"`
	Premialita         bool               `yaml:"premialita"`
	Indicators         []ImportIndicator  `yaml:"indicators"`
	Budget             []ImportBudgetLine `yaml:"budget"`
	Evaluations        []ImportEvaluation `yaml:"evaluations"`
	Assignments        []ImportAssignment `yaml:"assignments"`
}

// ImportIndicator is an indicator with its measurements.
type ImportIndicator struct {
	Kind         IndicatorKind       `yaml:"kind"`
	Name         string              `yaml:"name"`
	Unit         string              `yaml:"unit"`
	Baseline     *float64            `yaml:"baseline"`
	BaselineNote string              `yaml:"baseline_note"`
	Target       *float64            `yaml:"target"`
	Direction    Direction           `yaml:"direction"`  // crescente (default), decrescente, intervallo
	TargetMin    *float64            `yaml:"target_min"` // the range of an intervallo indicator
	TargetMax    *float64            `yaml:"target_max"`
	Binding      *ImportBinding      `yaml:"binding"` // a figure of the pathways: then no measurements
	Measurements []MeasurementImport `yaml:"measurements"`
}

// ImportBinding binds an indicator to a figure of the district's pathways (Binding).
type ImportBinding struct {
	Programme string `yaml:"programme"`
	Figure    string `yaml:"figure"`
}

// MeasurementImport is a measured value.
type MeasurementImport struct {
	Period string  `yaml:"period"`
	Value  float64 `yaml:"value"`
	Source string  `yaml:"source"`
	Note   string  `yaml:"note"`
}

// ImportBudgetLine is a budget line in euros, as documents write amounts.
type ImportBudgetLine struct {
	Year         int     `yaml:"year"`
	SourceCode   string  `yaml:"source_code"`
	StanziatoEUR float64 `yaml:"stanziato_eur"`
	ImpegnatoEUR float64 `yaml:"impegnato_eur"`
	LiquidatoEUR float64 `yaml:"liquidato_eur"`
	Note         string  `yaml:"note"`
}

// ImportEvaluation is an evaluation sheet.
type ImportEvaluation struct {
	Year               int    `yaml:"year"`
	AchievementPct     *int   `yaml:"achievement_pct"`
	UserEvaluation     string `yaml:"user_evaluation"`
	UserEvaluationNote string `yaml:"user_evaluation_note"`
	ResourceMatchPct   *int   `yaml:"resource_match_pct"`
	ResourceMatchNote  string `yaml:"resource_match_note"`
	Issues             string `yaml:"issues"`
	NeedMet            string `yaml:"need_met"`
	NeedMetNote        string `yaml:"need_met_note"`
	ContinuityPrevious *bool  `yaml:"continuity_previous"`
	ContinuityNote     string `yaml:"continuity_note"`
	ProposedAgain      *bool  `yaml:"proposed_again"`
	ProposedAgainNote  string `yaml:"proposed_again_note"`
}

// ImportAssignment entrusts an activity to a partner named by code.
type ImportAssignment struct {
	Partner  string `yaml:"partner"`
	Activity string `yaml:"activity"`
	// AssignedOn (YYYY-MM-DD) is the day it was entrusted, as the documents say; absent, the
	// page says "non indicata" rather than showing the day of the import.
	AssignedOn string   `yaml:"assigned_on"`
	Budget     *float64 `yaml:"budget"` // euro
}

// ImportReport says what an import did.
type ImportReport struct {
	Partners, Plans, Objectives, Meetings int
	SkippedPlans                          []string // already there, by title: imports are idempotent
	// AssignmentsDated counts the assignments of plans already there that the file now dates.
	AssignmentsDated int
}

// cents converts euros as written in documents to cents, refusing what is not a whole cent.
// The comparisons are written so that NaN (YAML's .nan) fails them: it is no amount, and
// converting it to int64 gives a different number on each architecture.
func cents(eur float64, field string) (int64, error) {
	c := math.Round(eur * 100)
	if !(eur >= 0) || !(math.Abs(c-eur*100) <= 1e-6) || !(c <= maxCents) {
		return 0, apperr.Invalidf(field, "importo non valido: %v", "invalid amount: %v", eur)
	}
	return int64(c), nil
}

// Import writes a district's plans, partners and meetings in one transaction, as recorded
// facts (a closed plan comes in closed, with its history noted as imported). Plans whose
// title is already there, and partners whose code is, are left alone.
func (s *Service) Import(ctx context.Context, actor Actor, f ImportFile) (ImportReport, error) {
	var rep ImportReport
	err := s.write(ctx, actor, func(tx *tenancy.Tx) error {
		partnerIDs := map[string]int64{}
		for i, in := range f.Partners {
			if err := in.validate(); err != nil {
				return prefix(fmt.Sprintf("partners[%d]", i), err)
			}
			var ids []int64
			if err := tx.Model(&Partner{}).Where("code = ?", in.Code).Pluck("id", &ids).Error; err != nil {
				return err
			}
			if len(ids) == 0 {
				p := Partner{Code: in.Code, Name: in.Name, Kind: in.Kind, Note: in.Note}
				if err := tx.Create(&p).Error; err != nil {
					return storeError(err, "partner")
				}
				ids = []int64{p.ID}
				rep.Partners++
			}
			partnerIDs[in.Code] = ids[0]
		}
		planIDs := map[string]int64{}
		for i, ip := range f.Plans {
			field := fmt.Sprintf("plans[%d]", i)
			var existing []int64
			if err := tx.Model(&Plan{}).Where("title = ?", ip.Title).Pluck("id", &existing).Error; err != nil {
				return err
			}
			if len(existing) > 0 {
				planIDs[ip.Title] = existing[0]
				rep.SkippedPlans = append(rep.SkippedPlans, ip.Title)
				n, err := dateAssignments(tx, existing[0], ip, partnerIDs)
				if err != nil {
					return prefix(field, err)
				}
				rep.AssignmentsDated += n
				continue
			}
			id, n, err := importPlan(tx, actor, ip, partnerIDs, s.programmes)
			if err != nil {
				return prefix(field, err)
			}
			planIDs[ip.Title] = id
			rep.Plans++
			rep.Objectives += n
		}
		for i, m := range f.Meetings {
			var planID *int64
			if m.Plan != "" {
				id, ok := planIDs[m.Plan]
				if !ok {
					return apperr.Invalidf(fmt.Sprintf("meetings[%d].plan", i), "piano %q non presente nel file", "plan %q is not in the file", m.Plan)
				}
				planID = &id
			}
			in := MeetingInput{PlanID: planID, HeldOn: m.HeldOn, Kind: m.Kind, Theme: m.Theme, Notes: m.Notes, Participants: m.Participants}
			if err := in.validate(); err != nil {
				return prefix(fmt.Sprintf("meetings[%d]", i), err)
			}
			var n int64
			if err := tx.Model(&Meeting{}).Where("held_on = ? AND theme = ?", m.HeldOn, in.Theme).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			mt := Meeting{PlanID: planID, HeldOn: m.HeldOn, Kind: m.Kind, Theme: in.Theme, Notes: m.Notes}
			if err := tx.Create(&mt).Error; err != nil {
				return storeError(err, "incontro")
			}
			for t, c := range m.Participants {
				if err := tx.Exec(`INSERT INTO meeting_participants (meeting_id, participant_type, count) VALUES (?, ?, ?)`, mt.ID, t, c).Error; err != nil {
					return err
				}
			}
			rep.Meetings++
		}
		return nil
	})
	return rep, err
}

func importPlan(tx *tenancy.Tx, actor Actor, ip ImportPlan, partners map[string]int64, programmes map[string]facts.ProgrammeFacts) (int64, int, error) {
	in := PlanInput{Title: ip.Title, StartYear: ip.StartYear, EndYear: ip.EndYear}
	if err := in.validate(); err != nil {
		return 0, 0, err
	}
	if !contains(Statuses, ip.Status) {
		return 0, 0, apperr.Invalidf("status", "stato non valido %q", "invalid status %q", ip.Status)
	}
	p := Plan{Title: in.Title, StartYear: in.StartYear, EndYear: in.EndYear, Status: ip.Status, Version: 1}
	if ip.Status == Approved || ip.Status == Closed {
		now := time.Now()
		p.ApprovedAt = &now
	}
	if err := tx.Create(&p).Error; err != nil {
		return 0, 0, storeError(err, "piano")
	}
	if err := tx.Create(&Transition{PlanID: p.ID, ToStatus: string(ip.Status), ActorID: actor.ID, ActorName: actor.Name,
		Note: "importato dai documenti del piano"}).Error; err != nil {
		return 0, 0, err
	}
	for j, io := range ip.Objectives {
		if err := importObjective(tx, actor, p, j+1, io, partners, programmes); err != nil {
			return 0, 0, prefix(fmt.Sprintf("objectives[%d]", j), err)
		}
	}
	return p.ID, len(ip.Objectives), nil
}

func importObjective(tx *tenancy.Tx, actor Actor, p Plan, pos int, io ImportObjective, partners map[string]int64,
	programmes map[string]facts.ProgrammeFacts) error {
	o := Objective{PlanID: p.ID, Position: pos, Title: io.Title, Description: io.Description, AreaCode: io.AreaCode,
		Marker: io.Marker, Target: io.Target, EconomicResources: io.EconomicResources, StaffResources: io.StaffResources,
		Transversal: io.Transversal, TransversalAreas: io.TransversalAreas, SocioSanitary: io.SocioSanitary,
		ContinuityPrevious: io.ContinuityPrevious, CoDesigned: io.CoDesigned, CoDesignPartners: io.CoDesignPartners,
		Needs: io.Needs, ProcessModalities: io.ProcessModalities, ExpectedResults: io.ExpectedResults, Impact: io.Impact,
		Timing: io.Timing, Premialita: io.Premialita}
	if io.ItemCode != "" {
		o.ItemCode = &io.ItemCode
	}
	if err := o.validate(tx); err != nil {
		return err
	}
	if err := tx.Create(&o).Error; err != nil {
		return storeError(err, "obiettivo")
	}
	for k, ii := range io.Indicators {
		ind := Indicator{ObjectiveID: o.ID, Position: k + 1, Kind: ii.Kind, Name: ii.Name, Unit: ii.Unit, Baseline: ii.Baseline, BaselineNote: ii.BaselineNote, Target: ii.Target,
			Direction: ii.Direction, TargetMin: ii.TargetMin, TargetMax: ii.TargetMax}
		if ii.Binding != nil {
			ind.Binding = Binding{Programme: ii.Binding.Programme, Figure: ii.Binding.Figure}
		}
		if err := ind.validate(); err != nil {
			return prefix(fmt.Sprintf("indicators[%d]", k), err)
		}
		if err := ind.Binding.checkKnown(programmes); err != nil {
			return prefix(fmt.Sprintf("indicators[%d]", k), err)
		}
		if ind.Binding.Bound() && len(ii.Measurements) > 0 {
			return prefix(fmt.Sprintf("indicators[%d]", k), errBoundMeasurement)
		}
		if err := tx.Omit("created_at", "updated_at").Create(&ind).Error; err != nil {
			return storeError(err, "indicatore")
		}
		for l, m := range ii.Measurements {
			in := MeasurementInput{Period: m.Period, Value: &m.Value, Source: m.Source, Note: m.Note}
			err := in.validate()
			if err == nil {
				err = in.validateFor(ind, p)
			}
			if err != nil {
				return prefix(fmt.Sprintf("indicators[%d].measurements[%d]", k, l), err)
			}
			if err := tx.Create(&Measurement{IndicatorID: ind.ID, Period: in.Period, Value: *in.Value, Source: in.Source, Note: in.Note,
				RecordedBy: actor.ID, RecordedAt: time.Now()}).Error; err != nil {
				return storeError(err, "misurazione")
			}
		}
	}
	lines := make([]BudgetLineInput, len(io.Budget))
	for k, b := range io.Budget {
		f := fmt.Sprintf("budget[%d]", k)
		st, err := cents(b.StanziatoEUR, f+".stanziato_eur")
		if err != nil {
			return err
		}
		im, err := cents(b.ImpegnatoEUR, f+".impegnato_eur")
		if err != nil {
			return err
		}
		li, err := cents(b.LiquidatoEUR, f+".liquidato_eur")
		if err != nil {
			return err
		}
		lines[k] = BudgetLineInput{Year: b.Year, SourceCode: b.SourceCode, StanziatoCents: st, ImpegnatoCents: im, LiquidatoCents: li, Note: b.Note}
	}
	if err := validateBudgetLines("budget", lines); err != nil {
		return err
	}
	if err := knownSources(tx, "budget", lines); err != nil {
		return err
	}
	if _, err := insertBudgetLines(tx, o.ID, lines); err != nil {
		return prefix("budget", err)
	}
	for k, ie := range io.Evaluations {
		e := Evaluation{ObjectiveID: o.ID, Year: ie.Year, AchievementPct: ie.AchievementPct, UserEvaluation: ie.UserEvaluation,
			UserEvaluationNote: ie.UserEvaluationNote, ResourceMatchPct: ie.ResourceMatchPct, ResourceMatchNote: ie.ResourceMatchNote,
			Issues: ie.Issues, NeedMet: ie.NeedMet, NeedMetNote: ie.NeedMetNote, ContinuityPrevious: ie.ContinuityPrevious,
			ContinuityNote: ie.ContinuityNote, ProposedAgain: ie.ProposedAgain, ProposedAgainNote: ie.ProposedAgainNote,
			UpdatedBy: actor.ID, UpdatedAt: time.Now()}
		if err := checkYearInPlan("year", e.Year, p); err != nil {
			return prefix(fmt.Sprintf("evaluations[%d]", k), err)
		}
		if err := e.validate(); err != nil {
			return prefix(fmt.Sprintf("evaluations[%d]", k), err)
		}
		if err := tx.Create(&e).Error; err != nil {
			return storeError(err, "valutazione")
		}
	}
	for k, a := range io.Assignments {
		pid, ok := partners[a.Partner]
		if !ok {
			return apperr.Invalidf(fmt.Sprintf("assignments[%d].partner", k), "partner %q non presente nel file", "partner %q is not in the file", a.Partner)
		}
		in := AssignmentInput{PartnerID: pid, Activity: a.Activity, AssignedOn: a.AssignedOn}
		if a.Budget != nil {
			c, err := cents(*a.Budget, fmt.Sprintf("assignments[%d].budget", k))
			if err != nil {
				return err
			}
			in.BudgetCents = &c
		}
		if err := in.validate(); err != nil {
			return prefix(fmt.Sprintf("assignments[%d]", k), err)
		}
		as := Assignment{ObjectiveID: o.ID, PartnerID: pid, Activity: in.Activity, BudgetCents: in.BudgetCents}
		if in.AssignedOn != "" {
			as.AssignedOn = in.assignedOn(time.Now())
		}
		if err := tx.Omit("objective_title", "partner_name", "plan_id").Create(&as).Error; err != nil {
			return storeError(err, "incarico")
		}
	}
	return nil
}

// prefix puts a path in front of an invalid error's field (objectives[3].title).
func prefix(path string, err error) error {
	return mapFields(err, func(field string) string {
		if field == "" {
			return path
		}
		return path + "." + field
	})
}
