package kpi

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
)

func TestWebFormulas(t *testing.T) {
	tests := []struct {
		name string
		r    Ratio
		want string
	}{
		// GA4: 1000 sessions, 620 engaged: 380 bounces / 1000 = 0.38
		{"BounceRate", BounceRate(1000-620, 1000), "0.38"},
		// UA variant: 450 single-page sessions / 1000 = 0.45
		{"BounceRate/UA", BounceRate(450, 1000), "0.45"},
		{"BounceRate/all engaged", BounceRate(0, 7), "0"},
		{"BounceRate/no sessions", BounceRate(0, 0), "n/a"},
		// 620 / 1000 = 0.62 = 1 − 0.38
		{"EngagementRate", EngagementRate(620, 1000), "0.62"},
		// 2 of 3: 0.666... -> 0.6667
		{"EngagementRate/thirds", EngagementRate(2, 3), "0.6667"},
		{"EngagementRate/no sessions", EngagementRate(0, 0), "n/a"},
		// 620 engaged × 80 s + 380 bounces × 4 s = 49600 + 1520 = 51120 s
		// over 1000 sessions = 51.12 s
		{"AverageEngagementTime", AverageEngagementTime(dec("51120"), 1000), "51.12"},
		// 90 min = 5400 s over 7 sessions = 771.428571... -> 771.43
		{"AverageEngagementTime/duration", AverageEngagementTime(Seconds(90*time.Minute), 7), "771.43"},
		// 1.5 s = 1500000000 ns: exact to the nanosecond
		{"AverageEngagementTime/nanos", AverageEngagementTime(Seconds(1500*time.Millisecond+1), 1), "1.500000001"},
		{"AverageEngagementTime/no sessions", AverageEngagementTime(dec("0"), 0), "n/a"},
		{"AverageEngagementTime/time without sessions", AverageEngagementTime(dec("12"), 0), "n/a"},
		// 2400 organic of 6000 = 0.4; 1500 paid of 6000 = 0.25
		{"OrganicShare", OrganicTrafficShare(2400, 6000), "0.4"},
		{"PaidShare", PaidTrafficShare(1500, 6000), "0.25"},
		{"OrganicShare/none organic", OrganicTrafficShare(0, 6000), "0"},
		{"OrganicShare/no sessions", OrganicTrafficShare(0, 0), "n/a"},
		{"PaidShare/no sessions", PaidTrafficShare(0, 0), "n/a"},
		// /lp/demo: 36 leads / 900 sessions = 0.04
		{"LandingPage", LandingPageConversionRate(36, 900), "0.04"},
		// leads that converted deeper in a 2-session page: 3 / 2 = 1.5
		{"LandingPage/over 1", LandingPageConversionRate(3, 2), "1.5"},
		{"LandingPage/no sessions", LandingPageConversionRate(4, 0), "n/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkRatio(t, tt.r, tt.want) })
	}
}

// webHand is a small web data set worked out by hand in
// TestScorecardWebHandWorked: January and February 2026, a landing-page
// dimension.
func webHand() ([]Visits, []lead.Lead) {
	eng := func(n int64, d time.Duration) *Engagement { return &Engagement{Sessions: n, Time: leadkit.Duration(d)} }
	visits := []Visits{
		// January.
		{At: utc(2026, 1, 5, 0), Medium: MediumPaid, LandingPage: "/lp/demo", Count: 400, Engagement: eng(160, 160*50*time.Second+240*4*time.Second)},
		{At: utc(2026, 1, 6, 0), Medium: MediumOrganic, LandingPage: "/blog/a", Count: 600, Engagement: eng(420, 420*90*time.Second+180*4*time.Second)},
		{At: utc(2026, 1, 7, 0), Medium: MediumEmail, LandingPage: "/blog/a", Count: 100}, // engagement not measured
		{At: utc(2026, 1, 8, 0), Medium: "", LandingPage: "", Count: 50, Engagement: eng(50, 50*60*time.Second)},
		{At: utc(2026, 1, 9, 0), Medium: MediumDirect, LandingPage: "/pricing", Count: 0, Engagement: eng(0, 0)}, // zero sessions
		// February: one page, engagement measured, no leads.
		{At: utc(2026, 2, 2, 0), Medium: MediumPaid, LandingPage: "/lp/demo", Count: 300, Engagement: eng(90, 90*40*time.Second)},
	}
	leads := []lead.Lead{
		{ID: "A", CreatedAt: utc(2026, 1, 5, 12), Source: lead.Source{LandingPage: "/lp/demo"}},
		{ID: "B", CreatedAt: utc(2026, 1, 6, 12), Source: lead.Source{LandingPage: "/lp/demo"}},
		{ID: "C", CreatedAt: utc(2026, 1, 7, 12), Source: lead.Source{LandingPage: "/blog/a"}},
		{ID: "D", CreatedAt: utc(2026, 1, 9, 12), Source: lead.Source{LandingPage: "/pricing"}}, // a page without sessions
	}
	return visits, leads
}

func TestScorecardWebHandWorked(t *testing.T) {
	m := MustCompile(Config{Dimensions: []Dimension{ByLandingPage()}})
	s := m.NewScorecard(time.Time{})
	visits, leads := webHand()
	for i := range visits {
		if err := s.AddVisits(&visits[i]); err != nil {
			t.Fatal(err)
		}
	}
	for i := range leads {
		if err := s.AddLead(&leads[i]); err != nil {
			t.Fatal(err)
		}
	}
	rep := mustReport(t, s)
	rows := map[string]Row{}
	for _, r := range rep.Rows {
		rows[r.Period+"|"+r.Segment+"|"+r.Dimension] = r
	}
	type want struct {
		visits, leads                          int64
		traffic                                Traffic
		measured, engaged, bounces             int64
		seconds                                string
		bounce, engagement, avgTime, org, paid string
		toLead                                 string
	}
	tests := map[string]want{
		// January totals: 400 + 600 + 100 + 50 + 0 = 1150 sessions; by
		// medium paid 400, organic 600, email 100, other 50 (no medium),
		// direct 0. Measured: all but the email row, 1050; engaged 160 +
		// 420 + 50 = 630; bounces 1050 − 630 = 420. Seconds: 160×50 +
		// 240×4 = 8960; 420×90 + 180×4 = 38520; 50×60 = 3000; total
		// 50480. Bounce 420/1050 = 0.4; engagement 630/1050 = 0.6;
		// average 50480/1050 = 48.0761... -> 48.08; organic 600/1150 =
		// 0.5217; paid 400/1150 = 0.3478; traffic→lead 4/1150 = 0.0035.
		"2026-01||": {1150, 4, Traffic{Organic: 600, Paid: 400, Email: 100, Other: 50}, 1050, 630, 420, "50480",
			"0.4", "0.6", "48.08", "0.5217", "0.3478", "0.0035"},
		// /lp/demo in January: 400 sessions, all paid, 160 engaged, 240
		// bounces: 0.6; 8960/400 = 22.4 s; 2 leads / 400 = 0.005.
		"2026-01|/lp/demo|landing_page": {400, 2, Traffic{Paid: 400}, 400, 160, 240, "8960",
			"0.6", "0.4", "22.4", "0", "1", "0.005"},
		// /blog/a: 600 organic measured + 100 email unmeasured = 700
		// sessions; the rates are over the 600 measured: bounces 180/600
		// = 0.3, engaged 0.7, 38520/600 = 64.2 s; organic 600/700 =
		// 0.8571, paid 0; 1 lead / 700 = 0.0014 (0.00142857...).
		"2026-01|/blog/a|landing_page": {700, 1, Traffic{Organic: 600, Email: 100}, 600, 420, 180, "38520",
			"0.3", "0.7", "64.2", "0.8571", "0", "0.0014"},
		// No landing page: the 50 sessions without medium, all engaged.
		"2026-01||landing_page": {50, 0, Traffic{Other: 50}, 50, 50, 0, "3000",
			"0", "1", "60", "0", "0", "0"},
		// /pricing: zero sessions and a lead: every web rate and the
		// traffic→lead are undefined.
		"2026-01|/pricing|landing_page": {0, 1, Traffic{}, 0, 0, 0, "0",
			"n/a", "n/a", "n/a", "n/a", "n/a", "n/a"},
		// February: 300 paid sessions, 90 engaged: bounce 210/300 = 0.7,
		// 3600 s / 300 = 12 s, paid share 1, no leads: 0/300 = 0.
		"2026-02||": {300, 0, Traffic{Paid: 300}, 300, 90, 210, "3600",
			"0.7", "0.3", "12", "0", "1", "0"},
		// All periods of /lp/demo: 700 sessions, 250 engaged, 450 bounces
		// = 0.6429 (0.642857...); 8960 + 3600 = 12560 s / 700 = 17.94
		// (17.942857...); 2 leads / 700 = 0.0029 (0.002857...).
		"all|/lp/demo|landing_page": {700, 2, Traffic{Paid: 700}, 700, 250, 450, "12560",
			"0.6429", "0.3571", "17.94", "0", "1", "0.0029"},
		// All periods, totals: 1450 sessions, 1350 measured, 720 engaged,
		// 630 bounces: 630/1350 = 0.4667; 54080 s / 1350 = 40.06
		// (40.05925...); organic 600/1450 = 0.4138; paid 700/1450 =
		// 0.4828; 4 leads / 1450 = 0.0028 (0.002758...).
		"all||": {1450, 4, Traffic{Organic: 600, Paid: 700, Email: 100, Other: 50}, 1350, 720, 630, "54080",
			"0.4667", "0.5333", "40.06", "0.4138", "0.4828", "0.0028"},
	}
	for key, w := range tests {
		t.Run(key, func(t *testing.T) {
			r, ok := rows[key]
			if !ok {
				t.Fatalf("no row %s", key)
			}
			g := r.Web
			if r.Visits != w.visits || r.Leads != w.leads || g.Traffic != w.traffic || g.MeasuredSessions != w.measured ||
				g.EngagedSessions != w.engaged || g.Bounces != w.bounces || !g.EngagementSeconds.Equal(dec(w.seconds)) {
				t.Fatalf("got visits %d leads %d %+v", r.Visits, r.Leads, g)
			}
			checkRatio(t, g.BounceRate, w.bounce)
			checkRatio(t, g.EngagementRate, w.engagement)
			checkRatio(t, g.AverageEngagementTime, w.avgTime)
			checkRatio(t, g.OrganicShare, w.org)
			checkRatio(t, g.PaidShare, w.paid)
			checkRatio(t, r.TrafficToLead, w.toLead)
		})
	}

	// Content gaps in January with at least 100 sessions: /blog/a
	// converts 1/700 = 0.0014, /lp/demo 2/400 = 0.005; the "" page has
	// 50 sessions and /pricing none: both left out.
	gaps := rep.ContentGaps("2026-01", "landing_page", 100)
	if len(gaps) != 2 || gaps[0].Segment != "/blog/a" || gaps[1].Segment != "/lp/demo" {
		t.Fatalf("content gaps %v", segments(gaps))
	}
	// With a minimum of 0 (taken as 1): "" converts 0/50 = 0 and comes
	// first; /pricing (no sessions) is still left out.
	if gaps := rep.ContentGaps("2026-01", "landing_page", 0); len(gaps) != 3 || gaps[0].Segment != "" {
		t.Fatalf("content gaps %v", segments(gaps))
	}
	if gaps := rep.ContentGaps(AllPeriods, "landing_page", 1); len(gaps) != 3 || gaps[2].Segment != "/lp/demo" {
		t.Fatalf("content gaps over all periods %v", segments(gaps))
	}
	if gaps := rep.ContentGaps("2026-01", "", 1); gaps != nil {
		t.Fatalf("content gaps of the totals %v", segments(gaps))
	}
}

func segments(rows []Row) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Segment)
	}
	return out
}

