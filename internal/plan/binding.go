package plan

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/facts"
)

// Binding ties an indicator to a figure of the district's pathways (facts section
// "pathways"): the indicator then measures itself, year by year of the plan's period, and
// takes no manual measurement. The zero Binding is an indicator measured by hand.
type Binding struct {
	Programme string `json:"programme"` // a programme code: cope, vmd
	Figure    string `json:"figure"`    // one of Figures, closed:<reason> or ons4_change:<item>
}

// Bound reports whether the indicator measures itself.
func (b Binding) Bound() bool { return b.Programme != "" || b.Figure != "" }

// The figures an indicator can be bound to: counts, then the two means.
const (
	FigureEngaged            = "engaged"             // distinct people engaged
	FigureStarted            = "started"             // pathways engaged
	FigureClosed             = "closed"              // pathways closed, all reasons; closed:<reason> for one
	FigureReferralsSent      = "referrals_sent"      // referrals sent
	FigureReferralsAccepted  = "referrals_accepted"  // referrals accepted
	FigureReferralsConcluded = "referrals_concluded" // referrals concluded
	FigureONS4Change         = "ons4_change"         // ons4_change:<item>: mean change of an ONS4 item, 2 decimals
	FigureNEETLeftShare      = "neet_left_share"     // percent of the NEET at start who left it at closure
)

// Figures are the figures without a parameter, in the order the form lists them.
var Figures = []string{FigureEngaged, FigureStarted, FigureClosed, FigureReferralsSent, FigureReferralsAccepted,
	FigureReferralsConcluded, FigureNEETLeftShare}

// ONS4Items are the items of ons4_change:<item>.
var ONS4Items = []string{"life_satisfaction", "worthwhile", "happiness", "anxiety"}

