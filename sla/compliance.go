package sla

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/hist"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// Compliance accumulates the SLA compliance of many leads as of one
// time: Add leads, Merge accumulators built on other shards, and Report.
// Adding the same leads in any order, or split over any number of
// accumulators and merged, gives the identical report.
//
// A Compliance is opaque. Its state is bounded whatever the number of
// leads: per policy, counts per owner with a duration histogram
// (exact up to 128 durations, then within 0.5%), at most
// [Agreement.MaxBreaches] breaches, and counts per period. It encodes to
// self-describing JSON ([Compliance.MarshalJSON]: format, agreement,
// fingerprint, as-of and state), and json.Unmarshal into a zero
// Compliance gives a working accumulator.
//
// Make one with [Checker.NewCompliance] or by decoding. The zero
// Compliance, not decoded, refuses Add, Merge and Report with an error.
// A Compliance is not safe for concurrent use; give each goroutine its
// own and Merge them.
type Compliance struct {
	ch      *Checker
	asOf    time.Time
	asOfNS  int64
	asOfErr error // why Add is impossible (zero or out-of-range as-of)
	leads   int64
	skipped int64
	pols    []polState // per policy name (its versions merged)

	sk scratch // reused across leads by Add
}

// polState is the state of one policy.
type polState struct {
	owners   map[string]*tally // per-lead policies
	breaches []Result          // kept, sorted by breachCmp, at most maxBreaches
	periods  []periodTally     // volume and quality, sorted by start
}

// tally counts the statuses of one owner's leads under a per-lead policy.
type tally struct {
	met, breached, pending, atRisk int64
	times                          hist.Durations // elapsed time of the leads that met, late or not
}

// periodTally counts the leads of one period of a volume or quality
// policy.
type periodTally struct {
	start, end                int64 // [start, end) as Unix ns
	leads, accepted, rejected int64
}

// NewCompliance returns an empty accumulator for the checker's policies
// as of asOf: events after asOf are invisible. An accumulator with a
// zero asOf, or one outside the calendar's range (1950-2200), is
// returned all the same (it can be merged, encoded and reported), but
// its Add returns an error saying why. A nil checker gives an
// accumulator whose every method returns an error.
func (ch *Checker) NewCompliance(asOf time.Time) *Compliance {
	c := &Compliance{ch: ch}
	if ch == nil {
		return c
	}
	c.setAsOf(asOf)
	c.pols = make([]polState, len(ch.groups))
	return c
}

func (c *Compliance) setAsOf(asOf time.Time) {
	c.asOf, c.asOfErr = asOf, nil
	if asOf.IsZero() {
		c.asOfErr = errors.New("sla: the accumulator has no as-of time; make it with Checker.NewCompliance(asOf)")
		return
	}
	ns, err := c.ch.cal.ns(asOf)
	if err != nil {
		c.asOfErr = fmt.Errorf("sla: as-of: %w", err)
	}
	c.asOfNS = ns
}

var errDetached = errors.New("sla: compliance accumulator not made by Checker.NewCompliance nor decoded from its JSON")

// ready returns an error when c cannot be used.
func (c *Compliance) ready() error {
	if c == nil {
		return errors.New("sla: nil *Compliance")
	}
	if c.ch == nil || len(c.pols) != len(c.ch.groups) {
		return errDetached
	}
	return nil
}

// AsOf returns the accumulator's as-of time (zero for an unusable
// accumulator).
func (c *Compliance) AsOf() time.Time {
	if c == nil {
		return time.Time{}
	}
	return c.asOf
}

// Fingerprint returns the fingerprint of the agreement the accumulator
// was made for ([Checker.Fingerprint]), or "" for an unusable one.
func (c *Compliance) Fingerprint() string {
	if c == nil || c.ch == nil {
		return ""
	}
	return c.ch.fingerprint
}

// Add adds one lead under every policy whose segment includes it. A
// lead created after the as-of time is not judged but counted as
// skipped ([Report.Skipped]). Add returns an error, and adds nothing,
// for a nil lead, an accumulator without a usable as-of time, a segment
// expression that fails on the lead or names a score (use
// [Compliance.AddScored]), and a clock start or deadline outside the
// calendar's range (wrapping [ErrOutOfRange]).
func (c *Compliance) Add(l *lead.Lead) error {
	_, err := c.add(nil, l, nil, false)
	return err
}

