package plan

// Actor is who performs a use case: the authenticated person, their partner organisation (for
// cooperatives) and what their roles allow in this district. The HTTP layer builds it; the
// domain asks it questions instead of knowing role names.
type Actor struct {
	ID           string
	Name         string
	Organisation string
	Can          func(object, action string) bool
}

func (a Actor) can(object, action string) bool { return a.Can != nil && a.Can(object, action) }

// The permissions the domain asks about, beyond the route-level checks.
const (
	objPlan        = "plan"
	objAssignments = "assignments"
	actWrite       = "write"
	actReadAll     = "read_all" // every partner's assignments, not only one's own
)

// writesAnyObjective reports whether the actor edits every objective (the Ufficio di Piano)
// rather than only those of socio-sanitary integration (health staff).
func (a Actor) writesAnyObjective() bool { return a.can(objPlan, actWrite) }

// seesAllAssignments reports whether the actor reads every partner's assignments.
func (a Actor) seesAllAssignments() bool { return a.can(objAssignments, actReadAll) }
