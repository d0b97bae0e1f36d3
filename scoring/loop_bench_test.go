package scoring_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

// learnData returns n leads with f boolean custom fields x0..x(f-1),
// each true with probability 0.3, converted with probability
// σ(−1 + Σ w_k x_k) for weights w_k from −1 to 1; and one rule per
// field.
func learnData(n, f int) ([]scoring.Outcome, []scoring.Rule) {
	r := rand.New(rand.NewPCG(3, 4))
	var rules []scoring.Rule
	for k := range f {
		rules = append(rules, scoring.Rule{Name: fmt.Sprint("x", k), When: fmt.Sprintf("fields.x%d == true", k)})
	}
	out := make([]scoring.Outcome, n)
	for i := range out {
		fields := make(map[string]any, f)
		e := -1.0
		for k := range f {
			on := r.Float64() < 0.3
			fields[fmt.Sprint("x", k)] = on
			if on {
				e += -1 + 2*float64(k)/float64(f-1)
			}
		}
		l := &lead.Lead{ID: fmt.Sprintf("L%07d", i), CreatedAt: benchNow, Fields: fields}
		out[i] = scoring.Outcome{Lead: l, DecidedAt: benchNow, Converted: r.Float64() < 1/(1+math.Exp(-e))}
	}
	return out, rules
}

// BenchmarkLearn100kx50 learns from 100,000 leads and 50 features with
// the default options (5 penalties × 5 folds of cross-validation, then
// the final fit); BenchmarkLearn100kx50OnePenalty with one penalty and
// 2 folds. The baseline, BenchmarkLearnBaselineScore100kx50, scores the
// leads once with the 50 rules: the work of reading the features, which
// every learner must do.
func BenchmarkLearn100kx50(b *testing.B) {
	benchLearn(b, scoring.LearnOptions{})
}

func BenchmarkLearn100kx50OnePenalty(b *testing.B) {
	benchLearn(b, scoring.LearnOptions{Lambdas: []float64{1e-4}, Folds: 2})
}

func benchLearn(b *testing.B, opts scoring.LearnOptions) {
	data, rules := learnData(100000, 50)
	opts.Rules = rules
	b.ReportAllocs()
	b.ResetTimer()
	var l scoring.Learned
	for b.Loop() {
		var err error
		if l, err = scoring.Learn(data, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(l.Iterations), "newton-steps")
	auc, _ := l.HoldoutAUC.Float64()
	b.ReportMetric(auc, "holdout-auc")
}

func BenchmarkLearnBaselineScore100kx50(b *testing.B) {
	data, rules := learnData(100000, 50)
	for i := range rules {
		rules[i].Points = 1
	}
	s := scoring.MustCompile(scoring.Model{Rules: rules})
	var r scoring.Result
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, o := range data {
			if err := s.ScoreInto(&r, o.Lead, o.DecidedAt); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// replayLead is a sample lead with 100 activities, one a day.
func replayLead() *lead.Lead {
	l := benchLeads(1)[0]
	l.Activities = nil
	types := []lead.ActivityType{lead.ActivityPageView, lead.ActivityEmailClick, lead.ActivityEmailOpen, lead.ActivityWebinarAttended}
	for i := range 100 {
		l.Activities = append(l.Activities, lead.Activity{Type: types[i%len(types)], At: benchNow.AddDate(0, 0, -100+i), URL: "/pricing"})
	}
	return &l
}

// BenchmarkReplay100 replays a lead with 100 activities under the
// benchmark model; BenchmarkReplayBaselineScore100 scores it once, as of
// now. Their ratio is the cost of a replay in scores.
func BenchmarkReplay100(b *testing.B) {
	s := scoring.MustCompile(benchModel())
	l := replayLead()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Replay(l, benchNow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReplayBaselineScore100(b *testing.B) {
	s := scoring.MustCompile(benchModel())
	l := replayLead()
	var r scoring.Result
	b.ReportAllocs()
	for b.Loop() {
		if err := s.ScoreInto(&r, l, benchNow); err != nil {
			b.Fatal(err)
		}
	}
}
