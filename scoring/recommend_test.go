package scoring

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
)

// hundred returns an evaluation of 100 leads scoring 0..99 under
// countScorer, converted when conv(score).
func hundred(t *testing.T, conv func(int) bool) *Evaluation {
	t.Helper()
	ev, err := countScorer.NewEvaluation(time.Time{}, EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		if err := ev.Add(scoredAt(fmt.Sprint(i), i, conv(i))); err != nil {
			t.Fatal(err)
		}
	}
	return ev
}

func week(n int) leadkit.Duration { return leadkit.Duration(time.Duration(n) * 7 * 24 * time.Hour) }

func TestRecommend(t *testing.T) {
	// 100 leads scoring 0..99, the 40 from 60 up converted, arrived over
	// 10 weeks. Qualifying from t: above 100−t, captured min(40, 100−t).
	top40 := func(s int) bool { return s >= 60 }
	cases := []struct {
		name string
		conv func(int) bool
		goal Goal
		want string // "threshold above captured per-period" or the reason
	}{
		// 5 a week over 10 weeks: at most 50 leads, so t = 50: 40 of 50.
		{"capacity", top40, Goal{Capacity: 5, Per: week(1), Over: week(10)}, "50 50 40 5.0000"},
		// 40/(100−t) ≥ 0.9 ⇔ 100−t ≤ 44.4: t = 56, 40 of 44.
		{"precision", top40, Goal{MinPrecision: 0.9}, "56 44 40 n/a"},
		// captured ≥ 20 ⇔ t ≤ 80: the highest, 80, 20 of 20.
		{"recall", top40, Goal{MinRecall: 0.5}, "80 20 20 n/a"},
		// Capacity 1000 a week is more than the data: every lead, 10 a week.
		{"capacity beyond the data", top40, Goal{Capacity: 1000, Per: week(1), Over: week(10)}, "0 100 40 10.0000"},
		// Every lead converted: precision 1 everywhere, the lowest wins.
		{"all converted", func(int) bool { return true }, Goal{MinPrecision: 0.9}, "0 100 100 n/a"},
		// Capacity 3 a week needs t ≥ 70, recall 0.9 needs t ≤ 64.
		{"conflicting", top40, Goal{Capacity: 3, Per: week(1), Over: week(10), MinRecall: 0.9}, "no threshold meets every part of the goal at once"},
		{"no conversions, precision", func(int) bool { return false }, Goal{MinPrecision: 0.1}, "no lead converted: no threshold has any precision"},
		{"no conversions, recall", func(int) bool { return false }, Goal{MinRecall: 0.1}, "no lead converted: recall is undefined"},
		// Precision 1 holds only from t = 60: 40 leads, fewer than 50.
		{"too few", top40, Goal{MinPrecision: 1, MinLeads: 50}, "only thresholds qualifying fewer than 50 leads reach a precision of 1: too few to say"},
		{"too few converted", top40, Goal{MinRecall: 0.5, MinLeads: 41}, "only 40 leads converted: too few to set a recall goal on (min_leads 41)"},
		// 1 a week over 10 weeks: at most 10 leads; the top score alone is 1.
		{"capacity met by the top", top40, Goal{Capacity: 1, Per: week(1), Over: week(10)}, "90 10 10 1.0000"},
		// A capacity of 1 per week over 1000 weeks of 100 leads: all of them (0.1 a week).
		{"slow arrivals", top40, Goal{Capacity: 1, Per: week(1), Over: week(1000)}, "0 100 40 0.1000"},
		{"precision never reached", func(s int) bool { return s%2 == 0 }, Goal{MinPrecision: 0.9}, "no threshold reaches a precision of 0.9"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := hundred(t, c.conv).Recommend(c.goal)
			if err != nil {
				t.Fatal(err)
			}
			got := r.Reason
			if r.Met {
				got = fmt.Sprintf("%v %d %d %v", *r.Threshold, r.Above, r.Captured, r.PerPeriod)
			}
			if got != c.want || r.Met == (r.Reason != "") {
				t.Fatalf("got %q (%+v), want %q", got, r, c.want)
			}
		})
	}
}

func TestRecommendRefuses(t *testing.T) {
	empty, _ := countScorer.NewEvaluation(time.Time{}, EvalOptions{})
	if r, err := empty.Recommend(Goal{MinRecall: 0.5}); err != nil || r.Met || r.Reason != "no leads were evaluated" {
		t.Errorf("empty: %+v %v", r, err)
	}
	same, _ := countScorer.NewEvaluation(time.Time{}, EvalOptions{})
	for i := range 100 {
		same.Add(scoredAt(fmt.Sprint(i), 5, i < 50))
	}
	if r, _ := same.Recommend(Goal{Capacity: 10, Per: week(1), Over: week(1)}); r.Reason != "even the highest score qualifies more than 10 leads per 7d" {
		t.Errorf("one score: %+v", r)
	}
	ev := hundred(t, func(int) bool { return true })
	for _, c := range []struct {
		e    *Evaluation
		g    Goal
		want string
	}{
		{nil, Goal{MinRecall: 1}, "not initialized"},
		{&Evaluation{}, Goal{MinRecall: 1}, "not initialized"},
		{ev, Goal{}, "no goal"},
		{ev, Goal{Capacity: 5}, "per:"},
		{ev, Goal{Capacity: -1, MinRecall: 0.5}, "capacity:"},
		{ev, Goal{MinPrecision: 1.5}, "min_precision"},
		{ev, Goal{MinRecall: -0.1}, "min_recall"},
		{ev, Goal{MinRecall: 0.1, MinLeads: -1}, "min_leads"},
	} {
		if _, err := c.e.Recommend(c.g); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err = %v, want %q", c.g, err, c.want)
		}
	}
}
