package kpi

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/leadkit/leadkit/internal/jsonstrict"
	"slices"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/hist"
	"github.com/leadkit/leadkit/internal/money"
	"github.com/shopspring/decimal"
)

// StateFormat is the format version written in a scorecard's JSON state.
const StateFormat = "leadkit.kpi/1"

// stateJSON is the JSON form of a Scorecard.
type stateJSON struct {
	Format      string     `json:"format"`
	Definition  Config     `json:"definition"`
	Fingerprint string     `json:"fingerprint"`
	AsOf        *time.Time `json:"as_of"`
	Skipped     Skipped    `json:"skipped"`
	Cells       []cellJSON `json:"cells"`
}

// cellJSON is the JSON form of one cell.
type cellJSON struct {
	Period    string `json:"period"` // the period's first day
	Dimension string `json:"dimension,omitempty"`
	Segment   string `json:"segment,omitempty"`

	Spend      money.Sum `json:"spend,omitzero"`
	Pipeline   money.Sum `json:"pipeline,omitzero"`
	Revenue    money.Sum `json:"revenue,omitzero"`
	RevenueNew money.Sum `json:"revenue_new,omitzero"`
	Sourced    money.Sum `json:"sourced,omitzero"`
	Influenced money.Sum `json:"influenced,omitzero"`

	Visits          int64 `json:"visits,omitempty"`
	Leads           int64 `json:"leads,omitempty"`
	MQLs            int64 `json:"mqls,omitempty"`
	SQLs            int64 `json:"sqls,omitempty"`
	CohortWon       int64 `json:"cohort_won,omitempty"`
	Uncontacted     int64 `json:"uncontacted,omitempty"`
	LeadsWon        int64 `json:"leads_won,omitempty"`
	Opportunities   int64 `json:"opportunities,omitempty"`
	Won             int64 `json:"won,omitempty"`
	Lost            int64 `json:"lost,omitempty"`
	NewCustomers    int64 `json:"new_customers,omitempty"`
	SourcedDeals    int64 `json:"sourced_deals,omitempty"`
	InfluencedDeals int64 `json:"influenced_deals,omitempty"`
	CustomersGained int64 `json:"customers_gained,omitempty"`
	CustomersLost   int64 `json:"customers_lost,omitempty"`

	MeasuredSessions  int64     `json:"measured_sessions,omitempty"`
	EngagedSessions   int64     `json:"engaged_sessions,omitempty"`
	EngagementSeconds money.Sum `json:"engagement_seconds,omitzero"`
	OrganicSessions   int64     `json:"organic_sessions,omitempty"`
	PaidSessions      int64     `json:"paid_sessions,omitempty"`
	ReferralSessions  int64     `json:"referral_sessions,omitempty"`
	EmailSessions     int64     `json:"email_sessions,omitempty"`
	SocialSessions    int64     `json:"social_sessions,omitempty"`
	DirectSessions    int64     `json:"direct_sessions,omitempty"`

	Cycle          *hist.Durations `json:"cycle,omitempty"`
	Response       *hist.Durations `json:"response,omitempty"`
	TimeToPurchase *hist.Durations `json:"time_to_purchase,omitempty"`
}

func histOrNil(h *hist.Durations) *hist.Durations {
	if h.Len() == 0 {
		return nil
	}
	return h
}

