package plan

import "github.com/ambiti/ambiti/internal/actor"

// Actor is who performs a use case (see package actor): the domain asks it questions instead
// of knowing role names.
type Actor = actor.Actor

// The permissions the domain asks about, beyond the route-level checks.
const (
	objPlan        = "plan"
	objAssignments = "assignments"
	actWrite       = "write"
	actReadAll     = "read_all" // every partner's assignments, not only one's own
)

// writesAnyObjective reports whether a edits every objective (the Ufficio di Piano) rather than
// only those of socio-sanitary integration (health staff).
func writesAnyObjective(a Actor) bool { return a.Can(objPlan, actWrite) }

// seesAllAssignments reports whether a reads every partner's assignments.
func seesAllAssignments(a Actor) bool { return a.Can(objAssignments, actReadAll) }