// AddScored is [Compliance.Add] for a lead whose scores the host
// supplies: segment expressions see them as fit, engagement, total and
// grade (see [Scores]).
func (c *Compliance) AddScored(l *lead.Lead, s Scores) error {
	_, err := c.add(nil, l, &s, false)
	return err
}

// AddResults adds lead l like [Compliance.Add], or like
// [Compliance.AddScored] when sc is not nil, and appends to dst the
// lead's results: those [Checker.Check] gives as of the accumulator's
// as-of time, in the same order, without audit trails. It judges the
// lead once for both, so a host that keeps the statistics and acts on
// each lead (a list of the promises due today, an alert) need not also
// call Check. A lead created after the as-of time is skipped and adds no
// results. On an error dst is returned unchanged and nothing is added.
func (c *Compliance) AddResults(dst []Result, l *lead.Lead, sc *Scores) ([]Result, error) {
	return c.add(dst, l, sc, true)
}

// add adds l and, when results is set, appends its per-lead results to
// dst.
func (c *Compliance) add(dst []Result, l *lead.Lead, sc *Scores, results bool) ([]Result, error) {
	if err := c.ready(); err != nil {
		return dst, err
	}
	if c.asOfErr != nil {
		return dst, c.asOfErr
	}
	if l == nil {
		return dst, errNilLead
	}
	if l.CreatedAt.After(c.asOf) {
		c.skipped++
		return dst, nil
	}
	ups, err := c.ch.verdicts(l, sc, c.asOf, c.asOfNS, &c.sk, false)
	if err != nil {
		return dst, err
	}
	c.leads++
	for k := range ups {
		c.apply(l, &ups[k])
	}
	if results {
		for k := range ups {
			if p := &c.ch.policies[ups[k].pol]; p.perLead {
				dst = append(dst, c.ch.result(p, l, &ups[k].o, false))
			}
		}
	}
	return dst, nil
}

// apply adds one verdict to the state.
func (c *Compliance) apply(l *lead.Lead, u *verdict) {
	p := &c.ch.policies[u.pol]
	st := &c.pols[p.group]
	if !p.perLead {
		pt := c.period(p, st, u.start)
		pt.leads++
		if u.decided {
			if u.accepted {
				pt.accepted++
			} else {
				pt.rejected++
			}
		}
		return
	}
	if st.owners == nil {
		st.owners = map[string]*tally{}
	}
	owner := u.o.owner // at the clock's start
	t := st.owners[owner]
	if t == nil {
		t = &tally{}
		st.owners[owner] = t
	}
	o := &u.o
	switch o.status {
	case StatusMet:
		t.met++
	case StatusBreached:
		t.breached++
		if c.keeps(st, o.late, l.ID) {
			st.breaches = c.keep(st.breaches, c.ch.result(p, l, o, false))
		}
	case StatusPending:
		t.pending++
	case StatusAtRisk:
		t.atRisk++
	}
	if o.met {
		t.times.Add(o.elapsed)
	}
}

// period returns the tally of the period holding start, adding it when
// new.
func (c *Compliance) period(p *policy, st *polState, start int64) *periodTally {
	i, found := slices.BinarySearchFunc(st.periods, start, func(pt periodTally, t int64) int {
		switch {
		case t < pt.start:
			return 1
		case t >= pt.end:
			return -1
		}
		return 0
	})
	if !found {
		t := c.ch.cal.time(start)
		ps := p.def.Period.Start(t, c.ch.cal.loc)
		pe := p.def.Period.Next(t, c.ch.cal.loc)
		st.periods = slices.Insert(st.periods, i, periodTally{start: ps.UnixNano(), end: pe.UnixNano()})
	}
	return &st.periods[i]
}

// breachCmp orders breaches as reports list them: latest first (by
// Late), then by lead id, then by every other field, so that the order
// is total and the kept breaches do not depend on the order of Adds and
// Merges.
func breachCmp(x, y *Result) int {
	return cmp.Or(
		cmp.Compare(y.Late, x.Late),
		cmp.Compare(x.LeadID, y.LeadID),
		cmp.Compare(x.Policy, y.Policy),
		x.ClockStart.Compare(y.ClockStart),
		x.MetAt.Compare(y.MetAt),
		x.Deadline.Compare(y.Deadline),
		cmp.Compare(x.Owner, y.Owner),
		cmp.Compare(x.Cause, y.Cause),
		cmp.Compare(x.Elapsed, y.Elapsed),
		cmp.Compare(x.Paused, y.Paused),
		x.Version.Compare(y.Version),
		cmp.Compare(x.Calendar, y.Calendar),
	)
}

