package lead

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit"
	"github.com/shopspring/decimal"
)

// Fixed instants, in the style of x/time/rate's tests.
var (
	t0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	t1 = t0.Add(1 * time.Hour)
	t2 = t0.Add(2 * time.Hour)
	t3 = t0.Add(3 * time.Hour)
)

func validLead() Lead {
	return Lead{
		ID:        "L-1",
		CreatedAt: t0,
		Owner:     "rep-01",
		Stage:     StageMQL,
		Person: Person{Name: "Ada Byron", Email: "ada@example.com", Title: "VP Engineering",
			Role: "engineering", Department: "R&D", Seniority: SeniorityVP},
		Company: Company{Name: "Example Ltd", Domain: "example.com", Industry: "software",
			Employees: 250, AnnualRevenue: decimal.RequireFromString("12500000.50"),
			Country: "GB", Region: "London", City: "London"},
		Source: Source{Channel: ChannelPaidSearch, Campaign: "q1-brand", Medium: "cpc", LandingPage: "/pricing"},
		History: []Transition{
			{To: StageLead, At: t0},
			{From: StageLead, To: StageMQL, At: t2, By: "system", Reason: "score >= 60"},
		},
		Activities: []Activity{
			{Type: ActivityPageView, At: t1, URL: "/pricing"},
			{Type: ActivityCall, At: t3, Actor: "rep-01", Campaign: "q1-brand",
				Fields: map[string]any{"minutes": 12.0}},
		},
		Fields: map[string]any{
			"budget":   50000.0,
			"trial":    true,
			"use_case": "reporting",
			"tags":     []any{"a", "b"},
			"nested":   map[string]any{"x": nil},
		},
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(l *Lead)
		want   []string // the expected error lines, in order
	}{
		{"valid", func(*Lead) {}, nil},
		{"empty id", func(l *Lead) { l.ID = "" }, []string{"id: empty"}},
		{"zero created_at", func(l *Lead) { l.CreatedAt = time.Time{} }, []string{"created_at: zero time"}},
		{"email without at", func(l *Lead) { l.Person.Email = "ada.example.com" },
			[]string{`person.email: "ada.example.com" is not an address of the form name@domain`}},
		{"email with two ats", func(l *Lead) { l.Person.Email = "a@b@c" },
			[]string{`person.email: "a@b@c" is not an address of the form name@domain`}},
		{"email ends with at", func(l *Lead) { l.Person.Email = "ada@" },
			[]string{`person.email: "ada@" is not an address of the form name@domain`}},
		{"email starts with at", func(l *Lead) { l.Person.Email = "@example.com" },
			[]string{`person.email: "@example.com" is not an address of the form name@domain`}},
		{"empty email is fine", func(l *Lead) { l.Person.Email = "" }, nil},
		{"negative employees", func(l *Lead) { l.Company.Employees = -1 }, []string{"company.employees: negative"}},
		{"negative revenue", func(l *Lead) { l.Company.AnnualRevenue = decimal.NewFromInt(-1) },
			[]string{"company.annual_revenue: negative"}},
		{"transition without to", func(l *Lead) { l.History[1].To = "" }, []string{"history[1].to: empty stage"}},
		{"transition without at", func(l *Lead) { l.History[0].At = time.Time{} }, []string{"history[0].at: zero time"}},
		{"activity without type", func(l *Lead) { l.Activities[0].Type = "" }, []string{"activities[0].type: empty"}},
		{"activity without at", func(l *Lead) { l.Activities[1].At = time.Time{} }, []string{"activities[1].at: zero time"}},
		{"unsupported field type", func(l *Lead) { l.Fields["f"] = func() {} }, []string{"fields.f: unsupported type func()"}},
		{"NaN field", func(l *Lead) { l.Fields["f"] = math.NaN() }, []string{"fields.f: NaN is not a finite number"}},
		{"infinite float32 field", func(l *Lead) { l.Fields["f"] = []any{float32(math.Inf(-1))} }, []string{"fields.f[0]: -Inf is not a finite number"}},
		{"unsupported nested type", func(l *Lead) { l.Fields["tags"] = []any{"a", struct{}{}} },
			[]string{"fields.tags[1]: unsupported type struct {}"}},
		{"unsupported activity field", func(l *Lead) { l.Activities[1].Fields["ch"] = make(chan int) },
			[]string{"activities[1].fields.ch: unsupported type chan int"}},
		{"empty field key", func(l *Lead) { l.Fields[""] = 1 }, []string{`fields[""]: empty key`}},
		{"every supported scalar", func(l *Lead) {
			for k, v := range map[string]any{"i": 1, "i8": int8(1), "u64": uint64(1), "f32": float32(1),
				"d": decimal.NewFromInt(1), "t": t0, "s": "x", "b": false, "n": nil} {
				l.Fields[k] = v
			}
		}, nil},
		{"transition before creation is not a validation error", func(l *Lead) { l.History[0].At = t0.Add(-time.Hour) }, nil},
		{"every problem at once", func(l *Lead) {
			l.ID = ""
			l.Company.Employees = -3
			l.History[1].To = ""
			l.Activities[0].At = time.Time{}
			l.Fields["bad"] = complex(1, 2)
		}, []string{
			"id: empty",
			"company.employees: negative",
			"history[1].to: empty stage",
			"activities[0].at: zero time",
			"fields.bad: unsupported type complex128",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := validLead()
			tt.mutate(&l)
			err := l.Validate()
			var got []string
			if err != nil {
				got = strings.Split(err.Error(), "\n")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate() lines mismatch (-want +got):\n%s", diff)
			}
			if err != nil {
				var fe *leadkit.Error
				if !errors.As(err, &fe) {
					t.Errorf("Validate() error %v does not unwrap to *leadkit.Error", err)
				}
			}
		})
	}
}