// MarshalJSON encodes the scorecard's state:
//
//	{"format":"leadkit.kpi/1","definition":{...},"fingerprint":"...","as_of":"...","skipped":{...},"cells":[...]}
//
// with the definition as given, the as-of (null for no cut), and the sums
// of each period and segment (cells in a fixed order, so the same state
// always encodes to the same bytes). It returns an error for a nil or
// zero scorecard, and for a scorecard with a [Dimension.Func] segment: a
// Go func cannot be encoded.
func (s *Scorecard) MarshalJSON() ([]byte, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	if s.m.hasFunc != "" {
		return nil, fmt.Errorf("kpi: scorecard: state with a Go func segment (dimension %q) cannot be encoded", s.m.hasFunc)
	}
	st := stateJSON{Format: StateFormat, Definition: s.m.def, Fingerprint: s.m.fingerprint, Skipped: s.skipped}
	if s.cut {
		t := s.asOf
		st.AsOf = &t
	}
	keys := make([]cellKey, 0, len(s.cells))
	for k := range s.cells {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b cellKey) int {
		return cmp.Or(cmp.Compare(a.period, b.period), cmp.Compare(a.dim, b.dim), cmp.Compare(a.seg, b.seg))
	})
	st.Cells = make([]cellJSON, len(keys))
	for i, k := range keys {
		c := s.cells[k]
		j := &st.Cells[i]
		j.Period = periodStart(k.period, s.m.unit)
		if k.dim > 0 {
			j.Dimension = s.m.dims[k.dim-1].name
		}
		j.Segment = k.seg
		j.Spend, j.Pipeline, j.Revenue, j.RevenueNew, j.Sourced, j.Influenced =
			c.spend, c.pipeline, c.revenue, c.revenueNew, c.sourced, c.influenced
		j.Visits, j.Leads, j.MQLs, j.SQLs, j.CohortWon, j.Uncontacted, j.LeadsWon =
			c.visits, c.leads, c.mqls, c.sqls, c.cohortWon, c.uncontacted, c.leadsWon
		j.Opportunities, j.Won, j.Lost, j.NewCustomers, j.SourcedDeals, j.InfluencedDeals =
			c.opportunities, c.won, c.lost, c.newCustomers, c.sourcedDeals, c.influencedDeals
		j.CustomersGained, j.CustomersLost = c.customersGained, c.customersLost
		j.MeasuredSessions, j.EngagedSessions = c.measured, c.engaged
		j.EngagementSeconds.Add(c.engagedTime.value())
		j.OrganicSessions, j.PaidSessions, j.ReferralSessions, j.EmailSessions, j.SocialSessions, j.DirectSessions =
			c.media[0], c.media[1], c.media[2], c.media[3], c.media[4], c.media[5]
		j.Cycle, j.Response, j.TimeToPurchase = histOrNil(&c.cycle), histOrNil(&c.response), histOrNil(&c.purchase)
	}
	return json.Marshal(st)
}

// UnmarshalJSON decodes state written by [Scorecard.MarshalJSON] into s,
// which may be a zero Scorecard: the definition in the state is compiled,
// so the decoded scorecard adds, merges and reports with no settings to
// re-attach. Decoding is strict and checks everything, as the state may
// come from anywhere: an unknown field, another format version, an
// invalid definition or one whose fingerprint differs, a period that is
// not a period's first day or lies after the as-of's period, a cell of an
// unknown dimension or a duplicate one, a negative or inconsistent count
// (more MQLs than leads, histograms that disagree with their counts,
// customers lost before they were gained, ...), an amount that is
// negative or out of range, or a total that overflows are errors. On
// error s is unchanged.
func (s *Scorecard) UnmarshalJSON(b []byte) error {
	if s == nil {
		return errors.New("kpi: scorecard: decode into nil")
	}
	dec, err := decodeState(b)
	if err != nil {
		return fmt.Errorf("kpi: scorecard: state: %w", err)
	}
	*s = *dec
	return nil
}

