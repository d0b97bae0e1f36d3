package kpi

import (
	"cmp"
	"slices"
	"time"

	"github.com/leadkit/leadkit/internal/money"
	"github.com/shopspring/decimal"
)

// The web formulas: what marketing's website numbers mean. Each takes
// counts of sessions (one per visit, as analytics tools count them, not
// unique visitors) and returns an exact [Ratio], undefined when there are
// no sessions.

// BounceRate returns bounces / sessions: the share of sessions that left
// without engaging.
//
// Variant: GA4's, the default: a bounce is a session that was not
// engaged (it lasted under 10 seconds, had no key event and viewed one
// page), so bounces = sessions − engaged sessions and the bounce rate is
// 1 − [EngagementRate]; this is what a scorecard reports, over the
// sessions whose engagement was measured ([Visits.Engagement]).
// Universal Analytics' bounce, a single-page session however long, gives
// a higher rate for the same traffic; pass single-page sessions as
// bounces for that variant, and do not mix the two in one report. Zero
// sessions gives an undefined ratio. Source: Google Analytics 4 help,
// "Engagement rate and bounce rate" (bounce rate = 1 − engagement rate),
// and Universal Analytics' bounce rate definition (single-page sessions /
// all sessions).
func BounceRate(bounces, sessions int64) Ratio {
	return RatioOf(bounces, sessions)
}

// EngagementRate returns engaged sessions / sessions, GA4's engagement
// rate.
//
// Variant: GA4's engaged session (10 seconds or more, a key event, or two
// or more page views), over the sessions whose engagement was measured.
// It is at most 1 and the complement of GA4's [BounceRate]. Zero sessions
// gives an undefined ratio. Source: Google Analytics 4 help, "Engagement
// rate and bounce rate".
func EngagementRate(engaged, sessions int64) Ratio {
	return RatioOf(engaged, sessions)
}

// AverageEngagementTime returns the total engagement time, in seconds,
// over the sessions: the average engaged time per session, in seconds.
//
// Variant: per session, not per user (GA4's "average engagement time per
// session"; its "average engagement time" is per active user), with every
// measured session in the denominator, bounced ones included (their
// seconds count too). Engagement time is time with the page in the
// foreground, not the time between the first and last hit (UA's "average
// session duration", which counts a bounce as 0 s). Zero sessions gives
// an undefined ratio. Convert a time.Duration d to seconds exactly with
// [Seconds]. Source: Google Analytics 4 help, "[GA4] Engagement time"
// (userEngagementDuration / sessions).
func AverageEngagementTime(seconds decimal.Decimal, sessions int64) Ratio {
	return Ratio{Num: seconds, Den: decimal.NewFromInt(sessions)}
}

// Seconds returns d in seconds, exactly (to the nanosecond), with no
// more decimal places than d needs (whole seconds, as analytics exports
// give them, have none, which keeps a scorecard's sums on their fast
// path).
func Seconds(d time.Duration) decimal.Decimal {
	switch {
	case d%time.Second == 0:
		return decimal.New(int64(d/time.Second), 0)
	case d%(100*time.Microsecond) == 0:
		return decimal.New(int64(d/(100*time.Microsecond)), -4)
	}
	return decimal.New(int64(d), -9)
}

// OrganicTrafficShare returns organic sessions / all sessions: the share
// of the site's traffic that unpaid search brings.
//
// Variant: organic search only ([MediumOrganic]); organic social is
// [MediumSocial] and not counted. The denominator is every session of the
// period and segment, whatever its medium, including sessions of unknown
// medium. Zero sessions gives an undefined ratio. Source: GA4's default
// channel grouping ("Organic Search" sessions / total sessions).
func OrganicTrafficShare(organic, sessions int64) Ratio {
	return RatioOf(organic, sessions)
}

// PaidTrafficShare returns paid sessions / all sessions: the share of the
// site's traffic that was bought.
//
// Variant: every paid medium ([MediumPaid]: paid search, paid social,
// display), over every session including those of unknown medium; the
// organic and paid shares add up to at most 1. Zero sessions gives an
// undefined ratio. Source: GA4's default channel grouping ("Paid Search",
// "Paid Social", "Display", "Paid Other" sessions / total sessions).
func PaidTrafficShare(paid, sessions int64) Ratio {
	return RatioOf(paid, sessions)
}

// LandingPageConversionRate returns leads / sessions of one landing page:
// traffic→lead per landing page, the figure that shows a content team
// which pages bring visits but few leads.
//
// Variant: the leads whose [lead.Source] LandingPage is the page (the page
// they converted on, as the host records it) over the sessions that
// started on the page, in the same period. A lead that converts on a
// later page of its session counts for that page, so a page's rate can
// exceed 1 in a small period; it is [TrafficToLeadRatio] restricted to a
// page, which a scorecard reports in its [ByLandingPage] rows. Zero
// sessions gives an undefined ratio, even when the page has leads.
// Source: HubSpot's landing page conversion rate (form submissions /
// landing page views).
func LandingPageConversionRate(leads, sessions int64) Ratio {
	return RatioOf(leads, sessions)
}

// Traffic counts sessions by traffic medium ([Medium]); Other counts
// the sessions whose medium the analytics export did not give. The fields
// add up to the row's Visits.
type Traffic struct {
	Organic  int64 `json:"organic"`
	Paid     int64 `json:"paid"`
	Referral int64 `json:"referral"`
	Email    int64 `json:"email"`
	Social   int64 `json:"social"`
	Direct   int64 `json:"direct"`
	Other    int64 `json:"other"`
}

