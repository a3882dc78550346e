package pathway

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
)

// answers is what an assessment holds of the person, sealed as one JSON value (answers_enc).
type answers struct {
	Level int      `json:"level"`
	Needs []string `json:"needs,omitempty"`
	Notes string   `json:"notes,omitempty"`
}

// AddAssessment records the assessment of one of the programme's domains. Health staff (who
// see the pathway's health view, or hold read_health without read_all) assess the domains of
// the sanitaria assessor, social staff those of the sociale one, the coordinator both; the
// other kind is Forbidden. Invalid (Field) for a bad domain, level, date or text; NotFound for a
// pathway the actor does not see; Conflict for a closed or frozen one.
func (s *Service) AddAssessment(ctx context.Context, a actor.Actor, pathwayID string, in Assessment) (Assessment, error) {
	var out Assessment
	err := s.work(ctx, a, func(ses *session) error {
		t, err := ses.openForRecord(pathwayID, true)
		if err != nil {
			return err
		}
		if err := ses.checkAssessment(t, &in); err != nil {
			return err
		}
		plain, err := json.Marshal(answers{Level: in.Level, Needs: in.Needs, Notes: in.Notes})
		if err != nil {
			return err
		}
		sealed, err := ses.seal(t, "answers_enc", string(plain))
		if err != nil {
			return err
		}
		out = Assessment{ID: uuid.NewString(), PathwayID: t.ID, Domain: in.Domain, AssessorKind: in.AssessorKind,
			AssessedOn: in.AssessedOn, Level: in.Level, Needs: in.Needs, Notes: in.Notes, AssessorName: a.Name,
			CreatedAt: s.now()}
		err = ses.Exec(`INSERT INTO assessments (id, pathway_id, domain, assessor_kind, assessed_on, answers_enc,
			assessor_id, assessor_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			out.ID, t.ID, out.Domain, out.AssessorKind, out.AssessedOn, sealed, a.ID, a.Name, out.CreatedAt).Error
		if err != nil {
			return recordError(err, "valutazione")
		}
		return ses.recorded(t, "assessment", "valutazione", "create", out.ID, out.Domain)
	})
	return out, err
}

// checkAssessment validates in against the programme and the actor's side, filling the
// assessor kind from the domain.
func (s *session) checkAssessment(t recordTarget, in *Assessment) error {
	d, ok := t.prog.Domain(in.Domain)
	if !ok {
		codes := make([]string, len(t.prog.Domains))
		for i, x := range t.prog.Domains {
			codes[i] = x.Code
		}
		return recOneOf("domain", in.Domain, codes...)
	}
	if in.AssessorKind != "" && in.AssessorKind != d.Assessor {
		return apperr.Invalidf("assessor_kind", "il dominio è valutato dal valutatore %s", "the domain is assessed by the %s assessor", d.Assessor)
	}
	in.AssessorKind = d.Assessor
	if !s.mayAssess(t, d.Assessor) {
		if d.Assessor == "sociale" {
			return errHealthOnly
		}
		return apperr.New(apperr.Forbidden, "le valutazioni sanitarie sono registrate dal personale sanitario",
			"health assessments are recorded by health staff")
	}
	if in.Level < 0 || in.Level > 3 {
		return apperr.Invalidf("level", "livello da 0 (nessun bisogno) a 3 (bisogno grave)", "level from 0 (no need) to 3 (severe need)")
	}
	var err error
	if in.AssessedOn, err = s.recDay("assessed_on", in.AssessedOn, true, true); err != nil {
		return err
	}
	if len(in.Needs) > 30 {
		return apperr.Invalidf("needs", "al massimo 30 bisogni", "at most 30 needs")
	}
	for i := range in.Needs {
		if in.Needs[i], err = recText("needs", in.Needs[i], true, 200); err != nil {
			return err
		}
	}
	in.Notes, err = recText("notes", in.Notes, false, 10000)
	return err
}

// mayAssess says whether the actor records assessments of that assessor kind: health staff
// (read_health without read_all, or a health view) the sanitaria ones, the coordinator both,
// the other social staff the sociale ones.
func (s *session) mayAssess(t recordTarget, kind string) bool {
	a := s.Actor
	switch {
	case a.Can(object, actReadAll):
		return true
	case t.reach == reachHealth || a.Can(object, actReadHealth):
		return kind == "sanitaria"
	}
	return kind == "sociale"
}

// assessmentRow is an assessments row.
type assessmentRow struct {
	ID           string
	Domain       string
	AssessorKind string
	AssessedOn   string
	AnswersEnc   []byte
	AssessorName string
	CreatedAt    time.Time
}

// assessments reads the pathway's assessments, decrypted, newest first.
func (s *session) assessments(p Pathway) ([]Assessment, error) {
	var rows []assessmentRow
	if err := s.Raw(`SELECT id::text, domain, assessor_kind, assessed_on::text AS assessed_on, answers_enc,
		assessor_name, created_at FROM assessments WHERE pathway_id = ? ORDER BY assessed_on DESC, created_at DESC`,
		p.ID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Assessment, 0, len(rows))
	for _, r := range rows {
		plain, err := s.keys.Open(p.PersonID, "answers_enc", r.AnswersEnc)
		if err != nil {
			return nil, err
		}
		var ans answers
		if err := json.Unmarshal([]byte(plain), &ans); err != nil {
			return nil, fmt.Errorf("pathway: assessment %s: %w", r.ID, err)
		}
		out = append(out, Assessment{ID: r.ID, PathwayID: p.ID, Domain: r.Domain, AssessorKind: r.AssessorKind,
			AssessedOn: r.AssessedOn, Level: ans.Level, Needs: ans.Needs, Notes: ans.Notes,
			AssessorName: r.AssessorName, CreatedAt: r.CreatedAt})
	}
	return out, nil
}
