package account_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/account"
	"github.com/leadkit/leadkit/internal/acctest"
	"github.com/leadkit/leadkit/internal/golden"
	"github.com/leadkit/leadkit/internal/sample"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

func f(x float64) *float64 { return &x }

// handDefinition is the small definition the hand-worked tests use.
func handDefinition(r account.Rollup) account.Definition {
	return account.Definition{
		Name: "hand",
		Leads: scoring.Model{
			Rules: []scoring.Rule{
				{Name: "page view", Kind: scoring.Engagement, When: `type == "page_view"`, Points: 1},
				{Name: "demo", Kind: scoring.Engagement, When: `type == "demo_request"`, Points: 10},
			},
			Personas: []lead.Persona{
				{Name: "buyer", Criteria: `person.seniority in ["vp", "executive"]`},
				{Name: "champion", Criteria: `person.seniority == "manager"`},
			},
		},
		Fit: []scoring.Rule{
			{Name: "large", When: "company.employees >= 500", Points: 30},
			{Name: "software", When: `company.industry == "Software"`, Points: 20},
		},
		Grades:      scoring.Bands("A", 40.0, "B", 20.0, "C"),
		Engagement:  r,
		BuyingGroup: []account.Role{{Persona: "buyer", MinEngagement: 5}, {Persona: "champion"}},
		Qualification: []account.Rung{
			{Stage: "MQA", MinEngagement: f(10), MinEngagedLeads: 2},
			{Stage: "SQA", Grades: []string{"A"}, Engaged: []string{"buyer", "champion"}},
		},
	}
}

var handAsOf = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

// handLeads: acme.com has a VP (3 page views and a demo: 13 points), a
// manager (2 page views: 2), an entry-level lead (0) and a lead created
// after the as-of; globex.com a manager with one page view (1); one
// gmail lead without a company has no account.
func handLeads() []lead.Lead {
	day := func(d int) time.Time { return time.Date(2025, 5, d, 10, 0, 0, 0, time.UTC) }
	acts := func(pv int, demo bool) []lead.Activity {
		var out []lead.Activity
		for i := range pv {
			out = append(out, lead.Activity{Type: lead.ActivityPageView, At: day(2 + i)})
		}
		if demo {
			out = append(out, lead.Activity{Type: lead.ActivityDemoRequest, At: day(10)})
		}
		// an activity after the as-of is invisible
		return append(out, lead.Activity{Type: lead.ActivityDemoRequest, At: handAsOf.Add(time.Hour)})
	}
	acme := lead.Company{Name: "Acme Inc.", Domain: "acme.com", Industry: "Software", Employees: 1000}
	globex := lead.Company{Name: "Globex", Domain: "www.globex.com", Industry: "Retail", Employees: 50}
	return []lead.Lead{
		{ID: "A1", CreatedAt: day(1), Company: acme, Person: lead.Person{Seniority: lead.SeniorityVP, Email: "vp@acme.com"}, Activities: acts(3, true)},
		{ID: "A2", CreatedAt: day(1), Company: acme, Person: lead.Person{Seniority: lead.SeniorityManager}, Activities: acts(2, false)},
		{ID: "A3", CreatedAt: day(3), Company: acme, Person: lead.Person{Seniority: lead.SeniorityEntry}},
		{ID: "A4", CreatedAt: handAsOf.Add(time.Hour), Company: acme},
		{ID: "G1", CreatedAt: day(4), Company: globex, Person: lead.Person{Seniority: lead.SeniorityManager}, Activities: acts(1, false)},
		{ID: "N1", CreatedAt: day(4), Person: lead.Person{Email: "sam@gmail.com"}},
	}
}

