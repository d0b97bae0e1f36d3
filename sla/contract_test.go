package sla

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/acctest"
	"github.com/leadkit/leadkit/internal/golden"
	"github.com/leadkit/leadkit/internal/hist"
	"github.com/leadkit/leadkit/internal/sample"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// contractAgreement is sampleAgreement with a segment and a small breach
// cap, so that the cap is exercised by splits and merges.
func contractAgreement(maxBreaches int) Agreement {
	a := sampleAgreement()
	a.MaxBreaches = maxBreaches
	a.Policies = append(a.Policies, Policy{Name: "enterprise response", Kind: KindResponse, Within: hours(4),
		Segment: "company.employees >= 500", Clock: ClockCalendar})
	return a
}

// contractAsOf lies inside the sample's creation year, so that some
// leads are created after it (skipped), some are pending and every
// volume and quality period up to it has leads.
var contractAsOf = time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)

var (
	contractOnce sync.Once
	contractData *sample.Dataset
)

func contractLeads(t testing.TB) []lead.Lead {
	contractOnce.Do(func() {
		ds, err := sample.Generate(sample.Config{Seed: 3, Leads: 3000})
		if err != nil {
			t.Fatal(err)
		}
		contractData = ds
	})
	return contractData.Leads
}

// TestComplianceContract runs the shared accumulator harness: random
// splits, JSON round trips into zero values and merges in random order
// give the byte-identical report, breach cap included.
func TestComplianceContract(t *testing.T) {
	leads := contractLeads(t)
	paris := contractAgreement(4)
	paris.Calendar = benchCalendar() // Europe/Paris, split shifts, holidays
	paris.Policies[4].Period = leadkit.Quarter
	for i, a := range []Agreement{contractAgreement(3), contractAgreement(0), paris} {
		ch := MustCompile(a)
		acctest.Run(t, acctest.Harness[Compliance, Report]{
			New:     func() *Compliance { return ch.NewCompliance(contractAsOf) },
			Records: len(leads),
			Add:     func(c *Compliance, i int) error { return c.Add(&leads[i]) },
			Merge:   func(a, b *Compliance) error { return a.Merge(b) },
			Report:  func(c *Compliance) (Report, error) { return c.Report() },
			Rounds:  5,
			Seed:    uint64(i),
		})
	}
}

// TestBreachCapKeepsTheLatest checks the kept breaches against an
// independent computation: every per-lead result from Check, the
// breached ones sorted latest first (then lead id), the first 3.
func TestBreachCapKeepsTheLatest(t *testing.T) {
	leads := contractLeads(t)
	ch := MustCompile(contractAgreement(3))
	c := ch.NewCompliance(contractAsOf)
	all := map[string][]Result{}
	for i := range leads {
		if err := c.Add(&leads[i]); err != nil {
			t.Fatal(err)
		}
		if leads[i].CreatedAt.After(contractAsOf) {
			continue
		}
		rs, err := ch.Check(&leads[i], contractAsOf)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Status == StatusBreached {
				all[r.Policy] = append(all[r.Policy], r)
			}
		}
	}
	r, err := c.Report()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range r.Policies {
		if !p.Kind.perLead() {
			continue
		}
		want := all[p.Name]
		if int64(len(want)) != p.Breached {
			t.Errorf("%s: Breached = %d, Check found %d", p.Name, p.Breached, len(want))
		}
		slices.SortFunc(want, func(x, y Result) int {
			if x.Late != y.Late {
				return int(y.Late - x.Late)
			}
			return strings.Compare(x.LeadID, y.LeadID)
		})
		want = want[:min(3, len(want))]
		var got, exp []string
		for _, b := range p.Breaches {
			got = append(got, b.LeadID+" "+b.Late.String())
		}
		for _, b := range want {
			exp = append(exp, b.LeadID+" "+b.Late.String())
		}
		if !slices.Equal(got, exp) {
			t.Errorf("%s: breaches %v, want %v", p.Name, got, exp)
		}
	}
}

