package kpi

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/period"
	"github.com/shopspring/decimal"
)

// Report is a scorecard's report: one row per period and segment, plus
// one row per segment over all periods.
type Report struct {
	// Period and Zone are the definition's, defaults filled in.
	Period leadkit.Period `json:"period"`
	Zone   leadkit.Zone   `json:"zone"`
	// AsOf is the scorecard's as-of in UTC, nil when it has no cut.
	AsOf *time.Time `json:"as_of"`
	// Fingerprint is the definition's ([Meter.Fingerprint]).
	Fingerprint string `json:"fingerprint"`
	// Skipped counts the records left out because they lie after AsOf.
	Skipped Skipped `json:"skipped"`
	// Rows are sorted by period (the all-periods rows last), then
	// dimension (totals first, then in the definition's order), then
	// segment key.
	Rows []Row `json:"rows"`
}

// AllPeriods is the Period of the rows that cover every period.
const AllPeriods = "all"

// Row holds every shared KPI of one period and segment. Counts and sums
// come first, then the KPIs computed from them; every rate is an exact
// [Ratio], undefined (printed "n/a") when its denominator is zero.
//
// # The all-periods row
//
// In an [AllPeriods] row the counts and sums are totals over the
// segment's periods, from its first period to its last one, and
// CustomersStart and CustomersEnd are the customers at the start of the
// first and the end of the last. Its customer rates are per period,
// pooled over those periods (periods without records included), so that
// they are in the same unit as a period row's: Churn is the customers
// lost over the sum of the customers at the start of each period,
// Retention is 1 − Churn (Σ(CustomersEnd − CustomersGained) / Σ
// CustomersStart), ARPA is Revenue over the sum of the customers at the
// end of each period (revenue per account per period), and
// LifetimeValue, LTVToCAC and CACPayback follow from them as in a period
// row.
type Row struct {
	// Period is the period's label: "2026-03-02" (day), "2026-W10" (ISO
	// week), "2026-03" (month), "2026-Q1" (quarter), "2026" (year), or
	// [AllPeriods].
	Period string `json:"period"`
	// Start is the period's first day, empty for [AllPeriods].
	Start string `json:"start,omitempty"`
	// Dimension and Segment name the segment; both are empty for the
	// totals.
	Dimension string `json:"dimension,omitempty"`
	Segment   string `json:"segment,omitempty"`

	// Spend is the marketing spend dated in the period.
	Spend decimal.Decimal `json:"spend"`
	// Visits is the website sessions (visits) of the period.
	Visits int64 `json:"visits"`
	// Web holds the website figures: sessions by medium, bounce and
	// engagement rates, engaged time, organic and paid shares.
	Web Web `json:"web"`
	// Leads counts the leads created in the period; MQLs and SQLs those
	// of them that reached the MQL and SQL stages by as-of; LeadsWon the
	// leads that became customers in the period; Uncontacted the period's
	// leads without a sales touch by as-of.
	Leads       int64 `json:"leads"`
	MQLs        int64 `json:"mqls"`
	SQLs        int64 `json:"sqls"`
	LeadsWon    int64 `json:"leads_won"`
	Uncontacted int64 `json:"uncontacted"`
	// Opportunities counts the deals created in the period, Pipeline sums
	// their amounts; Won and Lost count the deals closed in the period,
	// NewCustomers the won deals with new customers; Revenue sums the won
	// deals' amounts, RevenueNew those with new customers, and
	// RevenueExisting is Revenue − RevenueNew.
	Opportunities   int64           `json:"opportunities"`
	Pipeline        decimal.Decimal `json:"pipeline"`
	Won             int64           `json:"won"`
	Lost            int64           `json:"lost"`
	NewCustomers    int64           `json:"new_customers"`
	Revenue         decimal.Decimal `json:"revenue"`
	RevenueNew      decimal.Decimal `json:"revenue_new"`
	RevenueExisting decimal.Decimal `json:"revenue_existing"`
	// Marketing is the pipeline (amounts of deals created in the period)
	// marketing sourced and influenced ([Deal.MarketingSourced]); the two
	// overlap and are never summed.
	Marketing MarketingPipeline `json:"marketing_pipeline"`
	// CustomersStart and CustomersEnd are the customers at the start and
	// end of the period (S and E); CustomersGained and CustomersLost the
	// customers who started and churned during it.
	CustomersStart  int64 `json:"customers_start"`
	CustomersEnd    int64 `json:"customers_end"`
	CustomersGained int64 `json:"customers_gained"`
	CustomersLost   int64 `json:"customers_lost"`

	// CostPerLead is Spend / Leads ([CostPerLead]).
	CostPerLead Ratio `json:"cost_per_lead"`
	// CustomerAcquisitionCost is Spend / NewCustomers
	// ([CustomerAcquisitionCost]; blended for the totals, the channel's
	// paid CAC in a channel segment whose deals are keyed).
	CustomerAcquisitionCost Ratio `json:"customer_acquisition_cost"`
	// TrafficToLead is Leads / Visits ([TrafficToLeadRatio]); in a
	// [ByLandingPage] row, the page's traffic→lead
	// ([LandingPageConversionRate]).
	TrafficToLead Ratio `json:"traffic_to_lead"`
	// MQLToSQL is SQLs / MQLs of the period's leads ([MQLToSQLRate]).
	MQLToSQL Ratio `json:"mql_to_sql"`
	// LeadToCustomerCohort is the share of the period's leads that became
	// customers within the cohort window ([CohortLeadToCustomerRate]).
	LeadToCustomerCohort Ratio `json:"lead_to_customer_cohort"`
	// LeadToCustomerPeriod is LeadsWon / Leads
	// ([PeriodLeadToCustomerRate]); it can exceed 1.
	LeadToCustomerPeriod Ratio `json:"lead_to_customer_period"`
	// WinRate is Won / (Won + Lost) of deals closed in the period.
	WinRate Ratio `json:"win_rate"`
	// AverageDealSize is Revenue / Won.
	AverageDealSize Ratio `json:"average_deal_size"`
	// SalesCycle summarizes created-to-won times of the deals won in the
	// period ([SalesCycleLength]).
	SalesCycle leadkit.DurationSummary `json:"sales_cycle"`
	// TimeToPurchase summarizes lead-created-to-customer times of the
	// leads that became customers in the period ([AverageTimeToPurchase]).
	TimeToPurchase leadkit.DurationSummary `json:"time_to_purchase"`
	// ResponseTime is the response time of the period's leads
	// ([LeadResponseTime]).
	ResponseTime ResponseTime `json:"response_time"`
	// Retention is (CustomersEnd − CustomersGained) / CustomersStart
	// ([RetentionRate]); Churn is CustomersLost / CustomersStart
	// ([ChurnRate]).
	Retention Ratio `json:"retention"`
	Churn     Ratio `json:"churn"`
	// ARPA is the average revenue per account: Revenue / CustomersEnd.
	ARPA Ratio `json:"arpa"`
	// LifetimeValue is ARPA × gross margin / Churn ([LifetimeValue]).
	LifetimeValue Ratio `json:"lifetime_value"`
	// LTVToCAC is LifetimeValue / CustomerAcquisitionCost.
	LTVToCAC Ratio `json:"ltv_to_cac"`
	// CACPayback is CustomerAcquisitionCost / (ARPA × gross margin)
	// ([CACPaybackMonths]), in periods of the report's period length
	// (months for a monthly report).
	CACPayback Ratio `json:"cac_payback_periods"`
	// ROI is (Revenue − Spend) / Spend; ROAS is Revenue / Spend.
	ROI  Ratio `json:"roi"`
	ROAS Ratio `json:"roas"`
	// PipelineVelocity is Opportunities × WinRate × AverageDealSize /
	// mean SalesCycle days ([PipelineVelocity]): revenue per day.
	PipelineVelocity Ratio `json:"pipeline_velocity"`
	// LeadValue is AverageDealSize × LeadToCustomerCohort ([LeadValue]).
	LeadValue Ratio `json:"lead_value"`
}

