package sla

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/leadkit/leadkit/internal/period"
	"github.com/leadkit/leadkit/internal/stats"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// Compliance accumulates the SLA compliance of many leads as of one
// time: Add leads, Merge accumulators built on other shards, and Report.
// Adding the same leads in any order, or split over any number of
// accumulators and merged, gives the identical report.
//
// Its state is the exported fields, which round-trip through
// encoding/json: to resume a decoded state, unmarshal it into an
// accumulator made by [Checker.NewCompliance] (which keeps the link to
// the checker). The zero Compliance is not usable. A Compliance is not
// safe for concurrent use; give each goroutine its own and Merge them.
type Compliance struct {
	// AsOf is the as-of time: events after it are invisible.
	AsOf time.Time `json:"as_of"`
	// Policies holds one state per policy, in the agreement's order.
	Policies []PolicyState `json:"policies"`

	ch    *Checker
	cache []map[int64]string // per policy: period keys by period start (Unix seconds)
}

// PolicyState is the accumulated state of one policy.
type PolicyState struct {
	// Name is the policy's name.
	Name string `json:"name"`
	// Owners holds the counts of a per-lead policy by lead owner (""
	// for unassigned leads).
	Owners map[string]*Tally `json:"owners,omitempty"`
	// Breaches lists the breached leads of a per-lead policy, in no
	// particular order.
	Breaches []Result `json:"breaches,omitempty"`
	// Periods holds the counts of a volume or quality policy by period,
	// keyed by the period's first local date ("2026-01-05").
	Periods map[string]*PeriodTally `json:"periods,omitempty"`
}

// Tally counts the statuses of leads under a per-lead policy.
type Tally struct {
	// Met, Breached, Pending and AtRisk count the leads in each status;
	// every lead is in exactly one.
	Met      int64 `json:"met"`
	Breached int64 `json:"breached"`
	Pending  int64 `json:"pending"`
	AtRisk   int64 `json:"at_risk"`
	// Times holds the elapsed time to meeting the promise of every lead
	// that met it, on time or late, in no particular order.
	Times []time.Duration `json:"times,omitempty"`
}

// PeriodTally counts the leads of one period of a volume or quality
// policy.
type PeriodTally struct {
	// Leads is the number of leads that first entered the stage in the
	// period.
	Leads int64 `json:"leads"`
	// Accepted and Rejected count the quality policy's leads that sales
	// accepted or rejected by the as-of time.
	Accepted int64 `json:"accepted,omitempty"`
	Rejected int64 `json:"rejected,omitempty"`
}

// NewCompliance returns an empty accumulator for the checker's policies
// as of asOf.
func (ch *Checker) NewCompliance(asOf time.Time) *Compliance {
	c := &Compliance{AsOf: asOf, ch: ch}
	for _, p := range ch.policies {
		c.Policies = append(c.Policies, PolicyState{Name: p.def.Name})
	}
	return c
}

var errDetached = errors.New("sla: compliance accumulator not made by Checker.NewCompliance")