// goldenState returns the JSON state of the first 300 contract leads.
func goldenState(t *testing.T) []byte { return stateOf(t, contractAgreement(5)) }

// stateOf returns the indented JSON state, with a final newline, of the
// first 300 contract leads under a, as of contractAsOf.
func stateOf(t *testing.T, a Agreement) []byte {
	t.Helper()
	leads := contractLeads(t)[:300]
	c := MustCompile(a).NewCompliance(contractAsOf)
	for i := range leads {
		if err := c.Add(&leads[i]); err != nil {
			t.Fatal(err)
		}
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// checkGolden compares a state with the golden file at path (rewritten
// first under -update), checks that the golden bytes decode into a zero
// value that encodes to the same bytes, and returns them.
func checkGolden(t *testing.T, got []byte, path string) []byte {
	t.Helper()
	want := golden.Check(t, path, got)
	var c Compliance
	if err := json.Unmarshal(want, &c); err != nil {
		t.Fatal(err)
	}
	again, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(append(again, '\n'), want) {
		t.Error("the golden state changes in a round trip")
	}
	return want
}

const goldenPath = "testdata/compliance_state.golden.json"

// TestGoldenState pins the state format: the state of a fixed set of
// leads encodes to the golden bytes, and the golden bytes decode into a
// zero value that encodes and reports the same. Regenerate with
// go test ./sla -run TestGoldenState -update.
func TestGoldenState(t *testing.T) {
	want := checkGolden(t, goldenState(t), goldenPath)
	if !strings.HasPrefix(string(want), `{
  "format": "leadkit.sla/1",
  "definition": {`) {
		t.Errorf("state does not start with its format and definition: %.80s", want)
	}
}

// mutate decodes the golden state, applies f to its generic form and
// re-encodes it.
func mutate(t *testing.T, golden []byte, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(golden))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	f(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func policyState(m map[string]any, i int) map[string]any {
	return m["policies"].([]any)[i].(map[string]any)
}

func firstOwner(m map[string]any, i int) map[string]any {
	owners := policyState(m, i)["owners"].(map[string]any)
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range owners {
			if !yield(k) {
				return
			}
		}
	})
	return owners[keys[0]].(map[string]any)
}

func firstPeriod(m map[string]any, i int) (string, map[string]any) {
	periods := policyState(m, i)["periods"].(map[string]any)
	for k, v := range periods {
		return k, v.(map[string]any)
	}
	return "", nil
}

// TestDecodeRefusals tampers with the golden state in every way the
// decoder must catch: each is an error naming the field, never a panic
// or a wrong number later, and the receiver is left unchanged.
func TestDecodeRefusals(t *testing.T) {
	golden := goldenState(t)
	tests := []struct {
		name string
		f    func(m map[string]any)
		want string
	}{
		{"format", func(m map[string]any) { m["format"] = "leadkit.sla/2" }, "format"},
		{"unknown top field", func(m map[string]any) { m["extra"] = 1 }, "extra"},
		{"counts dropped", func(m map[string]any) { delete(m, "policies") }, `field "policies" missing`}, // a coder that drops fields
		{"fingerprint", func(m map[string]any) { m["fingerprint"] = strings.Repeat("0", 64) }, "fingerprint"},
		{"definition edited", func(m map[string]any) {
			m["definition"].(map[string]any)["policies"].([]any)[0].(map[string]any)["within"] = "9h"
		}, "fingerprint"},
		{"invalid definition", func(m map[string]any) {
			m["definition"].(map[string]any)["policies"].([]any)[0].(map[string]any)["within"] = "-1h"
		}, "definition.policies[0].within"},
		{"negative leads", func(m map[string]any) { m["leads"] = -1 }, "leads"},
		{"policy count", func(m map[string]any) { m["policies"] = m["policies"].([]any)[:2] }, "policies"},
		{"policy name", func(m map[string]any) { policyState(m, 0)["name"] = "other" }, "policies[0].name"},
		// Negative counts once gave compliance 0.8333.
		{"negative met", func(m map[string]any) { firstOwner(m, 0)["met"] = -5 }, "policies[0].owners"},
		{"null owner", func(m map[string]any) { policyState(m, 0)["owners"].(map[string]any)["ghost"] = nil }, `owners["ghost"]: null`},
		{"owner without leads", func(m map[string]any) {
			var empty hist.Durations
			b, _ := json.Marshal(&empty)
			var times map[string]any
			_ = json.Unmarshal(b, &times)
			policyState(m, 0)["owners"].(map[string]any)["ghost"] = map[string]any{"met": 0, "breached": 0, "pending": 0, "at_risk": 0, "times": times}
		}, `owners["ghost"]`},
		{"more leads than added", func(m map[string]any) { firstOwner(m, 0)["pending"] = 1 << 40 }, "more leads than"},
		{"unknown owner field", func(m map[string]any) { firstOwner(m, 0)["late"] = 1 }, "late"},
		{"missing times", func(m map[string]any) { delete(firstOwner(m, 0), "times") }, "times: missing"},
		{"bad histogram", func(m map[string]any) { firstOwner(m, 0)["times"] = map[string]any{"n": -1} }, "histogram"},
		{"breach dropped", func(m map[string]any) {
			ps := policyState(m, 0)
			ps["breaches"] = ps["breaches"].([]any)[1:]
		}, "breaches"},
		{"breach of another policy", func(m map[string]any) {
			policyState(m, 0)["breaches"].([]any)[0].(map[string]any)["policy"] = "attempts"
		}, "breaches[0].policy"},
		{"breach status", func(m map[string]any) {
			policyState(m, 0)["breaches"].([]any)[0].(map[string]any)["status"] = "met"
		}, "breaches[0].status"},
		{"breaches out of order", func(m map[string]any) {
			bs := policyState(m, 0)["breaches"].([]any)
			bs[0], bs[len(bs)-1] = bs[len(bs)-1], bs[0]
		}, "out of order"},
		{"periods on a per-lead policy", func(m map[string]any) {
			policyState(m, 0)["periods"] = map[string]any{"2025-01-06": map[string]any{"leads": 1}}
		}, "periods"},
		{"period key not a week start", func(m map[string]any) {
			policyState(m, 3)["periods"].(map[string]any)["2025-01-07"] = map[string]any{"leads": 1}
		}, "periods.2025-01-07: not the first date"},
		{"period after as-of", func(m map[string]any) {
			policyState(m, 3)["periods"].(map[string]any)["2025-09-08"] = map[string]any{"leads": 1}
		}, "periods.2025-09-08"},
		{"null period", func(m map[string]any) {
			policyState(m, 4)["periods"].(map[string]any)["2025-02-01"] = nil
		}, "periods.2025-02-01: null"},
		{"more accepted than leads", func(m map[string]any) {
			_, p := firstPeriod(m, 4)
			p["accepted"] = 1 << 20
		}, "accepted"},
		{"decisions on volume", func(m map[string]any) {
			_, p := firstPeriod(m, 3)
			p["accepted"] = 1
		}, "volume"},
		{"as-of out of range", func(m map[string]any) { m["as_of"] = "2300-01-01T00:00:00Z" }, "as_of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := mutate(t, golden, tt.f)
			c := MustCompile(sampleAgreement()).NewCompliance(sampleAsOf)
			before, _ := json.Marshal(c)
			err := json.Unmarshal(data, c)
			if err == nil {
				t.Fatalf("decoded without error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			var le *leadkit.Error
			if !errors.As(err, &le) {
				t.Errorf("error %v is not a *leadkit.Error", err)
			}
			if after, _ := json.Marshal(c); !bytes.Equal(before, after) {
				t.Error("a failed decode changed the receiver")
			}
		})
	}
	// The golden state itself decodes (the table's mutations are what
	// break it).
	var c Compliance
	if err := json.Unmarshal(golden, &c); err != nil {
		t.Fatal(err)
	}
}

// TestMergeRefusals: every refusal is an error that leaves the
// receiver unchanged.
func TestMergeRefusals(t *testing.T) {
	leads := contractLeads(t)[:200]
	ch := MustCompile(sampleAgreement())
	filled := func() *Compliance {
		c := ch.NewCompliance(sampleAsOf)
		for i := range leads {
			if err := c.Add(&leads[i]); err != nil {
				t.Fatal(err)
			}
		}
		return c
	}
	other := sampleAgreement()
	other.Policies[0].Within = hours(9)
	overflow := filled()
	overflow.pols[0].owners["rep-overflow"] = &tally{met: 1<<63 - 1}
	c0 := filled()
	c0.pols[0].owners["rep-overflow"] = &tally{met: 1}
	var zero Compliance
	tests := []struct {
		name string
		c, o *Compliance
	}{
		{"nil other", filled(), nil},
		{"itself", c0, c0},
		{"zero other", filled(), &zero},
		{"other agreement", filled(), MustCompile(other).NewCompliance(sampleAsOf)},
		{"other as-of", filled(), ch.NewCompliance(sampleAsOf.Add(time.Second))},
		{"overflow", c0, overflow},
		{"zero receiver", &zero, filled()},
		{"nil receiver", nil, filled()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before []byte
			if tt.c != nil && tt.c.ch != nil {
				before, _ = json.Marshal(tt.c)
			}
			if err := tt.c.Merge(tt.o); err == nil {
				t.Fatal("Merge succeeded")
			}
			if before != nil {
				if after, _ := json.Marshal(tt.c); !bytes.Equal(before, after) {
					t.Error("a refused merge changed the receiver")
				}
			}
		})
	}
	// A successful merge leaves o unchanged and sharing nothing.
	a, b := filled(), filled()
	bBefore, _ := json.Marshal(b)
	if err := a.Merge(b); err != nil {
		t.Fatal(err)
	}
	more := contractLeads(t)[200:400]
	for i := range more {
		_ = a.Add(&more[i])
	}
	if bAfter, _ := json.Marshal(b); !bytes.Equal(bBefore, bAfter) {
		t.Error("Merge or later Adds to the receiver changed the merged accumulator")
	}
}

// TestNilAndZero: every exported entry point taking a pointer handles
// nil and the zero value with an error, never a panic.
func TestNilAndZero(t *testing.T) {
	ch := MustCompile(sampleAgreement())
	var nilC *Compliance
	var nilCh *Checker
	var nilSched *Schedule
	l := &lead.Lead{ID: "x"}
	tests := []struct {
		name string
		call func() error
	}{
		{"Checker.Check(nil)", func() error { _, err := ch.Check(nil, sampleAsOf); return err }},
		{"Checker.CheckScored(nil)", func() error { _, err := ch.CheckScored(nil, Scores{}, sampleAsOf); return err }},
		{"nil Checker.Check", func() error { _, err := nilCh.Check(l, sampleAsOf); return err }},
		{"nil Checker.Report", func() error { _, err := nilCh.Report(nil, sampleAsOf); return err }},
		{"nil Checker.NewCompliance.Add", func() error { return nilCh.NewCompliance(sampleAsOf).Add(l) }},
		{"Compliance.Add(nil)", func() error { return ch.NewCompliance(sampleAsOf).Add(nil) }},
		{"Compliance.AddScored(nil)", func() error { return ch.NewCompliance(sampleAsOf).AddScored(nil, Scores{}) }},
		{"zero as-of Add", func() error { return ch.NewCompliance(time.Time{}).Add(l) }},
		{"out-of-range as-of Add", func() error { return ch.NewCompliance(time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC)).Add(l) }},
		{"nil Compliance.Add", func() error { return nilC.Add(l) }},
		{"nil Compliance.Report", func() error { _, err := nilC.Report(); return err }},
		{"nil Compliance.Merge", func() error { return nilC.Merge(ch.NewCompliance(sampleAsOf)) }},
		{"nil Compliance.MarshalJSON", func() error { _, err := nilC.MarshalJSON(); return err }},
		{"nil Compliance.UnmarshalJSON", func() error { return nilC.UnmarshalJSON([]byte(`{}`)) }},
		{"zero Compliance.Add", func() error { return new(Compliance).Add(l) }},
		{"zero Compliance.Report", func() error { _, err := new(Compliance).Report(); return err }},
		{"zero Compliance.MarshalJSON", func() error { _, err := json.Marshal(new(Compliance)); return err }},
		{"null state", func() error { return json.Unmarshal([]byte(`null`), new(Compliance)) }},
		{"empty state", func() error { return json.Unmarshal([]byte(`{}`), new(Compliance)) }},
		{"nil Schedule.WorkingTime", func() error { _, err := nilSched.WorkingTime(sampleAsOf, sampleAsOf); return err }},
		{"nil Schedule.Deadline", func() error { _, err := nilSched.Deadline(sampleAsOf, time.Hour); return err }},
		{"nil Schedule.NextOpen", func() error { _, err := nilSched.NextOpen(sampleAsOf); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); err == nil {
				t.Error("no error")
			}
		})
	}
	if nilC.AsOf() != (time.Time{}) || nilC.Fingerprint() != "" {
		t.Error("nil accumulator: AsOf or Fingerprint not zero")
	}
	if nilCh.Fingerprint() != "" || nilCh.Schedule() != nil || len(nilCh.Agreement().Policies) != 0 {
		t.Error("nil checker: Fingerprint, Schedule or Agreement not zero")
	}
	if nilSched.IsOpen(sampleAsOf) || nilSched.Location() != nil || nilSched.Calendar().Zone != "" {
		t.Error("nil schedule: IsOpen, Location or Calendar not zero")
	}
	// A zero as-of accumulator still encodes, decodes and reports.
	z := ch.NewCompliance(time.Time{})
	if _, err := z.Report(); err != nil {
		t.Errorf("zero as-of Report: %v", err)
	}
	acctest.RoundTrip(t, z)
}