// keeps reports whether a breach this late of this lead may enter the
// kept list: a cheap test before the Result is built.
func (c *Compliance) keeps(st *polState, late time.Duration, id string) bool {
	if len(st.breaches) < c.ch.maxBreaches {
		return true
	}
	last := &st.breaches[len(st.breaches)-1]
	return leadkit.Duration(late) > last.Late || (leadkit.Duration(late) == last.Late && id <= last.LeadID)
}

// keep inserts r into the sorted list b and drops what falls beyond the
// cap.
func (c *Compliance) keep(b []Result, r Result) []Result {
	i, _ := slices.BinarySearchFunc(b, &r, func(e Result, t *Result) int { return breachCmp(&e, t) })
	if i >= c.ch.maxBreaches {
		return b
	}
	b = slices.Insert(b, i, r)
	if len(b) > c.ch.maxBreaches {
		b = b[:c.ch.maxBreaches]
	}
	return b
}

// Report is the convenience form of the [Compliance] accumulator for a
// slice: it adds every lead as of asOf and returns the report. When some
// leads fail (see [Compliance.Add]) it still returns the report of the
// rest, with an error naming the first failure and how many there were.
// Duplicate lead ids are an error naming them, and nothing is reported:
// a lead counted twice would be judged twice.
func (ch *Checker) Report(leads []lead.Lead, asOf time.Time) (Report, error) {
	if ch == nil {
		return Report{}, errNilChecker
	}
	if err := lead.CheckUnique(leads); err != nil {
		return Report{}, err
	}
	c := ch.NewCompliance(asOf)
	if c.asOfErr != nil {
		return Report{}, c.asOfErr
	}
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

// Merge adds the state of o to c. It refuses, with an error and without
// changing c, a nil o, c itself, an accumulator of another agreement
// (by fingerprint) or as-of time, and counts that would overflow. o is
// not modified and shares no memory with c afterwards.
func (c *Compliance) Merge(o *Compliance) error {
	if err := c.ready(); err != nil {
		return err
	}
	if o == nil {
		return errors.New("sla: merge: nil accumulator")
	}
	if o == c {
		return errors.New("sla: merge: an accumulator cannot be merged into itself")
	}
	if err := o.ready(); err != nil {
		return fmt.Errorf("sla: merge: %w", err)
	}
	if c.ch.fingerprint != o.ch.fingerprint {
		return fmt.Errorf("sla: merge: the agreements differ (fingerprints %.12s and %.12s)", c.ch.fingerprint, o.ch.fingerprint)
	}
	if !c.asOf.Equal(o.asOf) {
		return fmt.Errorf("sla: merge: as-of times differ (%v and %v)", c.asOf, o.asOf)
	}
	leads, ok1 := addInt(c.leads, o.leads)
	skipped, ok2 := addInt(c.skipped, o.skipped)
	if !ok1 || !ok2 {
		return errOverflow
	}
	pols := make([]polState, len(c.pols))
	for i := range c.pols {
		ps, err := c.mergePolicy(&c.pols[i], &o.pols[i])
		if err != nil {
			return err
		}
		pols[i] = ps
	}
	c.leads, c.skipped, c.pols = leads, skipped, pols
	return nil
}

var errOverflow = errors.New("sla: merge: a count overflows int64")

// addInt returns a+b for non-negative counts and whether it fits.
func addInt(a, b int64) (int64, bool) {
	if a > math.MaxInt64-b {
		return 0, false
	}
	return a + b, true
}

// mergePolicy returns a new state holding a and b; neither is modified
// and the result shares no memory with b.
func (c *Compliance) mergePolicy(a, b *polState) (polState, error) {
	var out polState
	if len(a.owners)+len(b.owners) > 0 {
		out.owners = make(map[string]*tally, max(len(a.owners), len(b.owners)))
		for _, src := range []map[string]*tally{a.owners, b.owners} {
			for owner, t := range src {
				d := out.owners[owner]
				if d == nil {
					d = &tally{}
					out.owners[owner] = d
				}
				var ok [4]bool
				m, br, pe, ar := d.met, d.breached, d.pending, d.atRisk
				d.met, ok[0] = addInt(m, t.met)
				d.breached, ok[1] = addInt(br, t.breached)
				d.pending, ok[2] = addInt(pe, t.pending)
				d.atRisk, ok[3] = addInt(ar, t.atRisk)
				if ok != [4]bool{true, true, true, true} {
					return polState{}, errOverflow
				}
				if err := d.times.Merge(&t.times); err != nil {
					return polState{}, fmt.Errorf("sla: merge: %w", err)
				}
			}
		}
	}
	out.breaches = slices.Clone(a.breaches)
	for _, r := range b.breaches {
		if c.keeps(&out, r.Late.Std(), r.LeadID) {
			out.breaches = c.keep(out.breaches, r)
		}
	}
	out.periods = slices.Clone(a.periods)
	for _, pt := range b.periods {
		i, found := slices.BinarySearchFunc(out.periods, pt.start, func(e periodTally, t int64) int { return cmp.Compare(e.start, t) })
		if !found {
			out.periods = slices.Insert(out.periods, i, periodTally{start: pt.start, end: pt.end})
		}
		d := &out.periods[i]
		var ok [3]bool
		d.leads, ok[0] = addInt(d.leads, pt.leads)
		d.accepted, ok[1] = addInt(d.accepted, pt.accepted)
		d.rejected, ok[2] = addInt(d.rejected, pt.rejected)
		if ok != [3]bool{true, true, true} {
			return polState{}, errOverflow
		}
	}
	return out, nil
}

// Report is the compliance report as of one time.
type Report struct {
	// AsOf is the as-of time.
	AsOf time.Time `json:"as_of"`
	// Leads is the number of leads added (created by the as-of time);
	// Skipped the number of leads added but created after it, which no
	// policy judged.
	Leads   int64 `json:"leads"`
	Skipped int64 `json:"skipped"`
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
	// each status; every one is in exactly one. Breached is the true
	// count, however many breaches the report lists.
	Met      int64 `json:"met"`
	Breached int64 `json:"breached"`
	Pending  int64 `json:"pending"`
	AtRisk   int64 `json:"at_risk"`
	// Compliance is Met / (Met + Breached); pending and at-risk ones are
	// left out. Undefined when nothing is decided yet.
	Compliance kpi.Ratio `json:"compliance"`
	// Time summarizes the time to keep the promise of the leads that
	// kept it, on time or late, in the policy's clock: count, median,
	// p90 and mean, exact up to 128 leads and within 0.5% beyond
	// (Time.RelativeError); undefined (nil) when no lead kept it.
	Time leadkit.DurationSummary `json:"time"`
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
	// Breaches lists the latest breaches, at most
	// [Agreement.MaxBreaches] of the Breached ones: latest first (by
	// Late, then lead id).
	Breaches []Result `json:"breaches,omitempty"`
	// Periods lists the periods of a volume or quality policy in order,
	// from the first with a lead to the one holding the as-of time.
	Periods []PeriodReport `json:"periods,omitempty"`
}

// TeamReport sums the policies one team owes.
type TeamReport struct {
	// Team is marketing or sales.
	Team lead.Team `json:"team"`
	// Counts sums the policies' counts (leads for per-lead policies,
	// periods for volume and quality) and summarizes the time over all
	// their timed leads.
	Counts
	// Breaches lists the latest breaches of all the team's policies, at
	// most [Agreement.MaxBreaches], sorted like PolicyReport.Breaches
	// (then by policy name).
	Breaches []Result `json:"breaches,omitempty"`
}

// Report computes the report. It does not change the accumulator and
// may be called again after more Adds. It returns an error for a nil or
// unusable accumulator.
func (c *Compliance) Report() (Report, error) {
	if err := c.ready(); err != nil {
		return Report{}, err
	}
	r := Report{AsOf: c.asOf, Leads: c.leads, Skipped: c.skipped}
	type teamAcc struct {
		total    tally
		breaches []Result
		used     bool
	}
	teams := map[lead.Team]*teamAcc{lead.TeamMarketing: {}, lead.TeamSales: {}}
	for i := range c.ch.groups {
		p := &c.ch.policies[c.ch.groups[i].versions[0]]
		st := &c.pols[i]
		pr := PolicyReport{Name: p.def.Name, Kind: p.def.Kind, Team: p.team}
		var total tally
		if p.perLead {
			for _, owner := range slices.Sorted(maps.Keys(st.owners)) {
				t := st.owners[owner]
				pr.Owners = append(pr.Owners, OwnerReport{Owner: owner, Counts: t.counts()})
				if err := total.add(t); err != nil {
					return Report{}, err
				}
			}
			pr.Breaches = slices.Clone(st.breaches)
		} else {
			periods, err := c.periods(p, st)
			if err != nil {
				return Report{}, err
			}
			pr.Periods = periods
			for _, pe := range pr.Periods {
				switch pe.Status {
				case StatusMet:
					total.met++
				case StatusBreached:
					total.breached++
				case StatusPending:
					total.pending++
				case StatusAtRisk:
					total.atRisk++
				}
			}
		}
		pr.Counts = total.counts()
		r.Policies = append(r.Policies, pr)
		ta := teams[p.team]
		ta.used = true
		if err := ta.total.add(&total); err != nil {
			return Report{}, err
		}
		ta.breaches = append(ta.breaches, pr.Breaches...)
	}
	for _, team := range []lead.Team{lead.TeamMarketing, lead.TeamSales} {
		ta := teams[team]
		if !ta.used {
			continue
		}
		slices.SortFunc(ta.breaches, func(x, y Result) int { return breachCmp(&x, &y) })
		if len(ta.breaches) > c.ch.maxBreaches {
			ta.breaches = ta.breaches[:c.ch.maxBreaches]
		}
		r.Teams = append(r.Teams, TeamReport{Team: team, Counts: ta.total.counts(), Breaches: ta.breaches})
	}
	return r, nil
}

// add adds o's counts and durations to t.
func (t *tally) add(o *tally) error {
	var ok [4]bool
	t.met, ok[0] = addInt(t.met, o.met)
	t.breached, ok[1] = addInt(t.breached, o.breached)
	t.pending, ok[2] = addInt(t.pending, o.pending)
	t.atRisk, ok[3] = addInt(t.atRisk, o.atRisk)
	if ok != [4]bool{true, true, true, true} {
		return errors.New("sla: report: a count overflows int64")
	}
	if err := t.times.Merge(&o.times); err != nil {
		return fmt.Errorf("sla: report: %w", err)
	}
	return nil
}

func (t *tally) counts() Counts {
	return Counts{Met: t.met, Breached: t.breached, Pending: t.pending, AtRisk: t.atRisk,
		Compliance: kpi.RatioOf(t.met, t.met+t.breached), Time: t.times.Summary()}
}

// periods reports the periods of a volume or quality policy from the
// first with a lead to the one holding the as-of time.
func (c *Compliance) periods(p *policy, st *polState) ([]PeriodReport, error) {
	if len(st.periods) == 0 {
		return nil, nil
	}
	cal, loc, per := c.ch.cal, c.ch.cal.loc, p.def.Period
	first := cal.time(st.periods[0].start)
	last := per.Start(c.asOf, loc)
	var out []PeriodReport
	hundred := decimal.NewFromInt(100)
	k := 0 // the next kept period
	for start := first; !start.After(last); start = per.Next(start, loc) {
		end := per.Next(start, loc)
		pr := PeriodReport{Start: start, End: end}
		if k < len(st.periods) && st.periods[k].start == start.UnixNano() {
			pt := &st.periods[k]
			pr.Leads, pr.Accepted, pr.Rejected = pt.leads, pt.accepted, pt.rejected
			k++
		}
		finished := !c.asOf.Before(end)
		switch p.kind {
		case KindVolume:
			pr.Target = int64(p.def.Target)
			target := decimal.NewFromInt(pr.Target)
			pr.ToDate = target
			if !finished {
				// The calendar is closed outside its range: a period that
				// straddles an end of it is measured inside it.
				from := start
				if from.Before(minInstant) {
					from = minInstant
				}
				total, err := cal.WorkingTime(from, minTime(end, maxInstant))
				if err != nil {
					return nil, err
				}
				if total > 0 {
					sofar, err := cal.WorkingTime(from, c.asOf)
					if err != nil {
						return nil, err
					}
					pr.ToDate = target.Mul(decimal.NewFromInt(int64(sofar))).DivRound(decimal.NewFromInt(int64(total)), 2)
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
	return out, nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
