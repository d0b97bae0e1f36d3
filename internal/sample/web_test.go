package sample

import (
	"testing"
	"time"

	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

// TestWebRows checks the shape of the web figures: one row per day,
// channel and landing page, with the channel's medium, a landing page the
// channel's campaigns use, engagement within the row's sessions, and the
// rows of a day and channel adding up to at least the leads created there
// (each row to at least its page's leads: invariants_test.go).
func TestWebRows(t *testing.T) {
	ds := mustGenerate(t, Config{Seed: 7, Leads: 3000})
	pages := map[string]bool{}
	for _, ch := range channels {
		for _, c := range ch.campaigns {
			for _, u := range c.landing {
				pages[string(ch.channel)+" "+u] = true
			}
		}
	}
	// 22 pages of 7 channels (see TestSpendAndVisitRows).
	if len(pages) != 22 {
		t.Fatalf("%d channel pages, want 22", len(pages))
	}
	seen := map[string]bool{}
	for _, v := range ds.Visits {
		key := v.At.Format(time.DateOnly) + " " + v.Channel + " " + v.LandingPage
		if seen[key] {
			t.Fatalf("two rows for %s", key)
		}
		seen[key] = true
		if !pages[v.Channel+" "+v.LandingPage] {
			t.Fatalf("row for %s %s, a page the channel has no campaign for", v.Channel, v.LandingPage)
		}
		if want := channelMedium[lead.Channel(v.Channel)]; v.Medium != want || !v.Medium.IsValid() {
			t.Fatalf("%s: medium %q, want %q", key, v.Medium, want)
		}
		e := v.Engagement
		if e == nil || e.Sessions < 0 || e.Sessions > v.Count || e.Time < 0 || (v.Count == 0 && e.Time != 0) {
			t.Fatalf("%s: %d sessions, engagement %+v", key, v.Count, e)
		}
		// An engaged session is engaged for 0.8 × 50 s at the least and a
		// bounce for 4 s: the time is at least 4 s per session.
		if e.Time.Std() < time.Duration(v.Count)*bounceSeconds*time.Second {
			t.Fatalf("%s: %s for %d sessions", key, e.Time, v.Count)
		}
	}
	// 365 days of 2025.
	if len(seen) != 365*22 {
		t.Fatalf("%d rows, want %d", len(seen), 365*22)
	}
}

// webTotals adds the sample's web figures up with a scorecard, per
// medium and per landing page of each channel, over the whole year.
func webTotals(t *testing.T, ds *Dataset) (byMedium, byPage map[string]kpi.Row) {
	t.Helper()
	m := kpi.MustCompile(kpi.Config{Period: "year", Dimensions: []kpi.Dimension{
		{Name: "medium", Key: "fields.medium"}, {Name: "page", Key: "fields.page"}}})
	s := m.NewScorecard(time.Time{})
	for i := range ds.Visits {
		v := ds.Visits[i]
		v.Keys = map[string]string{"medium": string(v.Medium), "page": v.Channel + " " + v.LandingPage}
		if err := s.AddVisits(&v); err != nil {
			t.Fatal(err)
		}
	}
	for i := range ds.Leads {
		l := ds.Leads[i]
		// Leads are counted per page only: they have no "medium" field.
		l.Fields = map[string]any{"page": string(l.Source.Channel) + " " + l.Source.LandingPage}
		if err := s.AddLead(&l); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := s.Report()
	if err != nil {
		t.Fatal(err)
	}
	byMedium, byPage = map[string]kpi.Row{}, map[string]kpi.Row{}
	for _, r := range rep.Rows {
		switch {
		case r.Period != kpi.AllPeriods || r.Segment == "":
		case r.Dimension == "medium":
			byMedium[r.Segment] = r
		case r.Dimension == "page":
			byPage[r.Segment] = r
		}
	}
	return byMedium, byPage
}

// TestPaidBouncesMore checks the generator's promise that paid traffic
// bounces more, and stays less, than any other medium: over a year the
// paid bounce rate is 1 − 0.42 = 0.58 in expectation, the others' at most
// 1 − 0.58 = 0.42 (direct); paid engaged sessions last 50 s against 70 s
// or more.
func TestPaidBouncesMore(t *testing.T) {
	byMedium, _ := webTotals(t, mustGenerate(t, Config{Seed: 11, Leads: 5000}))
	paid, ok := byMedium[string(kpi.MediumPaid)]
	if !ok || len(byMedium) != 5 {
		t.Fatalf("media %v, want organic, paid, referral, email and direct", byMedium)
	}
	pb, _ := paid.Web.BounceRate.Float64()
	pt, _ := paid.Web.AverageEngagementTime.Float64()
	if pb < 0.55 || pb > 0.61 {
		t.Errorf("paid bounce rate %.3f, want 0.58 ± 0.03", pb)
	}
	for name, r := range byMedium {
		if name == string(kpi.MediumPaid) {
			continue
		}
		b, ok := r.Web.BounceRate.Float64()
		if !ok || b > pb-0.1 {
			t.Errorf("%s bounce rate %.3f, not 0.1 below paid's %.3f", name, b, pb)
		}
		if s, _ := r.Web.AverageEngagementTime.Float64(); s <= pt {
			t.Errorf("%s engagement %.1f s per session, not above paid's %.1f s", name, s, pt)
		}
	}
}

// TestFormPagesConvertBetter checks the generator's promise that, within
// a channel, pages with forms turn sessions into leads better than
// content pages: 4 times in expectation, at least 2 times here for every
// pair (with 5,000 leads the smallest page, social's /pricing, has about
// 5000 × 12% × 0.2 / 2 = 60 leads).
func TestFormPagesConvertBetter(t *testing.T) {
	_, byPage := webTotals(t, mustGenerate(t, Config{Seed: 5, Leads: 5000}))
	pairs := 0
	for ci, ch := range channels {
		for _, f := range landingPages()[ci] {
			if !FormPage(f.url) {
				continue
			}
			form := byPage[string(ch.channel)+" "+f.url]
			for _, c := range landingPages()[ci] {
				if FormPage(c.url) {
					continue
				}
				content := byPage[string(ch.channel)+" "+c.url]
				fr, ok1 := form.TrafficToLead.Float64()
				cr, ok2 := content.TrafficToLead.Float64()
				if !ok1 || !ok2 || fr < 2*cr {
					t.Errorf("%s: %s converts %.4f, %s %.4f: want the form page 2 times better", ch.channel, f.url, fr, c.url, cr)
				}
				pairs++
			}
		}
	}
	// social: 2 form pages × /pricing; email: 2 × 2; referral: 1 × 1;
	// direct: 1 × 2.
	if pairs != 2+4+1+2 {
		t.Fatalf("%d form/content pairs, want 9", pairs)
	}
}

func TestFormPage(t *testing.T) {
	for url, want := range map[string]bool{
		"/lp/demo": true, "/resources/sla-template": true, "/events/roadshow": true, "/webinars/x": true,
		"/contact": true, "/partners": true, "/": false, "/pricing": false, "/blog/mql-vs-sql": false,
		"/product": false, "/lp": false, "/contact/us": false,
	} {
		if got := FormPage(url); got != want {
			t.Errorf("FormPage(%q) = %v", url, got)
		}
	}
}
