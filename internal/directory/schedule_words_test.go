package directory

import "testing"

// A schedule reads as a citizen says it, in Italian and in English.
func TestScheduleInWords(t *testing.T) {
	two := 2
	for _, c := range []struct {
		s      Schedule
		it, en string
	}{
		{Schedule{Freq: "WEEKLY", Byday: "MO,TH", OpensAt: "09:00", ClosesAt: "12:30"},
			"lunedì e giovedì 9:00–12:30", "Monday and Thursday 9:00–12:30"},
		{Schedule{Freq: "WEEKLY", Byday: "MO,TU,WE,TH,FR", OpensAt: "08:30", ClosesAt: "12:30"},
			"dal lunedì al venerdì 8:30–12:30", "Monday to Friday 8:30–12:30"},
		{Schedule{Freq: "WEEKLY", Byday: "FR,SA,SU,TU", OpensAt: "15:00"},
			"martedì e dal venerdì alla domenica dalle 15:00", "Tuesday and Friday to Sunday from 15:00"},
		{Schedule{Freq: "WEEKLY", Byday: "MO,WE,FR", ClosesAt: "18:00"},
			"lunedì, mercoledì e venerdì fino alle 18:00", "Monday, Wednesday and Friday until 18:00"},
		{Schedule{Freq: "WEEKLY", Byday: "MO,TU,WE,TH,FR,SA,SU"}, "tutti i giorni", "every day"},
		{Schedule{Freq: "WEEKLY", Interval: &two, Byday: "WE", OpensAt: "10:00", ClosesAt: "11:00"},
			"ogni 2 settimane, mercoledì 10:00–11:00", "every 2 weeks, Wednesday 10:00–11:00"},
		{Schedule{Freq: "MONTHLY", Byday: "1TU", OpensAt: "15:00", ClosesAt: "17:00"},
			"il primo martedì del mese 15:00–17:00", "the first Tuesday of the month 15:00–17:00"},
		{Schedule{Freq: "MONTHLY", Byday: "-1FR"}, "l'ultimo venerdì del mese", "the last Friday of the month"},
		{Schedule{Freq: "MONTHLY", Bymonthday: "1,15"}, "i giorni 1 e 15 del mese", "on day 1 and 15 of the month"},
		{Schedule{Freq: "WEEKLY", Byday: "SA", OpensAt: "09:00", ClosesAt: "12:00", ValidFrom: "2026-06-15", ValidTo: "2026-08-31"},
			"sabato 9:00–12:00 (dal 15/06/2026 al 31/08/2026)", "Saturday 9:00–12:00 (from 15 Jun 2026 to 31 Aug 2026)"},
		{Schedule{Description: "su appuntamento"}, "su appuntamento", "su appuntamento"},
	} {
		if got := c.s.InWords("it"); got != c.it {
			t.Errorf("%+v in Italian: %q, want %q", c.s, got, c.it)
		}
		if got := c.s.InWords("en"); got != c.en {
			t.Errorf("%+v in English: %q, want %q", c.s, got, c.en)
		}
	}
}
