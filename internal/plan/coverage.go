package plan

// Coverage (issue 19): a KPI says over how many objectives it counts. "In linea con il target"
// counts the objectives that can be judged at all; an objective with no grado di
// raggiungimento and no measured indicator with a target is not "not on target", it is not
// assessed, and a plan with none assessed shows "n.d.", never 0%.

// hasTarget says whether an indicator has a target to be on: a value, or a range.
func (in Indicator) hasTarget() bool {
	return in.Target != nil || (in.Direction == Range && in.TargetMin != nil && in.TargetMax != nil)
}

// Assessed says whether there is anything to judge the objective on target by: its latest
// evaluation's grado di raggiungimento, or a measured indicator with a target.
func (d ObjectiveDetail) Assessed() bool {
	if n := len(d.Evaluations); n > 0 && d.Evaluations[n-1].AchievementPct != nil {
		return true
	}
	for _, in := range d.Indicators {
		if in.hasTarget() && in.Progress != nil {
			return true
		}
	}
	return false
}
