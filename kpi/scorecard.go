package kpi

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// Dimension is a way to segment a scorecard (by channel, by owner, by
// persona, ...): a name and, for each kind of record, a function that
// returns the record's segment key. A record kind whose function is nil
// does not appear in that dimension's segments (it still counts in the
// totals): for example [ByChannel] has no Deal function, because a deal
// does not know its channel; set one (say from a lead-to-channel lookup
// the host keeps) to get revenue and win rates per channel.
//
// The functions are configuration, not state: they are not serialized.
// They must be deterministic and safe for concurrent use.
type Dimension struct {
	// Name names the dimension in reports ("channel"). Required, unique
	// within a scorecard.
	Name     string
	Lead     func(*lead.Lead) string
	Deal     func(*Deal) string
	Spend    func(*Spend) string
	Visits   func(*Visits) string
	Customer func(*Customer) string
}

// ByChannel returns the "channel" dimension: a lead's Source.Channel,
// spend's and visits' Channel.
func ByChannel() Dimension {
	return Dimension{
		Name:   "channel",
		Lead:   func(l *lead.Lead) string { return string(l.Source.Channel) },
		Spend:  func(s *Spend) string { return s.Channel },
		Visits: func(v *Visits) string { return v.Channel },
	}
}

// ByCampaign returns the "campaign" dimension: a lead's Source.Campaign
// and spend's Campaign.
func ByCampaign() Dimension {
	return Dimension{
		Name:  "campaign",
		Lead:  func(l *lead.Lead) string { return l.Source.Campaign },
		Spend: func(s *Spend) string { return s.Campaign },
	}
}

// ByOwner returns the "owner" dimension: a lead's and a deal's Owner.
func ByOwner() Dimension {
	return Dimension{
		Name: "owner",
		Lead: func(l *lead.Lead) string { return l.Owner },
		Deal: func(d *Deal) string { return d.Owner },
	}
}

// ByProduct returns the "product" dimension: a deal's Product.
func ByProduct() Dimension {
	return Dimension{
		Name: "product",
		Deal: func(d *Deal) string { return d.Product },
	}
}

// ByPersona returns the "persona" dimension with the caller's function
// naming the persona of a lead (typically the first matching persona from
// package scoring).
func ByPersona(persona func(*lead.Lead) string) Dimension {
	return Dimension{Name: "persona", Lead: persona}
}

// builtinDimension returns the built-in dimension called name.
func builtinDimension(name string) (Dimension, bool) {
	switch name {
	case "channel":
		return ByChannel(), true
	case "campaign":
		return ByCampaign(), true
	case "owner":
		return ByOwner(), true
	case "product":
		return ByProduct(), true
	}
	return Dimension{}, false
}

// Config configures a [Scorecard]. The zero Config is a monthly scorecard
// in UTC with no segments.
type Config struct {
	// Granularity is the period length; empty means Month.
	Granularity Granularity
	// Location is the time zone periods are cut in; nil means UTC.
	Location *time.Location
	// Dimensions are the segmentations reported besides the totals.
	Dimensions []Dimension
	// CohortWindow is how long after its creation a lead may become a
	// customer and still count for its cohort's lead-to-customer rate;
	// zero means 90 days.
	CohortWindow time.Duration
	// DurationUnit is the resolution of the durations behind the median
	// and mean sales cycle, response time and time to purchase: each
	// duration is rounded to the nearest unit, which bounds the memory a
	// scorecard needs by periods × segments × distinct durations. Zero
	// means one hour (elapsed hours / 24 is how leadkit reports days); it
	// must be a whole number of seconds.
	DurationUnit time.Duration
	// GrossMargin is the gross margin as a fraction (0.8 for 80%) used by
	// lifetime value and CAC payback; zero means 1, a revenue-based LTV.
	GrossMargin decimal.Decimal
	// MarketingPipeline, when set, says whether marketing sourced a deal
	// (created its lead) and whether it influenced it (touched it before
	// it closed), typically from the deal's lead; the scorecard then
	// reports both pipelines, side by side and never summed
	// ([MarketingSourcedPipeline]). Like the dimensions' functions it is
	// configuration and is not serialized.
	MarketingPipeline func(*Deal) (sourced, influenced bool)
}

