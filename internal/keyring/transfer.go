package keyring

import "fmt"

// RewrapDistrictKey is for a district's key carried to another database or slug (ambiti
// tenants import): it opens wrapped — stored for district slug from, under the master key
// whose fingerprint is masterID — with whichever of current and previous has that fingerprint,
// and wraps the same key again for district to under current. The key itself, and so every
// person key and sealed field, stays as it was. When nothing would change (same slug, same
// master) it still opens the key, proving it readable, and returns wrapped untouched.
func RewrapDistrictKey(wrapped []byte, masterID, from, to string, current Master, previous ...Master) (out []byte, outMasterID string, err error) {
	var m *Master
	for _, k := range append([]Master{current}, previous...) {
		if k.id == masterID && len(k.key) == KeySize {
			m = &k
			break
		}
	}
	if m == nil {
		return nil, "", fmt.Errorf("keyring: the key of district %s is wrapped by master key %s, which is not loaded (give it as AMBITI_MASTER_KEY, or as AMBITI_MASTER_KEY_PREVIOUS to rewrap it under the current one)", from, masterID)
	}
	key, err := open(m.key, wrapped, districtAAD(from))
	if err != nil {
		return nil, "", fmt.Errorf("keyring: unwrap the key of district %s with master key %s: %w", from, masterID, err)
	}
	if from == to && m.id == current.id {
		return wrapped, masterID, nil
	}
	out, err = seal(current.key, key, districtAAD(to))
	if err != nil {
		return nil, "", err
	}
	return out, current.id, nil
}
