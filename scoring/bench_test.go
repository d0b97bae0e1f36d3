package scoring_test

import (
	"math"
	"math/rand/v2"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
	"github.com/shopspring/decimal"
)

// benchNow is the evaluation time of the benchmarks.
var benchNow = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)

// benchModel is the benchmark model: 12 fit rules and 8
// engagement rules of the kinds DESIGN.md describes.
func benchModel() scoring.Model {
	f := scoring.Float
	return scoring.Model{
		Name: "bench", Version: "1",
		Rules: []scoring.Rule{
			{Name: "target industry", When: `company.industry in ["software", "saas", "fintech", "healthcare"]`, Points: 15},
			{Name: "mid-market", When: `company.employees >= 200`, Points: 10},
			{Name: "enterprise", When: `company.employees >= 1000`, Points: 10},
			{Name: "leader title", When: `person.title matches "(?i)\\b(vp|vice president|head|director|chief)\\b"`, Points: 15},
			{Name: "senior", When: `person.seniority in ["vp", "executive", "owner"]`, Points: 10},
			{Name: "core country", When: `company.country in ["US", "CA", "GB", "DE", "FR"]`, Points: 5},
			{Name: "revenue 5M+", When: `company.annual_revenue >= 5000000`, Points: 10},
			{Name: "revenue under 500k", When: `company.annual_revenue < 500000`, Points: -10},
			{Name: "budget", When: `(fields.budget ?? 0) >= 10000`, Points: 10},
			{Name: "free mail", When: `free_email(person.email)`, Points: -15},
			{Name: "warm channel", When: `source.channel in ["referral", "events"]`, Points: 5},
			{Name: "marketing buyer", When: `icontains(person.title, "marketing")`, Points: 5},

			{Name: "webinar", Kind: scoring.Engagement, When: `type == "webinar_attended"`, Points: 10, Max: f(20)},
			{Name: "recent page views", Kind: scoring.Engagement, When: `type == "page_view"`, Points: 1, Within: "30d", Max: f(10)},
			{Name: "demo request", Kind: scoring.Engagement, When: `type == "demo_request"`, Points: 25, Max: f(25)},
			{Name: "pricing page", Kind: scoring.Engagement, When: `type == "page_view" && url contains "/pricing"`, Points: 5, Within: "30d", Max: f(15)},
			{Name: "email clicks", Kind: scoring.Engagement, When: `type == "email_click"`, Points: 3, HalfLife: "14d", Max: f(15)},
			{Name: "email opens", Kind: scoring.Engagement, When: `type == "email_open"`, Points: 1, HalfLife: "7d", Max: f(5)},
			{Name: "downloads", Kind: scoring.Engagement, When: `type == "content_download"`, Points: 5, Within: "90d", Max: f(15)},
			{Name: "unsubscribed", Kind: scoring.Engagement, When: `type == "unsubscribe"`, Points: -20, Min: f(-20)},
		},
		Grades: scoring.Bands("A", 60, "B", 40, "C", 20, "D"),
	}
}

// benchLeads builds n synthetic leads with 0 to 40 activities each over
// the 180 days before benchNow (and a few after it, which must not count).
func benchLeads(n int) []lead.Lead {
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	types := []lead.ActivityType{"page_view", "page_view", "page_view", "email_open", "email_open", "email_click",
		"webinar_attended", "content_download", "demo_request", "form_submit", "unsubscribe", "call"}
	leads := make([]lead.Lead, n)
	for i := range leads {
		l := &leads[i]
		l.ID = "L" + string(rune('a'+i%26)) + itoa(i)
		l.CreatedAt = benchNow.AddDate(0, 0, -r.IntN(365))
		l.Person = lead.Person{
			Title:     pick("VP Marketing", "Director of Sales", "Engineer", "Head of Growth", "Marketing Manager", "CEO", "Analyst"),
			Email:     "p" + itoa(i) + pick("@gmail.com", "@acme.com", "@example.org", "@yahoo.co.uk"),
			Seniority: lead.Seniority(pick("entry", "manager", "director", "vp", "executive")),
		}
		l.Company = lead.Company{
			Industry:      pick("software", "saas", "retail", "fintech", "manufacturing", "healthcare"),
			Employees:     r.IntN(5000),
			AnnualRevenue: decimal.NewFromInt(int64(r.IntN(20_000_000))),
			Country:       pick("US", "CA", "GB", "DE", "FR", "BR", "IN", "JP"),
		}
		l.Source.Channel = lead.Channel(pick("organic_search", "paid_search", "referral", "events", "email"))
		if r.IntN(2) == 0 {
			l.Fields = map[string]any{"budget": r.IntN(50_000)}
		}
		na := r.IntN(41)
		l.Activities = make([]lead.Activity, na)
		for j := range l.Activities {
			a := &l.Activities[j]
			a.Type = types[r.IntN(len(types))]
			a.At = benchNow.Add(-time.Duration(r.IntN(180*24)) * time.Hour).Add(time.Duration(r.IntN(10)) * 24 * time.Hour / 9)
			if a.Type == "page_view" {
				a.URL = pick("/pricing", "/blog/x", "/", "/docs")
			}
		}
	}
	return leads
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

func freeMail(email string) bool {
	d := strings.ToLower(email[strings.LastIndexByte(email, '@')+1:])
	return d == "gmail.com" || strings.HasPrefix(d, "yahoo.")
}

func (h *handScorer) score(l *lead.Lead, now time.Time) handResult {
	var fit float64
	c := &l.Company
	switch c.Industry {
	case "software", "saas", "fintech", "healthcare":
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
	rev, _ := c.AnnualRevenue.Float64()
	if rev >= 5_000_000 {
		fit += 10
	}
	if rev < 500_000 {
		fit -= 10
	}
	if b, ok := l.Fields["budget"].(int); ok && b >= 10000 {
		fit += 10
	}
	if freeMail(l.Person.Email) {
		fit -= 15
	}
	if l.Source.Channel == "referral" || l.Source.Channel == "events" {
		fit += 5
	}
	if strings.Contains(strings.ToLower(l.Person.Title), "marketing") {
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
	for i, l := range benchLeads(500) {
		r, err := s.Score(&l, benchNow)
		if err != nil {
			t.Fatal(err)
		}
		want := h.score(&l, benchNow)
		if math.Abs(r.Fit-want.fit) > 1e-9 || math.Abs(r.Engagement-want.engagement) > 1e-9 {
			t.Fatalf("lead %d: model fit %v engagement %v; hand-written %v %v", i, r.Fit, r.Engagement, want.fit, want.engagement)
		}
	}
}

const benchN = 4096

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
}

// BenchmarkScoreAll scores benchN leads per op with 1 and 2 procs; the
// ratio of the two gives the multi-core speedup.
func BenchmarkScoreAll(b *testing.B) {
	leads := benchLeads(benchN)
	s := scoring.MustCompile(benchModel())
	for _, procs := range []int{1, 2} {
		b.Run("procs="+itoa(procs), func(b *testing.B) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			b.ReportAllocs()
			for b.Loop() {
				if _, errs := s.ScoreAll(leads, benchNow); errs != nil {
					b.Fatal(errs)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchN), "ns/lead")
		})
	}
}
