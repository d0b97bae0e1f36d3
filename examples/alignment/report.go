package alignment

import (
	"cmp"
	"fmt"
	"github.com/leadkit/leadkit/account"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/funnel"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
	"github.com/leadkit/leadkit/sla"
)

// Report is the meeting's page: one section per question the two teams
// ask each other. Its JSON has the top-level keys as_of, period,
// previous, headline, trends, funnel, channels, scoring, sla and plan
// (and agreement, unit, channel and leads).
type Report struct {
	Agreement string    `json:"agreement"`
	AsOf      time.Time `json:"as_of"`
	// Unit is the period length (week, month, quarter); Period the
	// period reported, to date, and Previous the one before it.
	Unit     leadkit.Period `json:"unit"`
	Period   Span           `json:"period"`
	Previous Span           `json:"previous"`
	// Channel is the channel filter; empty for all channels.
	Channel string `json:"channel,omitempty"`
	// Leads counts the leads created by as-of (of the channel).
	Leads int64 `json:"leads"`

	Headline []Metric        `json:"headline"`
	Trends   Trends          `json:"trends"`
	Funnel   FunnelSection   `json:"funnel"`
	Channels []ChannelRow    `json:"channels"`
	Web      WebSection      `json:"web"`
	Accounts AccountsSection `json:"accounts"`
	Scoring  ScoringSection  `json:"scoring"`
	SLA      SLASection      `json:"sla"`
	Plan     PlanSection     `json:"plan"`
	// KPIs is the scorecard behind the headline and the channels: every
	// KPI per period and channel. It is left out of the JSON, which
	// carries the figures the page shows; a host that wants them all
	// encodes it on its own.
	KPIs kpi.Report `json:"-"`
}

// Unit kinds of a [Metric].
const (
	UnitCount = "count"
	UnitMoney = "money"
	UnitRate  = "rate"
	UnitDays  = "days"
	UnitHours = "hours"
)

// Metric is one headline figure: the period's value to date, the
// previous period's, the target (scaled to the period to date; nil when
// none was agreed) and the change from the previous period.
type Metric struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	// Unit is count, money, rate, days or hours (elapsed).
	Unit     string     `json:"unit"`
	Current  kpi.Ratio  `json:"current"`
	Previous kpi.Ratio  `json:"previous"`
	Target   *kpi.Ratio `json:"target,omitempty"`
	// Change is (Current − Previous) / Previous, undefined when either
	// is or Previous is zero.
	Change kpi.Ratio `json:"change"`
	// HigherIsBetter says which way the figure should move.
	HigherIsBetter bool `json:"higher_is_better"`
}

// Trends is the weekly series of the last [Weeks] weeks up to as-of.
type Trends struct {
	Points []TrendPoint `json:"points"`
	// MQLTarget is the agreed MQL volume per week (the quarter's / 13);
	// undefined when none was agreed.
	MQLTarget kpi.Ratio `json:"mql_target"`
}

// TrendPoint is one week: leads created, and leads entering MQL, SQL and
// customer (for the first time) in it, by as-of.
type TrendPoint struct {
	Week  string    `json:"week"`
	Start time.Time `json:"start"`
	Leads int64     `json:"leads"`
	MQLs  int64     `json:"mqls"`
	SQLs  int64     `json:"sqls"`
	Won   int64     `json:"won"`
}

// FunnelSection is the funnel overall and by channel, every cohort.
type FunnelSection struct {
	Report funnel.Report `json:"report"`
}

// ChannelRow is one channel: the period's volumes and costs, and the
// funnel's lead-to-customer rate over every cohort.
type ChannelRow struct {
	Channel        string          `json:"channel"`
	Leads          int64           `json:"leads"`
	MQLs           int64           `json:"mqls"`
	SQLs           int64           `json:"sqls"`
	Won            int64           `json:"won"`
	Spend          decimal.Decimal `json:"spend"`
	CostPerLead    kpi.Ratio       `json:"cost_per_lead"`
	CAC            kpi.Ratio       `json:"cac"`
	LeadToMQL      kpi.Ratio       `json:"lead_to_mql"`
	LeadToCustomer kpi.Ratio       `json:"lead_to_customer"`
}

// WebSection is marketing's website numbers: traffic by medium per
// period, and the landing pages that bring visits but few leads.
type WebSection struct {
	// Periods has one row per period of the scorecard, oldest first.
	Periods []WebPeriod `json:"periods"`
	// Gaps lists the landing pages with at least GapMinVisits visits
	// over every period, lowest traffic→lead first (at most five).
	Gaps         []PageRow `json:"gaps"`
	GapMinVisits int64     `json:"gap_min_visits"`
}

