package plan

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// MeetingInput records a participation event.
type MeetingInput struct {
	PlanID       *int64         `json:"plan_id"`
	HeldOn       string         `json:"held_on"`
	Kind         string         `json:"kind"`
	Theme        string         `json:"theme"`
	Notes        string         `json:"notes"`
	Participants map[string]int `json:"participants"`
}

// validate checks a meeting, every field at once in the form's order.
func (in *MeetingInput) validate() error {
	var ps problems
	in.Theme = strings.TrimSpace(in.Theme)
	ps.add(checkDate("held_on", in.HeldOn))
	if !contains(MeetingKinds, in.Kind) {
		ps.add(apperr.Invalidf("kind", "Scegliere il tipo di incontro", "Choose the kind of meeting"))
	}
	switch {
	case in.Theme == "":
		ps.add(apperr.Invalidf("theme", "Indicare il tema dell'incontro", "Enter the meeting's theme"))
	case len(in.Theme) > 500:
		ps.add(apperr.Invalidf("theme", "Il tema è troppo lungo: al massimo 500 caratteri", "The theme is too long: at most 500 characters"))
	}
	for _, t := range ParticipantTypes {
		if n, ok := in.Participants[t]; ok && (n < 0 || n > 100000) {
			ps.add(apperr.Invalidf("participants."+t, "Il numero di partecipanti va da 0 a 100.000", "The number of participants goes from 0 to 100,000"))
		}
	}
	for _, t := range slices.Sorted(maps.Keys(in.Participants)) {
		if !contains(ParticipantTypes, t) {
			ps.add(apperr.Invalidf("participants."+t, "Tipo di partecipante sconosciuto; ammessi: %s", "Unknown participant type; allowed: %s", strings.Join(ParticipantTypes, ", ")))
		}
	}
	if len(in.Notes) > 20000 {
		ps.add(apperr.Invalidf("notes", "Il verbale è troppo lungo: al massimo 20.000 caratteri", "The minutes are too long: at most 20,000 characters"))
	}
	return ps.err()
}

// RecordMeeting records a meeting with its participants by type, in one transaction.
func (s *Service) RecordMeeting(ctx context.Context, actor Actor, in MeetingInput) (Meeting, error) {
	if err := in.validate(); err != nil {
		return Meeting{}, err
	}
	m := Meeting{PlanID: in.PlanID, HeldOn: in.HeldOn, Kind: in.Kind, Theme: in.Theme, Notes: strings.TrimSpace(in.Notes), Participants: map[string]int{}}
	err := s.write(ctx, actor, func(tx *tenancy.Tx) error {
		if in.PlanID != nil {
			if _, err := findPlan(tx, *in.PlanID, false); err != nil {
				return apperr.Invalidf("plan_id", "Il piano scelto non esiste: sceglierne uno dall'elenco", "The plan chosen does not exist: choose one from the list")
			}
		}
		if err := tx.Create(&m).Error; err != nil {
			return storeError(err, "incontro")
		}
		for t, n := range in.Participants {
			if err := tx.Exec(`INSERT INTO meeting_participants (meeting_id, participant_type, count) VALUES (?, ?, ?)`, m.ID, t, n).Error; err != nil {
				return storeError(err, fmt.Sprintf("partecipanti %s", t))
			}
			m.Participants[t] = n
			m.Total += n
		}
		return nil
	})
	return m, err
}

// Meetings lists meetings, newest first, optionally of one plan, with the participation summary.
func (s *Service) Meetings(ctx context.Context, actor Actor, planID *int64, p Page) ([]Meeting, int64, ParticipationSummary, error) {
	var out []Meeting
	var total int64
	var sum ParticipationSummary
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) (err error) {
		q := tx.Model(&Meeting{})
		if planID != nil {
			q = q.Where("plan_id = ?", *planID)
		}
		if err := q.Count(&total).Error; err != nil {
			return err
		}
		if err := q.Order("held_on DESC, id DESC").Limit(p.Limit).Offset(p.Offset).Find(&out).Error; err != nil {
			return err
		}
		ids := make([]int64, len(out))
		for i := range out {
			ids[i] = out[i].ID
			out[i].Participants = map[string]int{}
		}
		var rows []struct {
			MeetingID       int64
			ParticipantType string
			Count           int
		}
		if len(ids) > 0 {
			if err := tx.Table("meeting_participants").Where("meeting_id IN ?", ids).Scan(&rows).Error; err != nil {
				return err
			}
		}
		for _, r := range rows {
			for i := range out {
				if out[i].ID == r.MeetingID {
					out[i].Participants[r.ParticipantType] = r.Count
					out[i].Total += r.Count
				}
			}
		}
		return readInTx(tx, func(r *reads) { queueParticipation(r, (*planRef)(planID), &sum) })
	})
	return out, total, sum, err
}
