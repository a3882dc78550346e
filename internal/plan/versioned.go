package plan

import "sync"

// versioned keeps values each read at a version of a district's data (data_versions): a value
// is only given back for the version it was read at, so a write anywhere, on any instance,
// retires it without telling anyone. Bounded: past max entries the least recently used goes.
type versioned[K comparable, V any] struct {
	mu      sync.Mutex
	max     int
	tick    uint64
	entries map[K]*versionedEntry[V]
}

type versionedEntry[V any] struct {
	version string
	value   V
	used    uint64
}

func newVersioned[K comparable, V any](max int) *versioned[K, V] {
	return &versioned[K, V]{max: max, entries: map[K]*versionedEntry[V]{}}
}

// get returns what is kept under k and the version it was read at.
func (c *versioned[K, V]) get(k K) (value V, version string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		return value, "", false
	}
	c.tick++
	e.used = c.tick
	return e.value, e.version, true
}

// at returns what is kept under k if it was read at version.
func (c *versioned[K, V]) at(k K, version string) (V, bool) {
	v, have, ok := c.get(k)
	if !ok || have != version {
		var zero V
		return zero, false
	}
	return v, true
}

// put keeps value, read at version, under k.
func (c *versioned[K, V]) put(k K, version string, value V) {
	if c.max <= 0 || version == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tick++
	if _, ok := c.entries[k]; !ok && len(c.entries) >= c.max {
		var oldest K
		first := true
		for key, e := range c.entries {
			if first || e.used < c.entries[oldest].used {
				oldest, first = key, false
			}
		}
		delete(c.entries, oldest)
	}
	c.entries[k] = &versionedEntry[V]{version: version, value: value, used: c.tick}
}