// WebPeriod is one period's traffic: sessions by medium, the organic and
// paid shares, the bounce rate and the average engaged time in seconds.
type WebPeriod struct {
	Period         string      `json:"period"`
	Visits         int64       `json:"visits"`
	Traffic        kpi.Traffic `json:"traffic"`
	OrganicShare   kpi.Ratio   `json:"organic_share"`
	PaidShare      kpi.Ratio   `json:"paid_share"`
	BounceRate     kpi.Ratio   `json:"bounce_rate"`
	EngagedSeconds kpi.Ratio   `json:"average_engagement_seconds"`
}

// PageRow is one landing page over every period.
type PageRow struct {
	Page          string    `json:"page"`
	Visits        int64     `json:"visits"`
	Leads         int64     `json:"leads"`
	TrafficToLead kpi.Ratio `json:"traffic_to_lead"`
	BounceRate    kpi.Ratio `json:"bounce_rate"`
}

// AccountsSection is account scoring: the best accounts with the leads
// and rules behind them, and the buying-group personas most often not
// engaged.
type AccountsSection struct {
	// Leads counts the leads that belong to an account, Unkeyed those
	// without one (no company domain, work email or name).
	Leads    int64           `json:"leads"`
	Unkeyed  int64           `json:"unkeyed"`
	Accounts int64           `json:"accounts"`
	Stages   []account.Count `json:"stages"`
	Gaps     []account.Gap   `json:"gaps"`
	Top      []account.Score `json:"top"`
}

// SLASection is the compliance report with the leads a rep can still
// save: at risk, or pending with a deadline before the as-of's week
// ends, most urgent first.
type SLASection struct {
	Report      sla.Report   `json:"report"`
	AtRisk      []sla.Result `json:"at_risk"`
	AtRiskCount int64        `json:"at_risk_count"`
}

// ScoringSection says how the shared scoring model sees the leads.
type ScoringSection struct {
	Model       string   `json:"model"`
	Fingerprint string   `json:"fingerprint"`
	Warnings    []string `json:"warnings,omitempty"`
	// Distribution counts the leads per band of 10 points of total
	// score ("40-50").
	Distribution []Count `json:"distribution"`
	// Grades: per fit grade, how many leads and how many became
	// customers. If the grades mean anything, A converts best.
	Grades []GradeRow `json:"grades"`
	// Qualified counts the leads per qualification stage the model gives.
	Qualified []Count `json:"qualified"`
	// Blockers counts, over the leads that miss a qualification stage,
	// each unmet criterion of that stage ("mql: engaged"), most frequent
	// first: what most often keeps leads from qualifying.
	Blockers []Count `json:"blockers"`
	// Personas counts the leads per persona.
	Personas []Count `json:"personas"`
	// Disagreement compares the model's MQL verdict with the lifecycle:
	// leads the model qualifies that never became MQL, and MQLs the
	// model does not qualify.
	ModelMQLNeverMQL int64 `json:"model_mql_never_mql"`
	MQLNotModelMQL   int64 `json:"mql_not_model_mql"`
	// Hottest lists the best open leads nobody in sales has touched yet,
	// with the explanation a rep reads.
	Hottest []scoring.Result `json:"hottest"`
	Errors  int64            `json:"errors"`
	// Backtest scores every lead that became an MQL (marketing's
	// qualification, before sales accepts it at SAL) and whose outcome
	// is known by as-of, as of its MQL entry, and checks the total score
	// against whether it became a customer.
	Backtest scoring.EvaluationReport `json:"backtest"`
}

// GradeRow is one fit grade.
type GradeRow struct {
	Grade      string    `json:"grade"`
	Leads      int64     `json:"leads"`
	Customers  int64     `json:"customers"`
	Conversion kpi.Ratio `json:"conversion"`
}

// Count is a labelled count.
type Count struct {
	Key   string `json:"key"`
	Count int64  `json:"count"`
}

// PlanSection runs the funnel backwards from the period's revenue
// target to the period's end.
type PlanSection struct {
	// Period is the period the plan runs to the end of: the one holding
	// as-of. Target is its share of the quarter's revenue target and
	// WonSoFar the revenue won in it by as-of.
	Period   Span            `json:"period"`
	Target   decimal.Decimal `json:"target"`
	WonSoFar decimal.Decimal `json:"won_so_far"`
	// RatesFrom says which leads the conversion rates come from.
	RatesFrom    string               `json:"rates_from"`
	Goal         funnel.Goal          `json:"goal"`
	Requirements *funnel.Requirements `json:"requirements"`
	Error        string               `json:"error,omitempty"`
}