func decodeState(b []byte) (*Scorecard, error) {
	var st stateJSON
	if err := jsonstrict.DecodeState(b, &st); err != nil {
		return nil, jsonError(err)
	}
	if st.Format != StateFormat {
		return nil, leadkit.Errorf("format", "unknown format %q; want %q", st.Format, StateFormat)
	}
	m, err := Compile(st.Definition)
	if err != nil {
		return nil, leadkit.Prefix("definition", err)
	}
	if st.Fingerprint != m.fingerprint {
		return nil, leadkit.Errorf("fingerprint", "%q does not match the definition's %q", st.Fingerprint, m.fingerprint)
	}
	s := m.NewScorecard(time.Time{})
	if st.AsOf != nil {
		if st.AsOf.IsZero() {
			return nil, leadkit.Errorf("as_of", "zero time; use null for no cut")
		}
		s.asOf, s.cut = st.AsOf.UTC(), true
	}
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, leadkit.Errorf(path, format, args...)) }
	for _, f := range [...]struct {
		name string
		v    int64
	}{{"leads", st.Skipped.Leads}, {"deals", st.Skipped.Deals}, {"spend", st.Skipped.Spend},
		{"visits", st.Skipped.Visits}, {"customers", st.Skipped.Customers}} {
		if f.v < 0 || f.v > maxCount {
			add("skipped."+f.name, "count %d outside 0..2^62", f.v)
		}
	}
	s.skipped = st.Skipped
	var lastPeriod int64
	if s.cut {
		lastPeriod = s.period(s.asOf)
	}
	for i := range st.Cells {
		j := &st.Cells[i]
		path := fmt.Sprintf("cells[%d]", i)
		p, err := parsePeriodStart(j.Period, m.unit)
		if err != nil {
			add(path+".period", "%v", err)
			continue
		}
		if s.cut && p > lastPeriod {
			add(path+".period", "period %s is after the as-of's period", j.Period)
			continue
		}
		dim := 0
		if j.Dimension != "" {
			var ok bool
			if dim, ok = m.dimIndex[j.Dimension]; !ok {
				add(path+".dimension", "unknown dimension %q", j.Dimension)
				continue
			}
		} else if j.Segment != "" {
			add(path+".segment", "segment %q without a dimension", j.Segment)
			continue
		}
		k := cellKey{p, dim, j.Segment}
		if _, dup := s.cells[k]; dup {
			add(path, "same period, dimension and segment as an earlier cell")
			continue
		}
		c, err := j.cell()
		if err != nil {
			errs = append(errs, leadkit.Prefix(path, err))
			continue
		}
		s.cells[k] = c
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if err := s.checkCustomers(); err != nil {
		return nil, err
	}
	if err := s.checkTotals(); err != nil {
		return nil, err
	}
	return s, nil
}

