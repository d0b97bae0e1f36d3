package alignment

import (
	"cmp"
	"errors"
	"fmt"
	"github.com/leadkit/leadkit/account"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/funnel"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
	"github.com/leadkit/leadkit/sla"
)

// Data is what the host hands over: its leads and the records around
// them. [Build] takes it whole; a [Builder] takes the records one at a
// time.
type Data struct {
	Leads     []lead.Lead
	Deals     []kpi.Deal
	Customers []kpi.Customer
	Spend     []kpi.Spend
	Visits    []kpi.Visits
}

// Options choose the view.
type Options struct {
	// AsOf is the instant the report is made as of: nothing after it is
	// seen. Required.
	AsOf time.Time
	// Period is the meeting's period: week, month or quarter; empty
	// means month. The report's period is the one holding the instant
	// just before AsOf (so as of a period's first midnight it is the
	// period that just ended), to date; it is compared with the one
	// before it.
	Period leadkit.Period
	// Channel, when set, keeps only the leads of that source channel and
	// the deals, spend and visits of it (customers, which have no
	// channel, are left out).
	Channel string
	// MaxAtRisk caps the at-risk list of the SLA section; 0 means 10.
	MaxAtRisk int
}

// Weeks is the length of the trend series, in weeks.
const Weeks = 13

// Builder computes the report from records added one at a time. Add
// every lead before the deals (a deal takes its channel from its lead).
// A Builder is not safe for concurrent use.
type Builder struct {
	a        Agreement
	opt      Options
	loc      *time.Location
	cur, prv Span
	trendLo  time.Time
	weekEnd  time.Time // the end of the as-of week: the at-risk horizon

	scorecard  *kpi.Scorecard
	analysis   *funnel.Analysis
	compliance *sla.Compliance
	checker    *sla.Checker
	scorer     *scoring.Scorer
	eval       *scoring.Evaluation
	accounts   *account.Accounts

	seen     map[string]struct{}
	channels map[string]string // lead id -> channel, for leads with an opportunity
	leads    int64             // leads created by as-of (after the channel filter)
	filtered int64
	weeks    [Weeks]TrendPoint
	scoring  scoringAcc
	atRisk   []sla.Result
	results  []sla.Result // AddLead's scratch
	atRiskN  int64
	res      scoring.Result
}

// NewBuilder compiles the agreement and returns an empty builder.
func NewBuilder(a Agreement, opt Options) (*Builder, error) {
	if opt.AsOf.IsZero() {
		return nil, errors.New("options: as-of is required")
	}
	if opt.Period == "" {
		opt.Period = leadkit.Month
	}
	switch opt.Period {
	case leadkit.Week, leadkit.Month, leadkit.Quarter:
	default:
		return nil, fmt.Errorf("options: period %q; use week, month or quarter", opt.Period)
	}
	if opt.MaxAtRisk <= 0 {
		opt.MaxAtRisk = 10
	}
	b := &Builder{a: a, opt: opt, loc: time.UTC, seen: map[string]struct{}{}, channels: map[string]string{}}
	last := opt.AsOf.Add(-time.Nanosecond)
	b.cur = span(opt.Period, last, b.loc)
	b.prv = span(opt.Period, b.cur.Start.Add(-time.Nanosecond), b.loc)
	b.trendLo = leadkit.Week.Start(last, b.loc).AddDate(0, 0, -7*(Weeks-1))
	b.weekEnd = leadkit.Week.Next(opt.AsOf, b.loc)
	for i := range b.weeks {
		w := span(leadkit.Week, b.trendLo.AddDate(0, 0, 7*i), b.loc)
		b.weeks[i].Week = w.Label
		b.weeks[i].Start = w.Start
	}

	analyzer, err := funnel.Compile(funnel.Definition{Funnel: a.Funnel, Segment: "source.channel", Cohort: leadkit.Month})
	if err != nil {
		return nil, fmt.Errorf("funnel: %w", err)
	}
	meter, err := kpi.Compile(kpi.Config{
		Period:      opt.Period,
		Dimensions:  []kpi.Dimension{kpi.ByChannel(), kpi.ByLandingPage()},
		Stages:      kpi.Stages{Ladder: a.Funnel.Ladder()}, // the funnel's own stages
		GrossMargin: a.Targets.GrossMargin,
	})
	if err != nil {
		return nil, fmt.Errorf("kpi: %w", err)
	}
	if b.checker, err = sla.Compile(a.SLA); err != nil {
		return nil, fmt.Errorf("sla: %w", err)
	}
	if b.scorer, err = scoring.Compile(a.Scoring); err != nil {
		return nil, fmt.Errorf("scoring model: %w", err)
	}
	if b.eval, err = b.scorer.NewEvaluation(opt.AsOf, scoring.EvalOptions{Thresholds: []float64{50, 75, 100, 125}}); err != nil {
		return nil, fmt.Errorf("scoring backtest: %w", err)
	}
	b.analysis = analyzer.NewAnalysis(opt.AsOf)
	b.scorecard = meter.NewScorecard(opt.AsOf)
	b.compliance = b.checker.NewCompliance(opt.AsOf)
	ad := a.Accounts
	ad.Leads = a.Scoring // one lead model for the page
	accScorer, err := account.Compile(ad)
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	b.accounts = accScorer.NewAccounts(opt.AsOf)
	b.scoring.init()
	return b, nil
}

