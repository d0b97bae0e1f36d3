package kpi

import (
	"errors"
	"fmt"
	"time"

	"github.com/leadkit/leadkit/internal/hist"
	"github.com/leadkit/leadkit/internal/money"
	"github.com/leadkit/leadkit/internal/period"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// Scorecard is the accumulator of the shared KPIs: it takes spend, visits,
// leads, deals and customers, one record at a time, and reports every KPI
// per period and per segment as of one instant. Make one with
// [Meter.NewScorecard].
//
// # As of
//
// A scorecard as of T sees the world as it was known at T. A lead created
// after T, a deal created after T, spend and visits dated after T and a
// customer whose Since is after T are not counted: they are counted as
// skipped ([Report.Skipped]). A lead's stage changes, activities and
// touches after T are invisible: its MQL, SQL and customer status and its
// response time are what its history showed at T (its current Stage
// counts only when no transition of its History lies after T). A deal
// closed after T is open at T (an opportunity in the pipeline, neither won
// nor lost); a customer who churned after T is still a customer. No
// period after T's period ever appears. An event at exactly T is visible.
// A zero as-of means no cut.
//
// # Merging and state
//
// Scorecards of the same definition and as-of merge ([Scorecard.Merge]):
// any split of the records, merged in any order, gives the identical
// [Report]. The state holds sums, counts and bounded duration histograms
// per period and segment, never records: its size grows with periods ×
// segments, not with the number of records. Its JSON
// ([Scorecard.MarshalJSON]) carries the format version, the definition,
// its fingerprint and the as-of, so json.Unmarshal into a zero Scorecard
// gives a working one.
//
// A Scorecard is not safe for concurrent mutation: give each goroutine its
// own and merge them. Report only reads and may run concurrently with
// other Report calls. The zero Scorecard is not usable until state is
// decoded into it: its methods return an error.
type Scorecard struct {
	m       *Meter
	asOf    time.Time // UTC; meaningful when cut
	cut     bool
	cells   map[cellKey]*cell
	skipped Skipped
}

// Skipped counts the records a scorecard did not count because they lie
// after its as-of: created (leads, deals), dated (spend, visits) or
// started (customers) after it.
type Skipped struct {
	// Leads and Deals count the leads and deals created after as-of.
	Leads int64 `json:"leads"`
	Deals int64 `json:"deals"`
	// Spend and Visits count the spend and visits records dated after
	// as-of.
	Spend  int64 `json:"spend"`
	Visits int64 `json:"visits"`
	// Customers counts the customers whose Since is after as-of.
	Customers int64 `json:"customers"`
}

type cellKey struct {
	period int64
	dim    int // 0 = totals, i+1 = dimension i
	seg    string
}

// cell holds the sums of one period and segment.
type cell struct {
	spend, pipeline, revenue, revenueNew, sourced, influenced money.Sum
	engagedTime                                               secondsSum // of the measured sessions

	visits          int64 // visits (sessions) in the period
	measured        int64 // of those, with engagement measured
	engaged         int64 // of those, engaged
	media           [len(media)]int64
	leads           int64 // leads created in the period
	mqls            int64 // of those, reached MQL or later
	sqls            int64 // of those, reached SQL or later
	cohortWon       int64 // of those, customers within the cohort window
	uncontacted     int64 // of those, no sales touch
	leadsWon        int64 // leads that became customers in the period
	opportunities   int64 // deals created in the period
	won, lost       int64 // deals closed in the period
	newCustomers    int64 // won deals with NewCustomer
	sourcedDeals    int64
	influencedDeals int64
	customersGained int64
	customersLost   int64

	cycle, response, purchase hist.Durations
}

// maxCount bounds every count a scorecard keeps: Merge refuses to go
// beyond it, decoding refuses state beyond it.
const maxCount = 1 << 62

var errZero = errors.New("kpi: scorecard: not made by Meter.NewScorecard nor decoded from state")

// ready returns an error for a nil or zero scorecard.
func (s *Scorecard) ready() error {
	if s == nil {
		return errors.New("kpi: scorecard: nil")
	}
	if s.m == nil {
		return errZero
	}
	return nil
}

// AsOf returns the scorecard's as-of instant in UTC, zero for no cut.
func (s *Scorecard) AsOf() time.Time {
	if s == nil || !s.cut {
		return time.Time{}
	}
	return s.asOf
}

// Fingerprint returns the fingerprint of the scorecard's definition
// ([Meter.Fingerprint]), "" for a nil or zero scorecard.
func (s *Scorecard) Fingerprint() string {
	if s == nil {
		return ""
	}
	return s.m.Fingerprint()
}

// Meter returns the meter the scorecard counts with (the compiled
// definition of its state, for a decoded one), nil for a nil or zero
// scorecard. Its NewScorecard(s.AsOf()) makes an empty scorecard that
// merges with s.
func (s *Scorecard) Meter() *Meter {
	if s == nil {
		return nil
	}
	return s.m
}

// visible reports whether an event at t happened by the as-of.
func (s *Scorecard) visible(t time.Time) bool { return !s.cut || !t.After(s.asOf) }

func (s *Scorecard) cell(p int64, dim int, seg string) *cell {
	k := cellKey{p, dim, seg}
	if c, ok := s.cells[k]; ok {
		return c
	}
	c := &cell{}
	s.cells[k] = c
	return c
}

// dimName returns the name of dimension dim (0: the totals, "").
func (s *Scorecard) dimName(dim int) string {
	if dim == 0 {
		return ""
	}
	return s.m.dims[dim-1].name
}

func (s *Scorecard) period(t time.Time) int64 {
	y, mo, d := t.In(s.m.loc).Date()
	return period.OfDate(s.m.unit, y, mo, d)
}

// checkAmount refuses a negative amount or one outside the range a
// scorecard sums exactly: at most 18 decimal places, below 10^24.
func checkAmount(d decimal.Decimal) error {
	switch {
	case d.IsNegative():
		return fmt.Errorf("negative amount %s", d)
	case d.Exponent() < -18:
		return fmt.Errorf("amount %s has more than 18 decimal places", d)
	case d.NumDigits()+int(d.Exponent()) > 24:
		return fmt.Errorf("amount %s is not below 10^24", d)
	}
	return nil
}

// AddSpend adds marketing spend, counted in the period of sp.At (and
// skipped when sp.At is after as-of). It returns an error, and adds
// nothing, for a nil sp, a zero At or an amount that is negative or out
// of range.
func (s *Scorecard) AddSpend(sp *Spend) error {
	if err := s.ready(); err != nil {
		return err
	}
	switch {
	case sp == nil:
		return errors.New("kpi: scorecard: nil spend")
	case sp.At.IsZero():
		return errors.New("kpi: scorecard: spend: zero time")
	}
	if err := checkAmount(sp.Amount); err != nil {
		return fmt.Errorf("kpi: scorecard: spend: %w", err)
	}
	if !s.visible(sp.At) {
		s.skipped.Spend++
		return nil
	}
	p := s.period(sp.At)
	s.cell(p, 0, "").spend.Add(sp.Amount)
	for i := range s.m.dims {
		d := &s.m.dims[i]
		seg, ok := sp.Keys[d.name]
		if !ok && d.spend != nil {
			seg, ok = d.spend(sp)
		}
		if ok {
			s.cell(p, i+1, seg).spend.Add(sp.Amount)
		}
	}
	return nil
}

// AddVisits adds a row of website sessions, counted in the period of
// v.At (and skipped when v.At is after as-of): its sessions as visits and
// under their medium, and, when the row has an [Engagement], as measured
// sessions with their engaged sessions and engagement time. It returns an
// error, and adds nothing, for a nil v, a zero At, a negative count, a
// medium that is not one of the six [Medium] values, engaged sessions
// below 0 or above the count, a negative engagement time or one without
// sessions, or a count that would take a period's visits past 2^62.
func (s *Scorecard) AddVisits(v *Visits) error {
	if err := s.ready(); err != nil {
		return err
	}
	switch {
	case v == nil:
		return errors.New("kpi: scorecard: nil visits")
	case v.At.IsZero():
		return errors.New("kpi: scorecard: visits: zero time")
	case v.Count < 0:
		return fmt.Errorf("kpi: scorecard: visits: negative count %d", v.Count)
	case v.Count > maxCount:
		return fmt.Errorf("kpi: scorecard: visits: count %d above 2^62", v.Count)
	case v.Medium != "" && !v.Medium.IsValid():
		return fmt.Errorf("kpi: scorecard: visits: unknown medium %q (want organic, paid, referral, email, social or direct)", v.Medium)
	}
	if e := v.Engagement; e != nil {
		switch {
		case e.Sessions < 0 || e.Sessions > v.Count:
			return fmt.Errorf("kpi: scorecard: visits: %d engaged sessions outside 0..%d (the count)", e.Sessions, v.Count)
		case e.Time < 0:
			return fmt.Errorf("kpi: scorecard: visits: negative engagement time %s", e.Time)
		case e.Time > 0 && v.Count == 0:
			return fmt.Errorf("kpi: scorecard: visits: engagement time %s without sessions", e.Time)
		}
	}
	mi := v.Medium.index()
	if !s.visible(v.At) {
		s.skipped.Visits++
		return nil
	}
	p := s.period(v.At)
	type target struct {
		dim int
		seg string
	}
	var buf [8]target // on the stack for up to 7 dimensions
	targets := buf[:1]
	for i := range s.m.dims {
		d := &s.m.dims[i]
		seg, ok := v.Keys[d.name]
		if !ok && d.visits != nil {
			seg, ok = d.visits(v)
		}
		if ok {
			targets = append(targets, target{i + 1, seg})
		}
	}
	for _, t := range targets {
		if c := s.cells[cellKey{p, t.dim, t.seg}]; c != nil && c.visits > maxCount-v.Count {
			return fmt.Errorf("kpi: scorecard: visits: count %d takes the period's visits past 2^62", v.Count)
		}
	}
	// Every other session count of a cell is at most its visits, so the
	// check above covers them.
	for _, t := range targets {
		c := s.cell(p, t.dim, t.seg)
		c.visits += v.Count
		if mi >= 0 {
			c.media[mi] += v.Count
		}
		if v.Engagement != nil {
			c.measured += v.Count
			c.engaged += v.Engagement.Sessions
			c.engagedTime.add(v.Engagement.Time.Std())
		}
	}
	return nil
}

// AddLead adds a lead as it was known at as-of (see [Scorecard]). In the
// period of its creation it counts as a lead; as an MQL and an SQL if it
// reached those stages of the ladder (or a later one; skipped stages
// count as passed through); as won for its cohort if it became a customer
// within CohortWindow; and with its response time (time to the first
// sales touch: an activity with an Actor, at or after creation) or as
// uncontacted. In the period it became a customer it counts as a win,
// with its time to purchase. A lead created after as-of is skipped. It
// returns an error, and adds nothing, for a nil lead or a zero CreatedAt.
func (s *Scorecard) AddLead(l *lead.Lead) error {
	if err := s.ready(); err != nil {
		return err
	}
	if l == nil {
		return errors.New("kpi: scorecard: nil lead")
	}
	if l.CreatedAt.IsZero() {
		return fmt.Errorf("kpi: scorecard: lead %q: zero created_at", l.ID)
	}
	if !s.visible(l.CreatedAt) {
		s.skipped.Leads++
		return nil
	}
	m := s.m
	pos := 0
	var custAt time.Time
	isCust, current := false, true
	for i := range l.History {
		tr := &l.History[i]
		if !s.visible(tr.At) {
			current = false
			continue
		}
		pos = max(pos, m.ladderPos(tr.To))
		if tr.To == m.customer && (!isCust || tr.At.Before(custAt)) {
			custAt, isCust = tr.At, true
		}
	}
	if current {
		pos = max(pos, m.ladderPos(l.Stage))
	}
	var purchase time.Duration
	cohortWon := false
	if isCust {
		if custAt.Before(l.CreatedAt) {
			custAt = l.CreatedAt
		}
		purchase = custAt.Sub(l.CreatedAt)
		cohortWon = purchase <= m.window
	}
	var touch time.Time
	contacted := false
	for i := range l.Activities {
		a := &l.Activities[i]
		if a.Actor == "" || a.At.Before(l.CreatedAt) || !s.visible(a.At) {
			continue
		}
		if !contacted || a.At.Before(touch) {
			touch, contacted = a.At, true
		}
	}
	response := touch.Sub(l.CreatedAt)
	mql := m.mqlPos > 0 && pos >= m.mqlPos
	sql := m.sqlPos > 0 && pos >= m.sqlPos

	p := s.period(l.CreatedAt)
	var pc int64
	if isCust {
		pc = s.period(custAt)
	}
	for i := 0; i <= len(m.dims); i++ {
		seg := ""
		if i > 0 {
			f := m.dims[i-1].lead
			if f == nil {
				continue
			}
			seg = f(l)
		}
		c := s.cell(p, i, seg)
		c.leads++
		if mql {
			c.mqls++
		}
		if sql {
			c.sqls++
		}
		if cohortWon {
			c.cohortWon++
		}
		if contacted {
			c.response.Add(response)
		} else {
			c.uncontacted++
		}
		if isCust {
			c = s.cell(pc, i, seg)
			c.leadsWon++
			c.purchase.Add(purchase)
		}
	}
	return nil
}

// AddDeal adds a deal as it was at as-of: in the period of its creation
// it counts as an opportunity with its amount as pipeline (and as
// marketing-sourced or -influenced pipeline when the deal says so); once
// won or lost by as-of, in the period of ClosedAt, it counts as won (with
// its revenue, new-customer revenue and sales cycle) or lost. A deal
// closed after as-of is open; one created after as-of is skipped. It
// returns an error, and adds nothing, for a nil deal, an invalid status,
// a zero CreatedAt, a closed deal without ClosedAt, a ClosedAt before
// CreatedAt, or an amount that is negative or out of range.
func (s *Scorecard) AddDeal(d *Deal) error {
	if err := s.ready(); err != nil {
		return err
	}
	if d == nil {
		return errors.New("kpi: scorecard: nil deal")
	}
	switch {
	case !d.Status.IsValid():
		return fmt.Errorf("kpi: scorecard: deal %q: unknown status %q", d.ID, d.Status)
	case d.CreatedAt.IsZero():
		return fmt.Errorf("kpi: scorecard: deal %q: zero created_at", d.ID)
	case d.Status != DealOpen && d.ClosedAt.IsZero():
		return fmt.Errorf("kpi: scorecard: deal %q: %s without closed_at", d.ID, d.Status)
	case d.Status != DealOpen && d.ClosedAt.Before(d.CreatedAt):
		return fmt.Errorf("kpi: scorecard: deal %q: closed_at before created_at", d.ID)
	}
	if err := checkAmount(d.Amount); err != nil {
		return fmt.Errorf("kpi: scorecard: deal %q: %w", d.ID, err)
	}
	if !s.visible(d.CreatedAt) {
		s.skipped.Deals++
		return nil
	}
	status := d.Status
	if status != DealOpen && !s.visible(d.ClosedAt) {
		status = DealOpen
	}
	p := s.period(d.CreatedAt)
	var pc int64
	var cycle time.Duration
	if status != DealOpen {
		pc = s.period(d.ClosedAt)
		cycle = d.ClosedAt.Sub(d.CreatedAt)
	}
	m := s.m
	for i := 0; i <= len(m.dims); i++ {
		seg := ""
		if i > 0 {
			dim := &m.dims[i-1]
			var ok bool
			seg, ok = d.Keys[dim.name]
			if !ok && dim.dealOwn != nil {
				seg, ok = dim.dealOwn(d)
			}
			if !ok {
				continue
			}
		}
		c := s.cell(p, i, seg)
		c.opportunities++
		c.pipeline.Add(d.Amount)
		if d.MarketingSourced {
			c.sourced.Add(d.Amount)
			c.sourcedDeals++
		}
		if d.MarketingInfluenced {
			c.influenced.Add(d.Amount)
			c.influencedDeals++
		}
		switch status {
		case DealLost:
			s.cell(pc, i, seg).lost++
		case DealWon:
			c = s.cell(pc, i, seg)
			c.won++
			c.revenue.Add(d.Amount)
			if d.NewCustomer {
				c.newCustomers++
				c.revenueNew.Add(d.Amount)
			}
			c.cycle.Add(cycle)
		}
	}
	return nil
}

// AddCustomer adds a customer: gained in the period of Since, lost in the
// period of ChurnedAt if that is set and not after as-of. A customer
// whose Since is after as-of is skipped. Its segments come from its Keys
// only. It returns an error, and adds nothing, for a nil customer, a zero
// Since or a ChurnedAt before Since.
func (s *Scorecard) AddCustomer(cu *Customer) error {
	if err := s.ready(); err != nil {
		return err
	}
	if cu == nil {
		return errors.New("kpi: scorecard: nil customer")
	}
	if cu.Since.IsZero() {
		return fmt.Errorf("kpi: scorecard: customer %q: zero since", cu.ID)
	}
	churned := !cu.ChurnedAt.IsZero()
	if churned && cu.ChurnedAt.Before(cu.Since) {
		return fmt.Errorf("kpi: scorecard: customer %q: churned_at before since", cu.ID)
	}
	if !s.visible(cu.Since) {
		s.skipped.Customers++
		return nil
	}
	churned = churned && s.visible(cu.ChurnedAt)
	p := s.period(cu.Since)
	var pc int64
	if churned {
		pc = s.period(cu.ChurnedAt)
	}
	for i := 0; i <= len(s.m.dims); i++ {
		seg := ""
		if i > 0 {
			var ok bool
			if seg, ok = cu.Keys[s.m.dims[i-1].name]; !ok {
				continue
			}
		}
		s.cell(p, i, seg).customersGained++
		if churned {
			s.cell(pc, i, seg).customersLost++
		}
	}
	return nil
}

// Merge adds the records of o to s. It returns an error, and changes
// nothing, when o is nil or s itself, when the two have different
// definitions (fingerprints) or as-of instants, or when a count would
// exceed 2^62. o is not modified and shares no memory with s afterwards.
func (s *Scorecard) Merge(o *Scorecard) error {
	if err := s.ready(); err != nil {
		return err
	}
	switch {
	case o == nil:
		return errors.New("kpi: scorecard: merge: nil scorecard")
	case o == s:
		return errors.New("kpi: scorecard: merge: a scorecard with itself")
	case o.m == nil:
		return fmt.Errorf("kpi: scorecard: merge: %w", errZero)
	case o.m.fingerprint != s.m.fingerprint:
		return fmt.Errorf("kpi: scorecard: merge: definition %.12s differs from %.12s", o.m.fingerprint, s.m.fingerprint)
	case o.cut != s.cut || !o.asOf.Equal(s.asOf):
		return fmt.Errorf("kpi: scorecard: merge: as-of %s differs from %s", asOfString(o), asOfString(s))
	}
	skipped, err := s.skipped.plus(o.skipped)
	if err != nil {
		return fmt.Errorf("kpi: scorecard: merge: skipped: %w", err)
	}
	// Check every count first, so that a refused merge changes nothing.
	// A histogram merge can fail only when the sum of its durations
	// overflows, which takes more than histSafe durations: below that
	// the merge goes in place, above it into copies.
	inPlace := true
	for k, oc := range o.cells {
		sc := s.cells[k]
		if sc == nil {
			continue
		}
		cs, os := sc.counts(), oc.counts()
		for i := range cs {
			if _, ok := addCount(*cs[i], *os[i]); !ok {
				return fmt.Errorf("kpi: scorecard: merge: %s: %w", countNames[i], errCount)
			}
		}
		if sc.cycle.Len()+oc.cycle.Len() > histSafe || sc.response.Len()+oc.response.Len() > histSafe ||
			sc.purchase.Len()+oc.purchase.Len() > histSafe {
			inPlace = false
		}
	}
	if inPlace {
		for k, oc := range o.cells {
			if err := s.cell(k.period, k.dim, k.seg).merge(oc); err != nil {
				// Unreachable: the counts are checked and the durations
				// too few to overflow.
				return fmt.Errorf("kpi: scorecard: merge: %w", err)
			}
		}
		s.skipped = skipped
		return nil
	}
	merged := make(map[cellKey]*cell, len(o.cells))
	for k, oc := range o.cells {
		nc := &cell{}
		if sc := s.cells[k]; sc != nil {
			if err := nc.merge(sc); err != nil {
				return fmt.Errorf("kpi: scorecard: merge: %w", err)
			}
		}
		if err := nc.merge(oc); err != nil {
			return fmt.Errorf("kpi: scorecard: merge: %w", err)
		}
		merged[k] = nc
	}
	for k, c := range merged {
		s.cells[k] = c
	}
	s.skipped = skipped
	return nil
}

// histSafe is the number of durations whose sum in seconds cannot
// overflow an int64: each duration is at most 2^63 ns, about 9.3e9 s.
const histSafe = 900_000_000

func asOfString(s *Scorecard) string {
	if !s.cut {
		return "none"
	}
	return s.asOf.Format(time.RFC3339Nano)
}

var errCount = errors.New("a count exceeds 2^62")

// add returns a + b, and false when the sum exceeds maxCount.
func addCount(a, b int64) (int64, bool) {
	if b > maxCount-a {
		return 0, false
	}
	return a + b, true
}

func (k Skipped) plus(o Skipped) (Skipped, error) {
	var r Skipped
	ok := true
	for _, f := range [...]struct {
		dst  *int64
		a, b int64
	}{
		{&r.Leads, k.Leads, o.Leads}, {&r.Deals, k.Deals, o.Deals}, {&r.Spend, k.Spend, o.Spend},
		{&r.Visits, k.Visits, o.Visits}, {&r.Customers, k.Customers, o.Customers},
	} {
		v, good := addCount(f.a, f.b)
		*f.dst, ok = v, ok && good
	}
	if !ok {
		return Skipped{}, errCount
	}
	return r, nil
}

// counts returns pointers to the cell's counts, in a fixed order.
func (c *cell) counts() [nCounts]*int64 {
	return [nCounts]*int64{&c.visits, &c.leads, &c.mqls, &c.sqls, &c.cohortWon, &c.uncontacted, &c.leadsWon,
		&c.opportunities, &c.won, &c.lost, &c.newCustomers, &c.sourcedDeals, &c.influencedDeals,
		&c.customersGained, &c.customersLost,
		&c.measured, &c.engaged, &c.media[0], &c.media[1], &c.media[2], &c.media[3], &c.media[4], &c.media[5]}
}

// nCounts is the number of counts in a cell.
const nCounts = 23

// countNames are the JSON names of counts' entries.
var countNames = [nCounts]string{"visits", "leads", "mqls", "sqls", "cohort_won", "uncontacted", "leads_won",
	"opportunities", "won", "lost", "new_customers", "sourced_deals", "influenced_deals",
	"customers_gained", "customers_lost",
	"measured_sessions", "engaged_sessions", "organic_sessions", "paid_sessions", "referral_sessions",
	"email_sessions", "social_sessions", "direct_sessions"}

// merge adds o to c. On error c may be half merged: callers merge into a
// fresh cell they throw away on error.
func (c *cell) merge(o *cell) error {
	cs, os := c.counts(), o.counts()
	for i := range cs {
		v, ok := addCount(*cs[i], *os[i])
		if !ok {
			return fmt.Errorf("%s: %w", countNames[i], errCount)
		}
		*cs[i] = v
	}
	c.spend.Merge(o.spend)
	c.pipeline.Merge(o.pipeline)
	c.revenue.Merge(o.revenue)
	c.revenueNew.Merge(o.revenueNew)
	c.sourced.Merge(o.sourced)
	c.influenced.Merge(o.influenced)
	c.engagedTime.merge(o.engagedTime)
	for _, h := range [...]struct {
		name string
		a, b *hist.Durations
	}{{"cycle", &c.cycle, &o.cycle}, {"response", &c.response, &o.response}, {"time_to_purchase", &c.purchase, &o.purchase}} {
		if err := h.a.Merge(h.b); err != nil {
			return fmt.Errorf("%s: %w", h.name, err)
		}
	}
	return nil
}
