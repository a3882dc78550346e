package directory

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// dayNames are the weekdays of HSDS's byday, Monday first, in each language of the pages.
var dayNames = map[string][7]string{
	"it": {"lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"},
	"en": {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
}

var dayIndex = map[string]int{"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}

// InWords says when the schedule is open, as a citizen reads it: "lunedì e giovedì
// 9:00–12:30", "dal lunedì al venerdì 8:30–12:30", "il primo martedì del mese 15:00–17:00"
// (lang "it"), "Monday and Thursday 9:00–12:30" (lang "en"). What the rule does not say in a
// form it knows (a yearly rule, nothing at all), the schedule's own description says.
func (s Schedule) InWords(lang string) string {
	if lang != "en" {
		lang = "it"
	}
	var when string
	switch strings.ToUpper(s.Freq) {
	case "WEEKLY", "":
		when = weeklyWords(s.Byday, lang)
		if when != "" && s.Interval != nil && *s.Interval > 1 {
			when = fmt.Sprintf(map[string]string{"it": "ogni %d settimane, %s", "en": "every %d weeks, %s"}[lang], *s.Interval, when)
		}
	case "DAILY":
		when = map[string]string{"it": "tutti i giorni", "en": "every day"}[lang]
	case "MONTHLY":
		when = monthlyWords(s.Byday, s.Bymonthday, lang)
	}
	if when == "" {
		return strings.TrimSpace(s.Description)
	}
	if h := hoursWords(s.OpensAt, s.ClosesAt, lang); h != "" {
		when += " " + h
	}
	if v := validityWords(s.ValidFrom, s.ValidTo, lang); v != "" {
		when += " " + v
	}
	return when
}

// weeklyWords names the days of a byday list: three or more days in a row are a range.
func weeklyWords(byday, lang string) string {
	var on [7]bool
	n := 0
	for _, d := range strings.Split(strings.ToUpper(byday), ",") {
		if i, ok := dayIndex[strings.TrimSpace(d)]; ok && !on[i] {
			on[i] = true
			n++
		}
	}
	if n == 0 {
		return ""
	}
	if n == 7 {
		return map[string]string{"it": "tutti i giorni", "en": "every day"}[lang]
	}
	names := dayNames[lang]
	var parts []string
	for i := 0; i < 7; {
		if !on[i] {
			i++
			continue
		}
		j := i
		for j+1 < 7 && on[j+1] {
			j++
		}
		switch {
		case j-i >= 2 && lang == "it":
			to := "al " + names[j]
			if j == 6 {
				to = "alla " + names[j]
			}
			parts = append(parts, "dal "+names[i]+" "+to)
		case j-i >= 2:
			parts = append(parts, names[i]+" to "+names[j])
		default:
			for k := i; k <= j; k++ {
				parts = append(parts, names[k])
			}
		}
		i = j + 1
	}
	return joinWords(parts, lang)
}

// ordinals name the n-th weekday of a month (1…5, and -1 for the last).
var ordinals = map[string]map[int]string{
	"it": {1: "il primo", 2: "il secondo", 3: "il terzo", 4: "il quarto", 5: "il quinto", -1: "l'ultimo"},
	"en": {1: "the first", 2: "the second", 3: "the third", 4: "the fourth", 5: "the fifth", -1: "the last"},
}

// monthlyWords reads a monthly rule: byday with an ordinal ("1MO", "-1FR") or days of the month
// ("1,15").
func monthlyWords(byday, bymonthday, lang string) string {
	var parts []string
	for _, d := range strings.Split(strings.ToUpper(byday), ",") {
		d = strings.TrimSpace(d)
		if len(d) < 3 {
			continue
		}
		i, ok := dayIndex[d[len(d)-2:]]
		n, err := strconv.Atoi(d[:len(d)-2])
		ord, known := ordinals[lang][n]
		if !ok || err != nil || !known {
			continue
		}
		parts = append(parts, ord+" "+dayNames[lang][i])
	}
	if len(parts) > 0 {
		return joinWords(parts, lang) + map[string]string{"it": " del mese", "en": " of the month"}[lang]
	}
	var days []string
	for _, d := range strings.Split(bymonthday, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(d)); err == nil && n >= 1 && n <= 31 {
			days = append(days, strconv.Itoa(n))
		}
	}
	switch {
	case len(days) == 0:
		return ""
	case lang == "en":
		return "on day " + joinWords(days, lang) + " of the month"
	case len(days) == 1:
		return "il giorno " + days[0] + " del mese"
	}
	return "i giorni " + joinWords(days, lang) + " del mese"
}

// hoursWords is "9:00–12:30", "dalle 9:00", "fino alle 12:30".
func hoursWords(opens, closes, lang string) string {
	o, c := clock(opens), clock(closes)
	switch {
	case o != "" && c != "":
		return o + "–" + c
	case o != "":
		return map[string]string{"it": "dalle ", "en": "from "}[lang] + o
	case c != "":
		return map[string]string{"it": "fino alle ", "en": "until "}[lang] + c
	}
	return ""
}

// clock writes "09:00" (or "09:00:00") as "9:00".
func clock(t string) string {
	t = strings.TrimSpace(t)
	if len(t) >= 5 && t[2] == ':' {
		t = t[:5]
	}
	if len(t) == 5 && t[0] == '0' {
		t = t[1:]
	}
	return t
}

// validityWords is "(dal 15/06/2026 al 31/08/2026)", or only one end; "" when always valid.
func validityWords(from, to Date, lang string) string {
	f, t := dateWords(from, lang), dateWords(to, lang)
	w := map[string][3]string{"it": {"dal ", "al ", "fino al "}, "en": {"from ", "to ", "until "}}[lang]
	switch {
	case f != "" && t != "":
		return "(" + w[0] + f + " " + w[1] + t + ")"
	case f != "":
		return "(" + w[0] + f + ")"
	case t != "":
		return "(" + w[2] + t + ")"
	}
	return ""
}

func dateWords(d Date, lang string) string {
	if d == "" {
		return ""
	}
	t, err := time.Parse(time.DateOnly, string(d)[:min(10, len(d))])
	if err != nil {
		return string(d)
	}
	if lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

// joinWords is "a", "a e b", "a, b e c" ("and" in English).
func joinWords(parts []string, lang string) string {
	and := map[string]string{"it": " e ", "en": " and "}[lang]
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + and + parts[len(parts)-1]
}
