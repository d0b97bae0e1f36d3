package scoring_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

// mon is a Monday (2026-03-02, ISO week 10), midnight UTC.
var mon = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return mon.Add(d) }

const (
	hour = time.Hour
	day  = 24 * time.Hour
)

// open is an email open of email id (none when id is "") in campaign c.
func open(when time.Time, id, c string) lead.Activity {
	a := lead.Activity{Type: "email_open", At: when, Campaign: c}
	if id != "" {
		a.Fields = map[string]any{"email_id": id}
	}
	return a
}

// contribution scores acts with one engagement rule and returns its line
// (the zero Contribution when it did not fire). It scores the activities
// in three orders and requires the same line each time: a limit takes
// activities in time order, whatever the order of the lead's list.
func contribution(t *testing.T, rule scoring.Rule, acts []lead.Activity, now time.Time) scoring.Contribution {
	t.Helper()
	rule.Name, rule.Kind = "r", scoring.Engagement
	if rule.When == "" {
		rule.When = `type == "email_open"`
	}
	s, err := scoring.Compile(scoring.Model{Rules: []scoring.Rule{rule}})
	if err != nil {
		t.Fatal(err)
	}
	var first scoring.Contribution
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 3 {
		l := &lead.Lead{ID: "x", CreatedAt: mon.Add(-365 * day), Activities: slices.Clone(acts)}
		switch round {
		case 1:
			slices.Reverse(l.Activities)
		case 2:
			rng.Shuffle(len(l.Activities), func(i, j int) { l.Activities[i], l.Activities[j] = l.Activities[j], l.Activities[i] })
		}
		r, err := s.Score(l, now)
		if err != nil {
			t.Fatal(err)
		}
		var c scoring.Contribution
		if len(r.Contributions) == 1 {
			c = r.Contributions[0]
		}
		if round == 0 {
			first = c
		} else if d := cmp.Diff(first, c, cmpopts.EquateApprox(0, 1e-9)); d != "" {
			t.Fatalf("order %d gives another line (-first +this):\n%s", round, d)
		}
	}
	return first
}