// Scorecard is the accumulator of the shared KPIs: it takes spend, visits,
// leads, deals and customers, one record at a time, and reports every KPI
// per period and per segment. Its memory grows with the number of periods
// × segments (and distinct durations), not with the number of records.
//
// Scorecards merge: add records to several scorecards (per goroutine, per
// shard, per process) and [Scorecard.Merge] them, in any split and any
// order, and [Scorecard.Report] gives the identical report. The state is
// the exported fields and round-trips through encoding/json. Merge and
// Report need only that state, so a combiner can decode shards into zero
// Scorecards and merge them. The time zone and the key functions are
// configuration and are not serialized: to go on adding records after
// decoding, decode into a scorecard made by [NewScorecard] with the same
// Config (UTC and the built-in dimensions are restored by name, other
// zones and custom dimensions are not, and Add says so).
//
// The zero Scorecard is a usable monthly scorecard in UTC with no
// segments. A Scorecard is not safe for concurrent mutation; Report may
// run concurrently with other Reports.
type Scorecard struct {
	// Granularity, Zone (the time zone's name), Dimensions (their names),
	// CohortWindow, DurationUnit, GrossMargin and Marketing (whether
	// Config.MarketingPipeline was set) are the configuration the state
	// depends on; scorecards merge only when they are equal.
	Granularity  Granularity     `json:"granularity"`
	Zone         string          `json:"zone"`
	Dimensions   []string        `json:"dimensions,omitempty"`
	CohortWindow time.Duration   `json:"cohort_window"`
	DurationUnit time.Duration   `json:"duration_unit"`
	GrossMargin  decimal.Decimal `json:"gross_margin"`
	Marketing    bool            `json:"marketing,omitempty"`
	// Cells holds the sums per period, dimension and segment, in no
	// particular order.
	Cells []*Cell `json:"cells"`

	loc       *time.Location
	dims      []Dimension
	marketing func(*Deal) (sourced, influenced bool)
	index     map[cellKey]*Cell
	ready     bool // prepare succeeded
}

// Cell is the state of one period and segment. Period is an ordinal (see
// [Scorecard.Report] for its label); an empty Dimension is the totals.
type Cell struct {
	Period    int64  `json:"period"`
	Dimension string `json:"dimension,omitempty"`
	Segment   string `json:"segment,omitempty"`

	Spend           Sum   `json:"spend"`            // spend at the period
	Visits          int64 `json:"visits,omitempty"` // visits in the period
	Leads           int64 `json:"leads,omitempty"`  // leads created in the period
	MQLs            int64 `json:"mqls,omitempty"`   // of those, reached MQL or later
	SQLs            int64 `json:"sqls,omitempty"`   // of those, reached SQL or later
	CohortWon       int64 `json:"cohort_won,omitempty"`
	Uncontacted     int64 `json:"uncontacted,omitempty"`
	LeadsWon        int64 `json:"leads_won,omitempty"` // leads that became customers in the period
	Opportunities   int64 `json:"opportunities,omitempty"`
	Pipeline        Sum   `json:"pipeline"` // amount of deals created in the period
	Won             int64 `json:"won,omitempty"`
	Lost            int64 `json:"lost,omitempty"`
	NewCustomers    int64 `json:"new_customers,omitempty"` // won deals with NewCustomer
	Revenue         Sum   `json:"revenue"`
	RevenueNew      Sum   `json:"revenue_new"`
	Sourced         Sum   `json:"sourced"`                    // pipeline marketing sourced
	Influenced      Sum   `json:"influenced"`                 // pipeline marketing influenced
	SourcedDeals    int64 `json:"sourced_deals,omitempty"`    // deals in Sourced
	InfluencedDeals int64 `json:"influenced_deals,omitempty"` // deals in Influenced
	CustomersGained int64 `json:"customers_gained,omitempty"` // Customer.Since in the period
	CustomersLost   int64 `json:"customers_lost,omitempty"`   // Customer.ChurnedAt in the period

	// Histograms of durations in DurationUnit steps: count per value.
	Cycle          map[int64]int64 `json:"cycle,omitempty"`
	Response       map[int64]int64 `json:"response,omitempty"`
	TimeToPurchase map[int64]int64 `json:"time_to_purchase,omitempty"`
}

