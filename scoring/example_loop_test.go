package scoring_test

import (
	"fmt"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

// outcomes returns 200 leads: referred leads convert 3 times in 4, the
// others 1 time in 4; half of each group has a VP title, which makes no
// difference.
func outcomes() []scoring.Outcome {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var out []scoring.Outcome
	for i := range 200 {
		l := &lead.Lead{ID: fmt.Sprintf("L%03d", i), CreatedAt: at, Source: lead.Source{Channel: "ads"}}
		if i%2 == 0 {
			l.Source.Channel = "referral"
		}
		if i%4 < 2 {
			l.Person.Title = "VP Sales"
		}
		converted := i%8 == 1 // 1 in 4 of the others
		if i%2 == 0 {
			converted = i%8 != 0 // 3 in 4 of the referred
		}
		out = append(out, scoring.Outcome{Lead: l, DecidedAt: at, Converted: converted})
	}
	return out
}

func ExampleLearn() {
	learned, err := scoring.Learn(outcomes(), scoring.LearnOptions{
		Name:       "learned",
		Rules:      []scoring.Rule{{Name: "vp", When: `icontains(person.title, "vp")`}},
		Categories: []scoring.CategoryFeature{{Key: "source.channel"}},
		Holdout:    -1, // learn on every lead
		Lambdas:    []float64{1e-6},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// ln 3 − ln(1/3) = 2.197 log-odds between the channels, shared by
	// their two rules (the L2 penalty splits it evenly: ±1.0986 each);
	// the VP title adds nothing. 20 points double the odds:
	// 1.0986 × 20 / ln 2 = 31.70.
	for _, r := range learned.Model.Rules {
		fmt.Printf("%-35s %6.2f\n", r.Name, r.Points)
	}
	// Output:
	// vp                                    0.00
	// source.channel is "ads"             -31.70
	// source.channel is "referral"         31.70
	// source.channel is another value       0.00
	// base score                            0.00
}

func ExampleEvaluation_Diagnostics() {
	s := scoring.MustCompile(scoring.Model{Rules: []scoring.Rule{{Name: "referral", When: `source.channel == "referral"`, Points: 20}}})
	ev, _ := s.NewEvaluation(time.Time{}, scoring.EvalOptions{})
	for _, o := range outcomes() {
		ev.Add(o)
	}
	// The model's author claims 0 points is odds of 1 to 3 and every 10
	// points double them: 20 points would be odds 4 to 3, 57%.
	d, _ := ev.Diagnostics(&scoring.OddsScale{PointsToDoubleOdds: 10, Score: 0, Odds: 1.0 / 3})
	fmt.Printf("AUC %s ± %.4f\n", d.AUC, *d.AUCStdErr)
	for _, dc := range d.Deciles {
		if dc.Leads > 0 {
			fmt.Printf("decile %d: %d leads, lift %s\n", dc.Decile, dc.Leads, dc.Lift)
		}
	}
	for _, c := range d.Calibration {
		if c.Leads > 0 {
			fmt.Printf("from %v: predicted %.2f, observed %s\n", *c.Min, *c.Predicted, c.Observed)
		}
	}
	// The 100 referred leads (75 converted) score 20, the others (25
	// converted) 0. DeLong: a converted lead at 20 outscores 75 of the
	// 100 others and ties 25 (placement 0.875), one at 0 ties 75
	// (0.375): S10 = (75·0.125² + 25·0.375²)/99 = 0.0473485, and S01
	// the same by symmetry; SE = sqrt(2 · 0.0473485/100) = 0.0308.
	// Each tie of 100 leads goes whole to the decile of its middle
	// rank: 3 and 8. The data says 20 points is 75%, not 57%: the
	// claimed scale under-predicts.
	// Output:
	// AUC 0.7500 ± 0.0308
	// decile 3: 100 leads, lift 1.5000
	// decile 8: 100 leads, lift 0.5000
	// from 20: predicted 0.57, observed 0.7500
	// from 0: predicted 0.25, observed 0.2500
}

func ExampleCompare() {
	champion := scoring.MustCompile(scoring.Model{Name: "titles", Rules: []scoring.Rule{{Name: "vp", When: `icontains(person.title, "vp")`, Points: 20}}})
	challenger := scoring.MustCompile(scoring.Model{Name: "referrals", Rules: []scoring.Rule{{Name: "referral", When: `source.channel == "referral"`, Points: 20}}})
	c, err := scoring.Compare(champion, challenger, outcomes(), scoring.CompareOptions{
		Champion:   scoring.EvalOptions{Thresholds: []float64{10}},
		Challenger: scoring.EvalOptions{Thresholds: []float64{10}},
		MaxChanges: 2,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("AUC %s vs %s: %+.2f in [%+.2f, %+.2f]: %s\n", c.Champion.Report.AUC, c.Challenger.Report.AUC, *c.Difference, *c.Low, *c.High, c.Verdict)
	for _, t := range c.Bands {
		fmt.Printf("%s -> %s: %d\n", t.From, t.To, t.Leads)
	}
	fmt.Println(c.Changed, "leads change band; the first:", c.Changes[0].LeadID, c.Changes[1].LeadID)
	// The titles say nothing (AUC 0.5); the referrals rank right 3
	// times in 4 (0.75). Half of each title group is referred, so the
	// band transitions are 50 leads each.
	// Output:
	// AUC 0.5000 vs 0.7500: +0.25 in [+0.16, +0.34]: better
	// [-inf, 10) -> [-inf, 10): 50
	// [-inf, 10) -> [10, +inf): 50
	// [10, +inf) -> [-inf, 10): 50
	// [10, +inf) -> [10, +inf): 50
	// 100 leads change band; the first: L001 L002
}

func ExampleEvaluation_Recommend() {
	s := scoring.MustCompile(scoring.Model{Rules: []scoring.Rule{{Name: "referral", When: `source.channel == "referral"`, Points: 20}}})
	ev, _ := s.NewEvaluation(time.Time{}, scoring.EvalOptions{})
	for _, o := range outcomes() {
		ev.Add(o)
	}
	week := leadkit.Duration(7 * 24 * time.Hour)
	for _, g := range []scoring.Goal{
		{Capacity: 15, Per: week, Over: 10 * week}, // 200 leads in 10 weeks
		{Capacity: 5, Per: week, Over: 10 * week},
		{MinPrecision: 0.7},
	} {
		r, _ := ev.Recommend(g)
		if !r.Met {
			fmt.Println("no threshold:", r.Reason)
			continue
		}
		fmt.Printf("from %g: %s a week, precision %s, recall %s\n", *r.Threshold, r.PerPeriod, r.Precision, r.Recall)
	}
	// 15 a week over 10 weeks allows 150 leads: the 100 referred (75
	// converted) fit, all 200 do not. 5 a week (50 leads) is less than
	// the top score's 100 leads.
	// Output:
	// from 20: 10.0000 a week, precision 0.7500, recall 0.7500
	// no threshold: even the highest score qualifies more than 5 leads per 7d
	// from 20: n/a a week, precision 0.7500, recall 0.7500
}

func ExampleScorer_Replay() {
	s := scoring.MustCompile(scoring.Model{
		Rules: []scoring.Rule{{Name: "demo request", Kind: scoring.Engagement, When: `type == "form_submit"`, Points: 30}},
		Qualification: []scoring.QualificationStage{
			{Stage: lead.StageMQL, Criteria: []scoring.Criterion{{Name: "50 points", When: "total >= 50"}}},
		},
	})
	day := func(n int) time.Time { return time.Date(2026, 3, n, 9, 0, 0, 0, time.UTC) }
	l := &lead.Lead{ID: "x", CreatedAt: day(1), Activities: []lead.Activity{
		{Type: "form_submit", At: day(4)}, {Type: "form_submit", At: day(2)},
	}}
	h, _ := s.Replay(l, day(10))
	for _, st := range h.Steps {
		fmt.Printf("%s %g %q\n", st.At.Format(time.DateOnly), st.Total, st.Stage)
	}
	mql, ok := h.FirstStage(lead.StageMQL)
	fmt.Println("MQL since", mql.At.Format(time.DateOnly), ok)
	// Output:
	// 2026-03-01 0 ""
	// 2026-03-02 30 ""
	// 2026-03-04 60 "mql"
	// 2026-03-10 60 "mql"
	// MQL since 2026-03-04 true
}