// Span is one period: [Start, End) with its label ("2025-Q4").
type Span struct {
	Label string    `json:"label"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

func span(p leadkit.Period, t time.Time, loc *time.Location) Span {
	return Span{Label: p.Label(t, loc), Start: p.Start(t, loc), End: p.Next(t, loc)}
}

func (b *Builder) keep(channel string) bool {
	return b.opt.Channel == "" || channel == b.opt.Channel
}

// AddLead adds one lead to every analysis. It returns an error for a
// nil lead, a lead id seen before, or a lead an analysis refuses.
func (b *Builder) AddLead(l *lead.Lead) error {
	if l == nil {
		return errors.New("nil lead")
	}
	// A duplicated lead would be counted twice by every section.
	if _, dup := b.seen[l.ID]; dup {
		return fmt.Errorf("lead %q: duplicate id", l.ID)
	}
	// Clone what is kept: a lead decoded by lead.Lines shares one copy
	// of its JSON line among its strings, and keeping the id would keep
	// the whole line alive.
	b.seen[strings.Clone(l.ID)] = struct{}{}
	if !b.keep(string(l.Source.Channel)) {
		b.filtered++
		return nil
	}
	if err := b.analysis.Add(l); err != nil {
		return fmt.Errorf("funnel: %w", err)
	}
	if err := b.scorecard.AddLead(l); err != nil {
		return fmt.Errorf("kpi: %w", err)
	}
	// Judged once: the statistics, and every per-lead result for the
	// at-risk list below. Leads created after as-of give none.
	results, err := b.compliance.AddResults(b.results[:0], l, nil)
	if err != nil {
		return fmt.Errorf("sla: %w", err)
	}
	b.results = results
	if _, ok := l.EnteredAt(lead.StageOpportunity); ok {
		b.channels[strings.Clone(l.ID)] = strings.Clone(string(l.Source.Channel))
	}
	asOf := b.opt.AsOf
	if l.CreatedAt.After(asOf) {
		if err := b.accounts.Add(l); err != nil { // counted as skipped
			return fmt.Errorf("accounts: %w", err)
		}
		return nil
	}
	b.leads++
	b.trend(l)
	scored, err := b.scoreLead(l)
	if err != nil {
		return err
	}
	// Account scoring uses the same lead model: give it the score.
	if scored {
		err = b.accounts.AddScored(l, &b.res)
	} else {
		err = b.accounts.Add(l) // reports the rule that failed
	}
	if err != nil {
		return fmt.Errorf("accounts: %w", err)
	}
	// Every visible lead's results are looked at: a paused clock, or a
	// follow-up started by a reply, can stay open for any length of time.
	// At risk, or pending with a deadline before the week ends: a rep
	// can still keep the promise this week.
	due := func(r *sla.Result) bool {
		return r.Status == sla.StatusAtRisk || (r.Status == sla.StatusPending && r.Deadline.Before(b.weekEnd))
	}
	if !slices.ContainsFunc(results, func(r sla.Result) bool { return due(&r) }) {
		return nil
	}
	// A lead on the list is checked again for its audit trail: rare,
	// and the list shows how each deadline was reached.
	withTrails, err := b.checker.Check(l, asOf)
	if err != nil {
		return fmt.Errorf("sla: %w", err)
	}
	for i := range withTrails {
		if r := &withTrails[i]; due(r) {
			b.atRiskN++
			b.atRisk = append(b.atRisk, *r)
			if len(b.atRisk) > 2*b.opt.MaxAtRisk {
				b.trimAtRisk()
			}
		}
	}
	return nil
}

// trimAtRisk keeps the MaxAtRisk most urgent: earliest deadline first.
func (b *Builder) trimAtRisk() {
	slices.SortFunc(b.atRisk, func(x, y sla.Result) int {
		return cmp.Or(x.Deadline.Compare(y.Deadline), cmp.Compare(x.LeadID, y.LeadID), cmp.Compare(x.Policy, y.Policy))
	})
	b.atRisk = b.atRisk[:min(len(b.atRisk), b.opt.MaxAtRisk)]
}

// trend counts the lead in the weekly series: created, and entering
// MQL, SQL and customer (the first entry), in the week each happened,
// by as-of.
func (b *Builder) trend(l *lead.Lead) {
	week := func(t time.Time) int {
		if t.Before(b.trendLo) || t.After(b.opt.AsOf) {
			return -1
		}
		return int(t.Sub(b.trendLo) / (7 * 24 * time.Hour))
	}
	if i := week(l.CreatedAt); i >= 0 && i < Weeks {
		b.weeks[i].Leads++
	}
	for _, s := range []struct {
		stage lead.Stage
		n     func(*TrendPoint) *int64
	}{
		{lead.StageMQL, func(p *TrendPoint) *int64 { return &p.MQLs }},
		{lead.StageSQL, func(p *TrendPoint) *int64 { return &p.SQLs }},
		{lead.StageCustomer, func(p *TrendPoint) *int64 { return &p.Won }},
	} {
		if at, ok := l.EnteredAt(s.stage); ok {
			if i := week(at); i >= 0 && i < Weeks {
				*s.n(&b.weeks[i])++
			}
		}
	}
}

// AddDeal adds a deal, keyed with its lead's channel. Add the leads
// first.
func (b *Builder) AddDeal(d *kpi.Deal) error {
	if d == nil {
		return errors.New("nil deal")
	}
	ch, ok := b.channels[d.LeadID]
	if !b.keep(ch) {
		return nil
	}
	deal := *d // a copy: Keys is set on it, not on the host's record
	if ok {
		deal.Keys = map[string]string{"channel": ch}
	}
	if err := b.scorecard.AddDeal(&deal); err != nil {
		return fmt.Errorf("kpi: deal %q: %w", d.ID, err)
	}
	return nil
}

// AddCustomer adds a customer record; with a channel filter it is left
// out, as a customer has no channel.
func (b *Builder) AddCustomer(c *kpi.Customer) error {
	if c == nil {
		return errors.New("nil customer")
	}
	if b.opt.Channel != "" {
		return nil
	}
	if err := b.scorecard.AddCustomer(c); err != nil {
		return fmt.Errorf("kpi: customer %q: %w", c.ID, err)
	}
	return nil
}

// AddSpend adds a spend record.
func (b *Builder) AddSpend(s *kpi.Spend) error {
	if s == nil {
		return errors.New("nil spend")
	}
	if !b.keep(s.Channel) {
		return nil
	}
	if err := b.scorecard.AddSpend(s); err != nil {
		return fmt.Errorf("kpi: %w", err)
	}
	return nil
}

// AddVisits adds a visits record.
func (b *Builder) AddVisits(v *kpi.Visits) error {
	if v == nil {
		return errors.New("nil visits")
	}
	if !b.keep(v.Channel) {
		return nil
	}
	if err := b.scorecard.AddVisits(v); err != nil {
		return fmt.Errorf("kpi: %w", err)
	}
	return nil
}

// AddData adds every record of d, leads first.
func (b *Builder) AddData(d Data) error {
	for i := range d.Leads {
		if err := b.AddLead(&d.Leads[i]); err != nil {
			return err
		}
	}
	if err := lead.CheckUniqueIDs(len(d.Deals), func(i int) string { return d.Deals[i].ID }); err != nil {
		return fmt.Errorf("deals: %w", err)
	}
	for i := range d.Deals {
		if err := b.AddDeal(&d.Deals[i]); err != nil {
			return err
		}
	}
	for i := range d.Customers {
		if err := b.AddCustomer(&d.Customers[i]); err != nil {
			return err
		}
	}
	for i := range d.Spend {
		if err := b.AddSpend(&d.Spend[i]); err != nil {
			return err
		}
	}
	for i := range d.Visits {
		if err := b.AddVisits(&d.Visits[i]); err != nil {
			return err
		}
	}
	return nil
}

// Build computes the report of d in one call.
func Build(a Agreement, d Data, opt Options) (*Report, error) {
	b, err := NewBuilder(a, opt)
	if err != nil {
		return nil, err
	}
	if err := b.AddData(d); err != nil {
		return nil, err
	}
	return b.Report()
}

// Report computes the report from what was added. Every section is made
// as of the same instant from the same leads.
func (b *Builder) Report() (*Report, error) {
	r := &Report{
		Agreement: b.a.Name, AsOf: b.opt.AsOf, Period: b.cur, Previous: b.prv, Unit: b.opt.Period,
		Channel: b.opt.Channel, Leads: b.leads,
	}
	var err error
	if r.Funnel.Report, err = b.analysis.Report(); err != nil {
		return nil, fmt.Errorf("funnel: %w", err)
	}
	kr, err := b.scorecard.Report()
	if err != nil {
		return nil, fmt.Errorf("kpi: %w", err)
	}
	if r.SLA.Report, err = b.compliance.Report(); err != nil {
		return nil, fmt.Errorf("sla: %w", err)
	}
	b.trimAtRisk()
	r.SLA.AtRisk, r.SLA.AtRiskCount = slices.Clone(b.atRisk), b.atRiskN
	r.KPIs = kr
	cur, prv := row(kr, b.cur.Label, "", ""), row(kr, b.prv.Label, "", "")
	r.Headline = headline(cur, prv, b.targets(b.opt.Period, b.cur.Start, b.cur.End))
	r.Trends = Trends{Points: slices.Clone(b.weeks[:])}
	if t := b.a.Targets.MQLs; t > 0 {
		r.Trends.MQLTarget = kpi.NewRatio(decimal.NewFromInt(t), decimal.NewFromInt(13))
	}
	for _, seg := range r.Funnel.Report.Segments {
		c := row(kr, b.cur.Label, "channel", seg.Key)
		r.Channels = append(r.Channels, ChannelRow{
			Channel: seg.Key, Leads: c.Leads, MQLs: c.MQLs, SQLs: c.SQLs, Won: c.NewCustomers,
			Spend: c.Spend, CostPerLead: c.CostPerLead, CAC: c.CustomerAcquisitionCost,
			LeadToMQL:      kpi.RatioOf(c.MQLs, c.Leads),
			LeadToCustomer: seg.Conversion,
		})
	}
	r.Web = web(kr)
	ar, err := b.accounts.Report()
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	r.Accounts = AccountsSection{Leads: ar.Leads, Unkeyed: ar.Unkeyed, Accounts: ar.Accounts, Stages: ar.Stages, Gaps: ar.Gaps, Top: ar.Top[:min(5, len(ar.Top))]}
	if err := b.scoring.report(&r.Scoring, b.scorer, b.eval); err != nil {
		return nil, err
	}
	b.plan(&r.Plan, r.Funnel.Report, kr)
	return r, nil
}

// GapMinVisits is the least number of visits a landing page needs, over
// every period, to be judged a content gap: fewer, and its traffic→lead
// rate says little.
const GapMinVisits = 200

// web builds the website section from the scorecard's totals per period
// and its landing-page rows.
func web(kr kpi.Report) WebSection {
	w := WebSection{GapMinVisits: GapMinVisits}
	for _, r := range kr.Rows {
		if r.Dimension != "" || r.Period == kpi.AllPeriods {
			continue
		}
		w.Periods = append(w.Periods, WebPeriod{
			Period: r.Period, Visits: r.Visits, Traffic: r.Web.Traffic,
			OrganicShare: r.Web.OrganicShare, PaidShare: r.Web.PaidShare,
			BounceRate: r.Web.BounceRate, EngagedSeconds: r.Web.AverageEngagementTime,
		})
	}
	for _, r := range kr.ContentGaps(kpi.AllPeriods, "landing_page", GapMinVisits) {
		if len(w.Gaps) == 5 {
			break
		}
		w.Gaps = append(w.Gaps, PageRow{Page: r.Segment, Visits: r.Visits, Leads: r.Leads,
			TrafficToLead: r.TrafficToLead, BounceRate: r.Web.BounceRate})
	}
	return w
}

// row returns a period's totals (dimension "") or one segment's row.
func row(kr kpi.Report, period, dimension, segment string) kpi.Row {
	for _, r := range kr.Rows {
		if r.Period == period && r.Dimension == dimension && r.Segment == segment {
			return r
		}
	}
	return kpi.Row{Period: period, Dimension: dimension, Segment: segment}
}

// targets scales the quarter's targets to a period: a week is 1/13 of a
// quarter and a month 1/3; a period still running is pro-rated to the
// as-of by calendar time.
func (b *Builder) targets(p leadkit.Period, start, end time.Time) periodTargets {
	t := b.a.Targets
	share := kpi.RatioOf(1, 1)
	switch p {
	case leadkit.Week:
		share = kpi.RatioOf(1, 13)
	case leadkit.Month:
		share = kpi.RatioOf(1, 3)
	}
	if b.opt.AsOf.Before(end) {
		share = kpi.NewRatio(share.Num.Mul(decimal.NewFromInt(int64(b.opt.AsOf.Sub(start)/time.Second))),
			share.Den.Mul(decimal.NewFromInt(int64(end.Sub(start)/time.Second))))
	}
	count := func(n int64) *kpi.Ratio {
		if n == 0 {
			return nil
		}
		r := kpi.NewRatio(share.Num.Mul(decimal.NewFromInt(n)), share.Den)
		return &r
	}
	money := func(d decimal.Decimal) *kpi.Ratio {
		if d.IsZero() {
			return nil
		}
		r := kpi.NewRatio(share.Num.Mul(d), share.Den)
		return &r
	}
	fixed := func(d decimal.Decimal) *kpi.Ratio {
		if d.IsZero() {
			return nil
		}
		r := kpi.NewRatio(d, decimal.NewFromInt(1))
		return &r
	}
	return periodTargets{
		"leads": count(t.Leads), "mqls": count(t.MQLs), "sqls": count(t.SQLs), "customers": count(t.Customers),
		"revenue": money(t.Revenue), "cost_per_lead": fixed(t.CostPerLead), "cac": fixed(t.CAC),
		"mql_to_sql": fixed(t.MQLToSQL), "win_rate": fixed(t.WinRate),
	}
}

type periodTargets map[string]*kpi.Ratio

func (b *Builder) plan(p *PlanSection, fr funnel.Report, kr kpi.Report) {
	total := row(kr, kpi.AllPeriods, "", "")
	ads, err := total.AverageDealSize.Value(2)
	if err != nil {
		p.Error = "no won deals yet: the plan needs an average deal size"
		return
	}
	cpl, err := total.CostPerLead.Value(2)
	if err != nil {
		cpl = decimal.Zero
	}
	// The plan runs to the end of the period holding the as-of: the
	// period's share of the quarter's revenue target, less what was won
	// in it so far.
	deadline, err := funnel.Deadline(b.opt.Period, b.opt.AsOf, b.loc)
	if err != nil {
		p.Error = err.Error()
		return
	}
	q := span(b.opt.Period, b.opt.AsOf, b.loc)
	var won decimal.Decimal
	for _, r := range kr.Rows {
		if r.Dimension == "" && r.Period == q.Label {
			won = r.Revenue
		}
	}
	target := b.a.Targets.Revenue
	switch b.opt.Period {
	case leadkit.Week:
		target = target.Div(decimal.NewFromInt(13)).Round(2)
	case leadkit.Month:
		target = target.Div(decimal.NewFromInt(3)).Round(2)
	}
	revenue := target.Sub(won)
	if revenue.IsNegative() {
		revenue = decimal.Zero
	}
	p.Period, p.Target, p.WonSoFar = q, target, won
	rates, from := b.cohortRates(fr)
	p.RatesFrom = from
	// Leads in a sales stage now are work in progress that counts
	// towards the target. Leads still at the first stage are not: most
	// of them never go further, which the rates already say.
	inProgress := funnel.InProgressFrom(fr.Overall)
	delete(inProgress, b.a.Funnel.Stages[0].Name)
	p.Goal = funnel.Goal{
		Revenue:         revenue,
		AverageDealSize: ads,
		Rates:           rates,
		InProgress:      inProgress,
		CostPerLead:     cpl,
		Deadline:        deadline,
		StageTimes:      funnel.StageTimesFrom(fr.Overall),
	}
	req, err := funnel.Plan(b.a.Funnel, p.Goal)
	if err != nil {
		p.Error = err.Error()
		return
	}
	p.Requirements = req
}

// PlanWindow is how old a monthly cohort must be for the plan to take its
// conversion rates: old enough that its leads have finished (the sample's
// lead-to-customer path takes about three months).
const PlanWindow = 180 * 24 * time.Hour

// cohortRates returns the conversion rates of the monthly cohorts that
// started at least PlanWindow before as-of, and says so. A recent cohort
// still has leads in every stage, and counting them as lost makes the
// plan pessimistic. Without such cohorts it falls back to the rates of
// the leads whose outcome is known at each stage.
func (b *Builder) cohortRates(fr funnel.Report) (map[lead.Stage]kpi.Ratio, string) {
	cut := b.opt.AsOf.Add(-PlanWindow)
	n := len(b.a.Funnel.Stages)
	reached, converted := make([]int64, n), make([]int64, n)
	used := 0
	for _, c := range fr.Cohorts {
		start, err := time.ParseInLocation("2006-01", c.Key, b.loc)
		if err != nil || start.After(cut) || len(c.Stages) != n {
			continue
		}
		used++
		for i, st := range c.Stages {
			reached[i] += st.Reached
			converted[i] += st.Converted
		}
	}
	if used == 0 {
		return funnel.DecidedRatesFrom(fr.Overall), "the leads whose outcome at each stage is known " +
			"(no monthly cohort is " + days(PlanWindow) + " old yet)"
	}
	m := make(map[lead.Stage]kpi.Ratio, n-1)
	for i := 0; i < n-1; i++ {
		m[b.a.Funnel.Stages[i].Name] = kpi.RatioOf(converted[i], reached[i])
	}
	return m, fmt.Sprintf("the %d monthly cohorts that started by %s (at least %s old, so finished)",
		used, cut.Format(time.DateOnly), days(PlanWindow))
}

func days(d time.Duration) string { return fmt.Sprintf("%d days", d/(24*time.Hour)) }