type cellKey struct {
	period int64
	dim    int // 0 = totals, i+1 = Dimensions[i]
	seg    string
}

// NewScorecard returns an empty scorecard for cfg. It returns every
// problem with cfg, joined.
func NewScorecard(cfg Config) (*Scorecard, error) {
	var errs []error
	if cfg.Granularity == "" {
		cfg.Granularity = Month
	} else if !cfg.Granularity.IsValid() {
		errs = append(errs, fmt.Errorf("granularity: unknown %q (want day, week, month, quarter or year)", cfg.Granularity))
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.CohortWindow < 0 {
		errs = append(errs, fmt.Errorf("cohort_window: negative %v", cfg.CohortWindow))
	} else if cfg.CohortWindow == 0 {
		cfg.CohortWindow = 90 * 24 * time.Hour
	}
	if cfg.DurationUnit == 0 {
		cfg.DurationUnit = time.Hour
	} else if cfg.DurationUnit < time.Second || cfg.DurationUnit%time.Second != 0 {
		errs = append(errs, fmt.Errorf("duration_unit: %v is not a whole number of seconds", cfg.DurationUnit))
	}
	if cfg.GrossMargin.IsNegative() {
		errs = append(errs, fmt.Errorf("gross_margin: negative %s", cfg.GrossMargin))
	}
	names := make([]string, len(cfg.Dimensions))
	seen := map[string]bool{}
	for i, d := range cfg.Dimensions {
		switch {
		case d.Name == "":
			errs = append(errs, fmt.Errorf("dimensions[%d].name: empty", i))
		case seen[d.Name]:
			errs = append(errs, fmt.Errorf("dimensions[%d].name: duplicate %q", i, d.Name))
		}
		seen[d.Name] = true
		names[i] = d.Name
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("kpi: scorecard config: %w", err)
	}
	return &Scorecard{
		Granularity:  cfg.Granularity,
		Zone:         cfg.Location.String(),
		Dimensions:   names,
		CohortWindow: cfg.CohortWindow,
		DurationUnit: cfg.DurationUnit,
		GrossMargin:  cfg.GrossMargin,
		Marketing:    cfg.MarketingPipeline != nil,
		loc:          cfg.Location,
		marketing:    cfg.MarketingPipeline,
		dims:         append([]Dimension(nil), cfg.Dimensions...),
	}, nil
}

// prepare readies s for Add: the index, the time zone and the key
// functions, which JSON does not carry.
func (s *Scorecard) prepare() error {
	if s.ready {
		return nil
	}
	if err := s.buildIndex(); err != nil {
		return err
	}
	if s.loc == nil || s.loc.String() != s.Zone {
		if s.Zone != "UTC" {
			return fmt.Errorf("kpi: scorecard: time zone %q is not loaded; decode into a scorecard made by NewScorecard", s.Zone)
		}
		s.loc = time.UTC
	}
	if s.Marketing && s.marketing == nil {
		return errors.New("kpi: scorecard: the marketing pipeline function is not set; decode into a scorecard made by NewScorecard")
	}
	if !sameNames(s.dims, s.Dimensions) {
		dims := make([]Dimension, len(s.Dimensions))
		for i, name := range s.Dimensions {
			d, ok := builtinDimension(name)
			if !ok {
				return fmt.Errorf("kpi: scorecard: dimension %q has no key functions; decode into a scorecard made by NewScorecard", name)
			}
			dims[i] = d
		}
		s.dims = dims
	}
	s.ready = true
	return nil
}

// buildIndex fills in the zero value's defaults and builds the cell
// index: all that Merge needs.
func (s *Scorecard) buildIndex() error {
	if s.index != nil {
		return nil
	}
	if s.Granularity == "" {
		s.Granularity = Month
	}
	if !s.Granularity.IsValid() {
		return fmt.Errorf("kpi: scorecard: unknown granularity %q", s.Granularity)
	}
	if s.Zone == "" {
		s.Zone = "UTC"
	}
	if s.CohortWindow == 0 {
		s.CohortWindow = 90 * 24 * time.Hour
	}
	if s.DurationUnit == 0 {
		s.DurationUnit = time.Hour
	}
	if s.DurationUnit < time.Second || s.DurationUnit%time.Second != 0 {
		return fmt.Errorf("kpi: scorecard: duration unit %v is not a whole number of seconds", s.DurationUnit)
	}
	dimIndex := make(map[string]int, len(s.Dimensions))
	for i, name := range s.Dimensions {
		dimIndex[name] = i + 1
	}
	index := make(map[cellKey]*Cell, len(s.Cells))
	for _, c := range s.Cells {
		d, ok := dimIndex[c.Dimension]
		if c.Dimension == "" {
			d, ok = 0, true
		}
		if !ok {
			return fmt.Errorf("kpi: scorecard: cell of unknown dimension %q", c.Dimension)
		}
		index[cellKey{c.Period, d, c.Segment}] = c
	}
	s.index = index
	return nil
}

func sameNames(dims []Dimension, names []string) bool {
	if len(dims) != len(names) {
		return false
	}
	for i := range dims {
		if dims[i].Name != names[i] {
			return false
		}
	}
	return true
}

// UnmarshalJSON decodes the state written by encoding/json. Decoding into
// a scorecard made by [NewScorecard] keeps its time zone and dimension
// functions when the decoded state has the same zone and dimension names.
// The state is checked, as it may come from anywhere: it returns every
// problem (a negative count, a cell of an unknown dimension, a duplicate
// cell, histograms that disagree with their counts, ...), joined, and
// leaves s unchanged.
func (s *Scorecard) UnmarshalJSON(b []byte) error {
	type state Scorecard
	st := state{loc: s.loc, dims: s.dims, marketing: s.marketing}
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("kpi: scorecard: %w", err)
	}
	dec := Scorecard(st)
	if err := dec.check(); err != nil {
		return fmt.Errorf("kpi: scorecard: %w", err)
	}
	*s = dec
	s.index, s.ready = nil, false
	return nil
}