// Add adds one lead under every policy whose segment includes it. It
// returns an error when a segment expression fails on the lead (the
// lead is then still added under the other policies).
func (c *Compliance) Add(l *lead.Lead) error {
	if c.ch == nil || len(c.Policies) != len(c.ch.policies) {
		return errDetached
	}
	var errs []error
	// The first entry into each stage, looked up once per lead: policies
	// usually share a stage.
	var entries [4]struct {
		stage lead.Stage
		at    time.Time
		ok    bool
	}
	nEntries := 0
	entered := func(s lead.Stage) (time.Time, bool) {
		for k := range nEntries {
			if entries[k].stage == s {
				return entries[k].at, entries[k].ok
			}
		}
		at, ok := enteredBy(l, s, c.AsOf)
		if nEntries < len(entries) {
			entries[nEntries].stage, entries[nEntries].at, entries[nEntries].ok = s, at, ok
			nEntries++
		}
		return at, ok
	}
	for i := range c.ch.policies {
		p := &c.ch.policies[i]
		in, err := c.ch.inSegment(p, l, c.AsOf)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !in {
			continue
		}
		st := &c.Policies[i]
		switch p.def.Kind {
		case KindResponse, KindAttempts, KindAcceptance:
			start, ok := entered(p.stage)
			if !ok {
				continue
			}
			r := c.ch.evalLead(p, l, c.AsOf, start)
			if st.Owners == nil {
				st.Owners = map[string]*Tally{}
			}
			t := st.Owners[r.Owner]
			if t == nil {
				t = &Tally{}
				st.Owners[r.Owner] = t
			}
			switch r.Status {
			case StatusMet:
				t.Met++
			case StatusBreached:
				t.Breached++
				st.Breaches = append(st.Breaches, r)
			case StatusPending:
				t.Pending++
			case StatusAtRisk:
				t.AtRisk++
			}
			if !r.MetAt.IsZero() {
				t.Times = append(t.Times, r.Elapsed)
			}
		case KindVolume, KindQuality:
			start, ok := entered(p.stage)
			if !ok {
				continue
			}
			if c.cache == nil {
				c.cache = make([]map[int64]string, len(c.Policies))
			}
			if c.cache[i] == nil {
				c.cache[i] = map[int64]string{}
			}
			ps := c.ch.periodStart(p.def.Period, start)
			key, ok := c.cache[i][ps.Unix()]
			if !ok {
				key = ps.Format(time.DateOnly)
				c.cache[i][ps.Unix()] = key
			}
			if st.Periods == nil {
				st.Periods = map[string]*PeriodTally{}
			}
			pt := st.Periods[key]
			if pt == nil {
				pt = &PeriodTally{}
				st.Periods[key] = pt
			}
			pt.Leads++
			if p.def.Kind == KindQuality {
				if tr, ok := decision(p, l, start, c.AsOf); ok {
					if slices.Contains(p.accept, tr.To) {
						pt.Accepted++
					} else {
						pt.Rejected++
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}

// Report is the convenience form of the [Compliance] accumulator for a
// slice: it adds every lead as of asOf and returns the report. When
// segment expressions fail on some leads it still returns the report of
// the rest, with an error naming the first failure and how many there
// were.
func (ch *Checker) Report(leads []lead.Lead, asOf time.Time) (Report, error) {
	c := ch.NewCompliance(asOf)
	var first error
	failed := 0
	for i := range leads {
		if err := c.Add(&leads[i]); err != nil {
			if first == nil {
				first = err
			}
			failed++
		}
	}
	r, err := c.Report()
	if err != nil {
		return r, err
	}
	if first != nil {
		return r, fmt.Errorf("%w (%d leads failed)", first, failed)
	}
	return r, nil
}

// Merge adds the state of o, an accumulator of the same agreement and
// as-of time, to c. o is not modified.
func (c *Compliance) Merge(o *Compliance) error {
	if !c.AsOf.Equal(o.AsOf) {
		return fmt.Errorf("sla: merge: as-of times differ (%v and %v)", c.AsOf, o.AsOf)
	}
	if len(c.Policies) != len(o.Policies) {
		return fmt.Errorf("sla: merge: %d and %d policies; both must come from the same agreement", len(c.Policies), len(o.Policies))
	}
	for i := range c.Policies {
		if c.Policies[i].Name != o.Policies[i].Name {
			return fmt.Errorf("sla: merge: policy %d is %q here and %q there; both must come from the same agreement", i, c.Policies[i].Name, o.Policies[i].Name)
		}
	}
	for i := range c.Policies {
		st, os := &c.Policies[i], &o.Policies[i]
		for owner, ot := range os.Owners {
			if st.Owners == nil {
				st.Owners = map[string]*Tally{}
			}
			t := st.Owners[owner]
			if t == nil {
				t = &Tally{}
				st.Owners[owner] = t
			}
			t.add(ot)
		}
		st.Breaches = append(st.Breaches, os.Breaches...)
		for key, op := range os.Periods {
			if st.Periods == nil {
				st.Periods = map[string]*PeriodTally{}
			}
			pt := st.Periods[key]
			if pt == nil {
				pt = &PeriodTally{}
				st.Periods[key] = pt
			}
			pt.Leads += op.Leads
			pt.Accepted += op.Accepted
			pt.Rejected += op.Rejected
		}
	}
	return nil
}

func (t *Tally) add(o *Tally) {
	t.Met += o.Met
	t.Breached += o.Breached
	t.Pending += o.Pending
	t.AtRisk += o.AtRisk
	t.Times = append(t.Times, o.Times...)
}

// Report is the compliance report as of one time.
type Report struct {
	// AsOf is the as-of time.
	AsOf time.Time `json:"as_of"`
	// Policies holds one report per policy, in the agreement's order.
	Policies []PolicyReport `json:"policies"`
	// Teams sums the policies each team owes: marketing first, then
	// sales; a team without policies is left out.
	Teams []TeamReport `json:"teams"`
}

// Counts are the statuses of a group of leads (per-lead policies) or
// periods (volume and quality policies).
type Counts struct {
	// Met, Breached, Pending and AtRisk count the leads (or periods) in
	// each status; every one is in exactly one.
	Met      int64 `json:"met"`
	Breached int64 `json:"breached"`
	Pending  int64 `json:"pending"`
	AtRisk   int64 `json:"at_risk"`
	// Compliance is Met / (Met + Breached); pending and at-risk ones are
	// left out. Undefined when nothing is decided yet.
	Compliance kpi.Ratio `json:"compliance"`
	// Timed is the number of leads that met their promise, on time or
	// late, and MedianTime the median of their elapsed times (linear
	// interpolation, rounded to the nanosecond); zero when Timed is 0.
	Timed      int64         `json:"timed"`
	MedianTime time.Duration `json:"median_time"`
}

// OwnerReport is the compliance of one owner's leads under a policy.
type OwnerReport struct {
	// Owner is the sales rep; empty for unassigned leads.
	Owner string `json:"owner"`
	Counts
}

// PeriodReport is one period of a volume or quality policy.
type PeriodReport struct {
	// Start and End bound the period [Start, End) in the calendar's
	// zone.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Leads is the number of leads that entered the stage (volume) or
	// were handed off (quality) in the period, by the as-of time.
	Leads int64 `json:"leads"`
	// Target is the volume target, and ToDate the target pro-rated to
	// the as-of time by working time, Target × WorkingTime(Start, asOf) /
	// WorkingTime(Start, End), rounded half away from zero to 2 places
	// (equal to Target for a finished period).
	Target int64           `json:"target,omitempty"`
	ToDate decimal.Decimal `json:"to_date"`
	// Accepted and Rejected count quality decisions; Rate is Accepted /
	// Leads.
	Accepted int64     `json:"accepted,omitempty"`
	Rejected int64     `json:"rejected,omitempty"`
	Rate     kpi.Ratio `json:"rate"`
	// Status is met, breached, pending, or at_risk (volume: below the
	// target to date; quality: below the required share of the leads
	// decided so far).
	Status Status `json:"status"`
}

// PolicyReport is the compliance of one policy.
type PolicyReport struct {
	// Name, Kind and Team come from the policy (Team with its default
	// filled in).
	Name string    `json:"name"`
	Kind Kind      `json:"kind"`
	Team lead.Team `json:"team"`
	// Counts counts leads (per-lead policies) or periods (volume and
	// quality).
	Counts
	// Owners breaks a per-lead policy down by owner, sorted by owner.
	Owners []OwnerReport `json:"owners,omitempty"`
	// Breaches lists the breached leads, latest first (by Late, then
	// lead id).
	Breaches []Result `json:"breaches,omitempty"`
	// Periods lists the periods of a volume or quality policy in order,
	// from the first with a lead (but not before 1950, where the
	// calendar's range starts) to the one holding the as-of time.
	Periods []PeriodReport `json:"periods,omitempty"`
}

// TeamReport sums the policies one team owes.
type TeamReport struct {
	// Team is marketing or sales.
	Team lead.Team `json:"team"`
	// Counts sums the policies' counts (leads for per-lead policies,
	// periods for volume and quality) and takes the median over all
	// their timed leads.
	Counts
	// Breaches lists the breached leads of all the team's policies,
	// sorted like PolicyReport.Breaches (then by policy name).
	Breaches []Result `json:"breaches,omitempty"`
}

// Report computes the report. It does not change the accumulator and
// may be called again after more Adds.
func (c *Compliance) Report() (Report, error) {
	if c.ch == nil || len(c.Policies) != len(c.ch.policies) {
		return Report{}, errDetached
	}
	r := Report{AsOf: c.AsOf}
	type teamAcc struct {
		tally    Tally
		breaches []Result
		used     bool
	}
	teams := map[lead.Team]*teamAcc{lead.TeamMarketing: {}, lead.TeamSales: {}}
	for i := range c.ch.policies {
		p := &c.ch.policies[i]
		st := &c.Policies[i]
		pr := PolicyReport{Name: p.def.Name, Kind: p.def.Kind, Team: p.team}
		var total Tally
		if p.def.Kind.perLead() {
			for _, owner := range slices.Sorted(maps.Keys(st.Owners)) {
				t := st.Owners[owner]
				pr.Owners = append(pr.Owners, OwnerReport{Owner: owner, Counts: t.counts()})
				total.add(t)
			}
			pr.Breaches = sortBreaches(slices.Clone(st.Breaches))
		} else {
			pr.Periods = c.periods(p, st)
			for _, pe := range pr.Periods {
				switch pe.Status {
				case StatusMet:
					total.Met++
				case StatusBreached:
					total.Breached++
				case StatusPending:
					total.Pending++
				case StatusAtRisk:
					total.AtRisk++
				}
			}
		}
		pr.Counts = total.counts()
		r.Policies = append(r.Policies, pr)
		ta := teams[p.team]
		ta.used = true
		ta.tally.add(&total)
		ta.breaches = append(ta.breaches, pr.Breaches...)
	}
	for _, team := range []lead.Team{lead.TeamMarketing, lead.TeamSales} {
		ta := teams[team]
		if !ta.used {
			continue
		}
		r.Teams = append(r.Teams, TeamReport{Team: team, Counts: ta.tally.counts(), Breaches: sortBreaches(ta.breaches)})
	}
	return r, nil
}

func (t *Tally) counts() Counts {
	c := Counts{Met: t.Met, Breached: t.Breached, Pending: t.Pending, AtRisk: t.AtRisk,
		Compliance: kpi.RatioOf(t.Met, t.Met+t.Breached), Timed: int64(len(t.Times))}
	if len(t.Times) > 0 {
		sorted := slices.Clone(t.Times)
		slices.Sort(sorted)
		m, _ := stats.Percentile(sorted, 0.5)
		c.MedianTime = time.Duration(m + 0.5*sign(m))
	}
	return c
}

func sign(f float64) float64 {
	if f < 0 {
		return -1
	}
	return 1
}

func sortBreaches(b []Result) []Result {
	slices.SortFunc(b, func(x, y Result) int {
		return cmp.Or(cmp.Compare(y.Late, x.Late), cmp.Compare(x.LeadID, y.LeadID), cmp.Compare(x.Policy, y.Policy))
	})
	return b
}

// periodStart returns the start of the period holding t, in the
// calendar's zone.
func (ch *Checker) periodStart(p Period, t time.Time) time.Time {
	u := p.unit()
	return period.Start(u, period.Of(u, t, ch.cal.loc), ch.cal.loc)
}

// nextPeriod returns the start of the period after the one that starts
// at start.
func (ch *Checker) nextPeriod(p Period, start time.Time) time.Time {
	u := p.unit()
	return period.Start(u, period.Next(u, period.Of(u, start, ch.cal.loc)), ch.cal.loc)
}

// unit returns the period's unit; Validate has refused any other value,
// and week is the fallback.
func (p Period) unit() period.Unit {
	switch p {
	case PeriodMonth:
		return period.Month
	case PeriodQuarter:
		return period.Quarter
	}
	return period.Week
}

// periods reports the periods of a volume or quality policy from the
// first with a lead to the one holding the as-of time.
func (c *Compliance) periods(p *policy, st *PolicyState) []PeriodReport {
	if len(st.Periods) == 0 {
		return nil
	}
	keys := slices.Sorted(maps.Keys(st.Periods))
	first, err := time.ParseInLocation(time.DateOnly, keys[0], c.ch.cal.loc)
	if err != nil {
		return nil
	}
	if first.Before(minInstant) {
		first = minInstant // the calendar's supported range starts in 1950
	}
	first = c.ch.periodStart(p.def.Period, first)
	last := c.ch.periodStart(p.def.Period, c.AsOf)
	var out []PeriodReport
	hundred := decimal.NewFromInt(100)
	for start := first; !start.After(last); start = c.ch.nextPeriod(p.def.Period, start) {
		end := c.ch.nextPeriod(p.def.Period, start)
		pr := PeriodReport{Start: start, End: end}
		if pt := st.Periods[start.Format(time.DateOnly)]; pt != nil {
			pr.Leads, pr.Accepted, pr.Rejected = pt.Leads, pt.Accepted, pt.Rejected
		}
		finished := !c.AsOf.Before(end)
		switch p.def.Kind {
		case KindVolume:
			pr.Target = int64(p.def.Target)
			target := decimal.NewFromInt(pr.Target)
			pr.ToDate = target
			if !finished {
				if total := c.ch.cal.WorkingTime(start, end); total > 0 {
					pr.ToDate = target.Mul(decimal.NewFromInt(int64(c.ch.cal.WorkingTime(start, c.AsOf)))).
						DivRound(decimal.NewFromInt(int64(total)), 2)
				}
			}
			switch {
			case pr.Leads >= pr.Target:
				pr.Status = StatusMet
			case finished:
				pr.Status = StatusBreached
			case decimal.NewFromInt(pr.Leads).LessThan(pr.ToDate):
				pr.Status = StatusAtRisk
			default:
				pr.Status = StatusPending
			}
		case KindQuality:
			pr.Rate = kpi.RatioOf(pr.Accepted, pr.Leads)
			need := p.percent.Mul(decimal.NewFromInt(pr.Leads))
			undecided := pr.Leads - pr.Accepted - pr.Rejected
			decided := pr.Accepted + pr.Rejected
			switch {
			case pr.Leads == 0:
				// No handoffs: nothing to accept; the promise holds
				// vacuously only once the period is over.
				if finished {
					pr.Status = StatusMet
				} else {
					pr.Status = StatusPending
				}
			case decimal.NewFromInt(pr.Accepted).Mul(hundred).GreaterThanOrEqual(need):
				pr.Status = StatusMet
			case decimal.NewFromInt(pr.Accepted + undecided).Mul(hundred).LessThan(need):
				pr.Status = StatusBreached
			case decided > 0 && decimal.NewFromInt(pr.Accepted).Mul(hundred).LessThan(p.percent.Mul(decimal.NewFromInt(decided))):
				pr.Status = StatusAtRisk
			default:
				pr.Status = StatusPending
			}
		}
		out = append(out, pr)
	}
	return out
}
