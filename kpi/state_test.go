package kpi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/acctest"
	"github.com/leadkit/leadkit/internal/golden"
	hdur "github.com/leadkit/leadkit/internal/hist"
	"github.com/leadkit/leadkit/internal/sample"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// sampleConfig segments the sample data by channel, campaign, owner,
// product and a custom field, in a zone that is not UTC.
func sampleConfig() kpi.Config {
	return kpi.Config{
		Period: leadkit.Month,
		Zone:   "Europe/Paris",
		Dimensions: []kpi.Dimension{kpi.ByChannel(), kpi.ByCampaign(), kpi.ByOwner(), kpi.ByProduct(),
			{Name: "use_case", Key: "fields.use_case"}, kpi.ByLandingPage()},
		GrossMargin: dec("0.75"),
	}
}

// sampleRecords is one record of any kind, added by add.
type sampleRecords struct {
	ds *sample.Dataset
	n  int
}

// joined generates a data set and joins its deals and customers to their
// leads, as a host does: deal.Keys = meter.KeysOf(lead), the customer's
// keys from the lead of its account's first deal, and marketing sourced
// the deals of leads that came from a paid or email channel.
func joined(t testing.TB, m *kpi.Meter, leads int) sampleRecords {
	t.Helper()
	ds, err := sample.Generate(sample.Config{Seed: 3, Leads: leads})
	if err != nil {
		t.Fatal(err)
	}
	join(m, ds)
	// A tenth of the daily spend and visits rows keep the tests fast and
	// still cover every channel and month.
	ds.Spend, ds.Visits = every(ds.Spend, 10), every(ds.Visits, 10)
	return sampleRecords{ds, len(ds.Spend) + len(ds.Visits) + len(ds.Leads) + len(ds.Deals) + len(ds.Customers)}
}

func every[T any](xs []T, k int) []T {
	var out []T
	for i := 0; i < len(xs); i += k {
		out = append(out, xs[i])
	}
	return out
}

func join(m *kpi.Meter, ds *sample.Dataset) {
	byID := make(map[string]*lead.Lead, len(ds.Leads))
	for i := range ds.Leads {
		byID[ds.Leads[i].ID] = &ds.Leads[i]
	}
	account := map[string]map[string]string{}
	for i := range ds.Deals {
		d := &ds.Deals[i]
		l := byID[d.LeadID]
		if l == nil {
			continue
		}
		d.Keys = m.KeysOf(l)
		switch l.Source.Channel {
		case lead.ChannelPaidSearch, lead.ChannelSocial, lead.ChannelEmail:
			d.MarketingSourced = true
		}
		d.MarketingInfluenced = d.MarketingSourced || l.Source.Campaign != ""
		if _, ok := account[d.Account]; !ok {
			account[d.Account] = d.Keys
		}
	}
	for i := range ds.Customers {
		ds.Customers[i].Keys = account[ds.Customers[i].ID]
	}
}

func (r sampleRecords) add(s *kpi.Scorecard, i int) error {
	ds := r.ds
	switch {
	case i < len(ds.Spend):
		return s.AddSpend(&ds.Spend[i])
	case i < len(ds.Spend)+len(ds.Visits):
		return s.AddVisits(&ds.Visits[i-len(ds.Spend)])
	}
	i -= len(ds.Spend) + len(ds.Visits)
	switch {
	case i < len(ds.Leads):
		return s.AddLead(&ds.Leads[i])
	case i < len(ds.Leads)+len(ds.Deals):
		return s.AddDeal(&ds.Deals[i-len(ds.Leads)])
	}
	return s.AddCustomer(&ds.Customers[i-len(ds.Leads)-len(ds.Deals)])
}