// check reports every inconsistency in the exported state.
func (s *Scorecard) check() error {
	var errs []error
	if s.Granularity != "" && !s.Granularity.IsValid() {
		errs = append(errs, fmt.Errorf("granularity: unknown %q", s.Granularity))
	}
	if s.CohortWindow < 0 {
		errs = append(errs, fmt.Errorf("cohort_window: negative %v", s.CohortWindow))
	}
	if s.DurationUnit != 0 && (s.DurationUnit < time.Second || s.DurationUnit%time.Second != 0) {
		errs = append(errs, fmt.Errorf("duration_unit: %v is not a whole number of seconds", s.DurationUnit))
	}
	if s.GrossMargin.IsNegative() {
		errs = append(errs, fmt.Errorf("gross_margin: negative %s", s.GrossMargin))
	}
	dimIndex := map[string]int{}
	for i, name := range s.Dimensions {
		if name == "" {
			errs = append(errs, fmt.Errorf("dimensions[%d]: empty", i))
		} else if _, dup := dimIndex[name]; dup {
			errs = append(errs, fmt.Errorf("dimensions[%d]: duplicate %q", i, name))
		}
		dimIndex[name] = i + 1
	}
	seen := map[cellKey]int{}
	for i, c := range s.Cells {
		path := fmt.Sprintf("cells[%d]", i)
		if c == nil {
			errs = append(errs, fmt.Errorf("%s: null", path))
			continue
		}
		d, ok := dimIndex[c.Dimension]
		switch {
		case c.Dimension == "" && c.Segment != "":
			errs = append(errs, fmt.Errorf("%s.segment: %q without a dimension", path, c.Segment))
		case c.Dimension != "" && !ok:
			errs = append(errs, fmt.Errorf("%s.dimension: unknown %q", path, c.Dimension))
		}
		k := cellKey{c.Period, d, c.Segment}
		if j, dup := seen[k]; dup {
			errs = append(errs, fmt.Errorf("%s: same period and segment as cells[%d]", path, j))
		}
		seen[k] = i
		for _, f := range []struct {
			name string
			v    int64
		}{
			{"visits", c.Visits}, {"leads", c.Leads}, {"mqls", c.MQLs}, {"sqls", c.SQLs},
			{"cohort_won", c.CohortWon}, {"uncontacted", c.Uncontacted}, {"leads_won", c.LeadsWon},
			{"opportunities", c.Opportunities}, {"won", c.Won}, {"lost", c.Lost},
			{"new_customers", c.NewCustomers}, {"customers_gained", c.CustomersGained},
			{"sourced_deals", c.SourcedDeals}, {"influenced_deals", c.InfluencedDeals},
			{"customers_lost", c.CustomersLost},
		} {
			if f.v < 0 {
				errs = append(errs, fmt.Errorf("%s.%s: negative", path, f.name))
			}
		}
		for _, h := range []struct {
			name string
			h    map[int64]int64
			want int64
		}{
			{"cycle", c.Cycle, c.Won},
			{"response", c.Response, c.Leads - c.Uncontacted},
			{"time_to_purchase", c.TimeToPurchase, c.LeadsWon},
		} {
			var n int64
			bad := false
			for _, k := range h.h {
				if k <= 0 || n > maxInt64-k {
					bad = true
					break
				}
				n += k
			}
			if bad || n != h.want {
				errs = append(errs, fmt.Errorf("%s.%s: counts do not add up to %d", path, h.name, h.want))
			}
		}
	}
	return errors.Join(errs...)
}

