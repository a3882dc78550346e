package authz

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
)

// Grant gives the identity role in domain (no-op if held). grantedBy may be empty.
func (a *Authorizer) Grant(ctx context.Context, identityID, role, domain, grantedBy string) error {
	return a.change(ctx, domain, func(tx *gorm.DB) error {
		return insertBinding(tx, identityID, role, domain, grantedBy, "local")
	})
}

// Revoke takes role in domain away from the identity (no-op if not held).
func (a *Authorizer) Revoke(ctx context.Context, identityID, role, domain string) error {
	return a.change(ctx, domain, func(tx *gorm.DB) error {
		return tx.Exec(`DELETE FROM platform.casbin_rules WHERE ptype = 'g' AND v0 = ? AND v1 = ? AND v2 = ?`,
			Subject(identityID), role, domain).Error
	})
}

// RevokeGuarded revokes like Revoke, but refuses (Conflict) to remove the last holder of
// guardRole in the domain, so that a district cannot lock its Ufficio di Piano out.
func (a *Authorizer) RevokeGuarded(ctx context.Context, identityID, role, domain, guardRole string) error {
	return a.change(ctx, domain, func(tx *gorm.DB) error {
		if role == guardRole {
			var holders int64
			// Lock the domain's rows of that role so two concurrent revocations cannot both pass.
			err := tx.Raw(`SELECT count(*) FROM (SELECT 1 FROM platform.casbin_rules
				WHERE ptype = 'g' AND v1 = ? AND v2 = ? FOR UPDATE) held`, guardRole, domain).Scan(&holders).Error
			if err != nil {
				return err
			}
			var has int64
			if err := tx.Raw(`SELECT count(*) FROM platform.casbin_rules WHERE ptype = 'g' AND v0 = ? AND v1 = ? AND v2 = ?`,
				Subject(identityID), role, domain).Scan(&has).Error; err != nil {
				return err
			}
			if has == 1 && holders <= 1 {
				return apperr.New(apperr.Conflict,
					"non si può revocare l'ultimo ruolo di Ufficio di Piano del distretto",
					"cannot revoke the district's last Ufficio di Piano role")
			}
		}
		return tx.Exec(`DELETE FROM platform.casbin_rules WHERE ptype = 'g' AND v0 = ? AND v1 = ? AND v2 = ?`,
			Subject(identityID), role, domain).Error
	})
}

// ProvisionFirstSight grants roles (taken from the identity provider's claims) to an identity
// seen for the first time in domain. tx is the caller's transaction that recorded the
// membership; other instances reload that domain when it commits (NOTIFY), and the caller
// reloads it here with Reload(domain) after the commit.
func (a *Authorizer) ProvisionFirstSight(ctx context.Context, tx *gorm.DB, identityID, domain string, roles []string) error {
	for _, role := range roles {
		if err := insertBinding(tx.WithContext(ctx), identityID, role, domain, "", "claims"); err != nil {
			return err
		}
	}
	if len(roles) > 0 {
		return notify(tx, a.notice(domain))
	}
	return nil
}

// change runs fn and a NOTIFY in one platform transaction: other instances hear of the change
// only once it is committed. Then this instance reloads that domain at once.
func (a *Authorizer) change(ctx context.Context, domain string, fn func(tx *gorm.DB) error) error {
	err := a.db.Platform(ctx, func(tx *gorm.DB) error {
		if err := fn(tx); err != nil {
			return err
		}
		return notify(tx, a.notice(domain))
	})
	if err != nil {
		return err
	}
	return a.Reload(domain)
}

// notice is a notification's payload: the sending instance, so that it can skip its own, and
// the domain that changed, so that the others reload only that one.
func (a *Authorizer) notice(domain string) string { return a.instance + " " + domain }

// parseNotice reads a payload; an empty domain (an older instance's notice) means all.
func parseNotice(payload string) (instance, domain string) {
	instance, domain, _ = strings.Cut(payload, " ")
	return instance, domain
}

func insertBinding(tx *gorm.DB, identityID, role, domain, grantedBy, source string) error {
	var by any
	if grantedBy != "" {
		by = grantedBy
	}
	err := tx.Exec(`INSERT INTO platform.casbin_rules (ptype, v0, v1, v2, granted_by, source) VALUES ('g', ?, ?, ?, ?, ?)
		ON CONFLICT (ptype, v0, v1, v2, v3, v4, v5) DO NOTHING`, Subject(identityID), role, domain, by, source).Error
	if err != nil {
		return fmt.Errorf("authz: grant %s in %s: %w", role, domain, err)
	}
	return nil
}

func notify(tx *gorm.DB, payload string) error {
	if err := tx.Exec(`SELECT pg_notify(?, ?)`, policyChannel, payload).Error; err != nil {
		return fmt.Errorf("authz: notify: %w", err)
	}
	return nil
}