func fillScorecard(t testing.TB, s *kpi.Scorecard, r sampleRecords) *kpi.Scorecard {
	t.Helper()
	for i := range r.n {
		if err := r.add(s, i); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestScorecardAccumulator runs the shared accumulator harness over
// realistic data, as of a date inside the data (so that records are
// skipped and histories cut) and with no cut.
func TestScorecardAccumulator(t *testing.T) {
	m := kpi.MustCompile(sampleConfig())
	r := joined(t, m, 600)
	// The harness compares whole reports; make sure they hold the web
	// figures per landing page, so that merging them is tested.
	rep, err := fillScorecard(t, m.NewScorecard(time.Time{}), r).Report()
	if err != nil {
		t.Fatal(err)
	}
	pages := 0
	for _, row := range rep.Rows {
		if row.Dimension == "landing_page" && row.Web.MeasuredSessions > 0 && row.Web.EngagedSessions > 0 && row.Leads > 0 {
			pages++
		}
	}
	if pages < 20 {
		t.Fatalf("%d landing-page rows with sessions, engagement and leads: the merge test covers too little of the web figures", pages)
	}
	for _, asOf := range []time.Time{time.Date(2025, 9, 15, 12, 0, 0, 0, time.UTC), {}} {
		t.Run(fmt.Sprint(asOf.IsZero()), func(t *testing.T) {
			acctest.Run(t, acctest.Harness[kpi.Scorecard, kpi.Report]{
				New:     func() *kpi.Scorecard { return m.NewScorecard(asOf) },
				Records: r.n,
				Add:     r.add,
				Merge:   func(a, b *kpi.Scorecard) error { return a.Merge(b) },
				Report:  func(a *kpi.Scorecard) (kpi.Report, error) { return a.Report() },
				Rounds:  6,
				Seed:    uint64(len(asOf.String())),
			})
		})
	}
}

func goldenState(t *testing.T) []byte {
	t.Helper()
	m := kpi.MustCompile(sampleConfig())
	s := fillScorecard(t, m.NewScorecard(time.Date(2025, 6, 30, 23, 0, 0, 0, time.UTC)), joined(t, m, 40))
	b, err := json.MarshalIndent(s, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestGoldenState pins the state format: the state of a fixed data set
// must encode to testdata/scorecard_state.json byte for byte (regenerate
// with -update after a deliberate change, and bump the format version if
// old state no longer decodes), and the golden file must decode into a
// zero Scorecard that re-encodes to the same bytes.
func TestGoldenState(t *testing.T) {
	path := filepath.Join("testdata", "scorecard_state.json")
	got := goldenState(t)
	want := golden.Check(t, path, got)
	var s kpi.Scorecard
	if err := json.Unmarshal(want, &s); err != nil {
		t.Fatal(err)
	}
	again, err := json.MarshalIndent(&s, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(append(again, '\n'), want) {
		t.Fatal("the golden state re-encodes differently")
	}
	if !strings.Contains(string(want), `"format": "leadkit.kpi/1"`) || !strings.Contains(string(want), `"zone": "Europe/Paris"`) {
		t.Fatal("the state does not describe itself")
	}
}

// TestDecodedStateAddsAndMerges checks that state decoded into a zero
// Scorecard goes on adding records and merging exactly as the original.
func TestDecodedStateAddsAndMerges(t *testing.T) {
	m := kpi.MustCompile(sampleConfig())
	r := joined(t, m, 200)
	asOf := time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)
	whole := fillScorecard(t, m.NewScorecard(asOf), r)
	half := m.NewScorecard(asOf)
	for i := 0; i < r.n/2; i++ {
		if err := r.add(half, i); err != nil {
			t.Fatal(err)
		}
	}
	b, err := json.Marshal(half)
	if err != nil {
		t.Fatal(err)
	}
	var back kpi.Scorecard
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Fingerprint() != m.Fingerprint() || !back.AsOf().Equal(asOf) {
		t.Fatalf("decoded fingerprint %s as of %v", back.Fingerprint(), back.AsOf())
	}
	rest := m.NewScorecard(asOf)
	for i := r.n / 2; i < r.n; i++ {
		if i%2 == 0 {
			if err := r.add(&back, i); err != nil {
				t.Fatal(err)
			}
		} else if err := r.add(rest, i); err != nil {
			t.Fatal(err)
		}
	}
	if err := back.Merge(rest); err != nil {
		t.Fatal(err)
	}
	if got, want := reportJSON(t, &back), reportJSON(t, whole); !bytes.Equal(got, want) {
		t.Fatal("decoded state that adds and merges reports differently")
	}
}

func reportJSON(t testing.TB, s *kpi.Scorecard) []byte {
	t.Helper()
	r, err := s.Report()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// smallState returns the state of a scorecard with one won deal, for
// tampering.
func smallState(t *testing.T) []byte {
	t.Helper()
	s := kpi.MustCompile(kpi.Config{Dimensions: []kpi.Dimension{kpi.ByOwner()}}).NewScorecard(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC))
	d := kpi.Deal{ID: "D", Owner: "ann", Status: kpi.DealWon, Amount: dec("10"), CreatedAt: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC),
		ClosedAt: time.Date(2026, 2, 5, 0, 0, 0, 0, time.UTC), NewCustomer: true}
	if err := s.AddDeal(&d); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestStateDecodeRefusals(t *testing.T) {
	good := string(smallState(t))
	var ok kpi.Scorecard
	if err := json.Unmarshal([]byte(good), &ok); err != nil {
		t.Fatalf("the untampered state: %v", err)
	}
	// The won deal's cell in February, as encoded, with its 31-day sales
	// cycle in the histogram's own encoding.
	var h hdur.Durations
	h.Add(31 * 24 * time.Hour)
	cycle := string(mustMarshal(t, &h))
	feb := `{"period":"2026-02-01","revenue":"10","revenue_new":"10","won":1,"new_customers":1,"cycle":` + cycle + `}`
	tamper := func(old, new string) string { return strings.Replace(good, old, new, 1) }
	// feb with web figures inserted after "won":1.
	web := func(fields string) string { return tamper(feb, strings.Replace(feb, `"won":1`, `"won":1,`+fields, 1)) }
	if !strings.Contains(good, feb) {
		t.Fatalf("state %s does not hold %s", good, feb)
	}
	tests := []struct{ name, state, want string }{
		{"not json", good[:20], "unexpected end of JSON input"},
		{"trailing", good + "{}", "after top-level value"},
		{"unknown field", tamper(`"format"`, `"colour":1,"format"`), `unknown field "colour"`},
		// a coder that drops fields must fail, not give an empty scorecard
		{"cells renamed", tamper(`"cells":`, `"cellz":`), `unknown field "cellz"`},
		{"format missing", tamper(`"format":"leadkit.kpi/1",`, ``), `field "format" missing`},
		{"unknown definition field", tamper(`"definition":{`, `"definition":{"halflife":"7d",`), `unknown field "halflife"`},
		{"format", tamper(`leadkit.kpi/1`, `leadkit.kpi/9`), `unknown format "leadkit.kpi/9"`},
		{"fingerprint", tamper(`"fingerprint":"`, `"fingerprint":"0`), "does not match the definition's"},
		{"definition", tamper(`"key":"owner"`, `"key":"colour"`), `definition.dimensions[0].key: unknown key "colour"`},
		{"nanosecond duration", tamper(`"definition":{`, `"definition":{"cohort_window":5,`), "duration must be a string"},
		{"as_of zero", tamper(`"as_of":"2026-03-31T00:00:00Z"`, `"as_of":"0001-01-01T00:00:00Z"`), "as_of: zero time"},
		{"period not a start", tamper(`"period":"2026-02-01"`, `"period":"2026-02-02"`), `period "2026-02-02" is not the first day of a period`},
		{"period not a date", tamper(`"period":"2026-02-01"`, `"period":"Feb"`), `period "Feb" is not a date`},
		{"period after as-of", tamper(`"period":"2026-02-01"`, `"period":"2026-04-01"`), "after the as-of's period"},
		{"unknown dimension", tamper(`"dimension":"owner"`, `"dimension":"colour"`), `unknown dimension "colour"`},
		{"segment without dimension", tamper(feb, strings.Replace(feb, `"period":"2026-02-01"`, `"period":"2026-02-01","segment":"x"`, 1)), `segment "x" without a dimension`},
		{"duplicate cell", tamper(feb, feb+","+feb), "same period, dimension and segment"},
		{"null cell", tamper(feb, feb+",null"), `period "" is not a date`},
		{"negative count", tamper(`"won":1,"new_customers":1`, `"won":1,"new_customers":-1`), "new_customers: count -1 outside 0..2^62"},
		{"count too large", tamper(`"opportunities":1`, `"opportunities":9223372036854775807`), "outside 0..2^62"},
		{"more new than won", tamper(`"won":1,"new_customers":1`, `"won":1,"new_customers":2`), "new_customers: 2 is more than the 1 won"},
		{"histogram count", tamper(`"won":1,"new_customers":1`, `"won":2,"new_customers":1`), "cycle: 1 durations for a count of 2"},
		{"histogram itself", tamper(`"seconds":2678400`, `"seconds":-1`), "histogram"},
		{"histogram null", tamper(`,"cycle":`+cycle, `,"cycle":null`), "cycle: 0 durations for a count of 1"},
		{"measured above visits", web(`"visits":3,"measured_sessions":4,"engaged_sessions":1,"engagement_seconds":"5"`), "measured_sessions: 4 is more than the 3 visits"},
		{"engaged above measured", web(`"visits":3,"measured_sessions":2,"engaged_sessions":3,"engagement_seconds":"5"`), "engaged_sessions: 3 is more than the 2 measured_sessions"},
		{"media above visits", web(`"visits":3,"organic_sessions":2,"paid_sessions":1,"direct_sessions":1`), "direct_sessions: the sessions by medium add up to more than the 3 visits"},
		{"huge medium", web(`"visits":4611686018427387904,"organic_sessions":4611686018427387904,"paid_sessions":4611686018427387904`), "paid_sessions: the sessions by medium add up to more than"},
		{"negative medium", web(`"visits":3,"email_sessions":-1`), "email_sessions: count -1 outside 0..2^62"},
		{"time without measured", web(`"visits":3,"engagement_seconds":"5"`), "engagement_seconds: time 5 without measured sessions"},
		{"negative time", web(`"visits":3,"measured_sessions":3,"engagement_seconds":"-5"`), "engagement_seconds: negative time -5"},
		{"time below a nanosecond", web(`"visits":3,"measured_sessions":3,"engagement_seconds":"1e-10"`), "engagement_seconds: time 0.0000000001 out of range"},
		{"negative amount", tamper(`"revenue":"10","revenue_new":"10"`, `"revenue":"-10","revenue_new":"0"`), "revenue: negative amount -10"},
		{"tiny amount", tamper(`"revenue":"10","revenue_new":"10"`, `"revenue":"1e-30","revenue_new":"0"`), "out of range"},
		{"huge amount", tamper(`"revenue":"10","revenue_new":"10"`, `"revenue":"1e9999","revenue_new":"0"`), "out of range"},
		{"amount without records", tamper(feb, strings.Replace(feb, `"won":1,"new_customers":1`, `"won":1,"new_customers":1,"visits":3,"sourced":"4"`, 1)), "sourced: amount 4 without a record"},
		{"new revenue above revenue", tamper(`"revenue":"10","revenue_new":"10"`, `"revenue":"10","revenue_new":"11"`), "revenue_new: 11 is more than the revenue 10"},
		{"customers lost never gained", tamper(feb, strings.Replace(feb, `"won":1`, `"won":1,"customers_lost":1`, 1)), "customers lost that were never gained"},
		{"total over periods", tamper(feb, strings.Replace(feb, `"won":1`, `"won":1,"visits":4611686018427387904`, 1)+
			`,{"period":"2026-03-01","visits":4611686018427387904}`), "the total visits over all periods exceeds 2^62"},
		{"skipped", tamper(`"skipped":{"leads":0`, `"skipped":{"leads":-2`), "skipped.leads: count -2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.state == good {
				t.Fatal("the tampering did not apply")
			}
			s := kpi.MustCompile(kpi.Config{}).NewScorecard(time.Time{})
			before := reportJSON(t, s)
			err := json.Unmarshal([]byte(tt.state), s)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if !bytes.Equal(reportJSON(t, s), before) || s.Fingerprint() != kpi.MustCompile(kpi.Config{}).Fingerprint() {
				t.Fatal("a refused state changed the scorecard")
			}
		})
	}
}

func TestStateWithFuncCannotBeEncoded(t *testing.T) {
	m := kpi.MustCompile(kpi.Config{Dimensions: []kpi.Dimension{{Name: "stage", Func: func(l *lead.Lead) string { return string(l.Stage) }}}})
	s := m.NewScorecard(time.Time{})
	if err := s.AddLead(&lead.Lead{ID: "L", CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Stage: lead.StageMQL}); err != nil {
		t.Fatal(err)
	}
	if _, err := json.Marshal(s); err == nil || !strings.Contains(err.Error(), `state with a Go func segment (dimension "stage") cannot be encoded`) {
		t.Fatalf("got %v", err)
	}
	if _, err := s.Report(); err != nil {
		t.Fatalf("a func dimension still reports: %v", err)
	}
}

func TestMergeRefusals(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m := kpi.MustCompile(kpi.Config{})
	// Two states with 2^62 lost deals in January: each valid, their sum
	// is not.
	big := func() *kpi.Scorecard {
		st := strings.Replace(string(mustMarshal(t, m.NewScorecard(t0))), `"cells":[]`,
			`"cells":[{"period":"2026-01-01","lost":4611686018427387904}]`, 1)
		var s kpi.Scorecard
		if err := json.Unmarshal([]byte(st), &s); err != nil {
			t.Fatal(err)
		}
		return &s
	}
	a := big()
	tests := []struct {
		name string
		o    *kpi.Scorecard
		want string
	}{
		{"nil", nil, "nil scorecard"},
		{"itself", a, "with itself"},
		{"zero", &kpi.Scorecard{}, "not made by Meter.NewScorecard"},
		{"definition", kpi.MustCompile(kpi.Config{Period: leadkit.Week}).NewScorecard(t0), "definition"},
		{"as-of", m.NewScorecard(t0.Add(time.Second)), "as-of"},
		{"no cut", m.NewScorecard(time.Time{}), "as-of none differs"},
		{"overflow", big(), "lost: a count exceeds 2^62"},
	}
	before := reportJSON(t, a)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := a.Merge(tt.o)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if !bytes.Equal(reportJSON(t, a), before) {
				t.Fatal("a refused merge changed the scorecard")
			}
		})
	}
	// The regression: lost = MaxInt64 twice gave a win rate of 1.25; such
	// a count is refused at decode.
	st := strings.Replace(string(mustMarshal(t, m.NewScorecard(t0))), `"cells":[]`,
		`"cells":[{"period":"2026-01-01","lost":9223372036854775807}]`, 1)
	var s kpi.Scorecard
	if err := json.Unmarshal([]byte(st), &s); err == nil {
		t.Fatal("lost = MaxInt64: want a decode error")
	}
}

func mustMarshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMeterConcurrentUse shares one Meter between goroutines that make
// scorecards, add, key and report (run with -race).
func TestMeterConcurrentUse(t *testing.T) {
	m := kpi.MustCompile(sampleConfig())
	r := joined(t, m, 100)
	want := reportJSON(t, fillScorecard(t, m.NewScorecard(time.Time{}), r))
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := m.NewScorecard(time.Time{})
			for i := range r.n {
				if err := r.add(s, i); err != nil {
					t.Error(err)
					return
				}
			}
			_ = m.KeysOf(&r.ds.Leads[0])
			_ = m.Config()
			_ = m.Fingerprint()
			if got := reportJSON(t, s); !bytes.Equal(got, want) {
				t.Error("concurrent scorecard reports differently")
			}
		}()
	}
	wg.Wait()
}

// FuzzScorecardState decodes arbitrary bytes as scorecard state; state
// that decodes must add a lead, merge with a copy of itself and with a
// fresh scorecard, and report without panicking, with non-negative counts
// and conversion rates within [0, 1].
func FuzzScorecardState(f *testing.F) {
	golden, err := os.ReadFile(filepath.Join("testdata", "scorecard_state.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	small := smallStateF(f)
	f.Add(small)
	for _, mut := range [][2]string{
		{`"won":1`, `"won":-1`},
		{`"period":"2026-02-01"`, `"period":"2026-02-02"`},
		{`"revenue":"10"`, `"revenue":"1e99999"`},
		{`"values":[2678400000000000]`, `"values":[],"base":5000,"counts":[1]`},
		{`"lost":0`, `"lost":9223372036854775807`},
		{`"as_of":"2026-03-31T00:00:00Z"`, `"as_of":null`},
		{`"definition":{`, `"definition":{"period":"day",`},
		{`"won":1`, `"won":1,"visits":9,"measured_sessions":5,"engaged_sessions":2,"engagement_seconds":"7.5","paid_sessions":4,"direct_sessions":5`},
		{`"won":1`, `"won":1,"visits":9,"measured_sessions":9,"engaged_sessions":10,"engagement_seconds":"1"`},
		{`"won":1`, `"won":1,"visits":4611686018427387904,"organic_sessions":4611686018427387904,"social_sessions":1`},
	} {
		f.Add(bytes.Replace(small, []byte(mut[0]), []byte(mut[1]), 1))
	}
	someLead := lead.Lead{ID: "F", CreatedAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), Stage: lead.StageSQL,
		Activities: []lead.Activity{{Type: lead.ActivityCall, Actor: "a", At: time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)}}}
	someVisits := kpi.Visits{At: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), Medium: kpi.MediumPaid, LandingPage: "/lp", Count: 10,
		Engagement: &kpi.Engagement{Sessions: 4, Time: leadkit.Duration(time.Minute)}}
	f.Fuzz(func(t *testing.T, b []byte) {
		var s kpi.Scorecard
		if err := json.Unmarshal(b, &s); err != nil {
			return
		}
		if err := s.AddLead(&someLead); err != nil {
			t.Fatalf("decoded state refuses a lead: %v", err)
		}
		if err := s.AddVisits(&someVisits); err != nil && !strings.Contains(err.Error(), "past 2^62") {
			t.Fatalf("decoded state refuses visits: %v", err)
		}
		enc, err := json.Marshal(&s)
		if err != nil {
			t.Fatal(err)
		}
		var cp kpi.Scorecard
		if err := json.Unmarshal(enc, &cp); err != nil {
			t.Fatalf("re-encoded state refused: %v", err)
		}
		_ = s.Merge(&cp) // may overflow: an error, not a panic
		if err := s.Merge(s.Meter().NewScorecard(s.AsOf())); err != nil {
			t.Fatalf("merge with a fresh scorecard: %v", err)
		}
		rep, err := s.Report()
		if err != nil {
			return // a total beyond 2^62 after merging with itself
		}
		for _, r := range rep.Rows {
			for _, n := range []int64{r.Visits, r.Leads, r.MQLs, r.SQLs, r.LeadsWon, r.Uncontacted, r.Opportunities,
				r.Won, r.Lost, r.NewCustomers, r.CustomersStart, r.CustomersEnd, r.CustomersGained, r.CustomersLost} {
				if n < 0 {
					t.Fatalf("negative count in %+v", r)
				}
			}
			w := r.Web
			tr := w.Traffic
			for _, n := range []int64{tr.Organic, tr.Paid, tr.Referral, tr.Email, tr.Social, tr.Direct, tr.Other,
				w.MeasuredSessions, w.EngagedSessions, w.Bounces} {
				if n < 0 {
					t.Fatalf("negative web count in %+v", w)
				}
			}
			if w.MeasuredSessions > r.Visits || w.EngagementSeconds.IsNegative() {
				t.Fatalf("web figures beyond the visits in %+v", r)
			}
			for _, x := range []kpi.Ratio{r.MQLToSQL, r.LeadToCustomerCohort, r.WinRate, r.Retention,
				w.BounceRate, w.EngagementRate, w.OrganicShare, w.PaidShare} {
				if v, ok := x.Float64(); ok && (v < 0 || v > 1) {
					t.Fatalf("rate %v outside [0, 1] in row %s/%s/%s", x, r.Period, r.Dimension, r.Segment)
				}
			}
			if r.Spend.IsNegative() || r.Revenue.IsNegative() || r.Pipeline.IsNegative() {
				t.Fatalf("negative money in %+v", r)
			}
		}
	})
}

