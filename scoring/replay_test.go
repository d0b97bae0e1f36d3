package scoring

import (
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit/lead"
)

func TestReplay(t *testing.T) {
	s := MustCompile(Model{
		Rules: []Rule{
			{Name: "vp", When: `icontains(person.title, "vp")`, Points: 20},
			{Name: "views", Kind: Engagement, When: `type == "page_view"`, Points: 10},
		},
		Grades: Bands("A", 20, "B"),
		Qualification: []QualificationStage{
			{Stage: lead.StageMQL, Criteria: []Criterion{{Name: "40+", When: "total >= 40"}}},
			{Stage: lead.StageSQL, Criteria: []Criterion{{Name: "50+", When: "total >= 50"}}},
		},
	})
	day := func(n int) time.Time { return learnT0.AddDate(0, 0, n) }
	l := &lead.Lead{ID: "x", CreatedAt: day(0), Person: lead.Person{Title: "VP Sales"}, Activities: []lead.Activity{
		{Type: "page_view", At: day(3)}, {Type: "page_view", At: day(1)}, {Type: "page_view", At: day(6)},
		{Type: "page_view", At: day(2)}, {Type: "email_open", At: day(2)},
	}}
	h, err := s.Replay(l, day(5))
	if err != nil {
		t.Fatal(err)
	}
	// Creation (fit 20), three views on days 1, 2, 3 (+10 each; the
	// email on day 2 is the same instant), now on day 5; day 6 is after
	// now. MQL at 40 (day 2), SQL at 50 (day 3).
	want := []struct {
		day   int
		total float64
		stage lead.Stage
	}{{0, 20, ""}, {1, 30, ""}, {2, 40, lead.StageMQL}, {3, 50, lead.StageSQL}, {5, 50, lead.StageSQL}}
	if len(h.Steps) != len(want) {
		t.Fatalf("%d steps: %+v", len(h.Steps), h.Steps)
	}
	for i, w := range want {
		st := h.Steps[i]
		if !st.At.Equal(day(w.day)) || st.Total != w.total || st.Stage != w.stage || st.Grade != "A" {
			t.Errorf("step %d = %+v, want day %d total %v stage %q", i, st, w.day, w.total, w.stage)
		}
		// Each step is what Score gives as of its instant.
		r, err := s.Score(l, st.At)
		if err != nil || r.Total != st.Total || r.Qualification.Stage != st.Stage {
			t.Errorf("step %d: Score gives %v %q (%v)", i, r.Total, r.Qualification.Stage, err)
		}
	}
	for _, c := range []struct {
		name string
		got  func() (Step, bool)
		day  int // -1: never
	}{
		{"total 35", func() (Step, bool) { return h.FirstTotal(35) }, 2},
		{"total 100", func() (Step, bool) { return h.FirstTotal(100) }, -1},
		{"MQL", func() (Step, bool) { return h.FirstStage(lead.StageMQL) }, 2},
		{"SQL", func() (Step, bool) { return h.FirstStage(lead.StageSQL) }, 3},
		{"unknown stage", func() (Step, bool) { return h.FirstStage("Customer") }, -1},
		{"grade B or better", func() (Step, bool) { return h.FirstGrade("B") }, 0},
		{"unknown grade", func() (Step, bool) { return h.FirstGrade("Z") }, -1},
	} {
		st, ok := c.got()
		if ok != (c.day >= 0) || (ok && !st.At.Equal(day(c.day))) {
			t.Errorf("%s: %v %v, want day %d", c.name, st.At, ok, c.day)
		}
	}
	// A grade worse than every step's: never reached by a lead graded B.
	hb, err := s.Replay(&lead.Lead{ID: "y", CreatedAt: day(0)}, day(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := hb.FirstGrade("A"); ok {
		t.Error("a B lead reached A")
	}
	if st, ok := hb.FirstGrade("B"); !ok || !st.At.Equal(day(0)) {
		t.Errorf("a B lead reached B at %v %v", st.At, ok)
	}
}

func TestReplayRefuses(t *testing.T) {
	bad := MustCompile(Model{Rules: []Rule{{Name: "n", When: "fields.n > 1", Points: 1}}})
	for _, c := range []struct {
		s    *Scorer
		l    *lead.Lead
		want string
	}{
		{nil, &lead.Lead{}, "nil *Scorer"},
		{countScorer, nil, "lead: nil"},
		{bad, &lead.Lead{ID: "q", Fields: map[string]any{"n": "s"}}, `"q"`},
	} {
		if _, err := c.s.Replay(c.l, learnT0); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("err = %v, want %q", err, c.want)
		}
	}
	// A lead created after now has only now.
	h, err := countScorer.Replay(&lead.Lead{ID: "z", CreatedAt: learnT0.Add(time.Hour)}, learnT0)
	if err != nil || len(h.Steps) != 1 || !h.Steps[0].At.Equal(learnT0) {
		t.Errorf("future lead: %+v %v", h, err)
	}
}