func handReport(t *testing.T, r account.Rollup) account.Report {
	t.Helper()
	a := account.MustCompile(handDefinition(r)).NewAccounts(handAsOf)
	for _, l := range handLeads() {
		if err := a.Add(&l); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := a.Report()
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestRollups(t *testing.T) {
	tests := []struct {
		r            account.Rollup
		acme, globex float64
	}{
		{account.Rollup{}, 15, 1},                                       // sum: 13 + 2 + 0; 1
		{account.Rollup{Method: account.Max}, 13, 1},                    // the VP's 13; 1
		{account.Rollup{Method: account.TopN, N: 2, Decay: 0.5}, 14, 1}, // 13 + 0.5×2; 1
		{account.Rollup{Method: account.TopN, N: 3}, 15, 1},             // no decay: 13 + 2 + 0
		{account.Rollup{Method: account.TopN, N: 1, Decay: 0.1}, 13, 1}, // only the first, weight 1
	}
	for _, tt := range tests {
		rep := handReport(t, tt.r)
		if len(rep.Top) != 2 || rep.Top[0].Key != "acme.com" || rep.Top[1].Key != "globex.com" {
			t.Fatalf("%+v: top %+v", tt.r, rep.Top)
		}
		if rep.Top[0].Engagement != tt.acme || rep.Top[1].Engagement != tt.globex {
			t.Errorf("%+v: engagement %v, %v; want %v, %v", tt.r, rep.Top[0].Engagement, rep.Top[1].Engagement, tt.acme, tt.globex)
		}
		// Fit: acme 30 (≥ 500 employees) + 20 (software) = 50, grade A;
		// globex 0, grade C.
		if rep.Top[0].Fit != 50 || rep.Top[0].Grade != "A" || rep.Top[1].Fit != 0 || rep.Top[1].Grade != "C" {
			t.Errorf("%+v: fit %v %q, %v %q", tt.r, rep.Top[0].Fit, rep.Top[0].Grade, rep.Top[1].Fit, rep.Top[1].Grade)
		}
		if rep.Top[0].Total != 50+tt.acme {
			t.Errorf("total %v; want %v", rep.Top[0].Total, 50+tt.acme)
		}
	}
}

func TestHandReport(t *testing.T) {
	rep := handReport(t, account.Rollup{})
	// Leads: A1, A2, A3 at acme, G1 at globex = 4; A4 created after the
	// as-of is skipped; N1 (gmail, no company) is unkeyed.
	if rep.Leads != 4 || rep.Skipped != 1 || rep.Unkeyed != 1 || rep.Accounts != 2 {
		t.Errorf("counts: leads %d skipped %d unkeyed %d accounts %d; want 4 1 1 2", rep.Leads, rep.Skipped, rep.Unkeyed, rep.Accounts)
	}
	acme, globex := rep.Top[0], rep.Top[1]
	// acme: engagement 15 ≥ 10 and 2 engaged leads (A1, A2): MQA; grade
	// A, buyer A1 at 13 ≥ 5 and champion A2 at 2 > 0 engaged: SQA, the
	// top rung, so nothing next.
	if acme.Stage != "SQA" || acme.Next != nil || acme.Gaps != nil || acme.EngagedLeads != 2 || acme.Leads != 3 {
		t.Errorf("acme: %+v", acme)
	}
	wantLeads := []account.LeadLine{{ID: "A1", Engagement: 13, Personas: []string{"buyer"}}, {ID: "A2", Engagement: 2, Personas: []string{"champion"}}, {ID: "A3", Engagement: 0}}
	if !reflect.DeepEqual(acme.TopLeads, wantLeads) {
		t.Errorf("acme leads %+v; want %+v", acme.TopLeads, wantLeads)
	}
	if len(acme.FitRules) != 2 || acme.FitRules[0].Rule != "large" || acme.FitRules[1].Rule != "software" {
		t.Errorf("acme fit rules %+v", acme.FitRules)
	}
	// globex: engagement 1, one engaged lead: no rung; next is MQA's two
	// unmet conditions; no buyer at all.
	wantNext := []string{"MQA: engagement 1 < 10", "MQA: 1 engaged leads < 2"}
	if globex.Stage != "" || !reflect.DeepEqual(globex.Next, wantNext) || !reflect.DeepEqual(globex.Gaps, []string{"buyer: missing"}) {
		t.Errorf("globex: stage %q next %q gaps %q", globex.Stage, globex.Next, globex.Gaps)
	}
	if globex.Name != "Globex" || globex.Domain != "www.globex.com" {
		t.Errorf("globex company %q %q", globex.Name, globex.Domain)
	}
	wantGaps := []account.Gap{{Persona: "buyer", Missing: 1}, {Persona: "champion"}}
	if !reflect.DeepEqual(rep.Gaps, wantGaps) {
		t.Errorf("gaps %+v; want %+v", rep.Gaps, wantGaps)
	}
	wantStages := []account.Count{{Value: "SQA", Accounts: 1}, {Value: "", Accounts: 1}}
	wantGrades := []account.Count{{Value: "A", Accounts: 1}, {Value: "C", Accounts: 1}}
	if !reflect.DeepEqual(rep.Stages, wantStages) || !reflect.DeepEqual(rep.Grades, wantGrades) {
		t.Errorf("stages %+v grades %+v", rep.Stages, rep.Grades)
	}
}

// The buyer's MinEngagement: a VP with 3 points is present but not
// engaged (3 < 5), so the SQA rung is not met.
func TestRoleMinEngagement(t *testing.T) {
	a := account.MustCompile(handDefinition(account.Rollup{})).NewAccounts(handAsOf)
	l := handLeads()[0]
	l.Activities = l.Activities[:3] // 3 page views: 3 points
	if err := a.Add(&l); err != nil {
		t.Fatal(err)
	}
	rep, _ := a.Report()
	got := rep.Top[0]
	if got.BuyingGroup[0].Status != "present" || got.BuyingGroup[0].Leads != 1 || got.BuyingGroup[0].Engaged != 0 {
		t.Errorf("buyer coverage %+v", got.BuyingGroup[0])
	}
	if !reflect.DeepEqual(got.Gaps, []string{"buyer: present, not engaged", "champion: missing"}) {
		t.Errorf("gaps %q", got.Gaps)
	}
}

// sampleDefinition is a realistic definition over the sample data.
func sampleDefinition() account.Definition {
	return account.Definition{
		Name: "sample",
		Leads: scoring.Model{
			Rules: []scoring.Rule{
				{Name: "pricing", Kind: scoring.Engagement, When: `type == "page_view" && url == "/pricing"`, Points: 5, HalfLife: leadkit.Duration(30 * 24 * time.Hour)},
				{Name: "page view", Kind: scoring.Engagement, When: `type == "page_view"`, Points: 1, HalfLife: leadkit.Duration(30 * 24 * time.Hour), Max: scoring.Float(20)},
				{Name: "click", Kind: scoring.Engagement, When: `type == "email_click"`, Points: 3, HalfLife: leadkit.Duration(30 * 24 * time.Hour)},
				{Name: "demo", Kind: scoring.Engagement, When: `type == "demo_request"`, Points: 25, Within: leadkit.Duration(90 * 24 * time.Hour)},
			},
			Personas: []lead.Persona{
				{Name: "economic buyer", Criteria: `person.seniority in ["vp", "executive", "owner"]`},
				{Name: "champion", Criteria: `person.seniority in ["director", "manager"]`},
				{Name: "user", Criteria: `person.seniority == "entry"`},
			},
		},
		Fit: []scoring.Rule{
			{Name: "mid-market+", When: "company.employees >= 200", Points: 30},
			{Name: "software", When: `company.industry == "Software"`, Points: 20},
			{Name: "core market", When: `iin(company.country, ["US", "GB", "DE"])`, Points: 10},
		},
		Grades:     scoring.Bands("A", 50.0, "B", 30.0, "C"),
		Engagement: account.Rollup{Method: account.TopN, N: 3, Decay: 0.5},
		BuyingGroup: []account.Role{
			{Persona: "economic buyer", MinEngagement: 5},
			{Persona: "champion", MinEngagement: 5},
		},
		Qualification: []account.Rung{
			{Stage: "engaged", MinEngagedLeads: 1},
			{Stage: "MQA", MinEngagement: f(20), Grades: []string{"A", "B"}},
			{Stage: "SQA", MinTotal: f(80), Engaged: []string{"economic buyer", "champion"}},
		},
		Top: 20,
	}
}

var sampleAsOf = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)

func sampleLeads(t testing.TB, n int) []lead.Lead {
	t.Helper()
	d, err := sample.Generate(sample.Config{Seed: 1, Leads: n})
	if err != nil {
		t.Fatal(err)
	}
	return d.Leads
}

func TestContract(t *testing.T) {
	leads := sampleLeads(t, 3000)
	s := account.MustCompile(sampleDefinition())
	acctest.Run(t, acctest.Harness[account.Accounts, account.Report]{
		New:     func() *account.Accounts { return s.NewAccounts(sampleAsOf) },
		Records: len(leads),
		Add:     func(a *account.Accounts, i int) error { return a.Add(&leads[i]) },
		Merge:   func(a, b *account.Accounts) error { return a.Merge(b) },
		Report:  func(a *account.Accounts) (account.Report, error) { return a.Report() },
		Rounds:  6,
		Seed:    15,
	})
}

func TestSampleReportSane(t *testing.T) {
	leads := sampleLeads(t, 3000)
	a := account.MustCompile(sampleDefinition()).NewAccounts(sampleAsOf)
	for i := range leads {
		if err := a.Add(&leads[i]); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := a.Report()
	if err != nil {
		t.Fatal(err)
	}
	// Every lead is counted once: added, skipped (created after the
	// as-of: about a quarter of the year) or unkeyed.
	if rep.Leads+rep.Skipped+rep.Unkeyed != int64(len(leads)) {
		t.Errorf("%d + %d + %d != %d leads", rep.Leads, rep.Skipped, rep.Unkeyed, len(leads))
	}
	// About one company per three leads: accounts have several leads.
	if rep.Accounts == 0 || float64(rep.Leads)/float64(rep.Accounts) < 2 {
		t.Errorf("%d leads on %d accounts", rep.Leads, rep.Accounts)
	}
	for i, s := range rep.Top {
		if i > 0 && s.Total > rep.Top[i-1].Total {
			t.Errorf("top not sorted at %d", i)
		}
		if len(s.TopLeads) == 0 || len(s.TopLeads) > 5 || s.Leads < int64(len(s.TopLeads)) {
			t.Errorf("account %s: %d leads listed of %d", s.Key, len(s.TopLeads), s.Leads)
		}
	}
	if len(rep.Top) != 20 {
		t.Errorf("top %d accounts; want 20", len(rep.Top))
	}
}

func TestGolden(t *testing.T) {
	leads := sampleLeads(t, 120)
	a := account.MustCompile(sampleDefinition()).NewAccounts(sampleAsOf)
	for i := range leads {
		if err := a.Add(&leads[i]); err != nil {
			t.Fatal(err)
		}
	}
	got, err := json.MarshalIndent(a, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	want := golden.Check(t, filepath.Join("testdata", "accounts_state.golden.json"), append(got, '\n'))
	var b account.Accounts
	if err := json.Unmarshal(want, &b); err != nil {
		t.Fatal(err)
	}
	r1, _ := a.Report()
	r2, err := b.Report()
	if err != nil || !reflect.DeepEqual(r1, r2) {
		t.Errorf("decoded golden reports differently: %v", err)
	}
}

func TestMergeRefusals(t *testing.T) {
	s := account.MustCompile(handDefinition(account.Rollup{}))
	other := account.MustCompile(handDefinition(account.Rollup{Method: account.Max}))
	a := s.NewAccounts(handAsOf)
	l := handLeads()[0]
	if err := a.Add(&l); err != nil {
		t.Fatal(err)
	}
	before, _ := json.Marshal(a)
	tests := []struct {
		name string
		o    *account.Accounts
		want string
	}{
		{"nil", nil, "nil"},
		{"itself", a, "itself"},
		{"zero", &account.Accounts{}, "not initialized"},
		{"other definition", other.NewAccounts(handAsOf), "definition"},
		{"other as-of", s.NewAccounts(handAsOf.Add(time.Second)), "as of"},
	}
	for _, tt := range tests {
		err := a.Merge(tt.o)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v; want an error about %q", tt.name, err, tt.want)
		}
		if after, _ := json.Marshal(a); !bytes.Equal(before, after) {
			t.Errorf("%s: a refused merge changed the accumulator", tt.name)
		}
	}
	// Merge copies: changing o afterwards does not change a.
	o := s.NewAccounts(handAsOf)
	l2 := handLeads()[1]
	if err := o.Add(&l2); err != nil {
		t.Fatal(err)
	}
	fresh := s.NewAccounts(handAsOf)
	if err := fresh.Merge(o); err != nil {
		t.Fatal(err)
	}
	snap, _ := json.Marshal(fresh)
	if err := o.Add(&l2); err != nil {
		t.Fatal(err)
	}
	if got, _ := json.Marshal(fresh); !bytes.Equal(snap, got) {
		t.Error("merged accumulator shares memory with its source")
	}
}

func TestNilAndZero(t *testing.T) {
	var nilA *account.Accounts
	zero := &account.Accounts{}
	s := account.MustCompile(handDefinition(account.Rollup{}))
	noAsOf := s.NewAccounts(time.Time{})
	var nilS *account.Scorer
	tests := []struct {
		name string
		err  error
	}{
		{"nil Report", func() error { _, err := nilA.Report(); return err }()},
		{"nil Add", nilA.Add(&lead.Lead{})},
		{"nil Merge", nilA.Merge(zero)},
		{"nil Marshal", func() error { _, err := nilA.MarshalJSON(); return err }()},
		{"nil Unmarshal", nilA.UnmarshalJSON([]byte(`{}`))},
		{"zero Report", func() error { _, err := zero.Report(); return err }()},
		{"zero Add", zero.Add(&lead.Lead{ID: "x"})},
		{"zero Marshal", func() error { _, err := json.Marshal(zero); return err }()},
		{"nil lead", s.NewAccounts(handAsOf).Add(nil)},
		{"no id", s.NewAccounts(handAsOf).Add(&lead.Lead{})},
		{"zero as-of", noAsOf.Add(&lead.Lead{ID: "x"})},
		{"nil scorer", nilS.NewAccounts(handAsOf).Add(&lead.Lead{ID: "x"})},
	}
	for _, tt := range tests {
		if tt.err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	if nilA.AsOf() != (time.Time{}) || nilA.Fingerprint() != "" || zero.Fingerprint() != "" || nilS.Fingerprint() != "" {
		t.Error("nil or zero accessors")
	}
	if d := nilS.Definition(); !reflect.DeepEqual(d, account.Definition{}) {
		t.Errorf("nil scorer definition %+v", d)
	}
}

func TestDecodeRefusals(t *testing.T) {
	a := account.MustCompile(handDefinition(account.Rollup{})).NewAccounts(handAsOf)
	for _, l := range handLeads() {
		if err := a.Add(&l); err != nil {
			t.Fatal(err)
		}
	}
	good, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var ok account.Accounts
	if err := json.Unmarshal(good, &ok); err != nil {
		t.Fatalf("good state: %v", err)
	}
	edit := func(from, to string) string {
		if !strings.Contains(string(good), from) {
			t.Fatalf("state lacks %s", from)
		}
		return strings.Replace(string(good), from, to, 1)
	}
	tests := []struct{ name, data string }{
		{"empty", ``},
		{"not an object", `[]`},
		{"format", edit(`"leadkit.account/1"`, `"leadkit.account/2"`)},
		{"unknown field", edit(`"skipped":`, `"extra":1,"skipped":`)},
		{"missing field", edit(`"unkeyed":1,`, ``)},
		{"fingerprint", edit(`"fingerprint":"`, `"fingerprint":"0`)},
		{"definition changed", edit(`"points":10`, `"points":11`)},
		{"definition unknown field", edit(`"name":"hand"`, `"name":"hand","nope":1`)},
		{"as_of", edit(`"as_of":"2025`, `"as_of":"x2025`)},
		{"negative skipped", edit(`"skipped":1`, `"skipped":-1`)},
		{"negative leads", edit(`"leads":3`, `"leads":-3`)},
		{"leads inconsistent with top", edit(`"leads":3`, `"leads":2`)},
		{"engaged above leads", edit(`"engaged":2`, `"engaged":4`)},
		{"sum inconsistent", edit(`"sum":15000000`, `"sum":15000001`)},
		{"top out of order", edit(`"id":"A1","units":13000000`, `"id":"A1","units":1000000`)},
		{"role out of range", edit(`"roles":[0]`, `"roles":[7]`)},
		{"role counts", edit(`"roles":[[1,1],[1,1]]`, `"roles":[[1,2],[1,1]]`)},
		{"role count missing", edit(`"roles":[[1,1],[1,1]]`, `"roles":[[1,1]]`)},
		{"accounts out of order", edit(`"key":"acme.com"`, `"key":"zzz.com"`)},
		{"empty key", edit(`"key":"acme.com"`, `"key":""`)},
		{"first after as-of", edit(`"first":"2025-05-01T10:00:00Z"`, `"first":"2026-05-01T10:00:00Z"`)},
		{"engagement out of range", edit(`"units":13000000`, `"units":9000000000000000000`)},
		{"trailing data", string(good) + `{}`},
		{"negative employees", edit(`"employees":1000`, `"employees":-1`)},
	}
	for _, tt := range tests {
		b := ok
		before, _ := json.Marshal(&b)
		if err := json.Unmarshal([]byte(tt.data), &b); err == nil {
			t.Errorf("%s: decoded", tt.name)
		}
		if after, _ := json.Marshal(&b); !bytes.Equal(before, after) {
			t.Errorf("%s: a failed decode changed the accumulator", tt.name)
		}
	}
}

func TestDefinitionErrors(t *testing.T) {
	d := handDefinition(account.Rollup{Method: "median"})
	d.Key = "nope"
	d.Fit = append(d.Fit, scoring.Rule{Name: "bad", When: "company.emploees > 1", Points: 1}, scoring.Rule{Name: "eng", Kind: scoring.Engagement, When: "true", Points: 1})
	d.BuyingGroup = append(d.BuyingGroup, account.Role{Persona: "ghost"}, account.Role{Persona: "buyer", MinEngagement: -1})
	d.Qualification = append(d.Qualification, account.Rung{Stage: "MQA", Grades: []string{"Z"}, Engaged: []string{"ghost2"}, MinEngagedLeads: -1})
	d.Top = -1
	d.LeadsPerAccount = 1000
	err := d.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, path := range []string{"key", "fit[2].when", "fit[3].kind", "engagement.method", "buying_group[2].persona", "buying_group[3].persona",
		"buying_group[3].min_engagement", "qualification[2].stage", "qualification[2].grades[0]", "qualification[2].engaged[0]",
		"qualification[2].min_engaged_leads", "top", "leads_per_account"} {
		if !strings.Contains(err.Error(), path+":") && !strings.Contains(err.Error(), path+" ") {
			t.Errorf("error does not name %s:\n%v", path, err)
		}
	}
	if _, err := account.Compile(d); err == nil {
		t.Error("Compile accepted it")
	}
	if _, err := account.ParseDefinition([]byte(`{"leads":{}, "engagment":{}}`)); err == nil || !strings.Contains(err.Error(), "engagement") {
		t.Errorf("ParseDefinition: %v", err)
	}
	good, _ := json.Marshal(handDefinition(account.Rollup{}))
	if _, err := account.ParseDefinition(good); err != nil {
		t.Errorf("ParseDefinition of a good definition: %v", err)
	}
	tops := []account.Rollup{{Method: account.TopN}, {Method: account.TopN, N: 2, Decay: 2}, {Method: account.Sum, N: 2}}
	for _, r := range tops {
		if err := handDefinition(r).Validate(); err == nil {
			t.Errorf("rollup %+v accepted", r)
		}
	}
}

func TestScorerConcurrent(t *testing.T) {
	s := account.MustCompile(sampleDefinition())
	leads := sampleLeads(t, 400)
	var wg sync.WaitGroup
	reps := make([]account.Report, 4)
	for g := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := s.NewAccounts(sampleAsOf)
			for i := range leads {
				if err := a.Add(&leads[i]); err != nil {
					t.Error(err)
					return
				}
			}
			reps[g], _ = a.Report()
			_ = s.Definition()
		}()
	}
	wg.Wait()
	for g := 1; g < len(reps); g++ {
		if !reflect.DeepEqual(reps[0], reps[g]) {
			t.Error("goroutines disagree")
		}
	}
}

func TestFingerprintAndDefinitionCopy(t *testing.T) {
	a := account.MustCompile(handDefinition(account.Rollup{}))
	b := account.MustCompile(handDefinition(account.Rollup{Method: account.Sum}))
	if a.Fingerprint() != b.Fingerprint() || len(a.Fingerprint()) != 64 {
		t.Errorf("defaults change the fingerprint: %s %s", a.Fingerprint(), b.Fingerprint())
	}
	d := a.Definition()
	if d.Top != 100 || d.LeadsPerAccount != 5 || d.Engagement.Method != account.Sum {
		t.Errorf("defaults not filled in: %+v", d)
	}
	d.Fit[0].Points = 99
	if a.Definition().Fit[0].Points != 30 {
		t.Error("Definition is not a deep copy")
	}
}

// TestAddScored: adding leads with the host's own scores gives the same
// report as letting the accumulator score them, and a result of another
// model, lead or instant is refused.
func TestAddScored(t *testing.T) {
	def := handDefinition(account.Rollup{Method: account.TopN, N: 2, Decay: 0.5})
	s := account.MustCompile(def)
	lm := scoring.MustCompile(def.Leads)
	a, b := s.NewAccounts(handAsOf), s.NewAccounts(handAsOf)
	leads := handLeads()
	for i := range leads {
		if err := a.Add(&leads[i]); err != nil {
			t.Fatal(err)
		}
		r, err := lm.Score(&leads[i], handAsOf)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.AddScored(&leads[i], &r); err != nil {
			t.Fatal(err)
		}
	}
	ra, _ := a.Report()
	rb, _ := b.Report()
	ja, _ := json.Marshal(ra)
	jb, _ := json.Marshal(rb)
	if string(ja) != string(jb) {
		t.Errorf("AddScored report differs from Add's:\n%s\n%s", jb, ja)
	}
	r, err := lm.Score(&leads[0], handAsOf.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string]func() error{
		"nil result":      func() error { return b.AddScored(&leads[0], nil) },
		"another instant": func() error { return b.AddScored(&leads[0], &r) },
		"another lead":    func() error { return b.AddScored(&leads[1], &r) },
	} {
		if err := bad(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