func smallStateF(f *testing.F) []byte {
	s := kpi.MustCompile(kpi.Config{Dimensions: []kpi.Dimension{kpi.ByOwner()}}).NewScorecard(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC))
	d := kpi.Deal{ID: "D", Owner: "ann", Status: kpi.DealWon, Amount: dec("10"), CreatedAt: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC),
		ClosedAt: time.Date(2026, 2, 5, 0, 0, 0, 0, time.UTC), NewCustomer: true}
	if err := s.AddDeal(&d); err != nil {
		f.Fatal(err)
	}
	b, err := json.Marshal(s)
	if err != nil {
		f.Fatal(err)
	}
	return b
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestMergeLargeHistograms merges two cells of 2^30 sales cycles each
// (1 ns long), past the count (900 million) up to which Merge merges in
// place: the result is the same sum.
func TestMergeLargeHistograms(t *testing.T) {
	t0 := time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)
	m := kpi.MustCompile(kpi.Config{})
	// 2^30 durations of 1 ns, by doubling one.
	var h hdur.Durations
	h.Add(1)
	for range 30 {
		var cp hdur.Durations
		if err := json.Unmarshal(mustMarshal(t, &h), &cp); err != nil {
			t.Fatal(err)
		}
		if err := h.Merge(&cp); err != nil {
			t.Fatal(err)
		}
	}
	st := strings.Replace(string(mustMarshal(t, m.NewScorecard(t0))), `"cells":[]`,
		`"cells":[{"period":"2026-01-01","won":1073741824,"revenue":"1","cycle":`+string(mustMarshal(t, &h))+`}]`, 1)
	var a, b kpi.Scorecard
	for _, s := range []*kpi.Scorecard{&a, &b} {
		if err := json.Unmarshal([]byte(st), s); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Merge(&b); err != nil {
		t.Fatal(err)
	}
	r, err := a.Report()
	if err != nil {
		t.Fatal(err)
	}
	// 2^30 + 2^30 = 2,147,483,648 wins of 1 ns each: mean 1 ns.
	if c := r.Rows[0]; c.Won != 2_147_483_648 || c.SalesCycle.Count != 2_147_483_648 || c.SalesCycle.Mean.String() != "1ns" || c.Revenue.String() != "2" {
		t.Fatalf("got won %d, cycles %d, mean %v, revenue %s", c.Won, c.SalesCycle.Count, c.SalesCycle.Mean, c.Revenue)
	}
}

