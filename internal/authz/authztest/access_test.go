package authztest

import (
	"strings"
	"testing"
)

func TestMergeRefusesARouteStatedTwice(t *testing.T) {
	a := Table{"GET /a": Public()}
	if _, err := Merge(a, Table{"GET /a": Only("udp")}); err == nil || !strings.Contains(err.Error(), "GET /a") {
		t.Fatalf("Merge of a route stated twice: %v, want an error naming it", err)
	}
	m, err := Merge(a, Table{"GET /b": Only("udp")})
	if err != nil || len(m) != 2 || !m["GET /b"].Allows("udp") || m["GET /b"].Allows("coop") {
		t.Fatalf("Merge: %v %v", m, err)
	}
}