// TestContentGapsOrder checks the tie-breaks: equal traffic→lead (1/100
// and 2/200) puts the page with more sessions first; equal rate and
// sessions sorts by segment. The report's rows are not reordered.
func TestContentGapsOrder(t *testing.T) {
	rep := Report{Rows: []Row{
		{Period: "p", Dimension: "d", Segment: "c", Visits: 100, Leads: 1},
		{Period: "p", Dimension: "d", Segment: "b", Visits: 200, Leads: 2},
		{Period: "p", Dimension: "d", Segment: "a", Visits: 100, Leads: 1},
		{Period: "p", Dimension: "d", Segment: "z", Visits: 10, Leads: 0},
		{Period: "q", Dimension: "d", Segment: "y", Visits: 10, Leads: 0},
	}}
	got := strings.Join(segments(rep.ContentGaps("p", "d", 1)), ",")
	if got != "z,b,a,c" {
		t.Fatalf("got %s, want z,b,a,c", got)
	}
	if rep.Rows[0].Segment != "c" {
		t.Fatal("ContentGaps reordered the report")
	}
	if (Report{}).ContentGaps("p", "d", 1) != nil {
		t.Fatal("an empty report has gaps")
	}
}

func TestAddVisitsWebErrors(t *testing.T) {
	s := MustCompile(Config{}).NewScorecard(time.Time{})
	t0 := utc(2026, 1, 1, 0)
	tests := []struct {
		name string
		v    Visits
		want string
	}{
		{"medium", Visits{At: t0, Count: 1, Medium: "cpc"}, `unknown medium "cpc"`},
		{"engaged negative", Visits{At: t0, Count: 1, Engagement: &Engagement{Sessions: -1}}, "-1 engaged sessions outside 0..1"},
		{"engaged above count", Visits{At: t0, Count: 1, Engagement: &Engagement{Sessions: 2}}, "2 engaged sessions outside 0..1"},
		{"negative time", Visits{At: t0, Count: 1, Engagement: &Engagement{Time: -1}}, "negative engagement time"},
		{"time without sessions", Visits{At: t0, Engagement: &Engagement{Time: leadkit.Duration(time.Second)}}, "engagement time 1s without sessions"},
		{"ok", Visits{At: t0, Count: 2, Medium: MediumSocial, Engagement: &Engagement{Sessions: 2, Time: leadkit.Duration(time.Minute)}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.AddVisits(&tt.v)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
	// Only the good row counts.
	r := mustReport(t, s).Rows[0]
	if r.Visits != 2 || r.Web.Traffic.Social != 2 || r.Web.MeasuredSessions != 2 || !r.Web.EngagementSeconds.Equal(dec("60")) {
		t.Fatalf("refused rows were added: %+v", r)
	}
}

func TestMediumIsValid(t *testing.T) {
	for _, m := range []Medium{MediumOrganic, MediumPaid, MediumReferral, MediumEmail, MediumSocial, MediumDirect} {
		if !m.IsValid() || m.String() != string(m) {
			t.Errorf("%q not valid", m)
		}
	}
	for _, m := range []Medium{"", "cpc", "Organic", "(none)"} {
		if m.IsValid() {
			t.Errorf("%q valid", m)
		}
	}
}

// TestSecondsSumOverflow sums durations past the int64 of nanoseconds
// (about 292 years) and merges sums both ways: the value is exact.
func TestSecondsSumOverflow(t *testing.T) {
	const big = time.Duration(1<<62 + 1) // 4611686018.427387905 s
	var a, b secondsSum
	a.add(big)
	a.add(big) // overflows the int64: the first moves to the decimal part
	a.add(time.Second)
	b.add(1500 * time.Millisecond)
	b.add(big)
	// 3 × 4611686018.427387905 + 1 + 1.5 = 13835058057.782163715
	want := dec("13835058057.782163715")
	ab, ba := a, b
	ab.merge(b)
	ba.merge(a)
	if got := ab.value(); !got.Equal(want) {
		t.Fatalf("a+b = %s, want %s", got, want)
	}
	if got := ba.value(); !got.Equal(want) {
		t.Fatalf("b+a = %s, want %s", got, want)
	}
	if got := a.value(); !got.Equal(dec("9223372037.85477581")) { // 2 × 4611686018.427387905 + 1
		t.Fatalf("a = %s", got)
	}
	var zero secondsSum
	if !zero.value().IsZero() {
		t.Fatal("empty sum not zero")
	}
}

func TestSeconds(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
		exp  int32
	}{
		{0, "0", 0},
		{90 * time.Second, "90", 0},                    // whole seconds: no places
		{1500 * time.Millisecond, "1.5", -4},           // 15000 × 10^-4
		{1500*time.Millisecond + 1, "1.500000001", -9}, // to the nanosecond
		{-2 * time.Second, "-2", 0},
		{time.Duration(1<<63 - 1), "9223372036.854775807", -9},
	} {
		got := Seconds(tt.d)
		if !got.Equal(dec(tt.want)) || got.Exponent() != tt.exp {
			t.Errorf("Seconds(%d) = %s (exponent %d), want %s (exponent %d)", tt.d, got, got.Exponent(), tt.want, tt.exp)
		}
	}
}

func TestMediumOf(t *testing.T) {
	for utm, want := range map[string]Medium{
		"organic": MediumOrganic, "Organic": MediumOrganic, " organic ": MediumOrganic,
		"cpc": MediumPaid, "CPC": MediumPaid, "ppc": MediumPaid, "cpm": MediumPaid, "paid_social": MediumPaid,
		"paidsearch": MediumPaid, "retargeting": MediumPaid, "display": MediumPaid, "banner": MediumPaid,
		"referral": MediumReferral, "link": MediumReferral, "app": MediumReferral,
		"email": MediumEmail, "E-Mail": MediumEmail, "e mail": MediumEmail,
		"social": MediumSocial, "sm": MediumSocial, "social-network": MediumSocial,
		"(none)": MediumDirect, "none": MediumDirect, "(not set)": MediumDirect,
		"": "", "newsletter": "", "event": "", "affiliate": "",
	} {
		if got := MediumOf(utm); got != want {
			t.Errorf("MediumOf(%q) = %q, want %q", utm, got, want)
		}
	}
}

// TestVisitsJSON checks that a visits row, as a host writes it in JSON
// lines, round-trips with its medium, landing page and engagement, and
// that a row without engagement stays without.
func TestVisitsJSON(t *testing.T) {
	for _, v := range []Visits{
		{At: utc(2026, 1, 5, 0), Channel: "paid_search", Medium: MediumPaid, LandingPage: "/lp/demo", Count: 400,
			Engagement: &Engagement{Sessions: 160, Time: leadkit.Duration(2*time.Hour + 29*time.Minute + 20*time.Second)}},
		{At: utc(2026, 1, 5, 0), Count: 3},
	} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var back Visits
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, v) {
			t.Fatalf("%s decodes to %+v", b, back)
		}
		if v.Engagement == nil && strings.Contains(string(b), "engagement") {
			t.Fatalf("%s: an unmeasured row has an engagement", b)
		}
	}
}
