// Package audit is the district's audit trail of personal data: who read or wrote which
// person's data, when, in which request. Rows are written by tenancy.Scope, in the transaction
// that touched the data, through Writer; they form a hash chain that Verify checks.
package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"time"
)

// Entry is one row of the trail.
type Entry struct {
	Seq       int64     `json:"seq"`
	At        time.Time `json:"at"`
	ActorID   string    `json:"actor_id"`
	ActorName string    `json:"actor_name"`
	Roles     string    `json:"roles"`
	Subject   string    `json:"subject"`
	What      string    `json:"what"`
	Action    string    `json:"action"`
	Detail    string    `json:"detail"`
	RequestID string    `json:"request_id"`
	PrevHash  []byte    `json:"-"`
	Hash      []byte    `json:"-"`
}

// TableName is the district table.
func (Entry) TableName() string { return "audit_log" }

// genesis is the hash before the first row.
var genesis = make([]byte, sha256.Size)

// chainHash is the hash of e chained to prev: SHA-256 over prev and each field, each prefixed
// by its length so that no two different rows encode alike.
func chainHash(prev []byte, e Entry) []byte {
	h := sha256.New()
	h.Write(prev)
	field := func(s string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	var seq [8]byte
	binary.BigEndian.PutUint64(seq[:], uint64(e.Seq))
	h.Write(seq[:])
	field(e.At.UTC().Format(time.RFC3339Nano))
	for _, s := range []string{e.ActorID, e.ActorName, e.Roles, e.Subject, e.What, e.Action, e.Detail, e.RequestID} {
		field(s)
	}
	return h.Sum(nil)
}

// rolesOf is how an actor's roles are stored.
func rolesOf(roles []string) string { return strings.Join(roles, ",") }
