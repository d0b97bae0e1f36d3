package account_test

import (
	"encoding/json"
	"runtime"
	"sync"
	"testing"

	"github.com/leadkit/leadkit/account"
	"github.com/leadkit/leadkit/internal/sample"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

// The benchmarks share one generated data set of 1M leads (about 333k
// companies), made once: generating it takes seconds.
var (
	benchOnce  sync.Once
	benchLeads []lead.Lead
	benchAccts []account.Account
)

func bench1M(b *testing.B) ([]lead.Lead, []account.Account) {
	b.Helper()
	benchOnce.Do(func() {
		d, err := sample.Generate(sample.Config{Seed: 1, Leads: 1_000_000})
		if err != nil {
			panic(err)
		}
		benchLeads = d.Leads
		for _, a := range sample.Accounts(d.Leads)[:100_000] {
			benchAccts = append(benchAccts, account.Account(a))
		}
	})
	return benchLeads, benchAccts
}

// BenchmarkMatch matches 1M leads against 100k accounts (about 30% of
// the leads belong to one of them; the others go through every step and
// are unmatched). The index is built once, outside the timing.
func BenchmarkMatch(b *testing.B) {
	leads, accts := bench1M(b)
	m, err := account.NewMatcher(accts)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	matched := 0
	for range b.N {
		matched = 0
		for i := range leads {
			if m.MatchLead(&leads[i]).AccountID != "" {
				matched++
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(leads)), "ns/lead")
	b.ReportMetric(float64(matched), "matched")
}

// BenchmarkMatchBaseline is the least a matcher can do: one map lookup of
// the lead's company domain, as written, in a map of the accounts'
// domains. BenchmarkMatch's ns/lead over this one's is the cost of
// normalisation, free-mail checks, the name step and the explanations.
func BenchmarkMatchBaseline(b *testing.B) {
	leads, accts := bench1M(b)
	idx := make(map[string]string, len(accts))
	for _, a := range accts {
		idx[account.NormalizeDomain(a.Domains[0])] = a.ID
	}
	b.ReportAllocs()
	b.ResetTimer()
	matched := 0
	for range b.N {
		matched = 0
		for i := range leads {
			if idx[leads[i].Company.Domain] != "" {
				matched++
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(leads)), "ns/lead")
	b.ReportMetric(float64(matched), "matched")
}

// BenchmarkNewMatcher builds the index of 100k accounts and reports the
// heap it holds.
func BenchmarkNewMatcher(b *testing.B) {
	_, accts := bench1M(b)
	b.ReportAllocs()
	var m *account.Matcher
	var before, after runtime.MemStats
	for range b.N {
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		var err error
		m, err = account.NewMatcher(accts)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.StartTimer()
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "index-MB")
	runtime.KeepAlive(m)
}

// BenchmarkAccounts adds 1M leads to one account accumulator and reports
// it; it reports ns/lead and the JSON state's size.
func BenchmarkAccounts(b *testing.B) {
	leads, _ := bench1M(b)
	s := account.MustCompile(sampleDefinition())
	b.ReportAllocs()
	b.ResetTimer()
	var a *account.Accounts
	for range b.N {
		a = s.NewAccounts(sampleAsOf)
		for i := range leads {
			if err := a.Add(&leads[i]); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := a.Report(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(leads)), "ns/lead")
	b.StopTimer()
	st, err := json.Marshal(a)
	if err != nil {
		b.Fatal(err)
	}
	rep, _ := a.Report()
	b.ReportMetric(float64(len(st))/1e6, "state-MB")
	b.ReportMetric(float64(rep.Accounts), "accounts")
}

// BenchmarkAccountsBaseline scores the same 1M leads with the same lead
// model and nothing else: BenchmarkAccounts over this is the cost of
// keying, rolling up and reporting.
func BenchmarkAccountsBaseline(b *testing.B) {
	leads, _ := bench1M(b)
	s := scoring.MustCompile(sampleDefinition().Leads)
	b.ReportAllocs()
	b.ResetTimer()
	var r scoring.Result
	for range b.N {
		for i := range leads {
			if leads[i].CreatedAt.After(sampleAsOf) {
				continue
			}
			if err := s.ScoreInto(&r, &leads[i], sampleAsOf); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(leads)), "ns/lead")
}