// cell returns the cell for the key, creating it.
func (s *Scorecard) cell(period int64, dim int, seg string) *Cell {
	k := cellKey{period, dim, seg}
	if c, ok := s.index[k]; ok {
		return c
	}
	c := &Cell{Period: period, Segment: seg}
	if dim > 0 {
		c.Dimension = s.Dimensions[dim-1]
	}
	s.Cells = append(s.Cells, c)
	s.index[k] = c
	return c
}

// steps returns d in DurationUnit steps, rounded half away from zero.
func (s *Scorecard) steps(d time.Duration) int64 {
	return int64(d.Round(s.DurationUnit) / s.DurationUnit)
}

func addHist(h *map[int64]int64, v int64) {
	if *h == nil {
		*h = make(map[int64]int64)
	}
	(*h)[v]++
}

// AddSpend adds marketing spend, counted in the period of sp.At. It
// returns an error, and adds nothing, when sp.At is zero.
func (s *Scorecard) AddSpend(sp *Spend) error {
	if err := s.prepare(); err != nil {
		return err
	}
	if sp.At.IsZero() {
		return errors.New("kpi: scorecard: spend: zero time")
	}
	p := periodOf(sp.At, s.Granularity, s.loc)
	s.cell(p, 0, "").Spend.Add(sp.Amount)
	for i := range s.dims {
		if f := s.dims[i].Spend; f != nil {
			s.cell(p, i+1, f(sp)).Spend.Add(sp.Amount)
		}
	}
	return nil
}

// AddVisits adds website visits, counted in the period of v.At. It
// returns an error, and adds nothing, when v.At is zero or the count is
// negative.
func (s *Scorecard) AddVisits(v *Visits) error {
	if err := s.prepare(); err != nil {
		return err
	}
	if v.At.IsZero() {
		return errors.New("kpi: scorecard: visits: zero time")
	}
	if v.Count < 0 {
		return fmt.Errorf("kpi: scorecard: visits: negative count %d", v.Count)
	}
	p := periodOf(v.At, s.Granularity, s.loc)
	s.cell(p, 0, "").Visits += v.Count
	for i := range s.dims {
		if f := s.dims[i].Visits; f != nil {
			s.cell(p, i+1, f(v)).Visits += v.Count
		}
	}
	return nil
}