// cell checks one decoded cell and returns it.
func (j *cellJSON) cell() (*cell, error) {
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, leadkit.Errorf(path, format, args...)) }
	c := &cell{
		spend: j.Spend, pipeline: j.Pipeline, revenue: j.Revenue, revenueNew: j.RevenueNew,
		sourced: j.Sourced, influenced: j.Influenced,
		visits: j.Visits, leads: j.Leads, mqls: j.MQLs, sqls: j.SQLs, cohortWon: j.CohortWon,
		uncontacted: j.Uncontacted, leadsWon: j.LeadsWon, opportunities: j.Opportunities, won: j.Won,
		lost: j.Lost, newCustomers: j.NewCustomers, sourcedDeals: j.SourcedDeals,
		influencedDeals: j.InfluencedDeals, customersGained: j.CustomersGained, customersLost: j.CustomersLost,
		measured: j.MeasuredSessions, engaged: j.EngagedSessions, engagedTime: secondsSum{rest: j.EngagementSeconds},
		media: [len(media)]int64{j.OrganicSessions, j.PaidSessions, j.ReferralSessions, j.EmailSessions,
			j.SocialSessions, j.DirectSessions},
	}
	for i, v := range c.counts() {
		if *v < 0 || *v > maxCount {
			add(countNames[i], "count %d outside 0..2^62", *v)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, r := range [...]struct {
		name, of    string
		part, whole int64
	}{
		{"mqls", "leads", c.mqls, c.leads},
		{"sqls", "mqls", c.sqls, c.mqls},
		{"cohort_won", "leads", c.cohortWon, c.leads},
		{"uncontacted", "leads", c.uncontacted, c.leads},
		{"new_customers", "won", c.newCustomers, c.won},
		{"sourced_deals", "opportunities", c.sourcedDeals, c.opportunities},
		{"influenced_deals", "opportunities", c.influencedDeals, c.opportunities},
		{"measured_sessions", "visits", c.measured, c.visits},
		{"engaged_sessions", "measured_sessions", c.engaged, c.measured},
	} {
		if r.part > r.whole {
			add(r.name, "%d is more than the %d %s", r.part, r.whole, r.of)
		}
	}
	// The sessions by medium add up to at most the visits (compared as
	// what is left of the visits, so nothing overflows).
	left := c.visits
	for i, n := range c.media {
		if n > left {
			add(countNames[17+i], "the sessions by medium add up to more than the %d visits", c.visits)
			break
		}
		left -= n
	}
	for _, h := range [...]struct {
		name string
		src  *hist.Durations
		dst  *hist.Durations
		want int64
	}{
		{"cycle", j.Cycle, &c.cycle, c.won},
		{"response", j.Response, &c.response, c.leads - c.uncontacted},
		{"time_to_purchase", j.TimeToPurchase, &c.purchase, c.leadsWon},
	} {
		if h.src != nil {
			*h.dst = *h.src
		}
		if n := h.dst.Len(); n != h.want {
			add(h.name, "%d durations for a count of %d", n, h.want)
		}
	}
	sums := [...]struct {
		name  string
		v     decimal.Decimal
		count int64
	}{
		{"spend", c.spend.Value(), -1},
		{"pipeline", c.pipeline.Value(), c.opportunities},
		{"revenue", c.revenue.Value(), c.won},
		{"revenue_new", c.revenueNew.Value(), c.newCustomers},
		{"sourced", c.sourced.Value(), c.sourcedDeals},
		{"influenced", c.influenced.Value(), c.influencedDeals},
	}
	for _, sum := range sums {
		switch {
		case sum.v.IsNegative():
			add(sum.name, "negative amount %s", sum.v)
		case sum.v.Exponent() < -18 || sum.v.NumDigits()+int(sum.v.Exponent()) > 64:
			add(sum.name, "amount %s out of range (at most 18 decimal places, below 10^64)", sum.v)
		case sum.count == 0 && !sum.v.IsZero():
			add(sum.name, "amount %s without a record", sum.v)
		}
	}
	switch t := c.engagedTime.value(); {
	case t.IsNegative():
		add("engagement_seconds", "negative time %s", t)
	case t.Exponent() < -9 || t.NumDigits()+int(t.Exponent()) > 64:
		add("engagement_seconds", "time %s out of range (at most 9 decimal places, below 10^64)", t)
	case c.measured == 0 && !t.IsZero():
		add("engagement_seconds", "time %s without measured sessions", t)
	}
	if len(errs) == 0 {
		if sums[3].v.GreaterThan(sums[2].v) {
			add("revenue_new", "%s is more than the revenue %s", sums[3].v, sums[2].v)
		}
		for _, i := range []int{4, 5} {
			if sums[i].v.GreaterThan(sums[1].v) {
				add(sums[i].name, "%s is more than the pipeline %s", sums[i].v, sums[1].v)
			}
		}
	}
	return c, errors.Join(errs...)
}

// checkCustomers checks that no segment loses customers it never gained:
// the customers carried from period to period never go negative.
func (s *Scorecard) checkCustomers() error {
	type seg struct {
		dim int
		seg string
	}
	keys := make([]cellKey, 0, len(s.cells))
	for k, c := range s.cells {
		if c.customersGained != 0 || c.customersLost != 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b cellKey) int {
		return cmp.Or(cmp.Compare(a.dim, b.dim), cmp.Compare(a.seg, b.seg), cmp.Compare(a.period, b.period))
	})
	var cur seg
	var n int64
	for i, k := range keys {
		if i == 0 || (seg{k.dim, k.seg}) != cur {
			cur, n = seg{k.dim, k.seg}, 0
		}
		c := s.cells[k]
		delta := c.customersGained - c.customersLost // each in 0..2^62: no overflow
		if delta > 0 && n > maxCount-delta {
			return leadkit.Errorf("cells", "period %s: customers exceed 2^62", periodStart(k.period, s.m.unit))
		}
		n += delta
		if n < 0 {
			return leadkit.Errorf("cells", "period %s: customers lost that were never gained", periodStart(k.period, s.m.unit))
		}
	}
	return nil
}

// checkTotals checks that every segment's totals over all periods, which
// its all-periods row reports, fit in 2^62.
func (s *Scorecard) checkTotals() error {
	type seg struct {
		dim int
		seg string
	}
	totals := map[seg]*cell{}
	for k, c := range s.cells {
		t := totals[seg{k.dim, k.seg}]
		if t == nil {
			t = &cell{}
			totals[seg{k.dim, k.seg}] = t
		}
		ts, cs := t.counts(), c.counts()
		for i := range ts {
			v, ok := addCount(*ts[i], *cs[i])
			if !ok {
				return leadkit.Errorf("cells", "dimension %q segment %q: the total %s over all periods exceeds 2^62",
					s.dimName(k.dim), k.seg, countNames[i])
			}
			*ts[i] = v
		}
	}
	return nil
}
