package web

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
)

// Form is what a form shows: the values (stored, or typed by the person) and the error of the
// last submission, which names its field.
type Form struct {
	Values url.Values
	Err    *apperr.Error
}

// Field is one form control, ready for the "field" template.
type Field struct {
	ID, Name, Label, Value, Type, Help, Error string
	Required, Checked                         bool
	Rows                                      int
	Min, Max, Step, InputMode, Autocomplete   string
	Pattern                                   string
	Options                                   []Option
	Groups                                    []OptGroup
	Hidden                                    bool // label visually hidden (tables)
}

// Option is one choice of a select.
type Option struct {
	Value, Label string
	Selected     bool
}

// OptGroup is a labelled group of a select's choices.
type OptGroup struct {
	Label   string
	Options []Option
}

// HelpID and ErrorID are the ids aria-describedby points at.
func (f Field) HelpID() string  { return f.ID + "-help" }
func (f Field) ErrorID() string { return f.ID + "-error" }

// Describedby lists the ids that describe the field.
func (f Field) Describedby() string {
	var ids []string
	if f.Help != "" {
		ids = append(ids, f.HelpID())
	}
	if f.Error != "" {
		ids = append(ids, f.ErrorID())
	}
	return strings.Join(ids, " ")
}

// FieldID is the HTML id of the field named name (names may hold [ ] and dots).
func FieldID(name string) string {
	var b strings.Builder
	b.WriteString("f-")
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

// value is a field's current value.
func (p *Page) value(name string) string {
	if p.Form == nil || p.Form.Values == nil {
		return ""
	}
	return p.Form.Values.Get(name)
}

// ErrorText is the message of the form's error in the page's language.
func (p *Page) ErrorText() string {
	if p.Form == nil || p.Form.Err == nil {
		return ""
	}
	if p.Lang == English && p.Form.Err.MessageEN != "" {
		return p.Form.Err.MessageEN
	}
	return p.Form.Err.Message
}

// ErrorHref links the error summary to the offending field ("" when the error names none).
func (p *Page) ErrorHref() string {
	if p.Form == nil || p.Form.Err == nil || p.Form.Err.Field == "" {
		return ""
	}
	return "#" + FieldID(p.Form.Err.Field)
}

// ErrorFor is the message to show next to the field with error key errKey (the first of the
// refusals joined to the form's error that names it).
func (p *Page) ErrorFor(errKey string) string {
	if p.Form == nil || p.Form.Err == nil {
		return ""
	}
	for _, e := range p.Form.Err.All() {
		if e.Field == errKey {
			return p.message(e)
		}
	}
	return ""
}

// FormError is one line of the error summary: the message and the link to its field.
type FormError struct{ Text, Href string }

// Errors lists every refusal of the last submission, for the error summary.
func (p *Page) Errors() []FormError {
	if p.Form == nil || p.Form.Err == nil {
		return nil
	}
	var out []FormError
	for _, e := range p.Form.Err.All() {
		fe := FormError{Text: p.message(e)}
		if e.Field != "" {
			fe.Href = "#" + FieldID(e.Field)
		}
		out = append(out, fe)
	}
	return out
}

// message is an error's text in the page's language.
func (p *Page) message(e *apperr.Error) string {
	if p.Lang == English && e.MessageEN != "" {
		return e.MessageEN
	}
	return e.Message
}

// Field builds a control. opts: "required", "type=<input type>|textarea|checkbox",
// "help=<catalogue key>", "rows=N", "min=", "max=", "step=", "inputmode=", "autocomplete=",
// "pattern=", "err=<error key, when it differs from the name>", "hidden-label".
func (p *Page) Field(name, labelKey string, opts ...string) Field {
	f := Field{ID: FieldID(name), Name: name, Label: p.T(labelKey), Value: p.value(name), Type: "text", Rows: 4}
	errKey := name
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "required":
			f.Required = true
		case "type":
			f.Type = v
		case "help":
			f.Help = p.T(v)
		case "rows":
			f.Rows, _ = strconv.Atoi(v)
		case "min":
			f.Min = v
		case "max":
			f.Max = v
		case "step":
			f.Step = v
		case "inputmode":
			f.InputMode = v
		case "autocomplete":
			f.Autocomplete = v
		case "pattern":
			f.Pattern = v
		case "err":
			errKey = v
		case "hidden-label":
			f.Hidden = true
		}
	}
	if f.Type == "checkbox" {
		f.Checked = Truthy(f.Value)
	}
	f.Error = p.ErrorFor(errKey)
	return f
}

// Select builds a select from options (their labels already translated).
func (p *Page) Select(name, labelKey string, options []Option, opts ...string) Field {
	f := p.Field(name, labelKey, opts...)
	f.Type = "select"
	f.Options = MarkSelected(options, f.Value)
	return f
}

// GroupedSelect builds a select with option groups.
func (p *Page) GroupedSelect(name, labelKey string, empty Option, groups []OptGroup, opts ...string) Field {
	f := p.Field(name, labelKey, opts...)
	f.Type = "select"
	f.Options = MarkSelected([]Option{empty}, f.Value)
	for _, g := range groups {
		f.Groups = append(f.Groups, OptGroup{Label: g.Label, Options: MarkSelected(g.Options, f.Value)})
	}
	return f
}

// MarkSelected marks the options whose value is v.
func MarkSelected(options []Option, v string) []Option {
	out := make([]Option, len(options))
	for i, o := range options {
		o.Selected = o.Value == v
		out[i] = o
	}
	return out
}

