package apperr

import "testing"

func TestJoinKeepsEveryRefusal(t *testing.T) {
	err := Join(nil, Invalidf("period", "Indicare il periodo", "Enter the period"), nil,
		Join(Invalidf("value", "Indicare il valore", "Enter the value"), Invalidf("note", "nota troppo lunga", "note too long")))
	e, ok := As(err)
	if !ok || e.Field != "period" {
		t.Fatalf("Join = %v", err)
	}
	var fields []string
	for _, x := range e.All() {
		fields = append(fields, x.Field)
	}
	if len(fields) != 3 || fields[1] != "value" || fields[2] != "note" {
		t.Fatalf("fields = %v", fields)
	}
	if Join() != nil || Join(nil, nil) != nil {
		t.Fatal("Join of nothing is not nil")
	}
}