// Report computes every KPI per period and segment. It does not modify
// the scorecard and may run concurrently with other Report calls (but not
// with Add or Merge). The same records, added in any order and split
// across any number of merged scorecards, give the identical report. It
// returns an error for a nil or zero scorecard, and when a total over all
// periods would exceed 2^62.
func (s *Scorecard) Report() (Report, error) {
	if err := s.ready(); err != nil {
		return Report{}, err
	}
	m := s.m
	out := Report{Period: m.canon.Period, Zone: m.canon.Zone, Fingerprint: m.fingerprint, Skipped: s.skipped}
	if s.cut {
		t := s.asOf
		out.AsOf = &t
	}
	type keyed struct {
		k cellKey
		c *cell
	}
	cells := make([]keyed, 0, len(s.cells))
	for k, c := range s.cells {
		cells = append(cells, keyed{k, c})
	}
	slices.SortFunc(cells, func(a, b keyed) int {
		return cmp.Or(cmp.Compare(a.k.dim, b.k.dim), cmp.Compare(a.k.seg, b.k.seg), cmp.Compare(a.k.period, b.k.period))
	})
	type rowAt struct {
		period int64
		all    bool
		dim    int
		row    Row
	}
	rows := make([]rowAt, 0, len(cells)+len(cells)/4+1)
	// Walk each segment's cells in period order, carrying the customer
	// count forward, and total them into an all-periods row.
	for i := 0; i < len(cells); {
		j := i
		for j < len(cells) && cells[j].k.dim == cells[i].k.dim && cells[j].k.seg == cells[i].k.seg {
			j++
		}
		dim, seg := "", cells[i].k.seg
		if d := cells[i].k.dim; d > 0 {
			dim = m.dims[d-1].name
		}
		var customers int64
		var all cell
		var pool customerPool
		prev := int64(0)
		for n, kc := range cells[i:j] {
			if n > 0 {
				pool.gap(periodsBetween(m.unit, prev, kc.k.period), customers)
			}
			r := makeRow(kc.c, customers, m.margin)
			r.Dimension, r.Segment = dim, seg
			r.Period, r.Start = periodLabel(kc.k.period, m.unit)
			pool.period(r)
			customers = r.CustomersEnd
			rows = append(rows, rowAt{kc.k.period, false, kc.k.dim, r})
			if err := all.merge(kc.c); err != nil {
				return Report{}, fmt.Errorf("kpi: scorecard: report: %s/%s: %w", dim, seg, err)
			}
			prev = kc.k.period
		}
		r := makeRow(&all, 0, m.margin)
		r.Dimension, r.Segment = dim, seg
		r.Period = AllPeriods
		pool.apply(&r, m.margin)
		rows = append(rows, rowAt{0, true, cells[i].k.dim, r})
		i = j
	}
	slices.SortFunc(rows, func(a, b rowAt) int {
		if a.all != b.all {
			if a.all {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.period, b.period), cmp.Compare(a.dim, b.dim), cmp.Compare(a.row.Segment, b.row.Segment))
	})
	out.Rows = make([]Row, len(rows))
	for i := range rows {
		out.Rows[i] = rows[i].row
	}
	return out, nil
}

