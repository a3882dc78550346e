// Package policies holds the Casbin model and the base role permissions, embedded in the
// binary and reviewed like code.
package policies

import _ "embed"

// Model is the Casbin model (model.conf).
//
//go:embed model.conf
var Model string

// Policy is the base permissions of each role (policy.csv).
//
//go:embed policy.csv
var Policy string
