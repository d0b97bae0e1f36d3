package scoring_test

import (
	"encoding/json"
	"errors"
	"github.com/leadkit/leadkit"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
	"github.com/shopspring/decimal"
)

var t0 = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

// daysAgo returns the instant d days of 24 hours before t0.
func daysAgo(d float64) time.Time { return t0.Add(-time.Duration(d * 24 * float64(time.Hour))) }

func act(typ lead.ActivityType, ago float64) lead.Activity {
	return lead.Activity{Type: typ, At: daysAgo(ago)}
}

func TestEngagementDecayWindowCaps(t *testing.T) {
	f := scoring.Float
	clicks := []lead.Activity{
		act("email_click", 0), act("email_click", 7), act("email_click", 14),
		act("email_click", -1), // tomorrow: after now, never counts
		act("page_view", 1),
	}
	tests := []struct {
		name string
		rule scoring.Rule
		want scoring.Contribution
	}{
		{
			// 3 clicks × 8 = 24 points before decay.
			name: "no decay",
			rule: scoring.Rule{Points: 8},
			want: scoring.Contribution{Matches: 3, Base: 24, Decayed: 24, Points: 24},
		},
		{
			// Half-life 7 days: ages 0, 7, 14 days weigh 1, 1/2, 1/4:
			// 8 + 4 + 2 = 14.
			name: "half-life",
			rule: scoring.Rule{Points: 8, HalfLife: leadkit.MustParseDuration("7d")},
			want: scoring.Contribution{Matches: 3, Base: 24, Decayed: 14, Points: 14},
		},
		{
			// As above, capped at 12: 14 − 12 = 2 clipped.
			name: "half-life and max",
			rule: scoring.Rule{Points: 8, HalfLife: leadkit.MustParseDuration("1w"), Max: f(12)},
			want: scoring.Contribution{Matches: 3, Base: 24, Decayed: 14, Points: 12, Clipped: 2},
		},
		{
			// Within 10 days: the 14-day-old click drops out: 8 + 8 = 16.
			name: "within",
			rule: scoring.Rule{Points: 8, Within: leadkit.MustParseDuration("10d")},
			want: scoring.Contribution{Matches: 2, Base: 16, Decayed: 16, Points: 16},
		},
		{
			// Within 7 days is inclusive of an activity exactly 7 days
			// old: 2 clicks, 16 points.
			name: "within boundary",
			rule: scoring.Rule{Points: 8, Within: leadkit.MustParseDuration("7d")},
			want: scoring.Contribution{Matches: 2, Base: 16, Decayed: 16, Points: 16},
		},
		{
			// Negative points with a floor: 3 × −10 = −30, kept at −25;
			// clipped = −30 − (−25) = −5.
			name: "negative with min",
			rule: scoring.Rule{Points: -10, Min: f(-25)},
			want: scoring.Contribution{Matches: 3, Base: -30, Decayed: -30, Points: -25, Clipped: -5},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.rule
			r.Name, r.Kind, r.When = "clicks", scoring.Engagement, `type == "email_click"`
			s := scoring.MustCompile(scoring.Model{Rules: []scoring.Rule{r}})
			res, err := s.Score(&lead.Lead{ID: "x", CreatedAt: daysAgo(30), Activities: clicks}, t0)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			want.Rule, want.Kind = "clicks", scoring.Engagement
			if diff := cmp.Diff([]scoring.Contribution{want}, res.Contributions, approx()); diff != "" {
				t.Errorf("contributions (-want +got):\n%s", diff)
			}
			if math.Abs(res.Engagement-want.Points) > 1e-9 || math.Abs(res.Total-want.Points) > 1e-9 {
				t.Errorf("engagement %v total %v, want %v", res.Engagement, res.Total, want.Points)
			}
		})
	}
}

func approx() cmp.Option {
	return cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) <= 1e-9 })
}