// Options turns values into options labelled by the catalogue: prefix.value.
func (p *Page) Options(prefix string, values []string, withEmpty bool) []Option {
	var out []Option
	if withEmpty {
		out = append(out, Option{Value: "", Label: p.T("form.choose")})
	}
	for _, v := range values {
		out = append(out, Option{Value: v, Label: p.T(prefix + "." + v)})
	}
	return out
}

// Texts turns one of a feature's vocabularies into the strings Options takes.
func Texts[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

func Truthy(v string) bool {
	switch strings.ToLower(v) {
	case "1", "on", "true", "si", "sì", "yes":
		return true
	}
	return false
}

// FormValues reads the submitted form (urlencoded or multipart), at most route.MaxBody. Text
// that cannot be stored (a NUL character, bytes that are not UTF-8) is refused naming its
// field, with the values cleaned of it so that the form can be shown again.
func FormValues(c echo.Context) (url.Values, error) {
	r := c.Request()
	if r.Form == nil && r.Body != nil {
		r.Body = http.MaxBytesReader(c.Response(), r.Body, route.MaxBody)
	}
	v, err := c.FormParams()
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, apperr.Wrap(apperr.TooLarge, err, "modulo troppo grande", "form too large")
	}
	if err != nil {
		return nil, apperr.Wrap(apperr.Invalid, err, "modulo illeggibile", "unreadable form")
	}
	if err := route.CheckValues(v); err != nil {
		return cleanValues(v), err
	}
	return v, nil
}

// cleanValues is v without NUL characters and with bytes that are not UTF-8 replaced.
func cleanValues(v url.Values) url.Values {
	clean := func(s string) string { return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD") }
	out := url.Values{}
	for k, vs := range v {
		for _, s := range vs {
			out.Add(clean(k), clean(s))
		}
	}
	return out
}

// ShowForm answers a page with a form: build prepares the page (and whatever a submission
// needs); the form starts from prefill's values (nil: empty).
func ShowForm[T any](w *Web, c echo.Context, name string, build func(echo.Context) (*Page, T, error), prefill func(T) url.Values) error {
	p, ctx, err := build(c)
	if err != nil {
		return err
	}
	values := url.Values{}
	if prefill != nil {
		values = prefill(ctx)
	}
	p.Form = &Form{Values: values}
	return w.Render(c, name, p)
}

// SubmitForm handles the submission of such a form: save turns the typed values into one
// service call and says where to go next (with a flash message key); a refusal shows the form
// again with what was typed and the error next to its field.
func SubmitForm[T any](w *Web, c echo.Context, name string, build func(echo.Context) (*Page, T, error), save func(T, url.Values) (next, flash string, err error)) error {
	p, ctx, err := build(c)
	if err != nil {
		return err
	}
	v, err := FormValues(c)
	if err != nil {
		return w.FailForm(c, name, p, v, err)
	}
	next, flash, err := save(ctx, v)
	if err != nil {
		return w.FailForm(c, name, p, v, err)
	}
	return SeeOther(c, next, flash)
}

// NoContext adapts a page builder that needs nothing else to the form helpers.
func NoContext(build func(echo.Context) *Page) func(echo.Context) (*Page, struct{}, error) {
	return func(c echo.Context) (*Page, struct{}, error) { return build(c), struct{}{}, nil }
}

// FailForm shows the form again after a refused submission: with what the person typed and
// the error next to its field (422 for invalid input, 409 when the plan's state forbids it).
// Other errors, and a form that could not be read (nil values), go to the error page.
func (w *Web) FailForm(c echo.Context, name string, p *Page, values url.Values, err error) error {
	e, ok := apperr.As(err)
	if !ok || (e.Code != apperr.Invalid && e.Code != apperr.Conflict) || values == nil {
		return err
	}
	p.Form = &Form{Values: values, Err: e}
	p.Status = http.StatusUnprocessableEntity
	if e.Code == apperr.Conflict {
		p.Status = http.StatusConflict
	}
	return w.Render(c, name, p)
}

// IntValue reads an optional integer field; "" gives nil.
func IntValue(v url.Values, name string, errIT, errEN string) (*int, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return nil, nil
	}
	// The same reading as decimals, so "1.000,0" is a thousand; a fraction is refused.
	f, err := parseNumber(s)
	if err != nil {
		return nil, numberError(name, s, err, errIT, errEN)
	}
	if f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
		return nil, invalid(name, errIT, errEN)
	}
	n := int(f)
	return &n, nil
}

// FloatValue reads an optional decimal field; "" gives nil.
func FloatValue(v url.Values, name string, errIT, errEN string) (*float64, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return nil, nil
	}
	n, err := parseNumber(s)
	if err != nil {
		return nil, numberError(name, s, err, errIT, errEN)
	}
	return &n, nil
}

// RequiredInt reads a required integer field.
func RequiredInt(v url.Values, name, errIT, errEN string) (int, error) {
	n, err := IntValue(v, name, errIT, errEN)
	if err != nil {
		return 0, err
	}
	if n == nil {
		return 0, invalid(name, errIT, errEN)
	}
	return *n, nil
}

// invalid is a validation error of field with fixed messages.
func invalid(field, it, en string) *apperr.Error {
	return &apperr.Error{Code: apperr.Invalid, Field: field, Message: it, MessageEN: en}
}
