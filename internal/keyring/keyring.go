package keyring

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm/clause"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Keyring holds the master keys and caches unwrapped district keys. Person keys are never
// cached beyond one transaction's Session, so an erasure takes effect at once.
type Keyring struct {
	current  Master
	accepted map[string]Master // by id: the current key, and the previous one during a rotation

	mu        sync.Mutex
	districts map[string]districtKey // by district slug
}

type districtKey struct {
	wrapped string // the stored wrapped bytes: a rotation elsewhere shows up as a change here
	key     []byte
}

// New returns a keyring wrapping new district keys with current, and also unwrapping with
// previous (a master key being rotated out).
func New(current Master, previous ...Master) *Keyring {
	k := &Keyring{current: current, accepted: map[string]Master{current.id: current}, districts: map[string]districtKey{}}
	for _, p := range previous {
		k.accepted[p.id] = p
	}
	return k
}

type districtKeyRow struct {
	ID        int16
	MasterID  string
	Wrapped   []byte
	RotatedAt *time.Time
}

func (districtKeyRow) TableName() string { return "district_key" }

type personKeyRow struct {
	PersonID string
	Wrapped  []byte
}

func (personKeyRow) TableName() string { return "person_keys" }

// ErrShredded is returned when a person's key is gone: their data was erased.
var ErrShredded = apperr.New(apperr.NotFound, "i dati di questa persona sono stati cancellati", "this person's data has been erased")