// TestAddScored: a segment on the scores the host supplies.
func TestAddScored(t *testing.T) {
	a := Agreement{Calendar: agreement.Calendar, Policies: []Policy{
		{Name: "hot", Kind: KindResponse, Within: hours(4), Segment: `grade in ["A", "B"] && total >= 80 && engagement > 10`},
		{Name: "fit", Kind: KindResponse, Within: hours(4), Segment: "fit >= 50"},
		{Name: "all", Kind: KindResponse, Within: hours(4)},
		{Name: "big", Kind: KindResponse, Within: hours(4), Segment: "company.employees >= 1000"},
	}}
	ch := MustCompile(a)
	l := lead.Lead{ID: "L", Company: lead.Company{Employees: 2000}, History: mql(utc(2026, 11, 23, 10, 0))}
	tests := []struct {
		name   string
		scores Scores
		want   []string // policies judging the lead
	}{
		// total 90 ≥ 80, engagement 40 > 10, grade B; fit 50 ≥ 50.
		{"hot and fit", Scores{Fit: 50, Engagement: 40, Total: 90, Grade: "B"}, []string{"hot", "fit", "all", "big"}},
		// grade C is not in [A, B]; fit 49.9 < 50.
		{"neither", Scores{Fit: 49.9, Engagement: 40, Total: 89.9, Grade: "C"}, []string{"all", "big"}},
		// engagement 10 is not > 10.
		{"engagement boundary", Scores{Fit: 70, Engagement: 10, Total: 80, Grade: "A"}, []string{"fit", "all", "big"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := ch.CheckScored(&l, tt.scores, asOf)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rs {
				got = append(got, r.Policy)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("CheckScored judged %v, want %v", got, tt.want)
			}
			c := ch.NewCompliance(asOf)
			if err := c.AddScored(&l, tt.scores); err != nil {
				t.Fatal(err)
			}
			r, _ := c.Report()
			var counted []string
			for _, p := range r.Policies {
				if p.Breached+p.Met+p.Pending+p.AtRisk > 0 {
					counted = append(counted, p.Name)
				}
			}
			if !slices.Equal(counted, tt.want) {
				t.Errorf("AddScored counted %v, want %v", counted, tt.want)
			}
		})
	}
	// Without scores, a segment on scores cannot be judged: an error,
	// and nothing is added.
	c := ch.NewCompliance(asOf)
	if err := c.Add(&l); err == nil || !strings.Contains(err.Error(), "names a score") {
		t.Errorf("Add without scores: %v", err)
	}
	if _, err := ch.Check(&l, asOf); err == nil {
		t.Error("Check without scores: no error")
	}
	if r, _ := c.Report(); r.Leads != 0 || r.Policies[2].Breached != 0 {
		t.Errorf("a failed Add added the lead: %+v", r.Policies[2].Counts)
	}
	// An agreement without score segments ignores the scores.
	plain := MustCompile(Agreement{Calendar: agreement.Calendar, Policies: a.Policies[2:]})
	r1, err1 := plain.Check(&l, asOf)
	r2, err2 := plain.CheckScored(&l, Scores{Grade: "F"}, asOf)
	if err1 != nil || err2 != nil || len(r1) != 2 || len(r2) != 2 {
		t.Errorf("plain: %v %v / %v %v", r1, err1, r2, err2)
	}
	// A misspelt score name is a compile error with a path and position.
	_, err := Compile(Agreement{Calendar: agreement.Calendar, Policies: []Policy{{Name: "x", Kind: KindResponse, Within: hours(1), Segment: "grad == 'A'"}}})
	var le *leadkit.Error
	if !errors.As(err, &le) || le.Path != "policies[0].segment" || le.Line != 1 {
		t.Errorf("misspelt score: %#v", err)
	}
}