func headline(cur, prv kpi.Row, t periodTargets) []Metric {
	n := func(v int64) kpi.Ratio { return kpi.RatioOf(v, 1) }
	d := func(v decimal.Decimal) kpi.Ratio { return kpi.NewRatio(v, decimal.NewFromInt(1)) }
	dur := func(s leadkit.DurationSummary, unit time.Duration) kpi.Ratio {
		if s.Median == nil {
			return kpi.Ratio{}
		}
		return kpi.NewRatio(decimal.NewFromInt(int64(*s.Median)), decimal.NewFromInt(int64(unit)))
	}
	day := 24 * time.Hour
	ms := []Metric{
		{Key: "leads", Label: "Leads", Unit: UnitCount, Current: n(cur.Leads), Previous: n(prv.Leads), HigherIsBetter: true},
		{Key: "mqls", Label: "MQLs", Unit: UnitCount, Current: n(cur.MQLs), Previous: n(prv.MQLs), HigherIsBetter: true},
		{Key: "sqls", Label: "SQLs", Unit: UnitCount, Current: n(cur.SQLs), Previous: n(prv.SQLs), HigherIsBetter: true},
		{Key: "customers", Label: "New customers", Unit: UnitCount, Current: n(cur.NewCustomers), Previous: n(prv.NewCustomers), HigherIsBetter: true},
		{Key: "revenue", Label: "Revenue", Unit: UnitMoney, Current: d(cur.Revenue), Previous: d(prv.Revenue), HigherIsBetter: true},
		{Key: "cost_per_lead", Label: "Cost per lead", Unit: UnitMoney, Current: cur.CostPerLead, Previous: prv.CostPerLead},
		{Key: "cac", Label: "CAC", Unit: UnitMoney, Current: cur.CustomerAcquisitionCost, Previous: prv.CustomerAcquisitionCost},
		{Key: "mql_to_sql", Label: "MQL to SQL", Unit: UnitRate, Current: cur.MQLToSQL, Previous: prv.MQLToSQL, HigherIsBetter: true},
		{Key: "win_rate", Label: "Win rate", Unit: UnitRate, Current: cur.WinRate, Previous: prv.WinRate, HigherIsBetter: true},
		{Key: "cycle", Label: "Sales cycle (median)", Unit: UnitDays, Current: dur(cur.SalesCycle, day), Previous: dur(prv.SalesCycle, day)},
		{Key: "first_response", Label: "First response (median)", Unit: UnitHours,
			Current: dur(cur.ResponseTime.Contacted, time.Hour), Previous: dur(prv.ResponseTime.Contacted, time.Hour)},
	}
	for i := range ms {
		m := &ms[i]
		m.Target = t[m.Key]
		m.Change = change(m.Current, m.Previous)
	}
	return ms
}

// change returns (a − b) / b, undefined when a or b is or b is zero.
func change(a, b kpi.Ratio) kpi.Ratio {
	if !a.Defined() || !b.Defined() || b.Num.IsZero() {
		return kpi.Ratio{}
	}
	// a/b − 1 over exact fractions: (aN·bD − bN·aD) / (aD·bN).
	return kpi.NewRatio(a.Num.Mul(b.Den).Sub(b.Num.Mul(a.Den)), a.Den.Mul(b.Num))
}

// scoringAcc gathers the scoring section one lead at a time.
type scoringAcc struct {
	grades      map[string]*GradeRow
	qualified   map[string]int64
	blockers    map[string]int64
	personas    map[string]int64
	bands       map[int64]int64
	modelNotMQL int64
	mqlNotModel int64
	hottest     []scoring.Result
	errors      int64
}

func (s *scoringAcc) init() {
	s.grades, s.qualified, s.blockers = map[string]*GradeRow{}, map[string]int64{}, map[string]int64{}
	s.personas, s.bands = map[string]int64{}, map[int64]int64{}
}

// maxHottest is the length of the hottest-leads list.
const maxHottest = 3

