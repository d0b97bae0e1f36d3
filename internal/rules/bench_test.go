package rules

import (
	"testing"
	"time"

	"github.com/leadkit/leadkit/internal/sample"
)

// fitRules are the 12 fit rules of scoring's benchmark model.
var fitRules = []string{
	`company.industry in ["Software", "Financial Services", "Healthcare", "Telecommunications"]`,
	`company.employees >= 200`,
	`company.employees >= 1000`,
	`person.title matches "(?i)\\b(vp|vice president|head|director|chief)\\b"`,
	`person.seniority in ["vp", "executive", "owner"]`,
	`company.country in ["US", "CA", "GB", "DE", "FR"]`,
	`company.annual_revenue >= 5000000`,
	`company.annual_revenue < 500000`,
	`(fields.budget ?? 0) >= 50000`,
	`free_email(person.email)`,
	`source.channel in ["referral", "events"]`,
	`icontains(person.title, "marketing")`,
}

// BenchmarkFitRules evaluates the 12 fit rules per lead (ns/op is per
// lead) through the native closures and, for comparison, through expr's
// VM alone with the environment boxed once per lead; and a rule that
// counts activities inside the expression versus activity_count.
func BenchmarkFitRules(b *testing.B) {
	d, err := sample.Generate(sample.Config{Seed: 1, Leads: 2048})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	run := func(b *testing.B, srcs []string, vmOnly bool) {
		var s Set
		var progs []*Program
		for _, src := range srcs {
			p, err := s.Compile(src, Options{})
			if err != nil {
				b.Fatal(err)
			}
			if vmOnly {
				q := *p
				q.native = nil
				p = &q
			}
			progs = append(progs, p)
		}
		c := s.NewCtx()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			c.Reset(&d.Leads[i%len(d.Leads)], now)
			for _, p := range progs {
				if _, err := p.Eval(c); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Run("native", func(b *testing.B) { run(b, fitRules, false) })
	b.Run("vm", func(b *testing.B) { run(b, fitRules, true) })
	loop := []string{`count(activities, .type == "page_view" && .at >= now - duration("30d")) >= 3`}
	helper := []string{`activity_count("page_view", "30d") >= 3`}
	b.Run("count-in-expression", func(b *testing.B) { run(b, loop, true) })
	b.Run("activity_count-vm", func(b *testing.B) { run(b, helper, true) })
	b.Run("activity_count-native", func(b *testing.B) { run(b, helper, false) })
}