func TestFrequencyLimits(t *testing.T) {
	now := at(10 * day)
	ny := leadkit.Zone("America/New_York")
	tests := []struct {
		name string
		freq *scoring.Frequency
		acts []lead.Activity
		want scoring.Contribution
	}{
		{
			// Every time: 3 opens × 2 points.
			name: "every time",
			acts: []lead.Activity{open(at(hour), "", ""), open(at(2*day), "", ""), open(at(5*day), "", "")},
			want: scoring.Contribution{Matches: 3, Base: 6, Decayed: 6, Points: 6},
		},
		{
			// Once ever: the first open counts (2), the other two are
			// removed (2 × 2 = 4).
			name: "once ever",
			freq: &scoring.Frequency{},
			acts: []lead.Activity{open(at(hour), "", ""), open(at(2*day), "", ""), open(at(5*day), "", "")},
			want: scoring.Contribution{Matches: 1, Base: 2, Decayed: 2, Points: 2, Limited: 2, LimitedPoints: 4},
		},
		{
			// Max 2 ever: first two count.
			name: "twice ever",
			freq: &scoring.Frequency{Max: 2},
			acts: []lead.Activity{open(at(hour), "", ""), open(at(2*day), "", ""), open(at(5*day), "", "")},
			want: scoring.Contribution{Matches: 2, Base: 4, Decayed: 4, Points: 4, Limited: 1, LimitedPoints: 2},
		},
		{
			// At most 2 a day: Monday 01:00, 02:00 count, 03:00 is
			// the third of the day and removed; Tuesday 01:00 counts.
			// 3 counted × 2, 1 removed × 2.
			name: "2 per day",
			freq: &scoring.Frequency{Max: 2, Per: leadkit.Day},
			acts: []lead.Activity{open(at(hour), "", ""), open(at(2*hour), "", ""), open(at(3*hour), "", ""), open(at(day+hour), "", "")},
			want: scoring.Contribution{Matches: 3, Base: 6, Decayed: 6, Points: 6, Limited: 1, LimitedPoints: 2},
		},
		{
			// Days in UTC: 03:00 and 06:00 UTC on Monday are one day;
			// once a day keeps one.
			name: "once per day UTC",
			freq: &scoring.Frequency{Per: leadkit.Day},
			acts: []lead.Activity{open(at(3*hour), "", ""), open(at(6*hour), "", "")},
			want: scoring.Contribution{Matches: 1, Base: 2, Decayed: 2, Points: 2, Limited: 1, LimitedPoints: 2},
		},
		{
			// The same instants in New York (UTC−5 in March before
			// the 8th): Sunday 22:00 and Monday 01:00, two days; both
			// count.
			name: "once per day New York",
			freq: &scoring.Frequency{Per: leadkit.Day, Zone: ny},
			acts: []lead.Activity{open(at(3*hour), "", ""), open(at(6*hour), "", "")},
			want: scoring.Contribution{Matches: 2, Base: 4, Decayed: 4, Points: 4},
		},
		{
			// ISO weeks: Monday 01:00 and Sunday 23:00 are week 10
			// (one counts), the next Monday 01:00 is week 11 (counts).
			name: "once per week",
			freq: &scoring.Frequency{Per: leadkit.Week},
			acts: []lead.Activity{open(at(hour), "", ""), open(at(6*day+23*hour), "", ""), open(at(7*day+hour), "", "")},
			want: scoring.Contribution{Matches: 2, Base: 4, Decayed: 4, Points: 4, Limited: 1, LimitedPoints: 2},
		},
		{
			// At most 2 in any hour, taken in time order:
			// 10:00 counts (none before); 10:20 counts (1 in
			// (09:20, 10:20]); 10:40 is removed (10:00 and 10:20 in
			// (09:40, 10:40]); 11:00 counts (only 10:20 in
			// (10:00, 11:00]: the span excludes its start); 11:30
			// counts (only 11:00 in (10:30, 11:30]).
			name: "2 per rolling hour",
			freq: &scoring.Frequency{Max: 2, Window: leadkit.MustParseDuration("1h")},
			acts: []lead.Activity{
				open(at(10*hour), "", ""), open(at(10*hour+20*time.Minute), "", ""), open(at(10*hour+40*time.Minute), "", ""),
				open(at(11*hour), "", ""), open(at(11*hour+30*time.Minute), "", ""),
			},
			want: scoring.Contribution{Matches: 4, Base: 8, Decayed: 8, Points: 8, Limited: 1, LimitedPoints: 2},
		},
		{
			// Once per email id: e1 opened 3 times counts once, e2
			// once; the two opens without an id share one group and
			// count once. 3 counted, 3 removed.
			name: "once per email id",
			freq: &scoring.Frequency{Distinct: "fields.email_id"},
			acts: []lead.Activity{
				open(at(hour), "e1", ""), open(at(2*hour), "e1", ""), open(at(3*day), "e1", ""),
				open(at(4*hour), "e2", ""), open(at(5*hour), "", ""), open(at(6*hour), "", ""),
			},
			want: scoring.Contribution{Matches: 3, Base: 6, Decayed: 6, Points: 6, Limited: 3, LimitedPoints: 6},
		},
		{
			// Once per campaign and day: spring Monday twice (1
			// removed), spring Tuesday (counts), fall Monday (counts).
			name: "once per campaign and day",
			freq: &scoring.Frequency{Distinct: "campaign", Per: leadkit.Day},
			acts: []lead.Activity{
				open(at(hour), "", "spring"), open(at(2*hour), "", "spring"), open(at(day+hour), "", "spring"),
				open(at(3*hour), "", "fall"),
			},
			want: scoring.Contribution{Matches: 3, Base: 6, Decayed: 6, Points: 6, Limited: 1, LimitedPoints: 2},
		},
		{
			// Numbers as ids: 7 (float) twice, 7 (int) once: a float and
			// an int are different values, as in expressions' == on
			// types. 2 counted, 1 removed.
			name: "once per numeric id",
			freq: &scoring.Frequency{Distinct: "fields.n"},
			acts: []lead.Activity{
				{Type: "email_open", At: at(hour), Fields: map[string]any{"n": 7.0}},
				{Type: "email_open", At: at(2 * hour), Fields: map[string]any{"n": 7.0}},
				{Type: "email_open", At: at(3 * hour), Fields: map[string]any{"n": 7}},
			},
			want: scoring.Contribution{Matches: 2, Base: 4, Decayed: 4, Points: 4, Limited: 1, LimitedPoints: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := contribution(t, scoring.Rule{Points: 2, Frequency: tt.freq}, tt.acts, now)
			tt.want.Rule, tt.want.Kind = "r", scoring.Engagement
			if d := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-9)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// TestFrequencyComposition checks the documented order: within, then the
// limit, then decay, then the rule's cap.
func TestFrequencyComposition(t *testing.T) {
	now := at(10 * day)
	page := func(ago float64, url string) lead.Activity {
		return lead.Activity{Type: "page_view", URL: url, At: now.Add(-time.Duration(ago * float64(day)))}
	}
	acts := []lead.Activity{page(1, "/a"), page(3, "/a"), page(4, "/b"), page(6, "/b")}
	rule := scoring.Rule{
		When: `type == "page_view"`, Points: 8,
		Within:    leadkit.MustParseDuration("5d"),
		HalfLife:  leadkit.MustParseDuration("2d"),
		Max:       scoring.Float(4),
		Frequency: &scoring.Frequency{Distinct: "url"},
	}
	// Within 5 days drops /b at 6 days. Once per URL, earliest first:
	// /a at 3 days counts, 8 × 2^(−3/2) = 2.8284271; /a at 1 day is
	// removed, 8 × 2^(−1/2) = 5.6568542; /b at 4 days counts,
	// 8 × 2^(−2) = 2. Decayed 4.8284271, capped at 4: 0.8284271 clipped.
	d3, d1 := 8*math.Pow(2, -1.5), 8*math.Pow(2, -0.5)
	want := scoring.Contribution{
		Rule: "r", Kind: scoring.Engagement, Matches: 2, Base: 16, Decayed: d3 + 2, Points: 4,
		Clipped: d3 + 2 - 4, Limited: 1, LimitedPoints: d1,
	}
	if math.Abs(d3-2.8284271) > 1e-6 || math.Abs(d1-5.6568542) > 1e-6 {
		t.Fatal("the working in the comment is wrong")
	}
	got := contribution(t, rule, acts, now)
	if d := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// resetModel has one engagement rule (a page view is 1 point), a reset on
// a stage change to recycled, an adjustment of −5 per lost opportunity
// and a reset every 1 January.
func resetModel() scoring.Model {
	return scoring.Model{
		Rules: []scoring.Rule{{Name: "views", Kind: scoring.Engagement, When: `type == "page_view"`, Points: 1}},
		Resets: []scoring.Reset{
			{Name: "recycled", Stage: lead.StageRecycled},
			{Name: "lost opportunity", Action: scoring.AdjustEngagement, Points: -5, When: `type == "opportunity_lost"`},
			{Name: "new year", Yearly: "01-01"},
		},
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestResetsAcrossAsOf(t *testing.T) {
	s := scoring.MustCompile(resetModel())
	view := func(tm time.Time) lead.Activity { return lead.Activity{Type: "page_view", At: tm} }
	l := &lead.Lead{
		ID: "r1", CreatedAt: date(2025, 6, 1),
		History: []lead.Transition{{From: "mql", To: lead.StageRecycled, At: date(2025, 8, 15)}},
		Activities: []lead.Activity{
			view(date(2025, 7, 1)), view(date(2025, 8, 1)), view(date(2025, 9, 1)), view(date(2025, 10, 1)),
			view(date(2025, 11, 1)), view(date(2026, 2, 1)),
			{Type: "opportunity_lost", At: date(2025, 10, 15)},
		},
	}
	type want struct {
		eng     float64
		views   int // the views rule's matches
		adjust  int // lost opportunities counted
		reset   string
		resetAt time.Time
		dropped int
	}
	tests := []struct {
		asOf time.Time
		want want
	}{
		// Before any reset: the 07-01 view.
		{date(2025, 7, 15), want{eng: 1, views: 1}},
		// 07-01 and 08-01.
		{date(2025, 8, 10), want{eng: 2, views: 2}},
		// At the instant of the recycling: it applies, and the two
		// views at or before it are dropped.
		{date(2025, 8, 15), want{eng: 0, reset: "recycled", resetAt: date(2025, 8, 15), dropped: 2}},
		// Views 09-01 and 10-01 after the reset.
		{date(2025, 10, 10), want{eng: 2, views: 2, reset: "recycled", resetAt: date(2025, 8, 15), dropped: 2}},
		// The lost opportunity on 10-15: 2 − 5 = −3.
		{date(2025, 10, 20), want{eng: -3, views: 2, adjust: 1, reset: "recycled", resetAt: date(2025, 8, 15), dropped: 2}},
		// 3 views − 5 = −2.
		{date(2025, 12, 31), want{eng: -2, views: 3, adjust: 1, reset: "recycled", resetAt: date(2025, 8, 15), dropped: 2}},
		// New year: every activity so far (5 views and the lost
		// opportunity: 6) is dropped, with the adjustment.
		{date(2026, 1, 1), want{eng: 0, reset: "new year", resetAt: date(2026, 1, 1), dropped: 6}},
		// The 02-01 view.
		{date(2026, 3, 1), want{eng: 1, views: 1, reset: "new year", resetAt: date(2026, 1, 1), dropped: 6}},
	}
	for _, tt := range tests {
		t.Run(tt.asOf.Format("2006-01-02"), func(t *testing.T) {
			r, err := s.Score(l, tt.asOf)
			if err != nil {
				t.Fatal(err)
			}
			var got want
			got.eng = r.Engagement
			got.reset, got.resetAt, got.dropped = r.Reset.Name, r.Reset.At, r.Reset.Dropped
			for _, c := range r.Contributions {
				switch {
				case c.Rule == "views" && c.Kind == scoring.Engagement:
					got.views = c.Matches
				case c.Rule == "lost opportunity" && c.Kind == scoring.Adjustment:
					got.adjust = c.Matches
					if c.Points != -5*float64(c.Matches) {
						t.Errorf("adjustment line %+v", c)
					}
				default:
					t.Errorf("unexpected line %+v", c)
				}
			}
			if d := cmp.Diff(tt.want, got, cmp.AllowUnexported(want{})); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}

	// A lead created after the last 1 January: the yearly reset does not
	// apply to it.
	young := &lead.Lead{ID: "r2", CreatedAt: date(2026, 1, 5), Activities: []lead.Activity{view(date(2026, 1, 10))}}
	r, err := s.Score(young, date(2026, 3, 1))
	if err != nil {
		t.Fatal(err)
	}
	if r.Reset != (scoring.AppliedReset{}) || r.Engagement != 1 {
		t.Errorf("young lead: reset %+v, engagement %g; want none, 1", r.Reset, r.Engagement)
	}
}

func TestYearlyAdjustment(t *testing.T) {
	zone := leadkit.Zone("Europe/Berlin")
	s := scoring.MustCompile(scoring.Model{Resets: []scoring.Reset{
		{Name: "decay", Action: scoring.AdjustEngagement, Points: -10, Yearly: "07-01", Zone: zone},
	}})
	berlin, err := zone.Location()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		created time.Time
		asOf    time.Time
		n       int
	}{
		// 2023-07-01, 2024-07-01, 2025-07-01: 3 × −10.
		{"three years", date(2023, 3, 1), date(2026, 3, 1), 3},
		// Created on 2023-07-01 exactly: that date is not after the
		// creation; 2024 and 2025 count.
		{"created on the date", time.Date(2023, 7, 1, 0, 0, 0, 0, berlin), date(2026, 3, 1), 2},
		// Midnight in Berlin is 22:00 UTC the day before (summer
		// time, UTC+2): at 2025-06-30 22:00 UTC the 2025 date has come.
		{"zone midnight", date(2025, 3, 1), time.Date(2025, 6, 30, 22, 0, 0, 0, time.UTC), 1},
		// One second earlier it has not.
		{"before zone midnight", date(2025, 3, 1), time.Date(2025, 6, 30, 21, 59, 59, 0, time.UTC), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := s.Score(&lead.Lead{ID: "y", CreatedAt: tt.created}, tt.asOf)
			if err != nil {
				t.Fatal(err)
			}
			if want := -10 * float64(tt.n); r.Engagement != want {
				t.Errorf("engagement %g, want %g (%d dates); lines %+v", r.Engagement, want, tt.n, r.Contributions)
			}
		})
	}
}

func TestMatrix(t *testing.T) {
	// Fit is a base score set per case, engagement 1 per page view.
	m := scoring.Model{
		Rules: []scoring.Rule{
			{Name: "base", When: `true`},
			{Name: "views", Kind: scoring.Engagement, When: `type == "page_view"`, Points: 1},
		},
		Grades: scoring.Bands("A", 20, "B", 10, "C"),
		Bands:  scoring.Bands("1", 10, "2", 5, "3"),
	}
	tests := []struct {
		fit, views       int
		grade, band, out string
	}{
		{25, 12, "A", "1", "A1"},
		{15, 5, "B", "2", "B2"}, // 5 is band 2's inclusive lower bound
		{10, 4, "B", "3", "B3"},
		{0, 0, "C", "3", "C3"},
		{20, 10, "A", "1", "A1"},
	}
	for _, tt := range tests {
		mm := m
		mm.Rules = slices.Clone(m.Rules)
		mm.Rules[0].Points = float64(tt.fit)
		s := scoring.MustCompile(mm)
		l := &lead.Lead{ID: "m", CreatedAt: mon}
		for range tt.views {
			l.Activities = append(l.Activities, lead.Activity{Type: "page_view", At: mon})
		}
		r, err := s.Score(l, mon.Add(day))
		if err != nil {
			t.Fatal(err)
		}
		if r.Grade != tt.grade || r.Band != tt.band || r.Cell != tt.out {
			t.Errorf("fit %d, %d views: grade %q band %q cell %q; want %q %q %q", tt.fit, tt.views, r.Grade, r.Band, r.Cell, tt.grade, tt.band, tt.out)
		}
	}
	cells := scoring.MustCompile(m).Cells()
	if want := [][]string{{"A1", "A2", "A3"}, {"B1", "B2", "B3"}, {"C1", "C2", "C3"}}; !slices.EqualFunc(cells, want, slices.Equal) {
		t.Errorf("cells %q, want %q", cells, want)
	}
	// Without engagement bands there is no cell.
	s := scoring.MustCompile(scoring.Model{Grades: scoring.Bands("A", 0, "B")})
	if s.Cells() != nil || (*scoring.Scorer)(nil).Cells() != nil {
		t.Error("cells without bands, or of a nil scorer")
	}
	r, err := s.Score(&lead.Lead{ID: "n", CreatedAt: mon}, mon)
	if err != nil {
		t.Fatal(err)
	}
	if r.Grade != "A" || r.Band != "" || r.Cell != "" {
		t.Errorf("no bands: grade %q band %q cell %q", r.Grade, r.Band, r.Cell)
	}
}

func TestLimitsAndResetsValidation(t *testing.T) {
	eng := func(f scoring.Frequency) scoring.Model {
		return scoring.Model{Rules: []scoring.Rule{{Name: "e", Kind: scoring.Engagement, When: `type == "x"`, Points: 1, Frequency: &f}}}
	}
	reset := func(r scoring.Reset) scoring.Model { return scoring.Model{Resets: []scoring.Reset{r}} }
	tests := []struct {
		name  string
		m     scoring.Model
		paths []string
	}{
		{"fit rule with a frequency", scoring.Model{Rules: []scoring.Rule{{Name: "f", When: "true", Frequency: &scoring.Frequency{}}}}, []string{"rules[0].frequency"}},
		{"negative max", eng(scoring.Frequency{Max: -1}), []string{"rules[0].frequency.max"}},
		{"unknown period", eng(scoring.Frequency{Per: "fortnight"}), []string{"rules[0].frequency.per"}},
		{"negative window", eng(scoring.Frequency{Window: leadkit.Duration(-time.Hour)}), []string{"rules[0].frequency.window"}},
		{"per and window", eng(scoring.Frequency{Per: leadkit.Day, Window: leadkit.Duration(time.Hour)}), []string{"rules[0].frequency"}},
		{"zone without per", eng(scoring.Frequency{Zone: "UTC"}), []string{"rules[0].frequency.zone"}},
		{"bad zone", eng(scoring.Frequency{Per: leadkit.Day, Zone: "Mars/Base"}), []string{"rules[0].frequency.zone"}},
		{"unknown distinct", eng(scoring.Frequency{Distinct: "subject"}), []string{"rules[0].frequency.distinct"}},
		{"empty custom field", eng(scoring.Frequency{Distinct: "fields."}), []string{"rules[0].frequency.distinct"}},
		{"reset without name or trigger", reset(scoring.Reset{}), []string{"resets[0].name", "resets[0]"}},
		{"two triggers", reset(scoring.Reset{Name: "r", Stage: "recycled", Yearly: "01-01"}), []string{"resets[0]"}},
		{"unknown action", reset(scoring.Reset{Name: "r", Stage: "recycled", Action: "zero"}), []string{"resets[0].action"}},
		{"points on a reset", reset(scoring.Reset{Name: "r", Stage: "recycled", Points: -3}), []string{"resets[0].points"}},
		{"infinite points", reset(scoring.Reset{Name: "r", Stage: "recycled", Action: scoring.AdjustEngagement, Points: math.Inf(-1)}), []string{"resets[0].points"}},
		{"bad date", reset(scoring.Reset{Name: "r", Yearly: "13-01"}), []string{"resets[0].yearly"}},
		{"29 February", reset(scoring.Reset{Name: "r", Yearly: "02-29"}), []string{"resets[0].yearly"}},
		{"31 April", reset(scoring.Reset{Name: "r", Yearly: "04-31"}), []string{"resets[0].yearly"}},
		{"zone on a stage reset", reset(scoring.Reset{Name: "r", Stage: "recycled", Zone: "UTC"}), []string{"resets[0].zone"}},
		{"bad when", reset(scoring.Reset{Name: "r", When: `type ==`}), []string{"resets[0].when"}},
		{"duplicate names", scoring.Model{Resets: []scoring.Reset{{Name: "r", Stage: "a"}, {Name: "r", Stage: "b"}}}, []string{"resets[1].name"}},
		{"band overlap", scoring.Model{Bands: []scoring.GradeBand{{Grade: "1", Min: scoring.Float(5)}, {Grade: "2", Max: scoring.Float(6)}}}, []string{"bands[1].max"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scoring.Compile(tt.m)
			if err == nil {
				t.Fatal("compiled")
			}
			var got []string
			for _, e := range flatten(err) {
				var le *leadkit.Error
				if !errors.As(e, &le) {
					t.Fatalf("%T is not a *leadkit.Error: %v", e, e)
				}
				got = append(got, le.Path)
			}
			if !slices.Equal(got, tt.paths) {
				t.Errorf("paths %q, want %q\n%v", got, tt.paths, err)
			}
		})
	}
}

// flatten lists the errors joined in err.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestParseModelLimitsAndResets(t *testing.T) {
	src := `{
  "rules": [{"name": "opens", "kind": "engagement", "when": "type == \"email_open\"", "points": 1,
             "frequency": {"distinct": "fields.email_id", "per": "week", "zone": "Europe/Paris"}}],
  "bands": [{"grade": "1", "min": 10}, {"grade": "2", "max": 10}],
  "resets": [{"name": "recycled", "stage": "recycled"},
             {"name": "lost", "action": "adjust", "points": -5, "when": "type == \"opportunity_lost\""},
             {"name": "new year", "yearly": "01-01", "zone": "Europe/Paris"}]
}`
	m, err := scoring.ParseModel([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if f := m.Rules[0].Frequency; f == nil || f.Distinct != "fields.email_id" || f.Per != leadkit.Week || len(m.Resets) != 3 || len(m.Bands) != 2 {
		t.Fatalf("decoded %+v", m)
	}
	// A misspelt field in a frequency limit: its path, line and column.
	bad := strings.Replace(src, `"distinct"`, `"distinkt"`, 1)
	_, err = scoring.ParseModel([]byte(bad))
	var le *leadkit.Error
	if !errors.As(err, &le) || le.Path != "rules[0].frequency.distinkt" || le.Line != 3 || le.Column == 0 {
		t.Errorf("misspelt field: %#v", err)
	}
	// Defaults filled in: {} is {"max": 1}, no action is "reset".
	a := scoring.MustCompile(scoring.Model{
		Rules:  []scoring.Rule{{Name: "e", Kind: scoring.Engagement, When: "true", Points: 1, Frequency: &scoring.Frequency{}}},
		Resets: []scoring.Reset{{Name: "r", Stage: "recycled"}},
	})
	b := scoring.MustCompile(scoring.Model{
		Rules:  []scoring.Rule{{Name: "e", Kind: scoring.Engagement, When: "true", Points: 1, Frequency: &scoring.Frequency{Max: 1}}},
		Resets: []scoring.Reset{{Name: "r", Stage: "recycled", Action: scoring.ResetEngagement}},
	})
	c := scoring.MustCompile(scoring.Model{
		Rules:  []scoring.Rule{{Name: "e", Kind: scoring.Engagement, When: "true", Points: 1, Frequency: &scoring.Frequency{Max: 2}}},
		Resets: []scoring.Reset{{Name: "r", Stage: "recycled"}},
	})
	if a.Fingerprint() != b.Fingerprint() || a.Fingerprint() == c.Fingerprint() {
		t.Errorf("fingerprints %s %s %s: want the first two equal, the third different", a.Fingerprint(), b.Fingerprint(), c.Fingerprint())
	}
}

// TestLimitsHostileLeads scores leads built to make limits and resets
// slow or wrong: 100,000 activities each with its own distinct value and
// in reverse time order, and a lead created in year 1 scored in year
// 9999 with yearly adjustments (counted by arithmetic, not walked).
func TestLimitsHostileLeads(t *testing.T) {
	s := scoring.MustCompile(scoring.Model{
		Rules: []scoring.Rule{
			{Name: "per id", Kind: scoring.Engagement, When: `type == "email_open"`, Points: 1, Frequency: &scoring.Frequency{Distinct: "fields.email_id", Per: leadkit.Day}},
			{Name: "rolling", Kind: scoring.Engagement, When: `type == "email_open"`, Points: 1, Frequency: &scoring.Frequency{Max: 10, Window: leadkit.MustParseDuration("1h")}},
		},
		Resets: []scoring.Reset{{Name: "yearly", Action: scoring.AdjustEngagement, Points: -1, Yearly: "01-01"}},
	})
	const n = 100_000
	l := &lead.Lead{ID: "h", CreatedAt: mon.Add(-n * time.Minute)}
	for i := range n {
		// One open a minute, newest first; ids e0..e99999.
		l.Activities = append(l.Activities, open(mon.Add(-time.Duration(i)*time.Minute), "e"+strconv.Itoa(i), ""))
	}
	start := time.Now()
	r, err := s.Score(l, mon)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("100,000 activities: %v", time.Since(start))
	// Every id is distinct: all 100,000 count. Rolling, in time order
	// at minutes k = 0..99,999: minutes 0-9 count; 10-59 are removed
	// (10 counted in the hour ending at each); at 60 the span (0, 60]
	// holds 9 counted (minute 0 is out), so 60-69 count, 70-119 do
	// not, and so on: 10 in each hour from minute 0. 100,000 minutes
	// are 1666 hours (16,660) and 40 minutes (10): 16,670. The adjustment: 1 January 2026 is in (created, mon], since
	// 100,000 minutes is 69.4 days before 2 March: −1.
	want := map[string]int{"per id": n, "rolling": 16670, "yearly": 1}
	for _, c := range r.Contributions {
		if c.Matches != want[c.Rule] {
			t.Errorf("%s: %d matches, want %d", c.Rule, c.Matches, want[c.Rule])
		}
	}
	if r.Engagement != n+16670-1 {
		t.Errorf("engagement %g", r.Engagement)
	}

	old := &lead.Lead{ID: "o", CreatedAt: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)}
	r, err = s.Score(old, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	// 1 January of years 2..9999: the one of year 1 is the creation
	// instant itself, not after it. 9998 dates.
	if r.Engagement != -9998 {
		t.Errorf("engagement %g, want -9998", r.Engagement)
	}
}

// TestLimitsConcurrent scores the sample leads with the limited benchmark
// model (every limit, plus resets) from several goroutines and with
// ScoreAll: each must match one sequential pass (run with -race).
func TestLimitsConcurrent(t *testing.T) {
	m := benchModelLimited()
	m.Bands = scoring.Bands("1", 20, "2", 5, "3")
	m.Resets = []scoring.Reset{
		{Name: "recycled", Stage: lead.StageRecycled},
		{Name: "unsubscribe", Action: scoring.AdjustEngagement, Points: -3, When: `type == "unsubscribe"`},
		{Name: "new year", Yearly: "10-01"},
	}
	s := scoring.MustCompile(m)
	leads := benchLeads(1500)
	want := make([]scoring.Result, len(leads))
	limited, reset := 0, 0
	for i := range leads {
		r, err := s.Score(&leads[i], benchNow)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = r
		for _, c := range r.Contributions {
			limited += c.Limited
		}
		if r.Reset.Name != "" {
			reset++
		}
	}
	if limited == 0 || reset == 0 {
		t.Fatalf("the sample exercises nothing: %d activities limited, %d leads reset", limited, reset)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var r scoring.Result
			for k := range leads {
				i := (k + g*97) % len(leads)
				if err := s.ScoreInto(&r, &leads[i], benchNow); err != nil {
					t.Error(err)
					return
				}
				if d := cmp.Diff(want[i], r, cmpopts.EquateEmpty()); d != "" {
					t.Errorf("goroutine %d, lead %d (-sequential +concurrent):\n%s", g, i, d)
					return
				}
			}
		}()
	}
	wg.Wait()
	all, errs := s.ScoreAll(leads, benchNow)
	if errs != nil {
		t.Fatal(errs)
	}
	if d := cmp.Diff(want, all, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("ScoreAll (-Score +ScoreAll):\n%s", d)
	}
}

// TestRangesWithFrequency: a rule limited to N activities ever adds at
// most N × points, so the reachable engagement range is bounded; other
// limits (per period, window or distinct value) leave it unbounded.
func TestRangesWithFrequency(t *testing.T) {
	rule := func(f *scoring.Frequency, pts float64) scoring.Rule {
		return scoring.Rule{Name: "r", Kind: scoring.Engagement, When: `type == "demo_request"`, Points: pts, Frequency: f}
	}
	tests := []struct {
		name string
		r    scoring.Rule
		want scoring.Range
	}{
		// Once ever at 25: [0, 25].
		{"once ever", rule(&scoring.Frequency{}, 25), scoring.Range{Min: 0, Max: 25}},
		// Three times ever at −4: [−12, 0].
		{"three times, negative", rule(&scoring.Frequency{Max: 3}, -4), scoring.Range{Min: -12, Max: 0}},
		{"once a day", rule(&scoring.Frequency{Per: leadkit.Day}, 25), scoring.Range{Min: 0, Max: math.Inf(1)}},
		{"once per campaign", rule(&scoring.Frequency{Distinct: "campaign"}, 25), scoring.Range{Min: 0, Max: math.Inf(1)}},
		{"no limit", rule(nil, 25), scoring.Range{Min: 0, Max: math.Inf(1)}},
	}
	for _, tt := range tests {
		got := scoring.MustCompile(scoring.Model{Rules: []scoring.Rule{tt.r}}).Ranges().Engagement
		if got != tt.want {
			t.Errorf("%s: engagement range %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// TestReplayShowsResets: a replay steps through the instants of the
// resets too, so the chart of the score shows each drop when it happens.
func TestReplayShowsResets(t *testing.T) {
	s := scoring.MustCompile(resetModel())
	l := &lead.Lead{
		ID: "r", CreatedAt: date(2025, 6, 1),
		History: []lead.Transition{{From: "mql", To: lead.StageRecycled, At: date(2025, 8, 15)}, {From: "lead", To: "mql", At: date(2025, 7, 15)}},
		Activities: []lead.Activity{
			{Type: "page_view", At: date(2025, 7, 1)}, {Type: "page_view", At: date(2025, 8, 1)}, {Type: "page_view", At: date(2025, 12, 1)},
		},
	}
	h, err := s.Replay(l, date(2026, 2, 1))
	if err != nil {
		t.Fatal(err)
	}
	// Created 06-01 (0), views 07-01 (1) and 08-01 (2), recycled 08-15
	// (0: a reset), view 12-01 (1), new year 2026-01-01 (0), now 02-01
	// (0). The change to mql triggers no reset: no step.
	type step struct {
		at  time.Time
		eng float64
	}
	want := []step{
		{date(2025, 6, 1), 0}, {date(2025, 7, 1), 1}, {date(2025, 8, 1), 2}, {date(2025, 8, 15), 0},
		{date(2025, 12, 1), 1}, {date(2026, 1, 1), 0}, {date(2026, 2, 1), 0},
	}
	var got []step
	for _, st := range h.Steps {
		got = append(got, step{st.At, st.Engagement})
	}
	if d := cmp.Diff(want, got, cmp.AllowUnexported(step{})); d != "" {
		t.Errorf("steps (-want +got):\n%s", d)
	}
}
