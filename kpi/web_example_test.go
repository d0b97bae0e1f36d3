package kpi_test

import (
	"fmt"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

// A scorecard with the landing page as a dimension reports the web
// figures of each page, and ContentGaps lists the pages that bring
// sessions but few leads.
func ExampleReport_ContentGaps() {
	m := kpi.MustCompile(kpi.Config{Dimensions: []kpi.Dimension{kpi.ByLandingPage()}})
	s := m.NewScorecard(time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC))
	day := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	for _, v := range []kpi.Visits{
		{At: day, Medium: kpi.MediumOrganic, LandingPage: "/blog/funnel-metrics", Count: 2000,
			Engagement: &kpi.Engagement{Sessions: 1300, Time: leadkit.Duration(40 * time.Hour)}},
		{At: day, Medium: kpi.MediumPaid, LandingPage: "/lp/demo", Count: 500,
			Engagement: &kpi.Engagement{Sessions: 200, Time: leadkit.Duration(3 * time.Hour)}},
	} {
		if err := s.AddVisits(&v); err != nil {
			fmt.Println(err)
		}
	}
	for i, page := range []string{"/blog/funnel-metrics", "/blog/funnel-metrics", "/lp/demo", "/lp/demo", "/lp/demo"} {
		l := lead.Lead{ID: fmt.Sprint(i), CreatedAt: day.Add(time.Hour), Source: lead.Source{LandingPage: page}}
		if err := s.AddLead(&l); err != nil {
			fmt.Println(err)
		}
	}
	rep, err := s.Report()
	if err != nil {
		fmt.Println(err)
		return
	}
	total := rep.Rows[0] // January, all pages
	// 2000/2500 organic, 500/2500 paid; 1000 bounces of 2500 measured;
	// 40 h + 3 h = 154800 s / 2500 = 61.92 s.
	fmt.Printf("sessions %d: organic %.0f%%, paid %.0f%%, bounce rate %.1f%%, %.1f s engaged per session\n",
		total.Visits, mustPercent(total.Web.OrganicShare), mustPercent(total.Web.PaidShare),
		mustPercent(total.Web.BounceRate), total.Web.AverageEngagementTime)
	for _, r := range rep.ContentGaps("2026-01", "landing_page", 100) {
		fmt.Printf("%-22s %5d sessions %d leads: %.2f%% (bounce %.0f%%)\n", r.Segment, r.Visits, r.Leads,
			mustPercent(r.TrafficToLead), mustPercent(r.Web.BounceRate))
	}
	// Output:
	// sessions 2500: organic 80%, paid 20%, bounce rate 40.0%, 61.9 s engaged per session
	// /blog/funnel-metrics    2000 sessions 2 leads: 0.10% (bounce 35%)
	// /lp/demo                 500 sessions 3 leads: 0.60% (bounce 60%)
}

func mustPercent(r kpi.Ratio) float64 {
	p, err := r.Percent(4)
	if err != nil {
		return -1
	}
	f, _ := p.Float64()
	return f
}