// TestFingerprintAndDefinitionCopy: the fingerprint hashes the canonical
// agreement (defaults filled in), and the definition a checker returns is
// a deep copy.
func TestFingerprintAndDefinitionCopy(t *testing.T) {
	base := MustCompile(agreement)
	explicit := agreement.clone()
	explicit.Calendar.Zone = "UTC"
	explicit.MaxBreaches = DefaultMaxBreaches
	explicit.Policies[0].Team, explicit.Policies[0].Stage, explicit.Policies[0].Clock = lead.TeamSales, lead.StageMQL, ClockBusiness
	explicit.Policies[4].Percent = decimal.RequireFromString("50.00")
	if got := MustCompile(explicit).Fingerprint(); got != base.Fingerprint() {
		t.Errorf("defaults spelt out change the fingerprint: %s vs %s", got, base.Fingerprint())
	}
	changed := agreement.clone()
	changed.Policies[0].Within = hours(9)
	if MustCompile(changed).Fingerprint() == base.Fingerprint() {
		t.Error("a different within keeps the fingerprint")
	}
	if len(base.Fingerprint()) != 64 {
		t.Errorf("fingerprint %q is not hex SHA-256", base.Fingerprint())
	}
	def := base.Agreement()
	def.Policies[1].Touches[0] = "nothing"
	def.Calendar.Week.Monday[0] = "00:00-01:00"
	def.Policies[0].Name = "renamed"
	again := base.Agreement()
	if again.Policies[1].Touches[0] != lead.ActivityCall || again.Calendar.Week.Monday[0] != "09:00-17:00" || again.Policies[0].Name != "response" {
		t.Error("editing the returned agreement changed the checker's")
	}
	// Editing the literal after Compile changes nothing either.
	a := agreement.clone()
	ch := MustCompile(a)
	a.Policies[1].Touches[0] = "nothing"
	if ch.Agreement().Policies[1].Touches[0] != lead.ActivityCall {
		t.Error("Compile kept a reference to the caller's slices")
	}
}