// Lifecycle positions used to decide whether a lead reached MQL and SQL:
// a lead that entered a later standard stage passed through them.
func lifecyclePos(st lead.Stage) int {
	switch st {
	case lead.StageMQL:
		return 1
	case lead.StageSAL:
		return 2
	case lead.StageSQL:
		return 3
	case lead.StageOpportunity:
		return 4
	case lead.StageCustomer, lead.StageEvangelist:
		return 5
	}
	return 0
}

// AddLead adds a lead. In the period of its creation it counts as a lead,
// as an MQL and an SQL if its history or current stage shows it reached
// those stages (or a later standard stage; skipped stages count as passed
// through), as won
// for its cohort if it became a customer within CohortWindow, and with its
// response time (time to the first sales touch) or as uncontacted. In the
// period it became a customer it counts as a win, with its time to
// purchase. It returns an error, and adds nothing, when CreatedAt is zero.
func (s *Scorecard) AddLead(l *lead.Lead) error {
	if err := s.prepare(); err != nil {
		return err
	}
	if l.CreatedAt.IsZero() {
		return fmt.Errorf("kpi: scorecard: lead %q: zero created_at", l.ID)
	}
	pos := lifecyclePos(l.Stage)
	var custAt time.Time
	isCust := false
	for i := range l.History {
		tr := &l.History[i]
		pos = max(pos, lifecyclePos(tr.To))
		if tr.To == lead.StageCustomer && (!isCust || tr.At.Before(custAt)) {
			custAt, isCust = tr.At, true
		}
	}
	var purchase int64
	cohortWon := false
	if isCust {
		if custAt.Before(l.CreatedAt) {
			custAt = l.CreatedAt
		}
		d := custAt.Sub(l.CreatedAt)
		purchase = s.steps(d)
		cohortWon = d <= s.CohortWindow
	}
	touch, contacted := firstTouch(l)
	response := s.steps(touch.Sub(l.CreatedAt))

	p := periodOf(l.CreatedAt, s.Granularity, s.loc)
	var pc int64
	if isCust {
		pc = periodOf(custAt, s.Granularity, s.loc)
	}
	for i := 0; i <= len(s.dims); i++ {
		seg := ""
		if i > 0 {
			f := s.dims[i-1].Lead
			if f == nil {
				continue
			}
			seg = f(l)
		}
		c := s.cell(p, i, seg)
		c.Leads++
		if pos >= 1 {
			c.MQLs++
		}
		if pos >= 3 {
			c.SQLs++
		}
		if cohortWon {
			c.CohortWon++
		}
		if contacted {
			addHist(&c.Response, response)
		} else {
			c.Uncontacted++
		}
		if isCust {
			c = s.cell(pc, i, seg)
			c.LeadsWon++
			addHist(&c.TimeToPurchase, purchase)
		}
	}
	return nil
}