// districtKey returns the district's key, creating it on first use.
func (k *Keyring) districtKey(tx *tenancy.Tx) ([]byte, error) {
	var row districtKeyRow
	res := tx.Limit(1).Find(&row, "id = 1")
	if res.Error != nil {
		return nil, fmt.Errorf("keyring: read the district key: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return k.createDistrictKey(tx)
	}
	k.mu.Lock()
	cached, ok := k.districts[tx.District.Slug]
	k.mu.Unlock()
	if ok && cached.wrapped == string(row.Wrapped) {
		return cached.key, nil
	}
	m, ok := k.accepted[row.MasterID]
	if !ok {
		return nil, fmt.Errorf("keyring: the key of district %s is wrapped by master key %s, which is not loaded", tx.District.Slug, row.MasterID)
	}
	key, err := open(m.key, row.Wrapped, districtAAD(tx.District.Slug))
	if err != nil {
		return nil, fmt.Errorf("keyring: unwrap the key of district %s: %w", tx.District.Slug, err)
	}
	k.mu.Lock()
	k.districts[tx.District.Slug] = districtKey{wrapped: string(row.Wrapped), key: key}
	k.mu.Unlock()
	return key, nil
}

func (k *Keyring) createDistrictKey(tx *tenancy.Tx) ([]byte, error) {
	key, err := newKey()
	if err != nil {
		return nil, err
	}
	wrapped, err := seal(k.current.key, key, districtAAD(tx.District.Slug))
	if err != nil {
		return nil, err
	}
	row := districtKeyRow{ID: 1, MasterID: k.current.id, Wrapped: wrapped}
	// Two first uses at once: one insert wins, the other reads the winner's key.
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return nil, fmt.Errorf("keyring: store the district key: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return k.districtKey(tx)
	}
	return key, nil
}

func districtAAD(slug string) []byte { return []byte("ambiti district key\x00" + slug) }

// Session is the keyring within one transaction: it unwraps each person's key once.
type Session struct {
	k        *Keyring
	tx       *tenancy.Tx
	district []byte
	people   map[string][]byte
}

// Session opens the keyring for tx.
func (k *Keyring) Session(tx *tenancy.Tx) (*Session, error) {
	dk, err := k.districtKey(tx)
	if err != nil {
		return nil, err
	}
	return &Session{k: k, tx: tx, district: dk, people: map[string][]byte{}}, nil
}

// personKey returns the person's data key; create makes one when there is none (a new person),
// otherwise a missing key is ErrShredded.
func (s *Session) personKey(person string, create bool) ([]byte, error) {
	if key, ok := s.people[person]; ok {
		return key, nil
	}
	var row personKeyRow
	res := s.tx.Limit(1).Find(&row, "person_id = ?", person)
	if res.Error != nil {
		return nil, fmt.Errorf("keyring: read a person's key: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		if !create {
			return nil, ErrShredded
		}
		key, err := newKey()
		if err != nil {
			return nil, err
		}
		wrapped, err := seal(s.district, key, personAAD(person))
		if err != nil {
			return nil, err
		}
		if err := s.tx.Create(&personKeyRow{PersonID: person, Wrapped: wrapped}).Error; err != nil {
			return nil, fmt.Errorf("keyring: store a person's key: %w", err)
		}
		s.people[person] = key
		return key, nil
	}
	key, err := open(s.district, row.Wrapped, personAAD(person))
	if err != nil {
		return nil, fmt.Errorf("keyring: unwrap a person's key: %w", err)
	}
	s.people[person] = key
	return key, nil
}

// Preload unwraps the data keys of many people with one query (a list shows dozens: one query
// per person was most of its time). People without a key are left out: Open then finds them
// shredded as it would have.
func (s *Session) Preload(people []string) error {
	var want []string
	for _, p := range people {
		if _, ok := s.people[p]; !ok {
			want = append(want, p)
		}
	}
	if len(want) == 0 {
		return nil
	}
	var rows []personKeyRow
	if err := s.tx.Where("person_id IN ?", want).Find(&rows).Error; err != nil {
		return fmt.Errorf("keyring: read people's keys: %w", err)
	}
	for _, row := range rows {
		key, err := open(s.district, row.Wrapped, personAAD(row.PersonID))
		if err != nil {
			return fmt.Errorf("keyring: unwrap a person's key: %w", err)
		}
		s.people[row.PersonID] = key
	}
	return nil
}

func personAAD(person string) []byte { return []byte("ambiti person key\x00" + person) }

func fieldAAD(person, field string) []byte { return []byte(person + "\x00" + field) }

// Seal encrypts a field of person's data; an empty value stays empty (nothing to hide, and
// "not given" stays distinguishable without a key).
func (s *Session) Seal(person, field, plain string) ([]byte, error) {
	if plain == "" {
		return nil, nil
	}
	key, err := s.personKey(person, true)
	if err != nil {
		return nil, err
	}
	return seal(key, []byte(plain), fieldAAD(person, field))
}

// Open decrypts what Seal made for the same person and field.
func (s *Session) Open(person, field string, sealed []byte) (string, error) {
	if len(sealed) == 0 {
		return "", nil
	}
	key, err := s.personKey(person, false)
	if err != nil {
		return "", err
	}
	plain, err := open(key, sealed, fieldAAD(person, field))
	if err != nil {
		return "", fmt.Errorf("keyring: field %s: %w", field, err)
	}
	return string(plain), nil
}

// Blind returns a keyed hash of value for purpose (for example the codice fiscale, to find a
// duplicate without a plain index): equal values give equal hashes inside one district only.
func (s *Session) Blind(purpose, value string) ([]byte, error) {
	key, err := hkdf.Key(sha256.New, s.district, nil, "ambiti blind index\x00"+purpose, KeySize)
	if err != nil {
		return nil, fmt.Errorf("keyring: blind key: %w", err)
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(value))
	return m.Sum(nil), nil
}

// Shred destroys person's data key: every value sealed for them, in the database, a backup or
// an export, can no longer be opened. It reports whether there was a key.
func (s *Session) Shred(person string) (bool, error) {
	delete(s.people, person)
	res := s.tx.Where("person_id = ?", person).Delete(&personKeyRow{})
	if res.Error != nil {
		return false, fmt.Errorf("keyring: destroy a person's key: %w", res.Error)
	}
	return res.RowsAffected > 0, nil
}

// IsShredded reports whether err says the person's data was erased.
func IsShredded(err error) bool { return errors.Is(err, ErrShredded) }