// scoreLead scores l into b.res and counts it; it reports whether b.res
// holds l's score (false when a rule failed for it).
func (b *Builder) scoreLead(l *lead.Lead) (bool, error) {
	s, asOf := &b.scoring, b.opt.AsOf
	res := &b.res
	if err := b.scorer.ScoreInto(res, l, asOf); err != nil {
		s.errors++
		return false, nil
	}
	g := s.grades[res.Grade]
	if g == nil {
		g = &GradeRow{Grade: res.Grade}
		s.grades[res.Grade] = g
	}
	g.Leads++
	stageNow := l.StageAt(asOf)
	customer := stageNow == lead.StageCustomer || stageNow == lead.StageEvangelist
	if customer {
		g.Customers++
	}
	s.bands[int64(math.Floor(res.Total/10))]++
	stage := string(res.Qualification.Stage)
	if stage == "" {
		stage = "(not qualified)"
	}
	s.qualified[stage]++
	if next := res.Qualification.Next; next != "" {
		for _, c := range res.Qualification.Unmet {
			s.blockers[string(next)+": "+c]++
		}
	}
	for _, p := range res.Personas {
		s.personas[p]++
	}
	modelMQL := res.Qualification.Stage != ""
	mqlAt, mql := l.EnteredAt(lead.StageMQL)
	mql = mql && !mqlAt.After(asOf)
	switch {
	case modelMQL && !mql:
		s.modelNotMQL++
	case mql && !modelMQL:
		s.mqlNotModel++
	}
	if modelMQL && !touched(l, asOf) && !stageNow.IsExit() && !customer {
		s.offerHot(res)
	}
	// The backtest: what did the score say at MQL, and what happened?
	if mql {
		won, isWon := l.EnteredAt(lead.StageCustomer)
		isWon = isWon && !won.After(asOf)
		if isWon || stageNow.IsExit() { // otherwise still being worked: outcome unknown
			if err := b.eval.Add(scoring.Outcome{Lead: l, DecidedAt: mqlAt, Converted: isWon}); err != nil {
				s.errors++
			}
		}
	}
	return true, nil
}

func hotCmp(a, b *scoring.Result) int {
	return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(a.LeadID, b.LeadID))
}

// offerHot keeps res (copied) if it is among the best maxHottest.
func (s *scoringAcc) offerHot(res *scoring.Result) {
	if len(s.hottest) == maxHottest && hotCmp(res, &s.hottest[maxHottest-1]) >= 0 {
		return
	}
	c := *res
	c.Personas = slices.Clone(res.Personas)
	c.Contributions = slices.Clone(res.Contributions)
	c.Qualification.Met = slices.Clone(res.Qualification.Met)
	c.Qualification.Unmet = slices.Clone(res.Qualification.Unmet)
	s.hottest = append(s.hottest, c)
	slices.SortFunc(s.hottest, func(a, b scoring.Result) int { return hotCmp(&a, &b) })
	s.hottest = s.hottest[:min(len(s.hottest), maxHottest)]
}

func (s *scoringAcc) report(out *ScoringSection, scorer *scoring.Scorer, eval *scoring.Evaluation) error {
	m := scorer.Model()
	out.Model = m.Name + " " + m.Version
	out.Fingerprint = scorer.Fingerprint()
	for _, w := range scorer.Warnings() {
		out.Warnings = append(out.Warnings, w.String())
	}
	for _, k := range slices.Sorted(maps.Keys(s.grades)) {
		g := *s.grades[k]
		g.Conversion = kpi.RatioOf(g.Customers, g.Leads)
		out.Grades = append(out.Grades, g)
	}
	for _, k := range slices.Sorted(maps.Keys(s.bands)) {
		out.Distribution = append(out.Distribution, Count{fmt.Sprintf("%d-%d", k*10, k*10+10), s.bands[k]})
	}
	out.Qualified = counts(s.qualified)
	out.Blockers = counts(s.blockers)
	out.Personas = counts(s.personas)
	out.ModelMQLNeverMQL, out.MQLNotModelMQL = s.modelNotMQL, s.mqlNotModel
	out.Hottest = slices.Clone(s.hottest)
	out.Errors = s.errors
	var err error
	if out.Backtest, err = eval.Report(); err != nil {
		out.Errors++
	}
	return nil
}

// touched reports whether a rep touched the lead at or before asOf.
func touched(l *lead.Lead, asOf time.Time) bool {
	for _, a := range l.Activities {
		if a.IsSalesTouch() && !a.At.After(asOf) {
			return true
		}
	}
	return false
}

func counts(m map[string]int64) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{k, v})
	}
	slices.SortFunc(out, func(a, b Count) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key)) })
	return out
}