// TestSampleAsOfIndependent recomputes, with plain loops over the sample
// data, what the all-periods totals row must show as of noon, 2025-09-30
// (the data runs past it): leads created by then, MQLs, SQLs and
// customers from the transitions made by then, deals won and lost by then. It is
// the check that the report's sections see the same world as the funnel
// (customers = won leads) and that no period after as-of appears.
func TestSampleAsOfIndependent(t *testing.T) {
	asOf := time.Date(2025, 9, 30, 12, 0, 0, 0, time.UTC)
	m := kpi.MustCompile(kpi.Config{})
	r := joined(t, m, 800)
	s := fillScorecard(t, m.NewScorecard(asOf), r)
	rep, err := s.Report()
	if err != nil {
		t.Fatal(err)
	}
	var leads, skipped, mqls, sqls, won, dealsWon, dealsLost, open int64
	rank := map[lead.Stage]int{}
	for i, st := range lead.Lifecycle() {
		rank[st] = i + 1
	}
	for _, l := range r.ds.Leads {
		if l.CreatedAt.After(asOf) {
			skipped++
			continue
		}
		leads++
		best, customer, later := 0, false, false
		for _, tr := range l.History {
			if tr.At.After(asOf) {
				later = true
				continue
			}
			best = max(best, rank[tr.To])
			customer = customer || tr.To == lead.StageCustomer
		}
		if !later {
			best = max(best, rank[l.Stage])
		}
		if best >= rank[lead.StageMQL] {
			mqls++
		}
		if best >= rank[lead.StageSQL] {
			sqls++
		}
		if customer {
			won++
		}
	}
	for _, d := range r.ds.Deals {
		switch {
		case d.CreatedAt.After(asOf):
		case d.Status == kpi.DealWon && !d.ClosedAt.After(asOf):
			dealsWon++
		case d.Status == kpi.DealLost && !d.ClosedAt.After(asOf):
			dealsLost++
		default:
			open++
		}
	}
	var all kpi.Row
	for _, row := range rep.Rows {
		if row.Period == kpi.AllPeriods && row.Dimension == "" {
			all = row
		} else if row.Period != kpi.AllPeriods && row.Start >= "2025-10-01" {
			t.Errorf("period %s after the as-of's", row.Period)
		}
	}
	got := []int64{all.Leads, rep.Skipped.Leads, all.MQLs, all.SQLs, all.LeadsWon, all.Won, all.Lost, all.Opportunities}
	want := []int64{leads, skipped, mqls, sqls, won, dealsWon, dealsLost, dealsWon + dealsLost + open}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("leads, skipped, MQLs, SQLs, won leads, won, lost, opportunities:\n got %v\nwant %v", got, want)
	}
	if skipped == 0 || open == 0 {
		t.Fatal("the as-of cuts nothing: the test tests nothing")
	}
	// The web figures, summed with plain loops over the visits rows
	// dated by as-of: sessions, sessions by medium, measured and engaged
	// sessions, engagement time in nanoseconds.
	var sessions, measured, engaged, skippedVisits int64
	var nanos int64
	byMedium := map[kpi.Medium]int64{}
	for _, v := range r.ds.Visits {
		if v.At.After(asOf) {
			skippedVisits++
			continue
		}
		sessions += v.Count
		byMedium[v.Medium] += v.Count
		if e := v.Engagement; e != nil {
			measured += v.Count
			engaged += e.Sessions
			nanos += int64(e.Time)
		}
	}
	w := all.Web
	tr := w.Traffic
	got = []int64{all.Visits, rep.Skipped.Visits, tr.Organic, tr.Paid, tr.Referral, tr.Email, tr.Social, tr.Direct, tr.Other,
		w.MeasuredSessions, w.EngagedSessions, w.Bounces}
	want = []int64{sessions, skippedVisits, byMedium[kpi.MediumOrganic], byMedium[kpi.MediumPaid], byMedium[kpi.MediumReferral],
		byMedium[kpi.MediumEmail], byMedium[kpi.MediumSocial], byMedium[kpi.MediumDirect], byMedium[""],
		measured, engaged, measured - engaged}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("visits, skipped, organic, paid, referral, email, social, direct, other, measured, engaged, bounces:\n got %v\nwant %v", got, want)
	}
	if !w.EngagementSeconds.Equal(decimal.New(nanos, -9)) {
		t.Fatalf("engagement %s s, want %d ns", w.EngagementSeconds, nanos)
	}
	if tr.Paid == 0 || tr.Organic == 0 || engaged == 0 || skippedVisits == 0 {
		t.Fatal("the sample has no web figures: the test tests nothing")
	}
}