func TestParseAgreement(t *testing.T) {
	good, err := json.Marshal(agreement)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseAgreement(good)
	if err != nil {
		t.Fatal(err)
	}
	if MustCompile(a).Fingerprint() != MustCompile(agreement).Fingerprint() {
		t.Error("parsed agreement differs")
	}
	tests := []struct {
		name, json, want string
	}{
		{"unknown top field", `{"calendar":{"week":{"monday":["09:00-17:00"]}},"policy":[]}`, `policy: unknown field (1:49)`},
		{"unknown nested field", `{"calendar":{"week":{"munday":["09:00-17:00"]}},"policies":[]}`, `calendar.week.munday: unknown field`},
		{"unknown policy field", `{"calendar":{"week":{"monday":["09:00-17:00"]}},"policies":[{"name":"a","kind":"response","within":"1h"},{"name":"b","halflife":"1d"}]}`, `policies[1].halflife: unknown field`},
		{"nanosecond within", `{"calendar":{"week":{"monday":["09:00-17:00"]}},"policies":[{"name":"a","kind":"response","within":28800000000000}]}`, `duration must be a string`},
		{"bad duration", `{"calendar":{"week":{"monday":["09:00-17:00"]}},"policies":[{"name":"a","kind":"response","within":"8 hours"}]}`, `invalid duration`},
		{"wrong type", `{"calendar":{"week":{"monday":["09:00-17:00"]}},"policies":[{"name":"a","kind":"attempts","within":"1h","attempts":"3"}]}`, `policies[0].attempts: want an integer, got a string`}, // the index too, now
		{"trailing data", `{"calendar":{"week":{"monday":["09:00-17:00"]}},"policies":[{"name":"a","kind":"response","within":"1h"}]} {}`, `data after the agreement's closing brace`},
		{"invalid", `{"calendar":{"week":{"monday":["09:00-17:00"]}},"policies":[]}`, `policies: none`},
		{"max breaches", `{"calendar":{"week":{"monday":["09:00-17:00"]}},"policies":[{"name":"a","kind":"response","within":"1h"}],"max_breaches":-1}`, `max_breaches`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAgreement([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			}
			var le *leadkit.Error
			if !errors.As(err, &le) {
				t.Errorf("%v is not a *leadkit.Error", err)
			}
		})
	}
}

