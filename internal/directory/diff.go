package directory

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// diff compares two values field by field as their JSON objects and returns the fields that
// differ, sorted, skipping those in skip: what a proposed change or the change log holds.
func diff(before, after any, skip map[string]bool) (FieldChanges, error) {
	b, err := fields(before)
	if err != nil {
		return nil, err
	}
	a, err := fields(after)
	if err != nil {
		return nil, err
	}
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	var out FieldChanges
	for k := range keys {
		if skip[k] || bytes.Equal(b[k], a[k]) {
			continue
		}
		out = append(out, FieldChange{Field: k, Before: orNull(b[k]), After: orNull(a[k])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out, nil
}

func fields(v any) (map[string]json.RawMessage, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	for k, x := range m {
		var c bytes.Buffer
		if err := json.Compact(&c, x); err != nil {
			return nil, err
		}
		m[k] = c.Bytes()
	}
	return m, nil
}

func orNull(b json.RawMessage) json.RawMessage {
	if len(b) == 0 {
		return json.RawMessage("null")
	}
	return b
}

// recordFields writes one metadata row per changed field.
func recordFields(tx *tenancy.Tx, id, resourceType, action string, before, after any, by string, skip map[string]bool) error {
	changes, err := diff(before, after, skip)
	if err != nil {
		return err
	}
	for _, c := range changes {
		if err := record(tx, id, resourceType, action, c.Field, string(c.Before), string(c.After), by); err != nil {
			return err
		}
	}
	return nil
}

// sameJSON compares two JSON texts by value: jsonb gives back its own spacing and key order.
func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// cloned is a deep copy of v, for an edit to work on: an edit that decodes JSON into a value
// writes through its pointers (minimum_age, year_incorporated…), which would change the value
// it is compared with too, and the change would go unseen.
func cloned[T any](v T) (T, error) {
	var out T
	b, err := json.Marshal(v)
	if err != nil {
		return out, fmt.Errorf("directory: copy for an edit: %w", err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return out, fmt.Errorf("directory: copy for an edit: %w", err)
	}
	return out, nil
}
