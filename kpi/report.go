package kpi

import (
	"cmp"
	"math/bits"
	"slices"
	"time"

	"github.com/leadkit/leadkit/internal/stats"
	"github.com/shopspring/decimal"
)

// Report is a scorecard's report: one row per period and segment, plus
// one row per segment over all periods.
type Report struct {
	Granularity Granularity `json:"granularity"`
	Zone        string      `json:"zone"`
	// Rows are sorted by period (the all-periods rows last), then
	// dimension (totals first, then in the scorecard's order), then
	// segment key.
	Rows []Row `json:"rows"`
}

// AllPeriods is the Period of the rows that cover every period.
const AllPeriods = "all"

// Row holds every shared KPI of one period and segment. Counts and sums
// come first, then the KPIs computed from them; every rate is an exact
// [Ratio], undefined (printed "n/a") when its denominator is zero.
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

	Spend           decimal.Decimal `json:"spend"`
	Visits          int64           `json:"visits"`
	Leads           int64           `json:"leads"`
	MQLs            int64           `json:"mqls"`
	SQLs            int64           `json:"sqls"`
	LeadsWon        int64           `json:"leads_won"`
	Uncontacted     int64           `json:"uncontacted"`
	Opportunities   int64           `json:"opportunities"`
	Pipeline        decimal.Decimal `json:"pipeline"`
	Won             int64           `json:"won"`
	Lost            int64           `json:"lost"`
	NewCustomers    int64           `json:"new_customers"`
	Revenue         decimal.Decimal `json:"revenue"`
	RevenueNew      decimal.Decimal `json:"revenue_new"`
	RevenueExisting decimal.Decimal `json:"revenue_existing"`
	// Marketing is the pipeline (amounts of deals created in the period)
	// marketing sourced and influenced, when the scorecard was given
	// Config.MarketingPipeline; the two overlap and are never summed.
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
	// TrafficToLead is Leads / Visits ([TrafficToLeadRatio]).
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
	SalesCycle DurationSummary `json:"sales_cycle"`
	// TimeToPurchase summarizes lead-created-to-customer times of the
	// leads that became customers in the period ([AverageTimeToPurchase]).
	TimeToPurchase DurationSummary `json:"time_to_purchase"`
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
	// ([CACPaybackMonths]), in periods of the report's granularity
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
// across any number of merged scorecards, give the identical report.
func (s *Scorecard) Report() Report {
	g := s.Granularity
	if g == "" {
		g = Month
	}
	zone := s.Zone
	if zone == "" {
		zone = "UTC"
	}
	unit := s.DurationUnit
	if unit == 0 {
		unit = time.Hour
	}
	margin := s.GrossMargin
	if margin.IsZero() {
		margin = decimal.NewFromInt(1)
	}
	dimPos := make(map[string]int, len(s.Dimensions))
	for i, name := range s.Dimensions {
		dimPos[name] = i + 1
	}
	cells := slices.Clone(s.Cells)
	slices.SortFunc(cells, func(a, b *Cell) int {
		return cmp.Or(
			cmp.Compare(dimPos[a.Dimension], dimPos[b.Dimension]),
			cmp.Compare(a.Segment, b.Segment),
			cmp.Compare(a.Period, b.Period))
	})
	type rowAt struct {
		period int64
		all    bool
		dim    int
		row    Row
	}
	var rows []rowAt
	// Walk each segment's cells in period order, carrying the customer
	// count forward, and total them into an all-periods row.
	for i := 0; i < len(cells); {
		j := i
		for j < len(cells) && cells[j].Dimension == cells[i].Dimension && cells[j].Segment == cells[i].Segment {
			j++
		}
		var customers int64
		var all Cell
		for _, c := range cells[i:j] {
			r := makeRow(c, customers, unit, margin)
			r.Period, r.Start = periodLabel(c.Period, g)
			customers = r.CustomersEnd
			rows = append(rows, rowAt{c.Period, false, dimPos[c.Dimension], r})
			all.merge(c)
		}
		all.Dimension, all.Segment = cells[i].Dimension, cells[i].Segment
		r := makeRow(&all, 0, unit, margin)
		r.Period = AllPeriods
		rows = append(rows, rowAt{0, true, dimPos[all.Dimension], r})
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
	out := Report{Granularity: g, Zone: zone, Rows: make([]Row, len(rows))}
	for i := range rows {
		out.Rows[i] = rows[i].row
	}
	return out
}

// makeRow computes the KPIs of one cell, with start customers at the
// start of its period.
func makeRow(c *Cell, start int64, unit time.Duration, margin decimal.Decimal) Row {
	r := Row{
		Dimension:       c.Dimension,
		Segment:         c.Segment,
		Spend:           c.Spend.Value(),
		Visits:          c.Visits,
		Leads:           c.Leads,
		MQLs:            c.MQLs,
		SQLs:            c.SQLs,
		LeadsWon:        c.LeadsWon,
		Uncontacted:     c.Uncontacted,
		Opportunities:   c.Opportunities,
		Pipeline:        c.Pipeline.Value(),
		Won:             c.Won,
		Lost:            c.Lost,
		NewCustomers:    c.NewCustomers,
		Revenue:         c.Revenue.Value(),
		RevenueNew:      c.RevenueNew.Value(),
		CustomersStart:  start,
		CustomersGained: c.CustomersGained,
		CustomersLost:   c.CustomersLost,
	}
	r.RevenueExisting = r.Revenue.Sub(r.RevenueNew)
	r.Marketing = MarketingPipeline{Sourced: c.Sourced.Value(), Influenced: c.Influenced.Value(),
		SourcedDeals: c.SourcedDeals, InfluencedDeals: c.InfluencedDeals}
	r.CustomersEnd = start + c.CustomersGained - c.CustomersLost

	r.CostPerLead = CostPerLead(r.Spend, r.Leads)
	r.CustomerAcquisitionCost = CustomerAcquisitionCost(r.Spend, r.NewCustomers)
	r.TrafficToLead = TrafficToLeadRatio(r.Leads, r.Visits)
	r.MQLToSQL = MQLToSQLRate(r.SQLs, r.MQLs)
	r.LeadToCustomerCohort = ConversionRate(c.CohortWon, r.Leads)
	r.LeadToCustomerPeriod = PeriodLeadToCustomerRate(r.LeadsWon, r.Leads)
	r.WinRate = WinRate(r.Won, r.Lost)
	r.AverageDealSize = AverageDealSize(r.Revenue, r.Won)
	r.SalesCycle = summarizeHist(c.Cycle, unit)
	r.TimeToPurchase = summarizeHist(c.TimeToPurchase, unit)
	r.ResponseTime = ResponseTime{Contacted: summarizeHist(c.Response, unit), Uncontacted: c.Uncontacted}
	r.Retention = RetentionRate(start, r.CustomersEnd, r.CustomersGained)
	r.Churn = ChurnRate(r.CustomersLost, start)
	r.ARPA = Ratio{Num: r.Revenue, Den: decimal.NewFromInt(r.CustomersEnd)}
	r.LifetimeValue = ratioMul(ratioMul(r.ARPA, Ratio{Num: margin, Den: decimal.NewFromInt(1)}), invert(r.Churn))
	r.LTVToCAC = LTVToCAC(r.LifetimeValue, r.CustomerAcquisitionCost)
	r.CACPayback = ratioDiv(r.CustomerAcquisitionCost, ratioMul(r.ARPA, Ratio{Num: margin, Den: decimal.NewFromInt(1)}))
	r.ROI = ReturnOnInvestment(r.Revenue, r.Spend)
	r.ROAS = ReturnOnAdSpend(r.Revenue, r.Spend)
	r.PipelineVelocity = PipelineVelocity(r.Opportunities, r.WinRate, r.AverageDealSize, r.SalesCycle.Mean)
	r.LeadValue = LeadValue(r.AverageDealSize, r.LeadToCustomerCohort)
	return r
}

// invert returns 1 / r, undefined when r is undefined or zero.
func invert(r Ratio) Ratio {
	return ratioDiv(Ratio{Num: decimal.NewFromInt(1), Den: decimal.NewFromInt(1)}, r)
}

// summarizeHist returns the summary of the durations in histogram h
// (value in unit steps -> count, counts positive). It gives exactly
// summarize of the expanded values without expanding them: the median's
// two neighbouring ranks are found by walking the sorted values, and the
// interpolation between them is internal/stats.Percentile's.
func summarizeHist(h map[int64]int64, unit time.Duration) DurationSummary {
	if len(h) == 0 {
		return DurationSummary{}
	}
	keys := make([]int64, 0, len(h))
	var n int64
	for v, c := range h {
		keys = append(keys, v)
		n += c
	}
	slices.Sort(keys)
	// The median sits at rank (n−1)/2: between ranks lo and lo+1 with
	// weight 0 or 1/2.
	lo := (n - 1) / 2
	frac := 0.0
	if (n-1)%2 == 1 {
		frac = 0.5
	}
	var xlo, xhi int64
	var seen int64
	sum, small := decimal.Zero, int64(0)
	foundLo, foundHi := false, false
	for _, v := range keys {
		c := h[v]
		if !foundLo && seen+c > lo {
			xlo, foundLo = v, true
		}
		if !foundHi && seen+c > lo+1 {
			xhi, foundHi = v, true
		}
		seen += c
		// v × c, exactly: int64 while it fits.
		if hi, prod := bits.Mul64(uint64(abs(v)), uint64(c)); hi == 0 && prod <= maxInt64 {
			p := int64(prod)
			if v < 0 {
				p = -p
			}
			if (p > 0 && small <= maxInt64-p) || (p <= 0 && small >= minInt64-p) {
				small += p
				continue
			}
		}
		sum = sum.Add(decimal.NewFromInt(v).Mul(decimal.NewFromInt(c)))
	}
	if !foundHi {
		xhi = xlo
	}
	med, _ := stats.Percentile([]int64{xlo, xhi}, frac)
	sum = sum.Add(decimal.NewFromInt(small))
	unitSec := decimal.NewFromInt(int64(unit / time.Second))
	return DurationSummary{
		Count:  n,
		Median: Ratio{Num: decimal.NewFromFloat(med).Mul(unitSec), Den: secPerDay},
		Mean:   Ratio{Num: sum.Mul(unitSec), Den: secPerDay.Mul(decimal.NewFromInt(n))},
	}
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
