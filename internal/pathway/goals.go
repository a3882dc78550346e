package pathway

import (
	"context"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
)

// The statuses of a goal; a goal reached or abandoned has ended and keeps that status.
const (
	goalOpen      = "aperto"
	goalUnderway  = "in_corso"
	goalReached   = "raggiunto"
	goalAbandoned = "abbandonato"
)

var errGoalNotFound = apperr.New(apperr.NotFound, "obiettivo non trovato", "goal not found")

func goalEnded(status string) bool { return status == goalReached || status == goalAbandoned }

// AddGoal adds a goal to the individual action plan (status aperto unless given). Invalid
// (Field) for bad text, status, domain or dates; NotFound, Forbidden (health view) or Conflict
// (closed pathway) as every record write.
func (s *Service) AddGoal(ctx context.Context, a actor.Actor, pathwayID string, in Goal) (Goal, error) {
	var out Goal
	err := s.work(ctx, a, func(ses *session) error {
		t, err := ses.openForRecord(pathwayID, false)
		if err != nil {
			return err
		}
		if in.Status == "" {
			in.Status = goalOpen
		}
		if err := ses.checkGoal(t, &in); err != nil {
			return err
		}
		sealed, err := ses.seal(t, "text_enc", in.Text)
		if err != nil {
			return err
		}
		in.ID, in.PathwayID = uuid.NewString(), t.ID
		err = ses.Exec(`INSERT INTO goals (id, pathway_id, domain, text_enc, status, started_on, target_on, ended_on, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, '')::date, NULLIF(?, '')::date, ?)`,
			in.ID, t.ID, in.Domain, sealed, in.Status, in.StartedOn, in.TargetOn, in.EndedOn, s.now()).Error
		if err != nil {
			return recordError(err, "obiettivo")
		}
		out = in
		return ses.recorded(t, "goal", "obiettivo", "create", in.ID, in.Status)
	})
	return out, err
}

// UpdateGoal changes a goal: the fields given (not empty) replace the goal's. A goal moving
// to raggiunto or abbandonato needs ended_on; one back to aperto or in_corso loses it; an
// ended goal keeps its status (a new goal is added instead). NotFound for a goal not of this
// pathway.
func (s *Service) UpdateGoal(ctx context.Context, a actor.Actor, pathwayID, goalID string, in Goal) (Goal, error) {
	var out Goal
	err := s.work(ctx, a, func(ses *session) error {
		t, err := ses.openForRecord(pathwayID, false)
		if err != nil {
			return err
		}
		if err := recID(goalID, errGoalNotFound); err != nil {
			return err
		}
		cur, err := ses.goal(t.Pathway, goalID)
		if err != nil {
			return err
		}
		next := cur
		if in.Text != "" {
			next.Text = in.Text
		}
		if in.Domain != "" {
			next.Domain = in.Domain
		}
		if in.StartedOn != "" {
			next.StartedOn = in.StartedOn
		}
		if in.TargetOn != "" {
			next.TargetOn = in.TargetOn
		}
		if in.EndedOn != "" {
			next.EndedOn = in.EndedOn
		}
		if in.Status != "" && in.Status != cur.Status {
			if goalEnded(cur.Status) {
				return apperr.Invalidf("status", "un obiettivo raggiunto o abbandonato non cambia più stato: aggiungerne uno nuovo",
					"a goal reached or abandoned keeps its status: add a new one")
			}
			next.Status = in.Status
			if !goalEnded(next.Status) && in.EndedOn == "" {
				next.EndedOn = ""
			}
		}
		if err := ses.checkGoal(t, &next); err != nil {
			return err
		}
		sealed, err := ses.seal(t, "text_enc", next.Text)
		if err != nil {
			return err
		}
		err = ses.Exec(`UPDATE goals SET domain = ?, text_enc = ?, status = ?, started_on = ?, target_on = NULLIF(?, '')::date,
			ended_on = NULLIF(?, '')::date, updated_at = ? WHERE id = ? AND pathway_id = ?`,
			next.Domain, sealed, next.Status, next.StartedOn, next.TargetOn, next.EndedOn, s.now(), goalID, t.ID).Error
		if err != nil {
			return recordError(err, "obiettivo")
		}
		out = next
		return ses.recorded(t, "goal", "obiettivo", "update", goalID, next.Status)
	})
	return out, err
}

// checkGoal validates a goal as it will be stored.
func (s *session) checkGoal(t recordTarget, g *Goal) error {
	var err error
	if g.Text, err = recText("text", g.Text, true, 2000); err != nil {
		return err
	}
	if g.Domain != "" {
		if _, ok := t.prog.Domain(g.Domain); !ok {
			return apperr.Invalidf("domain", "dominio non previsto dal programma", "not a domain of the programme")
		}
	}
	if err := recOneOf("status", g.Status, goalOpen, goalUnderway, goalReached, goalAbandoned); err != nil {
		return err
	}
	if g.StartedOn, err = s.recDay("started_on", g.StartedOn, true, true); err != nil {
		return err
	}
	if g.TargetOn, err = s.recDay("target_on", g.TargetOn, false, false); err != nil {
		return err
	}
	if err := recNotBefore("target_on", g.TargetOn, g.StartedOn); err != nil {
		return err
	}
	if g.EndedOn, err = s.recDay("ended_on", g.EndedOn, goalEnded(g.Status), true); err != nil {
		return err
	}
	if g.EndedOn != "" && !goalEnded(g.Status) {
		return apperr.Invalidf("ended_on", "solo un obiettivo raggiunto o abbandonato ha una data di fine",
			"only a goal reached or abandoned has an end date")
	}
	return recNotBefore("ended_on", g.EndedOn, g.StartedOn)
}

// goalRow is a goals row.
type goalRow struct {
	ID        string
	Domain    string
	TextEnc   []byte
	Status    string
	StartedOn string
	TargetOn  string
	EndedOn   string
}

const goalColumns = `SELECT id::text, domain, text_enc, status, started_on::text AS started_on,
	COALESCE(target_on::text, '') AS target_on, COALESCE(ended_on::text, '') AS ended_on FROM goals`

// goal reads one goal of p, decrypted.
func (s *session) goal(p Pathway, id string) (Goal, error) {
	var rows []goalRow
	if err := s.Raw(goalColumns+` WHERE id = ? AND pathway_id = ?`, id, p.ID).Scan(&rows).Error; err != nil {
		return Goal{}, err
	}
	if len(rows) == 0 {
		return Goal{}, errGoalNotFound
	}
	return s.openGoal(p, rows[0])
}

// goals reads the pathway's goals, decrypted, in the order they were set.
func (s *session) goals(p Pathway) ([]Goal, error) {
	var rows []goalRow
	if err := s.Raw(goalColumns+` WHERE pathway_id = ? ORDER BY started_on, id`, p.ID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Goal, 0, len(rows))
	for _, r := range rows {
		g, err := s.openGoal(p, r)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

func (s *session) openGoal(p Pathway, r goalRow) (Goal, error) {
	text, err := s.keys.Open(p.PersonID, "text_enc", r.TextEnc)
	if err != nil {
		return Goal{}, err
	}
	return Goal{ID: r.ID, PathwayID: p.ID, Domain: r.Domain, Text: text, Status: r.Status,
		StartedOn: r.StartedOn, TargetOn: r.TargetOn, EndedOn: r.EndedOn}, nil
}