// periodsBetween returns the number of periods strictly between periods
// a < b.
func periodsBetween(u period.Unit, a, b int64) int64 {
	if u == period.Week {
		return (b-a)/7 - 1
	}
	return b - a - 1
}

// customerPool accumulates the per-period customer figures of a segment
// for its all-periods row: Σ CustomersStart, Σ CustomersEnd, Σ
// CustomersLost and Σ Revenue over every period of its span.
type customerPool struct {
	start, end, lost decimal.Decimal
}

// gap adds n periods without records, holding customers throughout.
func (p *customerPool) gap(n, customers int64) {
	if n <= 0 || customers == 0 {
		return
	}
	c := decimal.NewFromInt(customers).Mul(decimal.NewFromInt(n))
	p.start = p.start.Add(c)
	p.end = p.end.Add(c)
}

func (p *customerPool) period(r Row) {
	p.start = p.start.Add(decimal.NewFromInt(r.CustomersStart))
	p.end = p.end.Add(decimal.NewFromInt(r.CustomersEnd))
	p.lost = p.lost.Add(decimal.NewFromInt(r.CustomersLost))
}

// apply sets the all-periods row's customer rates from the pool.
func (p *customerPool) apply(r *Row, margin decimal.Decimal) {
	r.Churn = Ratio{Num: p.lost, Den: p.start}
	r.Retention = Ratio{Num: p.start.Sub(p.lost), Den: p.start}
	r.ARPA = Ratio{Num: r.Revenue, Den: p.end}
	customerRates(r, margin)
}