func TestValidateDeepFields(t *testing.T) {
	// A value nested 40 levels deep is refused at the 33rd level instead of
	// recursing without bound.
	var v any = "leaf"
	for range 40 {
		v = []any{v}
	}
	l := validLead()
	l.Fields = map[string]any{"deep": v}
	err := l.Validate()
	if err == nil || !strings.Contains(err.Error(), "nested deeper than 32 levels") {
		t.Fatalf("Validate() = %v; want a nesting error", err)
	}
}

func TestZeroLead(t *testing.T) {
	var l Lead
	err := l.Validate()
	want := "id: empty\ncreated_at: zero time"
	if err == nil || err.Error() != want {
		t.Fatalf("zero Lead Validate() = %v; want %q", err, want)
	}
	if _, ok := l.EnteredAt(StageMQL); ok {
		t.Error("zero Lead EnteredAt(mql) reports an entry")
	}
	if s := l.StageAt(t0); s != "" {
		t.Errorf("zero Lead StageAt = %q; want empty", s)
	}
	if h := l.SortedHistory(); len(h) != 0 {
		t.Errorf("zero Lead SortedHistory = %v; want empty", h)
	}
	var a Activity
	if a.IsSalesTouch() {
		t.Error("zero Activity is a sales touch; the prospect is the default actor")
	}
}

