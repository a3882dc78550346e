// Package apperr is Ambiti's one error type. Domain code returns *Error values (or wraps them
// with %w); the HTTP layer maps their Code to a status exactly once (internal/server) and
// never shows the wrapped cause to users.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an error for callers; each maps to one HTTP status.
type Code string

// The codes, from the most to the least common.
const (
	Invalid         Code = "invalid"         // 400/422: input failed validation; Field names it
	NotFound        Code = "not_found"       // 404: absent, or not visible to the caller
	Unauthenticated Code = "unauthenticated" // 401
	Forbidden       Code = "forbidden"       // 403
	Conflict        Code = "conflict"        // 409: state forbids it, or a unique key clashes
	TooLarge        Code = "too_large"       // 413
	RateLimited     Code = "rate_limited"    // 429
	Unavailable     Code = "unavailable"     // 503: a dependency is down
	Internal        Code = "internal"        // 500: a bug or an unexpected failure; logged
)

// Error is an error with a code, a user-facing message (Italian first, English second) and,
// for validation errors, the field it concerns.
type Error struct {
	Code      Code
	Message   string   // Italian, shown to users
	MessageEN string   // English, shown when the client prefers English
	Field     string   // dotted path of the offending field, for Invalid
	Err       error    // cause, for logs only
	More      []*Error // further refusals of the same submission (Join), shown with this one
}

func (e *Error) Error() string {
	msg := e.MessageEN
	if msg == "" {
		msg = e.Message
	}
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, msg, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, msg)
}

func (e *Error) Unwrap() error { return e.Err }

// WithField returns a copy of e that names field; e itself, which may be a shared sentinel or
// another caller's error, is left as it was.
func (e *Error) WithField(field string) *Error {
	c := *e
	c.Field = field
	return &c
}

// New builds an error with both messages.
func New(code Code, it, en string) *Error { return &Error{Code: code, Message: it, MessageEN: en} }

// Invalidf reports a bad value in field; the messages may use fmt verbs with the same args.
func Invalidf(field, it, en string, args ...any) *Error {
	return &Error{Code: Invalid, Field: field, Message: fmt.Sprintf(it, args...), MessageEN: fmt.Sprintf(en, args...)}
}

// Wrap attaches a cause to an error of the given code.
func Wrap(code Code, err error, it, en string) *Error {
	return &Error{Code: code, Message: it, MessageEN: en, Err: err}
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// CodeOf returns the code of err: Internal for anything that is not an *Error.
func CodeOf(err error) Code {
	if e, ok := As(err); ok {
		return e.Code
	}
	return Internal
}

// Join combines the refusals of one submission so that a form can show them all at once:
// the first becomes the error (its code, field and message), the others ride along in More.
// nil errors are skipped; Join of nothing is nil; a non-apperr error is returned as it is,
// since only validation refusals are worth listing together.
func Join(errs ...error) error {
	var first *Error
	for _, err := range errs {
		if err == nil {
			continue
		}
		e, ok := As(err)
		if !ok {
			return err
		}
		if first == nil {
			c := *e
			c.More = nil
			first = &c
			first.More = flat(e.All()[1:])
			continue
		}
		first.More = append(first.More, flat(e.All())...)
	}
	if first == nil {
		return nil
	}
	return first
}

// All is the error and the ones joined to it, in order.
func (e *Error) All() []*Error {
	out := []*Error{e}
	for _, m := range e.More {
		out = append(out, m.All()...)
	}
	return out
}

// flat copies errs without their More, which All has already unrolled.
func flat(errs []*Error) []*Error {
	out := make([]*Error, len(errs))
	for i, e := range errs {
		c := *e
		c.More = nil
		out[i] = &c
	}
	return out
}
