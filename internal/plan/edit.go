package plan

// Edit is how a caller edits a value that the service reads inside its own transaction: the
// API applies a JSON merge patch to it, a page sets the fields of its form. The service then
// checks the result as a whole and keeps what callers may not change (ids, owners, times), so
// both ways in meet the same rules and neither hands the domain raw bytes to decode.
type Edit[T any] func(current *T) error