func TestJSONRoundTrip(t *testing.T) {
	l := validLead()
	l.CreatedAt = time.Date(2026, 1, 5, 9, 0, 0, 123456789, time.FixedZone("CET", 3600))
	b, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	// Names are snake_case and the revenue is an exact decimal string.
	for _, want := range []string{`"created_at":"2026-01-05T09:00:00.123456789+01:00"`,
		`"annual_revenue":"12500000.5"`, `"landing_page":"/pricing"`, `"use_case":"reporting"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s:\n%s", want, b)
		}
	}
	var back Lead
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	opts := cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })
	if diff := cmp.Diff(l, back, opts); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
	// Times keep their offset, not just their instant.
	if _, off := back.CreatedAt.Zone(); off != 3600 {
		t.Errorf("offset lost: %v", back.CreatedAt)
	}
	// A second encoding is byte-identical to the first.
	b2, err := json.Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != string(b2) {
		t.Errorf("re-encoding differs:\n%s\n%s", b, b2)
	}
}

func TestJSONZeroLead(t *testing.T) {
	b, err := json.Marshal(Lead{})
	if err != nil {
		t.Fatal(err)
	}
	var back Lead
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !back.Company.AnnualRevenue.IsZero() || back.ID != "" || back.History != nil {
		t.Errorf("zero Lead did not round-trip: %s", b)
	}
}

func TestStageAtAndEnteredAt(t *testing.T) {
	l := Lead{
		ID: "L", CreatedAt: t0, Stage: StageSQL,
		// Unsorted on purpose, with a re-entry into mql and a tie at t3.
		History: []Transition{
			{From: StageMQL, To: StageRecycled, At: t2},
			{From: StageLead, To: StageMQL, At: t1},
			{From: StageRecycled, To: StageMQL, At: t3},
			{From: StageMQL, To: StageSQL, At: t3},
		},
	}
	tests := []struct {
		at   time.Time
		want Stage
	}{
		{t0.Add(-time.Hour), StageLead}, // before every transition: From of the earliest (t1)
		{t1, StageMQL},                  // a transition at t is visible at t
		{t1.Add(time.Minute), StageMQL},
		{t2, StageRecycled},
		{t3, StageSQL}, // two transitions at t3: the later one in History wins
	}
	for _, tt := range tests {
		if got := l.StageAt(tt.at); got != tt.want {
			t.Errorf("StageAt(%v) = %q; want %q", tt.at.Format(time.TimeOnly), got, tt.want)
		}
	}
	if at, ok := l.EnteredAt(StageMQL); !ok || !at.Equal(t1) {
		t.Errorf("EnteredAt(mql) = %v, %v; want t1 (the first entry, not the re-entry at t3)", at, ok)
	}
	if _, ok := l.EnteredAt(StageCustomer); ok {
		t.Error("EnteredAt(customer) found an entry that is not there")
	}
	h := l.SortedHistory()
	got := []Stage{h[0].To, h[1].To, h[2].To, h[3].To}
	want := []Stage{StageMQL, StageRecycled, StageMQL, StageSQL} // t1, t2, t3 (stable), t3
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SortedHistory order (-want +got):\n%s", diff)
	}
	if l.History[0].To != StageRecycled {
		t.Error("SortedHistory sorted the lead's own slice")
	}
}

func TestStageAtWithoutHistory(t *testing.T) {
	l := Lead{ID: "L", CreatedAt: t1, Stage: StageMQL}
	if got := l.StageAt(t0); got != "" {
		t.Errorf("before creation: %q; want empty", got)
	}
	if got := l.StageAt(t1); got != StageMQL {
		t.Errorf("at creation: %q; want mql", got)
	}
}

func TestStageAndTeam(t *testing.T) {
	for _, s := range Lifecycle() {
		if s.IsExit() {
			t.Errorf("%s is in the lifecycle but reports IsExit", s)
		}
	}
	if !StageRecycled.IsExit() || !StageDisqualified.IsExit() {
		t.Error("recycled and disqualified must be exits")
	}
	if got := len(Lifecycle()); got != 8 {
		t.Errorf("Lifecycle() has %d stages; want the 8 standard ones", got)
	}
	l := Lifecycle()
	l[0] = "changed"
	if Lifecycle()[0] != StageSubscriber {
		t.Error("Lifecycle() returned shared state")
	}
	if !TeamMarketing.IsValid() || !TeamSales.IsValid() || Team("").IsValid() || Team("ops").IsValid() {
		t.Error("Team.IsValid is wrong")
	}
	if StageMQL.String() != "mql" || TeamSales.String() != "sales" || ChannelEmail.String() != "email" ||
		ActivityCall.String() != "call" || SeniorityVP.String() != "vp" {
		t.Error("String() does not return the name")
	}
}

func TestValidateNil(t *testing.T) {
	var l *Lead
	if err := l.Validate(); err == nil || err.Error() != "nil lead" {
		t.Errorf("(*Lead)(nil).Validate() = %v, want \"nil lead\"", err)
	}
}

func TestCheckUnique(t *testing.T) {
	mk := func(ids ...string) []Lead {
		var ls []Lead
		for _, id := range ids {
			ls = append(ls, Lead{ID: id})
		}
		return ls
	}
	tests := []struct {
		name string
		in   []Lead
		want string // "" for no error
	}{
		{"nil", nil, ""},
		{"unique", mk("a", "b", "c"), ""},
		// "a" appears three times (two extra copies), "b" twice (one).
		{"one", mk("a", "a"), `1 duplicate record, ids "a"; each record must appear once`},
		{"duplicates", mk("a", "b", "a", "b", "a"), `3 duplicate records, ids "a", "b"; each record must appear once`},
		// Twelve ids twice each: twelve extra copies, ten ids named.
		{"many", mk("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"),
			`12 duplicate records, ids "1", "2", "3", "4", "5", "6", "7", "8", "9", "10" and 2 more; each record must appear once`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckUnique(tt.in)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("CheckUnique = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestNilLeadMethods: the read methods treat a nil lead as one with no
// history.
func TestNilLeadMethods(t *testing.T) {
	var l *Lead
	if at, ok := l.EnteredAt(StageMQL); ok || !at.IsZero() {
		t.Errorf("EnteredAt = %v, %v", at, ok)
	}
	if s := l.StageAt(t0); s != "" {
		t.Errorf("StageAt = %q", s)
	}
	if h := l.SortedHistory(); h != nil {
		t.Errorf("SortedHistory = %v", h)
	}
}

func TestOwnerAt(t *testing.T) {
	l := &Lead{Owner: "carol", Assignments: []Assignment{
		{Owner: "bob", At: t0.Add(2 * time.Hour)}, // listed out of order on purpose
		{Owner: "alice", At: t0},
		{Owner: "carol", At: t0.Add(5 * time.Hour)},
		{Owner: "dave", At: t0.Add(5 * time.Hour)}, // same instant, later in the list: wins
	}}
	tests := []struct {
		at   time.Time
		want string
	}{
		{t0.Add(-time.Hour), ""}, // before the first assignment: nobody
		{t0, "alice"},            // at an assignment: it counts
		{t0.Add(time.Hour), "alice"},
		{t0.Add(2 * time.Hour), "bob"},
		{t0.Add(6 * time.Hour), "dave"},
	}
	for _, tt := range tests {
		if got := l.OwnerAt(tt.at); got != tt.want {
			t.Errorf("OwnerAt(%v) = %q, want %q", tt.at, got, tt.want)
		}
	}
	if got := (&Lead{Owner: "x"}).OwnerAt(t0); got != "x" {
		t.Errorf("no assignments: OwnerAt = %q, want the current owner", got)
	}
	var nl *Lead
	if nl.OwnerAt(t0) != "" {
		t.Error("nil lead has an owner")
	}
	bad := validLead()
	bad.Assignments = []Assignment{{Owner: "x"}}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "assignments[0].at: zero time") {
		t.Errorf("Validate = %v", err)
	}
}
