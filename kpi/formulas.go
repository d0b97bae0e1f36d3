package kpi

import (
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/hist"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// The formulas below are the shared definitions marketing and sales agree
// on. Each returns an exact [Ratio] (or an exact sum) and never divides by
// zero: a zero denominator gives an undefined Ratio, which prints "n/a"
// and whose Value returns [ErrUndefined].

var decZero = decimal.Zero

// CostPerLead returns spend / leads: what marketing paid for each new
// lead in a period.
//
// Variant: all marketing spend of the period over all leads created in the
// period (for one channel, that channel's spend over its leads). Zero
// leads gives an undefined ratio. Source: the standard cost-per-lead
// definition used by HubSpot and Salesforce marketing reports (total
// campaign cost / leads generated).
func CostPerLead(spend decimal.Decimal, leads int64) Ratio {
	return Ratio{Num: spend, Den: decimal.NewFromInt(leads)}
}

// CustomerAcquisitionCost returns the blended customer acquisition cost:
// all sales and marketing cost / new customers acquired in the period.
//
// Variant: blended (fully loaded): the cost includes paid media, salaries,
// tools and overhead of both teams, and the denominator counts every new
// paying customer, whatever channel it came from. Leads or sign-ups are
// not customers; use [CostPerLead] for those. Zero new customers gives an
// undefined ratio. Source: the common SaaS definition (e.g. HubSpot's and
// Salesforce's CAC guides: total sales and marketing spend / new
// customers); see [PaidCustomerAcquisitionCost] for the paid variant.
func CustomerAcquisitionCost(salesAndMarketingCost decimal.Decimal, newCustomers int64) Ratio {
	return Ratio{Num: salesAndMarketingCost, Den: decimal.NewFromInt(newCustomers)}
}

// PaidCustomerAcquisitionCost returns the paid customer acquisition cost:
// paid acquisition spend / new customers attributed to paid channels.
//
// Variant: paid only; both the numerator and the denominator are
// restricted to paid channels (or to one channel or campaign), so it
// measures channel efficiency rather than the cost of the whole
// go-to-market. Zero paid customers gives an undefined ratio. Source: the
// paid-versus-blended CAC distinction of SaaS finance guides.
func PaidCustomerAcquisitionCost(paidSpend decimal.Decimal, paidNewCustomers int64) Ratio {
	return Ratio{Num: paidSpend, Den: decimal.NewFromInt(paidNewCustomers)}
}

// TrafficToLeadRatio returns leads / visits: the share of website visits
// that produced a lead.
//
// Variant: visits, not unique visitors, as the denominator, both counted
// in the same period (and channel). Zero visits gives an undefined ratio.
// Source: HubSpot's visitor-to-lead conversion rate.
func TrafficToLeadRatio(leads, visits int64) Ratio {
	return RatioOf(leads, visits)
}

// ConversionRate returns converted / total: the share of a population that
// reached the next step (visits to leads, leads to opportunities, ...).
//
// Variant: both counts must describe the same population, so the rate is
// at most 1 when converted is a subset of total. Zero total gives an
// undefined ratio. Source: the general definition of a funnel conversion
// rate.
func ConversionRate(converted, total int64) Ratio {
	return RatioOf(converted, total)
}

// CohortLeadToCustomerRate returns, of the given leads (typically those
// created in one period), the share that became customers within window
// of their creation: leads that entered [lead.StageCustomer] at most
// window after CreatedAt / all leads given.
//
// Variant: cohort rate, at most 1. A lead that became a customer before
// its CreatedAt (bad data) counts as converted at once. A cohort younger
// than window is not mature yet and its rate can still rise. No leads
// gives an undefined ratio. Source: cohort conversion as used in
// marketing-funnel analysis (e.g. Forrester/SiriusDecisions waterfall
// conversion); see [PeriodLeadToCustomerRate] for the period variant.
func CohortLeadToCustomerRate(leads []lead.Lead, window time.Duration) Ratio {
	var won int64
	for i := range leads {
		if at, ok := leads[i].EnteredAt(lead.StageCustomer); ok && at.Sub(leads[i].CreatedAt) <= window {
			won++
		}
	}
	return RatioOf(won, int64(len(leads)))
}

// PeriodLeadToCustomerRate returns wins / leads, where wins are the leads
// that became customers in a period and leads are the leads created in
// the same period.
//
// Variant: period rate. The wins need not come from the period's leads,
// so the rate can exceed 1 (100%) in a period with few new leads; it
// measures throughput, not the fate of a cohort (for that, see
// [CohortLeadToCustomerRate]). Zero leads gives an undefined ratio, even
// when there are wins. Source: HubSpot's lead-to-customer rate as reported
// per period.
func PeriodLeadToCustomerRate(wins, leads int64) Ratio {
	return RatioOf(wins, leads)
}

// MQLToSQLRate returns sqls / mqls: of the leads that reached the
// marketing-qualified stage, the share that sales qualified.
//
// Variant: cohort counts (the SQLs counted must be among the MQLs
// counted), so the rate is at most 1. Zero MQLs gives an undefined ratio.
// Source: the MQL-to-SQL conversion rate of the SiriusDecisions demand
// waterfall.
func MQLToSQLRate(sqls, mqls int64) Ratio {
	return RatioOf(sqls, mqls)
}

// WinRate returns won / (won + lost): the share of closed deals that were
// won.
//
// Variant: closed deals only; open deals are excluded, so stale open
// deals do not dilute the rate. Zero closed deals gives an undefined
// ratio. Source: Salesforce's and HubSpot's closed-won rate.
func WinRate(won, lost int64) Ratio {
	return RatioOf(won, won+lost)
}

// AverageDealSize returns revenue / won: the mean value of a won deal.
//
// Variant: won deals only (lost deals have no booked value; open deals
// only an expected one). Zero won deals gives an undefined ratio. Source:
// Salesforce's average deal size (total closed-won revenue / number of
// closed-won deals).
func AverageDealSize(revenue decimal.Decimal, won int64) Ratio {
	return Ratio{Num: revenue, Den: decimal.NewFromInt(won)}
}

// summarize returns the summary of durations: exact up to 128 of them,
// from a histogram with a relative error of 0.5% beyond that (see
// [leadkit.DurationSummary]), the same summary a scorecard reports.
func summarize(durations []time.Duration) leadkit.DurationSummary {
	var h hist.Durations
	for _, d := range durations {
		h.Add(d)
	}
	return h.Summary()
}

// SalesCycleLength returns the median and mean time from a deal's
// creation to its close, over won deals: ClosedAt − CreatedAt.
//
// Variant: won deals only (lost deals close for other reasons; open deals
// have no end), measured from the opportunity's creation. Durations are
// taken to the nanosecond; the summary is exact up to 128 deals and
// within 0.5% beyond ([leadkit.DurationSummary]). Won deals without a close time or closed before
// they were created are left out. No won deals gives an undefined median
// and mean. Source: Salesforce's and HubSpot's sales cycle length
// (average days from opportunity created to closed-won); the median is
// reported as well because a few very long deals skew the mean.
func SalesCycleLength(deals []Deal) leadkit.DurationSummary {
	var ds []time.Duration
	for i := range deals {
		d := &deals[i]
		if d.Status != DealWon || d.ClosedAt.IsZero() || d.ClosedAt.Before(d.CreatedAt) {
			continue
		}
		ds = append(ds, d.ClosedAt.Sub(d.CreatedAt))
	}
	return summarize(ds)
}

// AverageTimeToPurchase returns the median and mean time from a lead's
// creation to the moment it became a customer (first entry into
// [lead.StageCustomer]), over the leads that did.
//
// Variant: measured from the lead's CreatedAt (its first recorded
// interaction with marketing), not from the opportunity's creation (that
// is [SalesCycleLength]). Leads that never became customers, or whose
// customer entry precedes CreatedAt, are left out. No such leads gives an
// undefined median and mean. Source: "time to purchase" / "time to
// close" as defined in HubSpot's lifecycle reports.
func AverageTimeToPurchase(leads []lead.Lead) leadkit.DurationSummary {
	var ds []time.Duration
	for i := range leads {
		at, ok := leads[i].EnteredAt(lead.StageCustomer)
		if !ok || at.Before(leads[i].CreatedAt) {
			continue
		}
		ds = append(ds, at.Sub(leads[i].CreatedAt))
	}
	return summarize(ds)
}

// ResponseTime is the lead response time of a set of leads.
type ResponseTime struct {
	// Contacted summarizes, over the leads that had a sales touch, the
	// time from creation to the first one.
	Contacted leadkit.DurationSummary `json:"contacted"`
	// Uncontacted counts the leads that had no sales touch at all. They
	// are reported here and never counted as a zero response time.
	Uncontacted int64 `json:"uncontacted"`
}

// firstTouch returns the earliest sales touch (an activity with an Actor)
// at or after the lead's creation.
func firstTouch(l *lead.Lead) (time.Time, bool) {
	var first time.Time
	found := false
	for i := range l.Activities {
		a := &l.Activities[i]
		if a.Actor == "" || a.At.Before(l.CreatedAt) {
			continue
		}
		if !found || a.At.Before(first) {
			first, found = a.At, true
		}
	}
	return first, found
}

// LeadResponseTime returns how fast sales first touched new leads: for
// each lead, the time from CreatedAt to its earliest sales touch (an
// activity with an Actor, see [lead.Activity.IsSalesTouch]) at or after
// CreatedAt. The median is the headline figure.
//
// Variant: first touch of any kind by any rep; touches dated before the
// lead's creation are ignored. Leads never contacted are counted in
// Uncontacted, not as zeros, so they cannot flatter the median. No
// contacted leads gives an undefined median and mean. Source: the lead
// response time of the MIT/InsideSales.com lead response management study
// and of SLA practice (time to first sales contact).
func LeadResponseTime(leads []lead.Lead) ResponseTime {
	var ds []time.Duration
	var rt ResponseTime
	for i := range leads {
		at, ok := firstTouch(&leads[i])
		if !ok {
			rt.Uncontacted++
			continue
		}
		ds = append(ds, at.Sub(leads[i].CreatedAt))
	}
	rt.Contacted = summarize(ds)
	return rt
}

// RetentionRate returns the customer retention rate (E − N) / S, where S
// is the number of customers at the start of the period, E at its end and
// N the new customers acquired during it.
//
// Variant: counts of customers (logo retention), not revenue. A customer
// acquired and lost within the same period lowers the rate, as the
// formula implies. Zero customers at the start gives an undefined ratio.
// Source: the standard customer retention rate formula ((E − N) / S) ×
// 100, as given by HubSpot and in CRM textbooks.
func RetentionRate(start, end, acquired int64) Ratio {
	return RatioOf(end-acquired, start)
}

// ChurnRate returns lost / start: the customers lost during a period over
// the customers at its start.
//
// Variant: logo churn over the starting base. With lost = S + N − E it is
// exactly 1 − [RetentionRate]. Zero customers at the start gives an
// undefined ratio. Source: the standard customer churn rate definition
// (customers lost / customers at start of period).
func ChurnRate(lost, start int64) Ratio {
	return RatioOf(lost, start)
}

// LifetimeValue returns the customer lifetime value ARPA × grossMargin /
// churn, where arpa is the average revenue per account per period,
// grossMargin a fraction (0.8 for 80%; 1 for a revenue-based LTV) and
// churn the churn rate per period of the same length.
//
// Variant: the simple undiscounted SaaS formula, expected lifetime = 1 /
// churn periods. Churn of zero would mean an infinite lifetime: the result
// is then undefined, never a huge number and never 0; the same holds when
// churn itself is undefined. Source: the margin-adjusted LTV of SaaS
// finance (ARPA × gross margin % / churn %), as in David Skok's "SaaS
// Metrics 2.0".
func LifetimeValue(arpa, grossMargin decimal.Decimal, churn Ratio) Ratio {
	if !churn.Defined() || churn.Num.IsZero() {
		return Ratio{}
	}
	// ARPA × m / (c.Num / c.Den) = ARPA × m × c.Den / c.Num.
	return Ratio{Num: arpa.Mul(grossMargin).Mul(churn.Den), Den: churn.Num}
}

// LTVToCAC returns ltv / cac, the lifetime value of a customer over what
// it cost to acquire one. Either input undefined, or a CAC of zero, gives
// an undefined ratio. Source: SaaS unit economics (the 3:1 rule of thumb
// in David Skok's "SaaS Metrics 2.0").
func LTVToCAC(ltv, cac Ratio) Ratio {
	return ratioDiv(ltv, cac)
}

// CACPaybackMonths returns cac / (monthlyARPA × grossMargin): the months
// of gross profit from one customer needed to earn back its acquisition
// cost.
//
// Variant: gross-margin based, on monthly ARPA (pass ARPA of another
// period length to get the payback in those periods). An undefined CAC,
// zero ARPA or zero margin gives an undefined ratio. Source: SaaS finance
// guides (e.g. KeyBanc/Skok: CAC / (ARPA × gross margin %)).
func CACPaybackMonths(cac Ratio, monthlyARPA, grossMargin decimal.Decimal) Ratio {
	if !cac.Defined() {
		return Ratio{}
	}
	return Ratio{Num: cac.Num, Den: cac.Den.Mul(monthlyARPA).Mul(grossMargin)}
}

// ReturnOnInvestment returns (revenue − cost) / cost: the marketing return
// on investment, negative when the cost was not recovered.
//
// Variant: revenue-based marketing ROI (attributed revenue, not profit, in
// the numerator). Zero cost gives an undefined ratio. Source: the
// marketing ROI formula of HubSpot and Salesforce ((sales growth −
// marketing cost) / marketing cost).
func ReturnOnInvestment(revenue, cost decimal.Decimal) Ratio {
	return Ratio{Num: revenue.Sub(cost), Den: cost}
}

// ReturnOnAdSpend returns revenue / adSpend: revenue earned per unit of
// advertising spend (2.5 means 2.50 of revenue per 1.00 spent).
//
// Variant: gross revenue attributed to the ads over the ad spend alone (no
// other costs). Zero spend gives an undefined ratio. Source: Google Ads'
// and Salesforce's ROAS (revenue from ads / cost of ads).
func ReturnOnAdSpend(revenue, adSpend decimal.Decimal) Ratio {
	return Ratio{Num: revenue, Den: adSpend}
}

// PipelineVelocity returns opportunities × winRate × averageDealSize /
// cycleDays: the revenue the pipeline is expected to produce per day.
//
// Variant: cycleDays is the mean sales cycle in days ([SalesCycleLength]'s
// Mean divided by 24 hours), winRate the closed-deal win rate of
// [WinRate]. Any input undefined, or a cycle of zero days, gives an
// undefined ratio. Source: the sales velocity formula of Salesforce and
// HubSpot ((opportunities × deal value × win rate) / sales cycle length).
func PipelineVelocity(opportunities int64, winRate, averageDealSize, cycleDays Ratio) Ratio {
	if !winRate.Defined() || !averageDealSize.Defined() {
		return Ratio{}
	}
	n := decimal.NewFromInt(opportunities)
	return ratioDiv(Ratio{
		Num: n.Mul(winRate.Num).Mul(averageDealSize.Num),
		Den: winRate.Den.Mul(averageDealSize.Den),
	}, cycleDays)
}

// NewVsExistingRevenue returns the revenue of won deals split by customer
// type: deals with [Deal.NewCustomer] set (new business) and the others
// (expansion and renewal with existing customers). Open and lost deals are
// left out. The two figures are reported side by side; their sum is the
// total revenue. Source: the new-versus-existing revenue split of SaaS
// bookings reports.
func NewVsExistingRevenue(deals []Deal) (newCustomers, existing decimal.Decimal) {
	newCustomers, existing = decZero, decZero
	for i := range deals {
		d := &deals[i]
		if d.Status != DealWon {
			continue
		}
		if d.NewCustomer {
			newCustomers = newCustomers.Add(d.Amount)
		} else {
			existing = existing.Add(d.Amount)
		}
	}
	return newCustomers, existing
}

// LeadValue returns averageDealSize × leadToCustomerRate: what one new
// lead is worth in expected revenue, a ceiling for [CostPerLead].
//
// Variant: use the cohort rate ([CohortLeadToCustomerRate]) so the value
// of a lead is what a lead of that cohort became. Either input undefined
// gives an undefined ratio. Source: HubSpot's lead value (average sale ×
// lead-to-customer close rate).
func LeadValue(averageDealSize, leadToCustomerRate Ratio) Ratio {
	return ratioMul(averageDealSize, leadToCustomerRate)
}

// MarketingPipeline is the pipeline marketing can claim, in two figures
// that overlap and are never summed.
type MarketingPipeline struct {
	// Sourced is the amount of the deals whose lead marketing created
	// (first touch by marketing).
	Sourced decimal.Decimal `json:"sourced"`
	// Influenced is the amount of the deals marketing touched at any
	// point before they closed; it includes most sourced deals.
	Influenced decimal.Decimal `json:"influenced"`
	// SourcedDeals and InfluencedDeals count the deals in each figure.
	SourcedDeals    int64 `json:"sourced_deals"`
	InfluencedDeals int64 `json:"influenced_deals"`
}

// MarketingSourcedPipeline returns the amounts of the deals that marketing
// sourced and of those it influenced, as decided by the caller's sourced
// and influenced functions (typically from the lead's source and
// activities). Every deal counts, whatever its status; filter the slice
// for open pipeline only. The two figures overlap: a deal can be both,
// and they are never added up. A nil function counts no deals. Source:
// the sourced-versus-influenced pipeline distinction of B2B marketing
// attribution (Salesforce campaign influence, HubSpot attribution).
func MarketingSourcedPipeline(deals []Deal, sourced, influenced func(*Deal) bool) MarketingPipeline {
	p := MarketingPipeline{Sourced: decZero, Influenced: decZero}
	for i := range deals {
		d := &deals[i]
		if sourced != nil && sourced(d) {
			p.Sourced = p.Sourced.Add(d.Amount)
			p.SourcedDeals++
		}
		if influenced != nil && influenced(d) {
			p.Influenced = p.Influenced.Add(d.Amount)
			p.InfluencedDeals++
		}
	}
	return p
}

// ratioMul returns a × b, undefined when either is.
func ratioMul(a, b Ratio) Ratio {
	if !a.Defined() || !b.Defined() {
		return Ratio{}
	}
	return Ratio{Num: a.Num.Mul(b.Num), Den: a.Den.Mul(b.Den)}
}

// ratioDiv returns a / b, undefined when either is or when b is zero.
func ratioDiv(a, b Ratio) Ratio {
	if !a.Defined() || !b.Defined() || b.Num.IsZero() {
		return Ratio{}
	}
	num, den := a.Num.Mul(b.Den), a.Den.Mul(b.Num)
	if den.IsNegative() {
		num, den = num.Neg(), den.Neg()
	}
	return Ratio{Num: num, Den: den}
}