// fitModel has three fit rules (30, 40, −5 points), one engagement rule
// (10 per demo request) and caps fit at 60 and the total at 65.
func fitModel() scoring.Model {
	f := scoring.Float
	return scoring.Model{
		Name: "caps",
		Rules: []scoring.Rule{
			{Name: "mid-market", When: `company.employees >= 200`, Points: 30},
			{Name: "senior", When: `person.seniority in ["vp", "executive"]`, Points: 40},
			{Name: "free mail", When: `free_email(person.email)`, Points: -5},
			{Name: "demo", Kind: scoring.Engagement, When: `type == "demo_request"`, Points: 10},
		},
		Limits: scoring.Limits{Fit: scoring.Limit{Max: f(60)}, Total: scoring.Limit{Max: f(65)}},
		Grades: scoring.Bands("A", 60, "B", 40, "C", 20, "D"),
	}
}

func TestGroupCapsAndExplanation(t *testing.T) {
	s := scoring.MustCompile(fitModel())
	l := &lead.Lead{
		ID: "l1", CreatedAt: daysAgo(30),
		Person:     lead.Person{Seniority: lead.SeniorityVP, Email: "a@acme.com"},
		Company:    lead.Company{Employees: 500},
		Activities: []lead.Activity{act("demo_request", 2), act("demo_request", 1)},
	}
	got, err := s.Score(l, t0)
	if err != nil {
		t.Fatal(err)
	}
	// Fit: 30 + 40 = 70, capped at 60 (10 clipped). Engagement: 2 × 10 =
	// 20. Total: 60 + 20 = 80, capped at 65 (15 clipped). Grade from fit
	// 60: A (A starts at 60 inclusive).
	want := scoring.Result{
		Model: s.Fingerprint(), LeadID: "l1", At: t0,
		Fit: 60, Engagement: 20, Total: 65,
		Clipped: scoring.Clipped{Fit: 10, Total: 15},
		Grade:   "A",
		Contributions: []scoring.Contribution{
			{Rule: "mid-market", Kind: scoring.Fit, Matches: 1, Base: 30, Decayed: 30, Points: 30},
			{Rule: "senior", Kind: scoring.Fit, Matches: 1, Base: 40, Decayed: 40, Points: 40},
			{Rule: "demo", Kind: scoring.Engagement, Matches: 2, Base: 20, Decayed: 20, Points: 20},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
}

func TestGrades(t *testing.T) {
	bands := scoring.Bands("A", 80, "B", 60, "C", 40, "D")
	tests := []struct {
		fit  float64
		want string
	}{
		{100, "A"}, {80, "A"}, // A is fit ≥ 80, inclusive
		{79.5, "B"}, {60, "B"},
		{59.99, "C"}, {40, "C"},
		{39.99, "D"}, {-10, "D"}, // D has no lower bound
	}
	for _, tt := range tests {
		t.Run(decimal.NewFromFloat(tt.fit).String(), func(t *testing.T) {
			// One always-true rule worth exactly tt.fit points.
			m := scoring.Model{
				Rules:  []scoring.Rule{{Name: "base", When: `id != ""`, Points: tt.fit}},
				Grades: bands,
			}
			r, err := scoring.MustCompile(m).Score(&lead.Lead{ID: "x"}, t0)
			if err != nil || r.Grade != tt.want {
				t.Errorf("fit %v: grade %q, %v; want %q", tt.fit, r.Grade, err, tt.want)
			}
		})
	}
	t.Run("uncovered", func(t *testing.T) {
		// Bands that stop at 50: a fit of 10 has no grade.
		m := scoring.Model{
			Rules:  []scoring.Rule{{Name: "base", When: `id != ""`, Points: 10}},
			Grades: []scoring.GradeBand{{Grade: "A", Min: scoring.Float(50)}},
		}
		r, _ := scoring.MustCompile(m).Score(&lead.Lead{ID: "x"}, t0)
		if r.Grade != "" {
			t.Errorf("grade %q, want none", r.Grade)
		}
	})
}

func qualModel() scoring.Model {
	return scoring.Model{
		Rules: []scoring.Rule{
			{Name: "fit", When: `company.employees >= 100`, Points: 50},
			{Name: "views", Kind: scoring.Engagement, When: `type == "page_view"`, Points: 5},
		},
		Grades: scoring.Bands("A", 50, "B"),
		Qualification: []scoring.QualificationStage{
			{Stage: lead.StageMQL, Criteria: []scoring.Criterion{
				{Name: "good fit", When: `fit >= 40`},
				{Name: "engaged", When: `engagement >= 10`},
			}},
			{Stage: lead.StageSQL, Criteria: []scoring.Criterion{
				{Name: "hot", When: `total >= 70`},
				{Name: "owned", When: `owner != ""`},
				{Name: "grade A", When: `grade == "A"`},
			}},
		},
		Personas: []lead.Persona{
			{Name: "big company", Criteria: `company.employees >= 1000`},
			{Name: "has owner", Criteria: `owner != ""`},
		},
	}
}

func TestQualification(t *testing.T) {
	s := scoring.MustCompile(qualModel())
	views := func(n int) []lead.Activity {
		var out []lead.Activity
		for i := 0; i < n; i++ {
			out = append(out, act("page_view", float64(i)))
		}
		return out
	}
	tests := []struct {
		name     string
		l        lead.Lead
		want     scoring.Qualification
		personas []string
	}{
		{
			// fit 0 (10 employees), engagement 2 × 5 = 10: MQL fails on
			// "good fit"; next is MQL itself.
			name: "nothing reached",
			l:    lead.Lead{ID: "a", Company: lead.Company{Employees: 10}, Activities: views(2)},
			want: scoring.Qualification{Next: lead.StageMQL, Met: []string{"engaged"}, Unmet: []string{"good fit"}},
		},
		{
			// fit 50, engagement 10, total 60, grade A, owned: MQL holds;
			// SQL needs total ≥ 70, which fails.
			name:     "MQL, SQL half met",
			l:        lead.Lead{ID: "b", Owner: "rep", Company: lead.Company{Employees: 150}, Activities: views(2)},
			want:     scoring.Qualification{Stage: lead.StageMQL, Next: lead.StageSQL, Met: []string{"owned", "grade A"}, Unmet: []string{"hot"}},
			personas: []string{"has owner"},
		},
		{
			// fit 50, engagement 4 × 5 = 20, total 70, owned, grade A: SQL
			// holds and is the top: no next stage.
			name:     "top",
			l:        lead.Lead{ID: "c", Owner: "rep", Company: lead.Company{Employees: 1500}, Activities: views(4)},
			want:     scoring.Qualification{Stage: lead.StageSQL},
			personas: []string{"big company", "has owner"},
		},
		{
			// SQL's criteria hold but MQL's do not (engagement 0): the
			// highest stage whose criteria all hold is SQL... except
			// total = 50 < 70, so neither; next is MQL.
			name:     "unengaged",
			l:        lead.Lead{ID: "d", Owner: "rep", Company: lead.Company{Employees: 150}},
			want:     scoring.Qualification{Next: lead.StageMQL, Met: []string{"good fit"}, Unmet: []string{"engaged"}},
			personas: []string{"has owner"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := s.Score(&tt.l, t0)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, r.Qualification); diff != "" {
				t.Errorf("qualification (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.personas, r.Personas); diff != "" {
				t.Errorf("personas (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHighestStageWins(t *testing.T) {
	// Stage criteria are evaluated independently: a lead meeting SQL's
	// criteria but not MQL's is at SQL, the highest stage that holds.
	m := scoring.Model{Qualification: []scoring.QualificationStage{
		{Stage: "mql", Criteria: []scoring.Criterion{{Name: "never", When: `id == "nobody"`}}},
		{Stage: "sql", Criteria: []scoring.Criterion{{Name: "always", When: `id != ""`}}},
	}}
	r, err := scoring.MustCompile(m).Score(&lead.Lead{ID: "x"}, t0)
	if err != nil || r.Qualification.Stage != "sql" || r.Qualification.Next != "" {
		t.Errorf("got %+v, %v; want stage sql, no next", r.Qualification, err)
	}
}

func TestScoreIntoReuse(t *testing.T) {
	s := scoring.MustCompile(qualModel())
	a := lead.Lead{ID: "c", Owner: "rep", Company: lead.Company{Employees: 1500}, Activities: []lead.Activity{act("page_view", 1)}}
	b := lead.Lead{ID: "a", Company: lead.Company{Employees: 10}}
	var r scoring.Result
	if err := s.ScoreInto(&r, &a, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.ScoreInto(&r, &b, t0); err != nil {
		t.Fatal(err)
	}
	want, _ := s.Score(&b, t0)
	// Nothing of lead a survives into lead b's result.
	if diff := cmp.Diff(want, r, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("reused result differs (-want +got):\n%s", diff)
	}
}

func TestRuntimeErrorNamesLeadAndRule(t *testing.T) {
	s := scoring.MustCompile(scoring.Model{Rules: []scoring.Rule{
		{Name: "budget", When: `fields.budget >= 1000`, Points: 10},
	}})
	_, err := s.Score(&lead.Lead{ID: "l42", Fields: map[string]any{"budget": "lots"}}, t0)
	var re *scoring.RuleError
	if !errors.As(err, &re) || re.LeadID != "l42" || re.Name != "budget" {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), `lead "l42": "budget": rules[0].when: invalid operation`) {
		t.Errorf("message %q", err)
	}
}

func TestScoreAll(t *testing.T) {
	s := scoring.MustCompile(scoring.Model{Rules: []scoring.Rule{
		{Name: "budget", When: `fields.budget >= 1000`, Points: 10},
	}})
	leads := make([]lead.Lead, 300)
	for i := range leads {
		leads[i].ID = "l" + itoa(i)
		leads[i].Fields = map[string]any{"budget": i * 10} // ≥ 1000 from i = 100 on
	}
	leads[7].Fields["budget"] = "bad" // a per-lead error, not fatal
	res, errs := s.ScoreAll(leads, t0)
	if len(res) != len(leads) || len(errs) != len(leads) {
		t.Fatalf("got %d results, %d errors", len(res), len(errs))
	}
	for i := range leads {
		if i == 7 {
			if errs[i] == nil {
				t.Error("lead 7: no error")
			}
			continue
		}
		want := 0.0
		if i >= 100 {
			want = 10
		}
		if errs[i] != nil || res[i].LeadID != leads[i].ID || res[i].Total != want {
			t.Errorf("lead %d: %+v, %v; want total %v", i, res[i], errs[i], want)
		}
	}
	if _, errs := s.ScoreAll(leads[8:], t0); errs != nil {
		t.Errorf("errs = %v, want nil when every lead scores", errs)
	}
}

func TestConcurrentScoring(t *testing.T) {
	s := scoring.MustCompile(qualModel())
	leads := []lead.Lead{
		{ID: "a", Company: lead.Company{Employees: 10}},
		{ID: "c", Owner: "rep", Company: lead.Company{Employees: 1500}, Activities: []lead.Activity{act("page_view", 1), act("page_view", 2), act("page_view", 3), act("page_view", 4)}},
	}
	want := make([]scoring.Result, len(leads))
	for i := range leads {
		want[i], _ = s.Score(&leads[i], t0)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			var r scoring.Result
			for i := 0; i < 300; i++ {
				k := (g + i) % len(leads)
				if err := s.ScoreInto(&r, &leads[k], t0); err != nil || r.Total != want[k].Total || r.Qualification.Stage != want[k].Qualification.Stage {
					t.Errorf("goroutine %d: got %v %v, %v", g, r.Total, r.Qualification.Stage, err)
					return
				}
			}
			if res, _ := s.ScoreAll(leads, t0); res[1].Total != want[1].Total {
				t.Errorf("ScoreAll: %v", res[1].Total)
			}
		}(g)
	}
	wg.Wait()
}

func TestValidateReportsEverything(t *testing.T) {
	f := scoring.Float
	m := scoring.Model{
		Rules: []scoring.Rule{
			{Name: "", When: `company.employees > 5`, Points: 1},
			{Name: "typo", When: `person.titel == "CEO"`, Points: 1},
			{Name: "kind", Kind: "bogus", When: `true`},
			{Name: "fit with window", When: `true`, Within: leadkit.MustParseDuration("30d"), Points: 1},
			{Name: "bad window", Kind: scoring.Engagement, When: `type == "x"`, Within: leadkit.MustParseDuration("-30d")},
			{Name: "bad caps", Kind: scoring.Engagement, When: `type == "x"`, Min: f(5), Max: f(1)},
			{Name: "nan", When: `true`, Points: math.NaN()},
			{Name: "not bool", When: `company.employees`},
		},
		Limits: scoring.Limits{Total: scoring.Limit{Min: f(10), Max: f(0)}},
		Grades: []scoring.GradeBand{
			{Grade: "A", Min: f(80)},
			{Grade: "B", Min: f(50), Max: f(70)}, // gap 70..80
			{Grade: "C", Min: f(20), Max: f(60)}, // overlaps B
			{Grade: "C"},                         // duplicate, and a max is needed
		},
		Qualification: []scoring.QualificationStage{
			{Stage: "mql", Criteria: []scoring.Criterion{{Name: "x", When: `fitt > 1`}}},
			{Stage: "mql"},
		},
		Personas: []lead.Persona{{Name: "p", Criteria: `grade == "A"`}}, // grade is not in the lead scope
	}
	_, err := scoring.Compile(m)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"rules[0].name: empty",
		`rules[1].when: unknown name "person.titel"; did you mean "person.title"? (1:8)`,
		`rules[2].kind: unknown kind "bogus"`,
		"rules[3].within: applies to engagement rules only",
		`rules[4].within: must be positive, got "-30d"`, // "30 days" no longer reaches Compile: leadkit.Duration refuses it when the JSON is decoded
		"rules[5]: min 5 is greater than max 1",
		"rules[6].points: must be a finite number",
		"rules[7].when: must be a boolean, got int",
		"limits.total: min 10 is greater than max 0",
		`grades[1].max: 70 leaves a gap below grades[0] ("A" starts at 80)`,
		`grades[2].max: 60 overlaps grades[1] ("B" starts at 50)`,
		`grades[3].grade: duplicate grade "C"`,
		"grades[3].max: only the first (best) band may have no max",
		`qualification[0].criteria[0].when: unknown name "fitt"; did you mean "fit"?`,
		`qualification[1].stage: duplicate of qualification[0].stage "mql"`,
		"qualification[1].criteria: empty",
		`personas[0].criteria: unknown name "grade"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q", want)
		}
	}
}

func TestLint(t *testing.T) {
	f := scoring.Float
	m := scoring.Model{
		Rules: []scoring.Rule{
			{Name: "size", When: `company.employees > 100`, Points: 30},
			{Name: "size", When: `company.employees > 1000`, Points: 20},
			{Name: "always", When: `1 < 2`, Points: 5},
			{Name: "never", When: `false`, Points: 50},
			{Name: "penalty", When: `free_email(person.email)`, Points: -10},
			{Name: "clicks", Kind: scoring.Engagement, When: `type == "email_click"`, Points: 3, Max: f(15)},
			{Name: "unsub", Kind: scoring.Engagement, When: `type == "unsubscribe"`, Points: -20, Min: f(-20)},
		},
		Grades: scoring.Bands("A", 80, "B", 40, "C"),
		Qualification: []scoring.QualificationStage{
			{Stage: "mql", Criteria: []scoring.Criterion{
				{Name: "impossible", When: `fit >= 60 && total >= 90`},
				{Name: "trivial", When: `engagement >= -20`},
			}},
		},
	}
	s, err := scoring.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	// Fit: always 5, plus 0..30, 0..20, −10..0 → [−5, 55]; the "never"
	// rule adds nothing. Engagement: clicks [0, 15], unsub [−20, 0] →
	// [−20, 15]. Total: [−25, 70].
	wantRanges := scoring.Ranges{Fit: scoring.Range{Min: -5, Max: 55}, Engagement: scoring.Range{Min: -20, Max: 15}, Total: scoring.Range{Min: -25, Max: 70}}
	if diff := cmp.Diff(wantRanges, s.Ranges()); diff != "" {
		t.Errorf("ranges (-want +got):\n%s", diff)
	}
	var got []string
	for _, w := range s.Warnings() {
		got = append(got, w.String())
	}
	want := []string{
		`rules[1].name: duplicate of rules[0].name "size": explanations cannot tell them apart`,
		"rules[2].when: always true: the rule adds 5 to every lead",
		"rules[3].when: always false: the rule never fires",
		`grades[0]: grade "A" is unreachable: fit ranges over [-5, 55]`,
		"qualification[0].criteria[0].when: fit >= 60 can never hold: fit ranges over [-5, 55]",
		"qualification[0].criteria[0].when: total >= 90 can never hold: total ranges over [-25, 70]",
		"qualification[0].criteria[1].when: engagement >= -20 always holds: engagement ranges over [-20, 15]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func TestFingerprint(t *testing.T) {
	m := fitModel()
	a := scoring.MustCompile(m).Fingerprint()
	if len(a) != 16 || strings.Trim(a, "0123456789abcdef") != "" {
		t.Fatalf("fingerprint %q is not 16 hex digits", a)
	}
	// A model that went through JSON is the same model.
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back scoring.Model
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
	if got := scoring.MustCompile(back).Fingerprint(); got != a {
		t.Errorf("after JSON: %s, want %s", got, a)
	}
	// An empty kind means fit: the same model.
	m.Rules[0].Kind = scoring.Fit
	if got := scoring.MustCompile(m).Fingerprint(); got != a {
		t.Errorf("explicit fit kind: %s, want %s", got, a)
	}
	m.Rules[0].Points++
	if scoring.MustCompile(m).Fingerprint() == a {
		t.Error("changing a rule's points kept the fingerprint")
	}
}

func TestZeroModel(t *testing.T) {
	s, err := scoring.Compile(scoring.Model{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Score(&lead.Lead{ID: "x", Activities: []lead.Activity{act("page_view", 1)}}, t0)
	if err != nil || r.Total != 0 || r.Grade != "" || r.Qualification.Stage != "" || len(r.Contributions) != 0 || len(s.Warnings()) != 0 {
		t.Errorf("got %+v, %v, warnings %v", r, err, s.Warnings())
	}
}

func TestMustCompilePanicQuotesModel(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), `model "bad"`) || !strings.Contains(r.(string), "rules[0].name: empty") {
			t.Errorf("panic %v", r)
		}
	}()
	scoring.MustCompile(scoring.Model{Name: "bad", Rules: []scoring.Rule{{When: "true"}}})
}

// TestHostileRules checks that hostile rule text is refused at Compile
// with its path, or bounded at run time, inside a model.
func TestHostileRules(t *testing.T) {
	tests := []struct {
		name, when, want string
	}{
		{"huge expression", strings.Repeat("company.employees > 1 or ", 300) + "true", "rules[0].when: expression is 7504 bytes long; the limit is 4096"},
		{"deep nesting", strings.Repeat("not ", 80) + "true", "rules[0].when: expression nests more than 64 levels deep"},
		{"huge range", "len(1..1000000000) > 0", "rules[0].when: range 1..1000000000 has 1000000000 elements; the limit is 10000"},
		{"float range", "len(1..1e9) > 0", "rules[0].when: invalid operation: .. (mismatched types int and float64)"},
		{"regex bomb", `person.title matches "((a{100}){100}){100}"`, "rules[0].when: invalid pattern"},
		{"unbounded builtin", `repeat("a", 1000000) != ""`, `rules[0].when: unknown name "repeat"`},
		{"method call", `created_at.Unix() > 0`, "rules[0].when: method calls are not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scoring.Compile(scoring.Model{Rules: []scoring.Rule{{Name: "r", When: tt.when, Points: 1}}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
	// Bounded at run time: a range sized by data and a string doubled by
	// a reduce are errors for that lead, not a crash.
	s := scoring.MustCompile(scoring.Model{Rules: []scoring.Rule{
		{Name: "range", When: `len(1..(fields.n ?? 0)) > 5`, Points: 1},
		{Name: "doubling", When: `reduce(1..40, #acc + #acc, person.name) != ""`, Points: 1},
	}})
	_, err := s.Score(&lead.Lead{ID: "a", Fields: map[string]any{"n": 1 << 40}}, t0)
	if err == nil || !strings.Contains(err.Error(), `"range"`) || !strings.Contains(err.Error(), "memory budget exceeded") {
		t.Errorf("data-sized range: %v", err)
	}
	_, err = s.Score(&lead.Lead{ID: "b", Person: lead.Person{Name: "Ann"}}, t0)
	if err == nil || !strings.Contains(err.Error(), `"doubling"`) || !strings.Contains(err.Error(), "the limit is 16384") {
		t.Errorf("doubling: %v", err)
	}
}

func TestNilLead(t *testing.T) {
	s := scoring.MustCompile(fitModel())
	if _, err := s.Score(nil, t0); err == nil {
		t.Error("Score(nil): no error")
	}
	var r scoring.Result
	if err := s.ScoreInto(&r, nil, t0); err == nil {
		t.Error("ScoreInto(nil): no error")
	}
}

func TestBandsWithWrongTypesFailCompile(t *testing.T) {
	// A grade that is not a string becomes an empty grade; a bound that is
	// not an int or float64 becomes NaN; Compile reports both with paths
	// instead of Bands panicking.
	_, err := scoring.Compile(scoring.Model{Grades: scoring.Bands(1, 80, "B", "sixty", "C")})
	if err == nil {
		t.Fatal("Compile accepted bands built from wrong types")
	}
	for _, want := range []string{"grades[0].grade: empty", "grades[1].min: must be a finite number"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// TestModelIsADeepCopy is the regression test for a Model() that shared
// slices and pointers with the live scorer: editing the copy (the
// "copy the champion, edit, compile a challenger" workflow) must change
// neither the scorer's model nor its scores.
func TestModelIsADeepCopy(t *testing.T) {
	max := 5.0
	orig := scoring.Model{
		Rules: []scoring.Rule{
			{Name: "views", Kind: scoring.Engagement, When: `type == "page_view"`, Points: 2, Max: &max},
			{Name: "big", When: `company.employees > 100`, Points: 10},
		},
		Grades: scoring.Bands("A", 10.0, "B"),
	}
	s := scoring.MustCompile(orig)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := &lead.Lead{ID: "x", Company: lead.Company{Employees: 500}, Activities: []lead.Activity{
		{Type: lead.ActivityPageView, At: now.AddDate(0, 0, -1)}, {Type: lead.ActivityPageView, At: now.AddDate(0, 0, -2)},
		{Type: lead.ActivityPageView, At: now.AddDate(0, 0, -3)}, {Type: lead.ActivityPageView, At: now.AddDate(0, 0, -4)},
	}}
	before, err := s.Score(l, now)
	if err != nil {
		t.Fatal(err)
	}
	// 4 views × 2 = 8, capped at 5; plus 10 for size: 15, grade A (≥ 10).
	if before.Total != 15 || before.Grade != "A" {
		t.Fatalf("before: total %v grade %q, want 15 A", before.Total, before.Grade)
	}
	fp := s.Fingerprint()

	m := s.Model()
	*m.Rules[0].Max = 100
	m.Rules[1].Points = -50
	m.Grades[0].Grade = "Z"
	*m.Grades[0].Min = 1000
	max = 1 // the caller's own model, edited after Compile
	orig.Rules[1].Points = 0

	after, err := s.Score(l, now)
	if err != nil {
		t.Fatal(err)
	}
	if after.Total != before.Total || after.Grade != before.Grade {
		t.Errorf("after editing copies: total %v grade %q, want %v %q", after.Total, after.Grade, before.Total, before.Grade)
	}
	if s.Fingerprint() != fp {
		t.Error("fingerprint changed")
	}
	again := s.Model()
	if *again.Rules[0].Max != 5 || again.Rules[1].Points != 10 || again.Grades[0].Grade != "A" || *again.Grades[0].Min != 10 {
		t.Errorf("the scorer's model changed: %+v", again)
	}
}

// TestNilScorer: every method of a nil *Scorer returns an error or a
// documented zero value instead of panicking, and so does ScoreInto with
// a nil *Result.
func TestNilScorer(t *testing.T) {
	var s *scoring.Scorer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := &lead.Lead{ID: "a", CreatedAt: now}
	var r scoring.Result
	if _, err := s.Score(l, now); err == nil {
		t.Error("Score: no error")
	}
	if err := s.ScoreInto(&r, l, now); err == nil {
		t.Error("ScoreInto: no error")
	}
	if res, errs := s.ScoreAll([]lead.Lead{*l, *l}, now); len(res) != 2 || len(errs) != 2 || errs[0] == nil || errs[1] == nil {
		t.Errorf("ScoreAll = %d results, errors %v", len(res), errs)
	}
	if res, errs := s.ScoreAll(nil, now); len(res) != 0 || errs != nil {
		t.Errorf("ScoreAll(nil) = %v, %v", res, errs)
	}
	if s.Fingerprint() != "" || s.Warnings() != nil || len(s.Model().Rules) != 0 || s.Cost() != (scoring.Cost{}) ||
		s.Budget() != (scoring.Budget{}) || s.Ranges() != (scoring.Ranges{}) {
		t.Error("a nil scorer's accessors are not zero")
	}
	live := scoring.MustCompile(scoring.Model{Rules: []scoring.Rule{{Name: "x", When: "true", Points: 1}}})
	if err := live.ScoreInto(nil, l, now); err == nil {
		t.Error("ScoreInto(nil *Result): no error")
	}
}

// TestBaseScoreIsNotLinted: a rule written as plain `true` is a base
// score on purpose and gets no warning; one that is constant by accident
// still does.
func TestBaseScoreIsNotLinted(t *testing.T) {
	s := scoring.MustCompile(scoring.Model{Rules: []scoring.Rule{
		{Name: "base score", When: " true ", Points: 12},
		{Name: "oops", When: `1 == 1`, Points: 3},
	}})
	var paths []string
	for _, w := range s.Warnings() {
		paths = append(paths, w.Path)
	}
	if len(paths) != 1 || paths[0] != "rules[1].when" {
		t.Errorf("warnings at %v, want only rules[1].when", paths)
	}
}

// TestUnreachableBandIsLinted: an engagement band the rules cannot reach
// is a warning, as an unreachable fit grade is. The one rule adds 2 per
// page view, capped at 10, so engagement ranges over [0, 10]: band "1"
// (from 1000) is out of reach, band "2" (below 1000) is not.
func TestUnreachableBandIsLinted(t *testing.T) {
	s := scoring.MustCompile(scoring.Model{
		Rules: []scoring.Rule{{Name: "views", Kind: scoring.Engagement, When: `type == "page_view"`, Points: 2, Max: scoring.Float(10)}},
		Bands: scoring.Bands("1", 1000.0, "2"),
	})
	var got []string
	for _, w := range s.Warnings() {
		got = append(got, w.String())
	}
	want := `bands[0]: band "1" is unreachable: engagement ranges over [0, 10]`
	if len(got) != 1 || got[0] != want {
		t.Errorf("warnings %q, want [%q]", got, want)
	}
}