// AddDeal adds a deal: in the period of its creation it counts as an
// opportunity with its amount as pipeline; once won or lost, in the period
// of ClosedAt, it counts as won (with its revenue, new-customer revenue
// and sales cycle) or lost. It returns an error, and adds nothing, for an
// invalid status, a zero CreatedAt, a closed deal without ClosedAt, or a
// ClosedAt before CreatedAt.
func (s *Scorecard) AddDeal(d *Deal) error {
	if err := s.prepare(); err != nil {
		return err
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
	p := periodOf(d.CreatedAt, s.Granularity, s.loc)
	var sourced, influenced bool
	if s.marketing != nil && s.Marketing {
		sourced, influenced = s.marketing(d)
	}
	var pc, cycle int64
	if d.Status != DealOpen {
		pc = periodOf(d.ClosedAt, s.Granularity, s.loc)
		cycle = s.steps(d.ClosedAt.Sub(d.CreatedAt))
	}
	for i := 0; i <= len(s.dims); i++ {
		seg := ""
		if i > 0 {
			f := s.dims[i-1].Deal
			if f == nil {
				continue
			}
			seg = f(d)
		}
		c := s.cell(p, i, seg)
		c.Opportunities++
		c.Pipeline.Add(d.Amount)
		if sourced {
			c.Sourced.Add(d.Amount)
			c.SourcedDeals++
		}
		if influenced {
			c.Influenced.Add(d.Amount)
			c.InfluencedDeals++
		}
		switch d.Status {
		case DealLost:
			s.cell(pc, i, seg).Lost++
		case DealWon:
			c = s.cell(pc, i, seg)
			c.Won++
			c.Revenue.Add(d.Amount)
			if d.NewCustomer {
				c.NewCustomers++
				c.RevenueNew.Add(d.Amount)
			}
			addHist(&c.Cycle, cycle)
		}
	}
	return nil
}

// AddCustomer adds a customer: gained in the period of Since, lost in the
// period of ChurnedAt if set. These feed retention, churn and ARPA. It
// returns an error, and adds nothing, when Since is zero or ChurnedAt is
// before Since.
func (s *Scorecard) AddCustomer(cu *Customer) error {
	if err := s.prepare(); err != nil {
		return err
	}
	if cu.Since.IsZero() {
		return fmt.Errorf("kpi: scorecard: customer %q: zero since", cu.ID)
	}
	churned := !cu.ChurnedAt.IsZero()
	if churned && cu.ChurnedAt.Before(cu.Since) {
		return fmt.Errorf("kpi: scorecard: customer %q: churned_at before since", cu.ID)
	}
	p := periodOf(cu.Since, s.Granularity, s.loc)
	var pc int64
	if churned {
		pc = periodOf(cu.ChurnedAt, s.Granularity, s.loc)
	}
	for i := 0; i <= len(s.dims); i++ {
		seg := ""
		if i > 0 {
			f := s.dims[i-1].Customer
			if f == nil {
				continue
			}
			seg = f(cu)
		}
		s.cell(p, i, seg).CustomersGained++
		if churned {
			s.cell(pc, i, seg).CustomersLost++
		}
	}
	return nil
}

// Merge adds the records of o to s. Both must have the same granularity,
// zone, dimension names, cohort window, duration unit and gross margin;
// otherwise Merge returns an error and changes nothing. o is not modified
// and shares no memory with s afterwards.
func (s *Scorecard) Merge(o *Scorecard) error {
	if err := s.buildIndex(); err != nil {
		return err
	}
	og, oz, ow, ou := o.Granularity, o.Zone, o.CohortWindow, o.DurationUnit
	if og == "" {
		og = Month
	}
	if oz == "" {
		oz = "UTC"
	}
	if ow == 0 {
		ow = 90 * 24 * time.Hour
	}
	if ou == 0 {
		ou = time.Hour
	}
	switch {
	case og != s.Granularity:
		return fmt.Errorf("kpi: scorecard: merge: granularity %q differs from %q", og, s.Granularity)
	case oz != s.Zone:
		return fmt.Errorf("kpi: scorecard: merge: zone %q differs from %q", oz, s.Zone)
	case !equalStrings(o.Dimensions, s.Dimensions):
		return fmt.Errorf("kpi: scorecard: merge: dimensions %q differ from %q", o.Dimensions, s.Dimensions)
	case ow != s.CohortWindow:
		return fmt.Errorf("kpi: scorecard: merge: cohort window %v differs from %v", ow, s.CohortWindow)
	case ou != s.DurationUnit:
		return fmt.Errorf("kpi: scorecard: merge: duration unit %v differs from %v", ou, s.DurationUnit)
	case !o.GrossMargin.Equal(s.GrossMargin):
		return fmt.Errorf("kpi: scorecard: merge: gross margin %s differs from %s", o.GrossMargin, s.GrossMargin)
	case o.Marketing != s.Marketing:
		return fmt.Errorf("kpi: scorecard: merge: marketing pipeline %v differs from %v", o.Marketing, s.Marketing)
	}
	dimIndex := make(map[string]int, len(s.Dimensions))
	for i, name := range s.Dimensions {
		dimIndex[name] = i + 1
	}
	for _, oc := range o.Cells {
		if oc.Dimension != "" {
			if _, ok := dimIndex[oc.Dimension]; !ok {
				return fmt.Errorf("kpi: scorecard: merge: cell of unknown dimension %q", oc.Dimension)
			}
		}
	}
	for _, oc := range o.Cells {
		c := s.cell(oc.Period, dimIndex[oc.Dimension], oc.Segment)
		c.merge(oc)
	}
	return nil
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// merge adds o's sums to c.
func (c *Cell) merge(o *Cell) {
	c.Spend.Merge(o.Spend)
	c.Visits += o.Visits
	c.Leads += o.Leads
	c.MQLs += o.MQLs
	c.SQLs += o.SQLs
	c.CohortWon += o.CohortWon
	c.Uncontacted += o.Uncontacted
	c.LeadsWon += o.LeadsWon
	c.Opportunities += o.Opportunities
	c.Pipeline.Merge(o.Pipeline)
	c.Won += o.Won
	c.Lost += o.Lost
	c.NewCustomers += o.NewCustomers
	c.Revenue.Merge(o.Revenue)
	c.RevenueNew.Merge(o.RevenueNew)
	c.Sourced.Merge(o.Sourced)
	c.Influenced.Merge(o.Influenced)
	c.SourcedDeals += o.SourcedDeals
	c.InfluencedDeals += o.InfluencedDeals
	c.CustomersGained += o.CustomersGained
	c.CustomersLost += o.CustomersLost
	mergeHist(&c.Cycle, o.Cycle)
	mergeHist(&c.Response, o.Response)
	mergeHist(&c.TimeToPurchase, o.TimeToPurchase)
}

func mergeHist(h *map[int64]int64, o map[int64]int64) {
	if len(o) == 0 {
		return
	}
	if *h == nil {
		*h = make(map[int64]int64, len(o))
	}
	for k, v := range o {
		(*h)[k] += v
	}
}

// Records are the inputs of a scorecard, for [Compute].
type Records struct {
	Spend     []Spend
	Visits    []Visits
	Leads     []lead.Lead
	Deals     []Deal
	Customers []Customer
}

// Compute is the convenience form of the accumulator for data that fits in
// memory: it adds every record to a new scorecard for cfg and returns its
// report. Invalid records are left out and reported, every one with its
// path ("deals[3]: ..."), joined into the error that comes with the
// report of the valid ones; a bad cfg gives an empty report and the
// config error.
func Compute(cfg Config, r Records) (Report, error) {
	s, err := NewScorecard(cfg)
	if err != nil {
		return Report{}, err
	}
	var errs []error
	for i := range r.Spend {
		if err := s.AddSpend(&r.Spend[i]); err != nil {
			errs = append(errs, fmt.Errorf("spend[%d]: %w", i, err))
		}
	}
	for i := range r.Visits {
		if err := s.AddVisits(&r.Visits[i]); err != nil {
			errs = append(errs, fmt.Errorf("visits[%d]: %w", i, err))
		}
	}
	for i := range r.Leads {
		if err := s.AddLead(&r.Leads[i]); err != nil {
			errs = append(errs, fmt.Errorf("leads[%d]: %w", i, err))
		}
	}
	for i := range r.Deals {
		if err := s.AddDeal(&r.Deals[i]); err != nil {
			errs = append(errs, fmt.Errorf("deals[%d]: %w", i, err))
		}
	}
	for i := range r.Customers {
		if err := s.AddCustomer(&r.Customers[i]); err != nil {
			errs = append(errs, fmt.Errorf("customers[%d]: %w", i, err))
		}
	}
	return s.Report(), errors.Join(errs...)
}
