package plan

import (
	"slices"

	"github.com/ambiti/ambiti/internal/apperr"
)

// Every form of the plan shows all its refusals at once (issue 19): a person who left three
// fields empty learns it from one submission, not three. The validators below collect their
// refusals with problems and return them joined (apperr.Join), which the pages list in the
// error summary and next to each field, and the API returns in one 400.

// problems gathers the refusals of one submission, at most one a field: the first one added
// wins, so a value the page could not read is not also reported as missing.
type problems struct {
	errs []error
	seen map[string]bool
}

// add records errs (nil ones are skipped; joined ones are unrolled).
func (ps *problems) add(errs ...error) {
	for _, err := range errs {
		if err == nil {
			continue
		}
		e, ok := apperr.As(err)
		if !ok {
			ps.errs = append(ps.errs, err)
			continue
		}
		for _, x := range e.All() {
			if x.Field != "" && ps.seen[x.Field] {
				continue
			}
			if ps.seen == nil {
				ps.seen = map[string]bool{}
			}
			ps.seen[x.Field] = true
			c := *x
			c.More = nil
			ps.errs = append(ps.errs, &c)
		}
	}
}

// has reports whether a refusal names field.
func (ps *problems) has(field string) bool { return ps.seen[field] }

// err is every refusal joined, nil when there is none.
func (ps *problems) err() error { return apperr.Join(ps.errs...) }

// ordered lists the refusals joined in err in the form's order of their fields (fields not in
// order keep their place after the listed ones); other errors are returned as they are.
func ordered(err error, order []string) error {
	e, ok := apperr.As(err)
	if !ok || len(e.More) == 0 {
		return err
	}
	all := e.All()
	rank := func(x *apperr.Error) int {
		if i := slices.Index(order, x.Field); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(all, func(a, b *apperr.Error) int { return rank(a) - rank(b) })
	errs := make([]error, len(all))
	for i, x := range all {
		c := *x
		c.More = nil // All has unrolled them
		errs[i] = &c
	}
	return apperr.Join(errs...)
}

// formCheck is the refusal of a form the page could not read in full: what it could not read
// (readErr) with what the service's own check (check) says of the rest, one refusal a field,
// in the form's order. nil when the form was read: the service then checks and writes, or
// refuses everything at once, as it does for the API.
func formCheck(readErr error, check func() error, order []string) error {
	if readErr == nil {
		return nil
	}
	var ps problems
	ps.add(readErr)
	if e, ok := apperr.As(readErr); ok && e.Code == apperr.Invalid {
		ps.add(check())
	}
	return ordered(ps.err(), order)
}

// mapFields renames the field of every refusal joined in err with rename; other errors are
// returned as they are.
func mapFields(err error, rename func(field string) string) error {
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.Invalid {
		return err
	}
	all := e.All()
	errs := make([]error, len(all))
	for i, x := range all {
		c := *x
		c.More = nil // All has unrolled them
		c.Field = rename(c.Field)
		errs[i] = &c
	}
	return apperr.Join(errs...)
}
