package plan

import (
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// objectiveColumns are an Objective's columns, in scanObjective's order.
const objectiveColumns = `o.id, o.plan_id, o.position, o.title, o.description, o.area_code, o.item_code, o.marker, o.target,
	o.economic_resources, o.staff_resources, o.transversal, o.transversal_areas, o.socio_sanitary, o.continuity_previous,
	o.co_designed, o.co_design_partners, o.needs, o.process_modalities, o.expected_results, o.impact, o.timing,
	o.premialita, o.created_at, o.updated_at, o.riproposto_da`

// objectiveDest lists o's fields in objectiveColumns' order, followed by extra, for Scan.
func objectiveDest(o *Objective, extra ...any) []any {
	return append([]any{&o.ID, &o.PlanID, &o.Position, &o.Title, &o.Description, &o.AreaCode, &o.ItemCode, &o.Marker, &o.Target,
		&o.EconomicResources, &o.StaffResources, &o.Transversal, &o.TransversalAreas, &o.SocioSanitary, &o.ContinuityPrevious,
		&o.CoDesigned, &o.CoDesignPartners, &o.Needs, &o.ProcessModalities, &o.ExpectedResults, &o.Impact, &o.Timing,
		&o.Premialita, &o.CreatedAt, &o.UpdatedAt, &o.RipropostoDa}, extra...)
}

func scanObjective(row pgx.CollectableRow) (Objective, error) {
	var o Objective
	return o, row.Scan(objectiveDest(&o)...)
}

// ObjectiveWindow is a window on a plan's objectives: Found says whether the plan exists,
// Total how many match the filter, Version the district's data version read with them.
type ObjectiveWindow struct {
	Found      bool
	Objectives []Objective
	Total      int64
	Version    string
}

// queueObjectiveList reads a window of a plan's objectives in their order and how many match
// f. The plan's existence and the count are one statement, the window the other.
func queueObjectiveList(r *reads, planID int64, f ObjectiveFilter, out *ObjectiveWindow) {
	where, args := `o.plan_id = $1`, []any{planID}
	and := func(cond string, v any) {
		args = append(args, v)
		where += ` AND ` + strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args)))
	}
	if f.AreaCode != "" {
		and(`o.area_code = $?`, f.AreaCode)
	}
	if f.SocioSanitary != nil {
		and(`o.socio_sanitary = $?`, *f.SocioSanitary)
	}
	if w := strings.TrimSpace(f.Query); w != "" {
		and(`(o.title ILIKE $? OR o.description ILIKE $?)`, "%"+strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(w)+"%")
	}
	r.queue(`SELECT (SELECT count(*) FROM objectives o WHERE `+where+`) FROM plans WHERE id = $1`, args...).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			out.Found = true
			if err := rows.Scan(&out.Total); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	n := len(args)
	args = append(args, int64(f.Limit), int64(f.Offset))
	r.queue(`SELECT `+objectiveColumns+` FROM objectives o WHERE `+where+` ORDER BY o.position, o.id
		LIMIT nullif($`+strconv.Itoa(n+1)+`::bigint, 0) OFFSET $`+strconv.Itoa(n+2), args...).Query(func(rows pgx.Rows) (err error) {
		out.Objectives, err = pgx.CollectRows(rows, scanObjective)
		return err
	})
}