// TestStateSize100k: the state of 100,000 leads stays under 1 MB; it
// depends on the owners, periods and the breach cap, not on the leads.
// BenchmarkStateSize measures 1M.
func TestStateSize100k(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 100,000 leads")
	}
	ds, err := sample.Generate(sample.Config{Seed: 1, Leads: 100_000})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []Agreement{sampleAgreement(), followUpAgreement(0)} {
		c := MustCompile(a).NewCompliance(sampleAsOf)
		for i := range ds.Leads {
			if err := c.Add(&ds.Leads[i]); err != nil {
				t.Fatal(err)
			}
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("state of 100,000 leads, %d policy entries: %d bytes", len(a.Policies), len(b))
		if len(b) > 1<<20 {
			t.Errorf("state of 100,000 leads is %d bytes, over 1 MB", len(b))
		}
	}
}

// TestOutOfRangeLead: a lead whose clock would start before 1950 or
// whose deadline lies after 2200 is an error wrapping ErrOutOfRange, and
// adds nothing.
func TestOutOfRangeLead(t *testing.T) {
	ch := MustCompile(agreement)
	tests := []struct {
		name string
		l    lead.Lead
		asOf time.Time
	}{
		{"clock start before 1950", lead.Lead{ID: "old", History: mql(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC))}, asOf},
		// 8 working hours from Friday 2199-12-31 16:00 run past 2200.
		{"deadline after 2200", lead.Lead{ID: "late", History: mql(time.Date(2199, 12, 31, 16, 0, 0, 0, time.UTC))}, time.Date(2199, 12, 31, 20, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ch.NewCompliance(tt.asOf)
			if err := c.Add(&tt.l); !errors.Is(err, ErrOutOfRange) {
				t.Errorf("Add: %v, want ErrOutOfRange", err)
			}
			if _, err := ch.Check(&tt.l, tt.asOf); !errors.Is(err, ErrOutOfRange) {
				t.Errorf("Check: %v, want ErrOutOfRange", err)
			}
			if r, _ := c.Report(); r.Leads != 0 {
				t.Error("the lead was counted")
			}
		})
	}
}

