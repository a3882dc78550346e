package authz

import (
	"fmt"
	"strings"

	"github.com/casbin/casbin/v2/model"
)

// compiledMatcher is the matcher the snapshot implements. The model file may be reformatted or
// commented freely, but a different matcher, effect or role definition would need the snapshot
// changed with it: New refuses to start rather than decide by other rules than the file says.
const compiledMatcher = `r.obj == p.obj && r.act == p.act && (p.dom == "*" || r.dom == p.dom) && g(r.sub, p.sub, r.dom)`

// checkModel verifies that the Casbin model is the one compiled into the snapshot.
func checkModel(m model.Model) error {
	want := map[string]string{
		"r": "sub, dom, obj, act",
		"p": "sub, dom, obj, act",
		"g": "_, _, _",
		"e": "some(where (p.eft == allow))",
		"m": compiledMatcher,
	}
	for sec, value := range want {
		ast, ok := m[sec][sec]
		if !ok {
			return fmt.Errorf("authz: the model has no %s definition", sec)
		}
		if norm(ast.Value) != norm(value) && norm(ast.Value) != norm(escape(sec, value)) {
			return fmt.Errorf("authz: the model's %s is %q; the authorizer implements %q (change internal/authz/snapshot.go with it)", sec, ast.Value, value)
		}
	}
	return nil
}

// escape is how Casbin stores a definition's value: attributes as r_sub rather than r.sub.
func escape(sec, v string) string {
	if sec == "m" || sec == "e" {
		return strings.NewReplacer("r.", "r_", "p.", "p_").Replace(v)
	}
	if sec == "r" || sec == "p" {
		parts := strings.Split(v, ",")
		for i := range parts {
			parts[i] = sec + "_" + strings.TrimSpace(parts[i])
		}
		return strings.Join(parts, ", ")
	}
	return v
}

func norm(s string) string { return strings.Join(strings.Fields(s), " ") }