var (
	programmeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{1,30}$`)
	reasonRE    = regexp.MustCompile(`^[a-z][a-z0-9_]{0,60}$`)
)

// validate checks the binding's shape: a programme code and a known figure, or neither.
func (b *Binding) validate() error {
	b.Programme, b.Figure = strings.TrimSpace(b.Programme), strings.TrimSpace(b.Figure)
	if !b.Bound() {
		return nil
	}
	if !programmeRE.MatchString(b.Programme) {
		return apperr.Invalidf("binding", "Il programma dei percorsi «%s» non è valido: scegliere un dato dall'elenco", "The pathway programme “%s” is not valid: choose a figure from the list", b.Programme)
	}
	name, param, _ := strings.Cut(b.Figure, ":")
	ok := false
	switch name {
	case FigureClosed:
		ok = param == "" || reasonRE.MatchString(param)
	case FigureONS4Change:
		ok = slices.Contains(ONS4Items, param)
	default:
		ok = param == "" && slices.Contains(Figures, name)
	}
	if !ok {
		return apperr.Invalidf("binding", "Il dato dei percorsi «%s» non è previsto: sceglierne uno dall'elenco", "The pathway figure “%s” is not known: choose one from the list", b.Figure)
	}
	return nil
}

// checkKnown checks the binding against the programmes the product ships (when the service
// knows them): the programme exists and a closure reason is one of its own.
func (b Binding) checkKnown(programmes map[string]facts.ProgrammeFacts) error {
	if !b.Bound() || programmes == nil {
		return nil
	}
	p, ok := programmes[b.Programme]
	if !ok {
		return apperr.Invalidf("binding", "programma dei percorsi sconosciuto %q", "unknown pathway programme %q", b.Programme)
	}
	if name, reason, _ := strings.Cut(b.Figure, ":"); name == FigureClosed && reason != "" &&
		!slices.ContainsFunc(p.Reasons, func(l facts.Label) bool { return l.Code == reason }) {
		return apperr.Invalidf("binding", "motivo di chiusura sconosciuto per %s: %q", "unknown closure reason of %s: %q", b.Programme, reason)
	}
	return nil
}

// Programmes are the pathways' programmes indicators may be bound to (nil: not known).
func (s *Service) Programmes() map[string]facts.ProgrammeFacts { return s.programmes }

// errBoundMeasurement refuses a manual value for an indicator that measures itself.
var errBoundMeasurement = apperr.Invalidf("indicator",
	"l'indicatore è collegato ai dati dei percorsi e si misura da sé: non si registrano valori a mano",
	"the indicator is bound to the pathways' figures and measures itself: no value is recorded by hand")

// BoundValues are a bound indicator's values: one per year of the plan's period and the whole
// period's. A value is nil when the district has no pathways' figures yet, when a mean or a
// share rests on fewer than facts.SmallCount people, or (Suppressed) when a count of people
// is between 1 and 4.
type BoundValues struct {
	ProgrammeName string       `json:"programme_name"`
	Years         []BoundValue `json:"years"`
	Period        BoundValue   `json:"period"`
}

// BoundValue is the figure over one year, or over the period ("2022-2024").
type BoundValue struct {
	Period     string   `json:"period"`
	Value      *float64 `json:"value"`
	Suppressed bool     `json:"suppressed,omitempty"`
}

// bindIndicators measures the bound indicators among inds from the district's pathways'
// facts rec, over their plans' years (span, by objective id); their manual values, if any
// were kept from before the binding, give way.
func bindIndicators(inds []Indicator, span map[int64][2]int, rec facts.Record) error {
	if !slices.ContainsFunc(inds, func(in Indicator) bool { return in.Binding.Bound() }) {
		return nil
	}
	var sum facts.PathwaysSummary
	known, err := rec.Decode(facts.PathwaysVersion, &sum, nil)
	if err != nil {
		return err
	}
	for i := range inds {
		in := &inds[i]
		if !in.Binding.Bound() {
			continue
		}
		s := span[in.ObjectiveID]
		var bv *BoundValues
		if known {
			bv = measure(sum.Programmes[in.Binding.Programme], in.Binding.Figure, s[0], s[1])
		} else {
			bv = &BoundValues{Period: BoundValue{Period: periodName(s[0], s[1])}}
			for y := s[0]; y <= s[1]; y++ {
				bv.Years = append(bv.Years, BoundValue{Period: strconv.Itoa(y)})
			}
		}
		in.Bound, in.Latest, in.Progress = bv, nil, nil
		if v := bv.Period.Value; v != nil {
			in.Latest = &Measurement{IndicatorID: in.ID, Period: bv.Period.Period, Value: *v, Source: "percorsi"}
			in.Progress = ProgressOf(*in, *v)
		}
	}
	return nil
}

func periodName(from, to int) string {
	if from == to {
		return strconv.Itoa(from)
	}
	return fmt.Sprintf("%d-%d", from, to)
}

// measure computes the figure over each year from..to and over the whole period: counts add
// up, means combine their sums and counts, the NEET share its numerator and denominator.
func measure(p facts.ProgrammeFacts, figure string, from, to int) *BoundValues {
	out := &BoundValues{ProgrammeName: p.Name}
	var total facts.Mean
	for y := from; y <= to; y++ {
		m := figureOf(p.Years[strconv.Itoa(y)], figure)
		out.Years = append(out.Years, boundValue(strconv.Itoa(y), figure, m))
		total.Sum += m.Sum
		total.N += m.N
	}
	out.Period = boundValue(periodName(from, to), figure, total)
	return out
}

// figureOf reads a figure of one year as a Mean: a count is Sum with N 1, a mean its sum and
// how many values, the NEET share the ones who left over the ones who started NEET.
func figureOf(y facts.PathwayYear, figure string) facts.Mean {
	name, param, _ := strings.Cut(figure, ":")
	count := func(n int) facts.Mean { return facts.Mean{Sum: float64(n), N: 1} }
	switch name {
	case FigureEngaged:
		return count(y.Engaged)
	case FigureStarted:
		return count(y.Started)
	case FigureClosed:
		if param != "" {
			return count(y.Closed[param])
		}
		n := 0
		for _, c := range y.Closed {
			n += c
		}
		return count(n)
	case FigureReferralsSent:
		return count(y.ReferralsSent)
	case FigureReferralsAccepted:
		return count(y.ReferralsAccepted)
	case FigureReferralsConcluded:
		return count(y.ReferralsConcluded)
	case FigureONS4Change:
		return y.ONS4Change[param]
	case FigureNEETLeftShare:
		return facts.Mean{Sum: float64(y.NEETLeft), N: y.NEETAtStart}
	}
	return facts.Mean{}
}

// boundValue turns a figure into what the plan shows: a count as it is (1–4 people
// suppressed), a mean or a share over five people or more, to two decimals.
func boundValue(period, figure string, m facts.Mean) BoundValue {
	v := BoundValue{Period: period}
	name, _, _ := strings.Cut(figure, ":")
	switch name {
	case FigureONS4Change, FigureNEETLeftShare:
		if m.N < facts.SmallCount {
			return v
		}
		x := m.Sum / float64(m.N)
		if name == FigureNEETLeftShare {
			x *= 100
		}
		x = math.Round(x*100) / 100
		v.Value = &x
	default:
		c := facts.SuppressOne(int(m.Sum))
		if c.Suppressed {
			v.Suppressed = true
			return v
		}
		x := m.Sum
		v.Value = &x
	}
	return v
}