// TestScoredConcurrentUse: one checker with score segments used from
// several goroutines (run with -race) gives every goroutine the same
// report.
func TestScoredConcurrentUse(t *testing.T) {
	leads := contractLeads(t)[:500]
	a := sampleAgreement()
	a.Policies = append(a.Policies, Policy{Name: "hot", Kind: KindResponse, Within: hours(2), Segment: `grade == "A" || fit > 70`})
	ch := MustCompile(a)
	scores := func(i int) Scores {
		return Scores{Fit: float64(i % 100), Engagement: float64(i % 37), Total: float64(i%100 + i%37), Grade: string(rune('A' + i%5))}
	}
	var wg sync.WaitGroup
	reports := make([][]byte, 4)
	for g := range reports {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := ch.NewCompliance(sampleAsOf)
			for i := range leads {
				if err := c.AddScored(&leads[i], scores(i)); err != nil {
					t.Error(err)
					return
				}
				if _, err := ch.CheckScored(&leads[i], scores(i), sampleAsOf); err != nil {
					t.Error(err)
					return
				}
			}
			r, err := c.Report()
			if err != nil {
				t.Error(err)
				return
			}
			reports[g], _ = json.Marshal(r)
		}()
	}
	wg.Wait()
	for g := range reports {
		if !bytes.Equal(reports[g], reports[0]) {
			t.Fatalf("goroutine %d's report differs", g)
		}
	}
	var r Report
	if err := json.Unmarshal(reports[0], &r); err != nil {
		t.Fatal(err)
	}
	hot := r.Policies[len(r.Policies)-1]
	if n := hot.Met + hot.Breached + hot.Pending + hot.AtRisk; n == 0 || n == r.Policies[0].Met+r.Policies[0].Breached+r.Policies[0].Pending+r.Policies[0].AtRisk {
		t.Errorf("the score segment selected %d leads: none or all", n)
	}
}

