package authz

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/casbin/casbin/v2/model"
	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/db"
)

// adapter loads the policy in two layers: the base role permissions from policies/policy.csv,
// then the bindings stored in platform.casbin_rules. It never writes: bindings change through
// the Authorizer's own transactions (with their NOTIFY), never through Casbin's auto-save.
type adapter struct {
	db     *db.DB
	policy string
}

var errReadOnly = errors.New("authz: the policy adapter is read-only; change bindings with Grant and Revoke")

func (a *adapter) LoadPolicy(m model.Model) error {
	if err := loadPolicyFile(m, a.policy); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var rows []struct{ Ptype, V0, V1, V2, V3, V4, V5 string }
	err := a.db.Platform(ctx, func(tx *gorm.DB) error {
		return tx.Raw(`SELECT ptype, v0, v1, v2, v3, v4, v5 FROM platform.casbin_rules ORDER BY id`).Scan(&rows).Error
	})
	if err != nil {
		return fmt.Errorf("load bindings: %w", err)
	}
	for _, r := range rows {
		rule := []string{r.Ptype, r.V0, r.V1, r.V2, r.V3, r.V4, r.V5}
		for len(rule) > 1 && rule[len(rule)-1] == "" {
			rule = rule[:len(rule)-1]
		}
		if err := addRule(m, rule); err != nil {
			return err
		}
	}
	return nil
}

// loadPolicyFile adds the rules of policies/policy.csv to the model.
func loadPolicyFile(m model.Model, text string) error {
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := addRule(m, parseCSVLine(line)); err != nil {
			return fmt.Errorf("policy.csv line %d: %w", n+1, err)
		}
	}
	return nil
}

func addRule(m model.Model, rule []string) error {
	if len(rule) < 2 {
		return fmt.Errorf("malformed rule %q", rule)
	}
	sec := rule[0][:1] // "p" or "g"
	ast, ok := m[sec][rule[0]]
	if !ok {
		return fmt.Errorf("unknown policy type %q", rule[0])
	}
	if len(rule)-1 != len(ast.Tokens) {
		return fmt.Errorf("rule %q has %d fields, want %d", rule, len(rule)-1, len(ast.Tokens))
	}
	return m.AddPolicy(sec, rule[0], rule[1:])
}

func (a *adapter) SavePolicy(model.Model) error                              { return errReadOnly }
func (a *adapter) AddPolicy(string, string, []string) error                  { return errReadOnly }
func (a *adapter) RemovePolicy(string, string, []string) error               { return errReadOnly }
func (a *adapter) RemoveFilteredPolicy(string, string, int, ...string) error { return errReadOnly }