// makeRow computes the KPIs of one cell, with start customers at the
// start of its period.
func makeRow(c *cell, start int64, margin decimal.Decimal) Row {
	r := Row{
		Spend:           c.spend.Value(),
		Visits:          c.visits,
		Leads:           c.leads,
		MQLs:            c.mqls,
		SQLs:            c.sqls,
		LeadsWon:        c.leadsWon,
		Uncontacted:     c.uncontacted,
		Opportunities:   c.opportunities,
		Pipeline:        c.pipeline.Value(),
		Won:             c.won,
		Lost:            c.lost,
		NewCustomers:    c.newCustomers,
		Revenue:         c.revenue.Value(),
		RevenueNew:      c.revenueNew.Value(),
		CustomersStart:  start,
		CustomersGained: c.customersGained,
		CustomersLost:   c.customersLost,
	}
	r.RevenueExisting = r.Revenue.Sub(r.RevenueNew)
	r.Web = webOf(c)
	r.Marketing = MarketingPipeline{Sourced: c.sourced.Value(), Influenced: c.influenced.Value(),
		SourcedDeals: c.sourcedDeals, InfluencedDeals: c.influencedDeals}
	r.CustomersEnd = start + c.customersGained - c.customersLost

	r.CostPerLead = CostPerLead(r.Spend, r.Leads)
	r.CustomerAcquisitionCost = CustomerAcquisitionCost(r.Spend, r.NewCustomers)
	r.TrafficToLead = TrafficToLeadRatio(r.Leads, r.Visits)
	r.MQLToSQL = MQLToSQLRate(r.SQLs, r.MQLs)
	r.LeadToCustomerCohort = ConversionRate(c.cohortWon, r.Leads)
	r.LeadToCustomerPeriod = PeriodLeadToCustomerRate(r.LeadsWon, r.Leads)
	r.WinRate = WinRate(r.Won, r.Lost)
	r.AverageDealSize = AverageDealSize(r.Revenue, r.Won)
	r.SalesCycle = c.cycle.Summary()
	r.TimeToPurchase = c.purchase.Summary()
	r.ResponseTime = ResponseTime{Contacted: c.response.Summary(), Uncontacted: c.uncontacted}
	r.Retention = RetentionRate(start, r.CustomersEnd, r.CustomersGained)
	r.Churn = ChurnRate(r.CustomersLost, start)
	r.ARPA = Ratio{Num: r.Revenue, Den: decimal.NewFromInt(r.CustomersEnd)}
	customerRates(&r, margin)
	r.ROI = ReturnOnInvestment(r.Revenue, r.Spend)
	r.ROAS = ReturnOnAdSpend(r.Revenue, r.Spend)
	r.PipelineVelocity = PipelineVelocity(r.Opportunities, r.WinRate, r.AverageDealSize, days(r.SalesCycle.Mean))
	r.LeadValue = LeadValue(r.AverageDealSize, r.LeadToCustomerCohort)
	return r
}

// customerRates sets LifetimeValue, LTVToCAC and CACPayback from ARPA,
// Churn and CustomerAcquisitionCost.
func customerRates(r *Row, margin decimal.Decimal) {
	m := Ratio{Num: margin, Den: decimal.NewFromInt(1)}
	r.LifetimeValue = ratioMul(ratioMul(r.ARPA, m), invert(r.Churn))
	r.LTVToCAC = LTVToCAC(r.LifetimeValue, r.CustomerAcquisitionCost)
	r.CACPayback = ratioDiv(r.CustomerAcquisitionCost, ratioMul(r.ARPA, m))
}

// days returns a duration in days as an exact ratio (nanoseconds over
// the nanoseconds of a day), undefined for nil.
func days(d *leadkit.Duration) Ratio {
	if d == nil {
		return Ratio{}
	}
	return Ratio{Num: decimal.NewFromInt(int64(*d)), Den: decimal.NewFromInt(int64(24 * time.Hour))}
}

// invert returns 1 / r, undefined when r is undefined or zero.
func invert(r Ratio) Ratio {
	return ratioDiv(Ratio{Num: decimal.NewFromInt(1), Den: decimal.NewFromInt(1)}, r)
}
