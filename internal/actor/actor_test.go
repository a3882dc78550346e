package actor_test

import (
	"context"
	"testing"

	"github.com/ambiti/ambiti/internal/actor"
)

func TestNobodyMayDoAnything(t *testing.T) {
	if a := actor.From(context.Background()); !a.Anonymous() || a.Can("plan", "read") {
		t.Errorf("a request without an actor acts as %+v", a)
	}
	// Even a permission function that says yes does not make nobody somebody.
	if a := actor.New("", "", "", "valle-trompia", nil, nil, func(string, string) bool { return true }); a.Can("plan", "read") {
		t.Error("an actor without an identity may read the plan")
	}
}

func TestTheActorTravelsWithTheRequest(t *testing.T) {
	a := actor.New("id-1", "Giulia Ferrari", "", "valle-trompia", []string{"udp"}, nil,
		func(obj, act string) bool { return obj == "plan" && act == "write" })
	got := actor.From(actor.With(context.Background(), a))
	if got.Name != "Giulia Ferrari" || !got.Can("plan", "write") || got.Can("members", "manage") {
		t.Errorf("actor after the context: %+v", got)
	}
	r := actor.New("id-2", "Regione", "", "platform", nil, []string{"lombardia"}, nil)
	if !r.Oversees("lombardia") || r.Oversees("trento") {
		t.Errorf("regions overseen: %v", r.Regions)
	}
}
