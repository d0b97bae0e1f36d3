package scoring_test

import (
	"github.com/leadkit/leadkit"
	"math"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit/internal/sample"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
	"github.com/shopspring/decimal"
)

// benchNow is the evaluation time of the benchmarks.
var benchNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// benchModel is the benchmark model: 12 fit rules and 8
// engagement rules of the kinds DESIGN.md describes.
func benchModel() scoring.Model {
	f := scoring.Float
	return scoring.Model{
		Name: "bench", Version: "1",
		Rules: []scoring.Rule{
			{Name: "target industry", When: `company.industry in ["Software", "Financial Services", "Healthcare", "Telecommunications"]`, Points: 15},
			{Name: "mid-market", When: `company.employees >= 200`, Points: 10},
			{Name: "enterprise", When: `company.employees >= 1000`, Points: 10},
			{Name: "leader title", When: `person.title matches "(?i)\\b(vp|vice president|head|director|chief)\\b"`, Points: 15},
			{Name: "senior", When: `person.seniority in ["vp", "executive", "owner"]`, Points: 10},
			{Name: "core country", When: `company.country in ["US", "CA", "GB", "DE", "FR"]`, Points: 5},
			{Name: "revenue 5M+", When: `company.annual_revenue >= 5000000`, Points: 10},
			{Name: "revenue under 500k", When: `company.annual_revenue < 500000`, Points: -10},
			{Name: "budget", When: `(fields.budget ?? 0) >= 50000`, Points: 10},
			{Name: "free mail", When: `free_email(person.email)`, Points: -15},
			{Name: "warm channel", When: `source.channel in ["referral", "events"]`, Points: 5},
			{Name: "marketing buyer", When: `icontains(person.title, "marketing")`, Points: 5},

			{Name: "webinar", Kind: scoring.Engagement, When: `type == "webinar_attended"`, Points: 10, Max: f(20)},
			{Name: "recent page views", Kind: scoring.Engagement, When: `type == "page_view"`, Points: 1, Within: leadkit.MustParseDuration("30d"), Max: f(10)},
			{Name: "demo request", Kind: scoring.Engagement, When: `type == "demo_request"`, Points: 25, Max: f(25)},
			{Name: "pricing page", Kind: scoring.Engagement, When: `type == "page_view" && url contains "/pricing"`, Points: 5, Within: leadkit.MustParseDuration("30d"), Max: f(15)},
			{Name: "email clicks", Kind: scoring.Engagement, When: `type == "email_click"`, Points: 3, HalfLife: leadkit.MustParseDuration("14d"), Max: f(15)},
			{Name: "email opens", Kind: scoring.Engagement, When: `type == "email_open"`, Points: 1, HalfLife: leadkit.MustParseDuration("7d"), Max: f(5)},
			{Name: "downloads", Kind: scoring.Engagement, When: `type == "content_download"`, Points: 5, Within: leadkit.MustParseDuration("90d"), Max: f(15)},
			{Name: "unsubscribed", Kind: scoring.Engagement, When: `type == "unsubscribe"`, Points: -20, Min: f(-20)},
		},
		Grades: scoring.Bands("A", 60, "B", 40, "C", 20, "D"),
	}
}

