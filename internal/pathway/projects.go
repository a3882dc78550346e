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

// The statuses of a project version: a draft, signed by every party (and frozen), or
// superseded by a later signed version.
const (
	projectDraft      = "bozza"
	projectSigned     = "firmato"
	projectSuperseded = "superato"
)

// ProjectInput is the content of a Progetto Individualizzato: what it gives and what each
// party commits to.
type ProjectInput struct {
	Supports    []Support   `json:"supports"`
	Commitments Commitments `json:"commitments"`
}

// SignInput names the party whose signature is recorded.
type SignInput struct {
	Party string `json:"party"`
}

var (
	errProjectNotFound = apperr.New(apperr.NotFound, "progetto non trovato", "project not found")
	errNoProject       = apperr.New(apperr.Conflict, "il programma non prevede un Progetto Individualizzato firmato dalle parti",
		"the programme has no Individual Project signed by the parties").WithField("programme")
	errProjectFrozen = apperr.New(apperr.Conflict,
		"questa versione del Progetto Individualizzato è già firmata: le modifiche vanno in una nuova versione",
		"this version of the Individual Project is already signed: changes go into a new version")
)

// SaveProject saves the pathway's Progetto Individualizzato: it rewrites the current draft
// (whose signatures, given to other content, are removed), or, when the latest version is
// signed or there is none, starts version n+1 as a draft. A signed version never changes.
// Conflict ("programme") for a programme without signatures; Invalid (Field) for a support
// without kind or provider or a text too long.
func (s *Service) SaveProject(ctx context.Context, a actor.Actor, pathwayID string, in ProjectInput) (Project, error) {
	var out Project
	err := s.work(ctx, a, func(ses *session) error {
		t, err := ses.openForRecord(pathwayID, false)
		if err != nil {
			return err
		}
		if len(t.prog.Signatures) == 0 {
			return errNoProject
		}
		if err := checkProject(&in); err != nil {
			return err
		}
		supports, _ := json.Marshal(in.Supports)
		commitments, _ := json.Marshal(in.Commitments)
		supEnc, err := ses.seal(t, "supports_enc", string(supports))
		if err != nil {
			return err
		}
		comEnc, err := ses.seal(t, "commitments_enc", string(commitments))
		if err != nil {
			return err
		}
		latest, err := ses.latestProject(t.ID)
		if err != nil {
			return err
		}
		id, action := "", "update"
		if latest != nil && latest.Status == projectDraft {
			id = latest.ID
			if err := ses.Exec(`DELETE FROM project_signatures WHERE project_id = ?`, id).Error; err != nil {
				return recordError(err, "progetto")
			}
			err = ses.Exec(`UPDATE projects SET supports_enc = ?, commitments_enc = ? WHERE id = ? AND status = ?`,
				supEnc, comEnc, id, projectDraft).Error
		} else {
			version := 1
			if latest != nil {
				version = latest.Version + 1
			}
			id, action = uuid.NewString(), "create"
			err = ses.Exec(`INSERT INTO projects (id, pathway_id, version, supports_enc, commitments_enc, status, created_by, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, t.ID, version, supEnc, comEnc, projectDraft, a.ID, s.now()).Error
		}
		if err != nil {
			return recordError(err, "progetto")
		}
		if err := ses.recorded(t, "project", "progetto", action, id, projectDraft); err != nil {
			return err
		}
		out, err = ses.project(t.Pathway, id)
		return err
	})
	return out, err
}

// SignProject records party's signature of a draft version. The party must be one the
// programme names (Invalid "party") and the actor must hold its action (Forbidden; health
// staff sign for their own body, not for the person); each party signs a version once
// (Conflict). When every party has signed, the version is firmato, dated and frozen, and the
// version signed before it is superato. A version already signed or superseded: Conflict.
func (s *Service) SignProject(ctx context.Context, a actor.Actor, pathwayID, projectID, party string) (Project, error) {
	var out Project
	err := s.work(ctx, a, func(ses *session) error {
		t, err := ses.openForRecord(pathwayID, true)
		if err != nil {
			return err
		}
		if len(t.prog.Signatures) == 0 {
			return errNoProject
		}
		sig, ok := t.prog.Signatory(party)
		if !ok {
			parties := make([]string, len(t.prog.Signatures))
			for i, x := range t.prog.Signatures {
				parties[i] = x.Party
			}
			return recOneOf("party", party, parties...)
		}
		if !a.Can(object, sig.Action) || (t.reach == reachHealth && sig.Action == actWrite) {
			return apperr.New(apperr.Forbidden, "non autorizzato a firmare per: "+sig.Name, "not allowed to sign for: "+sig.NameEN)
		}
		if err := recID(projectID, errProjectNotFound); err != nil {
			return err
		}
		var rows []projectRow
		if err := ses.Raw(projectColumns+` WHERE id = ? AND pathway_id = ? FOR UPDATE`, projectID, t.ID).Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return errProjectNotFound
		}
		if rows[0].Status != projectDraft {
			return errProjectFrozen
		}
		now := s.now()
		res := ses.Exec(`INSERT INTO project_signatures (project_id, party, signer_id, signer_name, signed_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, projectID, party, a.ID, a.Name, now)
		if res.Error != nil {
			return recordError(res.Error, "firma")
		}
		if res.RowsAffected == 0 {
			return apperr.New(apperr.Conflict, "questa parte ha già firmato questa versione: "+sig.Name,
				"this party already signed this version: "+sig.NameEN).WithField("party")
		}
		var signed int64
		if err := ses.Raw(`SELECT count(*) FROM project_signatures WHERE project_id = ?`, projectID).Scan(&signed).Error; err != nil {
			return err
		}
		detail := party
		if int(signed) == len(t.prog.Signatures) {
			if err := ses.Exec(`UPDATE projects SET status = ? WHERE pathway_id = ? AND status = ?`,
				projectSuperseded, t.ID, projectSigned).Error; err != nil {
				return recordError(err, "progetto")
			}
			if err := ses.Exec(`UPDATE projects SET status = ?, signed_at = ? WHERE id = ?`,
				projectSigned, now, projectID).Error; err != nil {
				return recordError(err, "progetto")
			}
			detail += " " + projectSigned
		}
		if err := ses.recorded(t, "signature", "firma", "create", projectID, detail); err != nil {
			return err
		}
		out, err = ses.project(t.Pathway, projectID)
		return err
	})
	return out, err
}

// checkProject validates a project's content.
func checkProject(in *ProjectInput) error {
	if len(in.Supports) > 50 {
		return apperr.Invalidf("supports", "al massimo 50 sostegni", "at most 50 supports")
	}
	var err error
	for i := range in.Supports {
		x, f := &in.Supports[i], fmt.Sprintf("supports[%d]", i)
		if x.Kind, err = recText(f+".kind", x.Kind, true, 200); err != nil {
			return err
		}
		if x.Provider, err = recText(f+".provider", x.Provider, true, 200); err != nil {
			return err
		}
		if x.Frequency, err = recText(f+".frequency", x.Frequency, false, 200); err != nil {
			return err
		}
		if x.Funding, err = recText(f+".funding", x.Funding, false, 200); err != nil {
			return err
		}
	}
	c := &in.Commitments
	for _, x := range []struct {
		field string
		v     *string
	}{{"commitments.persona", &c.Person}, {"commitments.famiglia", &c.Family}, {"commitments.comune", &c.Comune}, {"commitments.asst", &c.ASST}} {
		if *x.v, err = recText(x.field, *x.v, false, 4000); err != nil {
			return err
		}
	}
	if in.Supports == nil {
		in.Supports = []Support{}
	}
	return nil
}

// projectRow is a projects row.
type projectRow struct {
	ID             string
	Version        int
	Status         string
	SupportsEnc    []byte
	CommitmentsEnc []byte
	CreatedAt      time.Time
	SignedAt       *time.Time
}

const projectColumns = `SELECT id::text, version, status, supports_enc, commitments_enc, created_at, signed_at FROM projects`

// latestProject is the pathway's highest version, locked; nil when there is none.
func (s *session) latestProject(pathwayID string) (*projectRow, error) {
	var rows []projectRow
	if err := s.Raw(projectColumns+` WHERE pathway_id = ? ORDER BY version DESC LIMIT 1 FOR UPDATE`, pathwayID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// project reads one version of p's project with its signatures, decrypted.
func (s *session) project(p Pathway, id string) (Project, error) {
	ps, err := s.projectsWhere(p, "id = ?", id)
	if err != nil {
		return Project{}, err
	}
	if len(ps) == 0 {
		return Project{}, errProjectNotFound
	}
	return ps[0], nil
}

// projects reads every version of the pathway's project, newest first, with signatures.
func (s *session) projects(p Pathway) ([]Project, error) { return s.projectsWhere(p, "TRUE") }

func (s *session) projectsWhere(p Pathway, cond string, args ...any) ([]Project, error) {
	var rows []projectRow
	if err := s.Raw(projectColumns+` WHERE pathway_id = ? AND `+cond+` ORDER BY version DESC`,
		append([]any{p.ID}, args...)...).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Project, 0, len(rows))
	for _, r := range rows {
		pr := Project{ID: r.ID, PathwayID: p.ID, Version: r.Version, Status: r.Status, CreatedAt: r.CreatedAt,
			SignedAt: r.SignedAt, Supports: []Support{}, Signatures: []Signature{}}
		for _, f := range []struct {
			column string
			sealed []byte
			into   any
		}{{"supports_enc", r.SupportsEnc, &pr.Supports}, {"commitments_enc", r.CommitmentsEnc, &pr.Commitments}} {
			plain, err := s.keys.Open(p.PersonID, f.column, f.sealed)
			if err != nil {
				return nil, err
			}
			if err := json.Unmarshal([]byte(plain), f.into); err != nil {
				return nil, fmt.Errorf("pathway: project %s: %w", r.ID, err)
			}
		}
		if err := s.Raw(`SELECT party, signer_name, signed_at FROM project_signatures WHERE project_id = ? ORDER BY signed_at, party`,
			r.ID).Scan(&pr.Signatures).Error; err != nil {
			return nil, err
		}
		out = append(out, pr)
	}
	return out, nil
}
