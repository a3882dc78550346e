package authz

// Heard reports what a's listener heard — notifications, and of those its own — and how many
// times a reloaded its bindings.
func Heard(a *Authorizer) (heard, own, reloads int64) {
	return a.heard.Load(), a.ownHeard.Load(), a.reloads.Load()
}
