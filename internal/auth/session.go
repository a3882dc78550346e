package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "ambiti_session"

// tokenBytes is the entropy of every random token (session ids, CSRF tokens, login bindings).
const tokenBytes = 32

func randomToken() string {
	b := make([]byte, tokenBytes)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// createSession records a session and returns the cookie value (never stored).
func (s *Service) createSession(ctx context.Context, identityID, domain, userAgent, remoteAddr string) (string, error) {
	token := randomToken()
	err := s.db.Platform(ctx, func(tx *gorm.DB) error {
		// Housekeeping rides on logins: expired sessions and abandoned login attempts go.
		if err := tx.Exec(`DELETE FROM platform.sessions WHERE expires_at < now()`).Error; err != nil {
			return err
		}
		if err := tx.Exec(`DELETE FROM platform.login_states WHERE expires_at < now()`).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO platform.sessions (id_hash, identity_id, domain, csrf_token, expires_at, user_agent, remote_addr)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, hashToken(token), identityID, domain, randomToken(),
			s.now().Add(s.cfg.SessionAbsolute), truncate(userAgent, 300), remoteAddr).Error
	})
	return token, err
}

// session returns the principal of a live session of domain, or false. A session is live until
// its absolute expiry, and while it is used at least every SessionIdle. Its last use is written
// at most once a minute.
func (s *Service) session(ctx context.Context, token, domain string) (Principal, bool, error) {
	var r struct {
		IdentityID, Domain, CSRFToken string
		LastSeenAt, ExpiresAt         time.Time
		Username, DisplayName, Email  string
		Organisation                  *string
	}
	found := false
	h := hashToken(token)
	// One round trip: the session and its identity in one statement of a read batch (a
	// transaction would add BEGIN and COMMIT, two more, to every page a person opens).
	b := &pgx.Batch{}
	b.Queue(`
		SELECT s.identity_id, s.domain, s.csrf_token, s.last_seen_at, s.expires_at,
		       i.username, i.display_name, i.email, m.organisation
		FROM platform.sessions s
		JOIN platform.identities i ON i.id = s.identity_id
		LEFT JOIN platform.memberships m ON m.identity_id = s.identity_id AND m.domain = s.domain
		WHERE s.id_hash = $1`, h).QueryRow(func(row pgx.Row) error {
		err := row.Scan(&r.IdentityID, &r.Domain, &r.CSRFToken, &r.LastSeenAt, &r.ExpiresAt, &r.Username, &r.DisplayName, &r.Email, &r.Organisation)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		found = err == nil
		return err
	})
	if err := s.db.PlatformBatch(ctx, b); err != nil || !found {
		return Principal{}, false, err
	}
	now := s.now()
	if r.Domain != domain || !now.Before(r.ExpiresAt) || now.Sub(r.LastSeenAt) > s.cfg.SessionIdle {
		return Principal{}, false, nil
	}
	if now.Sub(r.LastSeenAt) > time.Minute {
		err := s.db.Platform(ctx, func(tx *gorm.DB) error {
			return tx.Exec(`UPDATE platform.sessions SET last_seen_at = ? WHERE id_hash = ?`, now, h).Error
		})
		if err != nil {
			return Principal{}, false, err
		}
	}
	p := Principal{IdentityID: r.IdentityID, Username: r.Username, Name: r.DisplayName, Email: r.Email,
		Domain: r.Domain, Via: "session", CSRFToken: r.CSRFToken, sessionHash: h}
	if r.Organisation != nil {
		p.Organisation = *r.Organisation
	}
	return p, true, nil
}

// endSession deletes the session: every replica refuses it from the next request on.
func (s *Service) endSession(ctx context.Context, hash string) error {
	return s.db.Platform(ctx, func(tx *gorm.DB) error {
		return tx.Exec(`DELETE FROM platform.sessions WHERE id_hash = ?`, hash).Error
	})
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