// Web holds a row's website figures, from its [Visits] rows.
type Web struct {
	// Traffic is the row's sessions by medium.
	Traffic Traffic `json:"traffic"`
	// MeasuredSessions counts the sessions whose engagement was measured
	// (rows with an [Engagement]); EngagedSessions those of them that
	// were engaged and Bounces the others.
	MeasuredSessions int64 `json:"measured_sessions"`
	EngagedSessions  int64 `json:"engaged_sessions"`
	Bounces          int64 `json:"bounces"`
	// EngagementSeconds is the total engagement time of the measured
	// sessions, in seconds.
	EngagementSeconds decimal.Decimal `json:"engagement_seconds"`
	// EngagementRate is EngagedSessions / MeasuredSessions
	// ([EngagementRate]); BounceRate is Bounces / MeasuredSessions
	// ([BounceRate], GA4's variant).
	EngagementRate Ratio `json:"engagement_rate"`
	BounceRate     Ratio `json:"bounce_rate"`
	// AverageEngagementTime is EngagementSeconds / MeasuredSessions
	// ([AverageEngagementTime]), in seconds per session.
	AverageEngagementTime Ratio `json:"average_engagement_time_seconds"`
	// OrganicShare and PaidShare are Traffic.Organic and Traffic.Paid
	// over the row's Visits ([OrganicTrafficShare],
	// [PaidTrafficShare]).
	OrganicShare Ratio `json:"organic_share"`
	PaidShare    Ratio `json:"paid_share"`
}

// webOf computes the web figures of a cell.
func webOf(c *cell) Web {
	w := Web{
		Traffic: Traffic{Organic: c.media[0], Paid: c.media[1], Referral: c.media[2], Email: c.media[3],
			Social: c.media[4], Direct: c.media[5]},
		MeasuredSessions:  c.measured,
		EngagedSessions:   c.engaged,
		Bounces:           c.measured - c.engaged,
		EngagementSeconds: c.engagedTime.value(),
	}
	// Each medium count is at most visits (checked on decode and kept by
	// Add and Merge), so the subtraction cannot overflow.
	w.Traffic.Other = c.visits
	for _, n := range c.media {
		w.Traffic.Other -= n
	}
	w.EngagementRate = EngagementRate(w.EngagedSessions, w.MeasuredSessions)
	w.BounceRate = BounceRate(w.Bounces, w.MeasuredSessions)
	w.AverageEngagementTime = AverageEngagementTime(w.EngagementSeconds, w.MeasuredSessions)
	w.OrganicShare = OrganicTrafficShare(w.Traffic.Organic, c.visits)
	w.PaidShare = PaidTrafficShare(w.Traffic.Paid, c.visits)
	return w
}

// ContentGaps returns the rows of one period (a period label, or
// [AllPeriods]) and dimension (typically [ByLandingPage]'s
// "landing_page") that had at least minVisits sessions, the pages that
// bring visits but few leads first: sorted by TrafficToLead ascending,
// then by Visits descending, then by segment. Rows with fewer than
// minVisits sessions (and so every row without sessions, whose
// traffic→lead is undefined, when minVisits is at least 1) are left out;
// a minVisits below 1 counts as 1. The rows are copies; r is unchanged.
func (r Report) ContentGaps(period, dimension string, minVisits int64) []Row {
	minVisits = max(minVisits, 1)
	var out []Row
	for i := range r.Rows {
		row := &r.Rows[i]
		if row.Period == period && row.Dimension == dimension && row.Dimension != "" && row.Visits >= minVisits {
			out = append(out, *row)
		}
	}
	slices.SortStableFunc(out, func(a, b Row) int {
		// a.Leads/a.Visits vs b.Leads/b.Visits, both denominators
		// positive: compare a.Leads × b.Visits with b.Leads × a.Visits.
		x := decimal.NewFromInt(a.Leads).Mul(decimal.NewFromInt(b.Visits))
		y := decimal.NewFromInt(b.Leads).Mul(decimal.NewFromInt(a.Visits))
		return cmp.Or(x.Cmp(y), cmp.Compare(b.Visits, a.Visits), cmp.Compare(a.Segment, b.Segment))
	})
	return out
}

// secondsSum is an exact sum of non-negative durations, in seconds: the
// nanoseconds in an int64 while they fit (no allocation per row), the
// overflow in a decimal sum. Its value does not depend on the order of
// the additions.
type secondsSum struct {
	ns   int64
	rest money.Sum
}

// add adds d, which must not be negative.
func (s *secondsSum) add(d time.Duration) {
	t := s.ns + int64(d)
	if t < s.ns { // overflow: move what was summed into the decimal part
		s.rest.Add(Seconds(time.Duration(s.ns)))
		t = int64(d)
	}
	s.ns = t
}

// merge adds o to s.
func (s *secondsSum) merge(o secondsSum) {
	s.add(time.Duration(o.ns))
	s.rest.Merge(o.rest)
}

// value returns the sum in seconds.
func (s secondsSum) value() decimal.Decimal {
	v := s.rest.Value()
	if s.ns != 0 {
		v = v.Add(Seconds(time.Duration(s.ns)))
	}
	return v
}