// TestRangeStartPeriod: a lead handed off on 1950-01-01, a Sunday,
// belongs to the week of Monday 1949-12-26, which straddles the start of
// the calendar's range. Its volume period reports with the part before
// 1950 closed, and its state round-trips.
func TestRangeStartPeriod(t *testing.T) {
	ch := MustCompile(Agreement{Calendar: Calendar{Week: everyDay("00:00-24:00")}, Policies: []Policy{
		{Name: "v", Kind: KindVolume, Period: leadkit.Week, Target: 2},
	}})
	l := lead.Lead{ID: "first", History: mql(minInstant)}
	// As of 1950-01-01 12:00 the week holds 12h of working time in the
	// range, out of 24h (1950-01-01 is its last day): to date 2 × 12 /
	// 24 = 1; 1 lead is not below it: pending.
	c := ch.NewCompliance(minInstant.Add(12 * time.Hour))
	if err := c.Add(&l); err != nil {
		t.Fatal(err)
	}
	r, err := c.Report()
	if err != nil {
		t.Fatal(err)
	}
	pe := r.Policies[0].Periods
	if len(pe) != 1 || !pe[0].Start.Equal(utc(1949, 12, 26, 0, 0)) || pe[0].ToDate.String() != "1" || pe[0].Status != StatusPending {
		t.Errorf("periods = %+v", pe)
	}
	acctest.RoundTrip(t, c)
}

// TestReportRefusesDuplicates is the regression test for batch helpers
// that counted a duplicated lead twice.
func TestReportRefusesDuplicates(t *testing.T) {
	ch := MustCompile(sampleAgreement())
	at := sampleAsOf.AddDate(0, -1, 0)
	leads := []lead.Lead{{ID: "a", CreatedAt: at}, {ID: "b", CreatedAt: at}, {ID: "a", CreatedAt: at}}
	_, err := ch.Report(leads, sampleAsOf)
	if err == nil || !strings.Contains(err.Error(), `1 duplicate record, ids "a"`) {
		t.Fatalf("Report = %v, want the duplicate id named", err)
	}
	if _, err := ch.Report(leads[:2], sampleAsOf); err != nil {
		t.Fatalf("unique leads: %v", err)
	}
}