// benchLeads returns n leads of the shared sample data set (created
// during 2025, about 11 activities each, some after benchNow).
func benchLeads(n int) []lead.Lead {
	d, err := sample.Generate(sample.Config{Seed: 1, Leads: n})
	if err != nil {
		panic(err)
	}
	return d.Leads
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// handScore is the same 20 rules written directly in Go: the baseline.
type handScorer struct{ title *regexp.Regexp }

type handResult struct{ fit, engagement, total float64 }

// revenueFloat converts a decimal revenue without allocating in the
// common case (coefficient ≤ 15 digits, positive exponent), as a careful
// Go programmer would; decimal's Float64 allocates for those.
func revenueFloat(d decimal.Decimal) float64 {
	if e := d.Exponent(); e > 0 && e <= 22 && d.NumDigits() <= 15 {
		return float64(d.CoefficientInt64()) * math.Pow10(int(e))
	}
	f, _ := d.Float64()
	return f
}

// containsFold reports whether sub occurs in s ignoring case, without
// allocating.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// freeMail is the hand-written check against the domain list the rule
// language's free_email uses.
func freeMail(email string) bool {
	return lead.FreeMailDomain(email[strings.LastIndexByte(email, '@')+1:])
}

func (h *handScorer) score(l *lead.Lead, now time.Time) handResult {
	var fit float64
	c := &l.Company
	switch c.Industry {
	case "Software", "Financial Services", "Healthcare", "Telecommunications":
		fit += 15
	}
	if c.Employees >= 200 {
		fit += 10
	}
	if c.Employees >= 1000 {
		fit += 10
	}
	if h.title.MatchString(l.Person.Title) {
		fit += 15
	}
	switch l.Person.Seniority {
	case "vp", "executive", "owner":
		fit += 10
	}
	switch c.Country {
	case "US", "CA", "GB", "DE", "FR":
		fit += 5
	}
	rev := revenueFloat(c.AnnualRevenue)
	if rev >= 5_000_000 {
		fit += 10
	}
	if rev < 500_000 {
		fit -= 10
	}
	if b, ok := l.Fields["budget"].(float64); ok && b >= 50000 {
		fit += 10
	}
	if freeMail(l.Person.Email) {
		fit -= 15
	}
	if l.Source.Channel == "referral" || l.Source.Channel == "events" {
		fit += 5
	}
	if containsFold(l.Person.Title, "marketing") {
		fit += 5
	}

	var web, views, demo, pricing, clicks, opens, downloads, unsub float64
	d30, d90 := now.AddDate(0, 0, -30), now.AddDate(0, 0, -90)
	for i := range l.Activities {
		a := &l.Activities[i]
		if a.At.After(now) {
			continue
		}
		switch a.Type {
		case "webinar_attended":
			web += 10
		case "page_view":
			if !a.At.Before(d30) {
				views++
				if strings.Contains(a.URL, "/pricing") {
					pricing += 5
				}
			}
		case "demo_request":
			demo += 25
		case "email_click":
			clicks += 3 * math.Exp2(-now.Sub(a.At).Hours()/(14*24))
		case "email_open":
			opens += math.Exp2(-now.Sub(a.At).Hours() / (7 * 24))
		case "content_download":
			if !a.At.Before(d90) {
				downloads += 5
			}
		case "unsubscribe":
			unsub -= 20
		}
	}
	eng := min(web, 20) + min(views, 10) + min(demo, 25) + min(pricing, 15) +
		min(clicks, 15) + min(opens, 5) + min(downloads, 15) + max(unsub, -20)
	return handResult{fit, eng, fit + eng}
}

func newHand() *handScorer {
	return &handScorer{title: regexp.MustCompile(`(?i)\b(vp|vice president|head|director|chief)\b`)}
}

// TestBenchBaselineAgrees checks that the baseline computes the same
// scores as the model, so that the benchmark compares equal work.
func TestBenchBaselineAgrees(t *testing.T) {
	s := scoring.MustCompile(benchModel())
	h := newHand()
	fired := map[string]int{}
	for i, l := range benchLeads(2000) {
		r, err := s.Score(&l, benchNow)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range r.Contributions {
			fired[c.Rule]++
		}
		want := h.score(&l, benchNow)
		if math.Abs(r.Fit-want.fit) > 1e-9 || math.Abs(r.Engagement-want.engagement) > 1e-9 {
			t.Fatalf("lead %d: model fit %v engagement %v; hand-written %v %v", i, r.Fit, r.Engagement, want.fit, want.engagement)
		}
	}
	// The comparison means something only if the rules fire: every rule
	// but "unsubscribed" (the sample has no such activity) fires for some
	// leads, and none fires for all.
	for _, r := range benchModel().Rules {
		if n := fired[r.Name]; (n == 0) != (r.Name == "unsubscribed") || n == 2000 {
			t.Errorf("rule %q fired for %d of 2000 leads", r.Name, n)
		}
	}
}

const benchN = 4096

// benchModelLimited is benchModel with a frequency limit on every
// engagement rule, of each kind: once ever, per day, per rolling window,
// per distinct campaign or URL.
func benchModelLimited() scoring.Model {
	m := benchModel()
	limits := map[string]*scoring.Frequency{
		"webinar":           {Distinct: "campaign"},
		"recent page views": {Max: 3, Per: leadkit.Day},
		"demo request":      {},
		"pricing page":      {Distinct: "url", Per: leadkit.Week},
		"email clicks":      {Distinct: "campaign"},
		"email opens":       {Max: 2, Window: leadkit.MustParseDuration("1d")},
		"downloads":         {Distinct: "url"},
		"unsubscribed":      {},
	}
	for i := range m.Rules {
		if f, ok := limits[m.Rules[i].Name]; ok {
			m.Rules[i].Frequency = f
		}
	}
	return m
}

// BenchmarkScore reports the cost of one lead (ns/op is per lead).
func BenchmarkScore(b *testing.B) {
	leads := benchLeads(benchN)
	b.Run("handwritten", func(b *testing.B) {
		h := newHand()
		b.ReportAllocs()
		var sink float64
		for i := 0; b.Loop(); i++ {
			sink += h.score(&leads[i%benchN], benchNow).total
		}
		_ = sink
	})
	s := scoring.MustCompile(benchModel())
	b.Run("ScoreInto", func(b *testing.B) {
		var r scoring.Result
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if err := s.ScoreInto(&r, &leads[i%benchN], benchNow); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Score", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := s.Score(&leads[i%benchN], benchNow); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The same model with a frequency limit on every engagement rule
	// (issue 15: within 1.3x of ScoreInto).
	sl := scoring.MustCompile(benchModelLimited())
	b.Run("ScoreInto/limits", func(b *testing.B) {
		var r scoring.Result
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if err := sl.ScoreInto(&r, &leads[i%benchN], benchNow); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkScoreAll scores benchN leads per op with 1 and 2 procs; the
// ratio of the two gives the multi-core speedup. It also reports the CPU
// time per lead of the whole process (GC included): when that stays the
// same with 2 procs, the workers do not slow each other down, and the
// wall-clock speedup is limited only by the cores actually free.
func BenchmarkScoreAll(b *testing.B) {
	leads := benchLeads(benchN)
	s := scoring.MustCompile(benchModel())
	for _, procs := range []int{1, 2} {
		b.Run("procs="+itoa(procs), func(b *testing.B) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			b.ReportAllocs()
			cpu0, cpuOK := cpuTime()
			for b.Loop() {
				if _, errs := s.ScoreAll(leads, benchNow); errs != nil {
					b.Fatal(errs)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchN), "ns/lead")
			if cpu1, ok := cpuTime(); ok && cpuOK {
				b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/float64(b.N*benchN), "cpu-ns/lead")
			}
		})
	}
}
