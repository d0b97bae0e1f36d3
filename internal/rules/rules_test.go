package rules

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// testLead: created 10 days before t0; activities: page_view 1 day ago on
// /pricing, page_view 40 days ago, page_view 1 day in the future (must be
// invisible), demo_request 3 days ago.
func testLead() *lead.Lead {
	return &lead.Lead{
		ID: "l1", CreatedAt: t0.AddDate(0, 0, -10), Owner: "rep7", Stage: lead.StageMQL,
		Person:  lead.Person{Title: "VP Marketing", Email: "ann@Gmail.com", Seniority: lead.SeniorityVP},
		Company: lead.Company{Employees: 300, AnnualRevenue: decimal.NewFromInt(6_000_000), Industry: "SaaS", Country: "US"},
		Source:  lead.Source{Channel: lead.ChannelPaidSearch, Campaign: "spring"},
		Fields:  map[string]any{"budget": 5000, "plan": "pro", "trial": true, "when": t0},
		Activities: []lead.Activity{
			{Type: lead.ActivityPageView, At: t0.AddDate(0, 0, -1), URL: "/pricing"},
			{Type: lead.ActivityPageView, At: t0.AddDate(0, 0, -40), URL: "/blog"},
			{Type: lead.ActivityPageView, At: t0.AddDate(0, 0, 1), URL: "/pricing"},
			{Type: lead.ActivityDemoRequest, At: t0.AddDate(0, 0, -3)},
		},
	}
}

// evalCases is the table of TestEval; TestTZIndependence runs it too.
var evalCases = []struct {
	src  string
	want bool
}{
	{`company.employees >= 200`, true},                           // 300 >= 200
	{`company.employees > 300`, false},                           // 300 > 300 is false
	{`200 <= company.employees`, true},                           // constant on the left
	{`company.annual_revenue >= 5000000`, true},                  // 6,000,000 >= 5,000,000
	{`company.annual_revenue < 6000000`, false},                  // equal, not less
	{`company.industry in ["SaaS", "Fintech"]`, true},            // exact member
	{`company.industry in ["saas"]`, false},                      // in is case-sensitive
	{`iin(company.industry, ["saas"])`, true},                    // iin is not
	{`person.seniority not in ["vp", "executive"]`, false},       // vp is in the list
	{`icontains(person.title, "MARKET")`, true},                  // "VP Marketing"
	{`person.title contains "market"`, false},                    // contains is case-sensitive
	{`person.title startsWith "VP"`, true},                       // prefix
	{`person.title matches "(?i)^vp\\b"`, true},                  // regex
	{`free_email(person.email)`, true},                           // Gmail.com, case-folded
	{`source.channel == "paid_search" && owner == "rep7"`, true}, // both hold
	{`stage == "mql" || false`, true},                            // stage constant string
	{`activity_count("page_view", "30d") == 1`, true},            // -1d counts; -40d outside; +1d future
	{`activity_count("page_view") == 2`, true},                   // -1d and -40d; the future one is invisible
	{`activity_count("page_view", "6w") == 2`, true},             // 42 days covers -40d
	{`activity_count("demo_request", "2d") == 0`, true},          // demo was 3 days ago
	{`days_since(created_at) == 10`, true},                       // created exactly 10×24h before t0
	{`fields.budget >= 1000`, true},                              // 5000
	{`fields.plan == "pro"`, true},                               // string field
	{`fields.trial == true`, true},                               // bool field
	{`fields.missing == "x"`, false},                             // nil == "x" is false
	{`(fields.missing ?? 0) >= 1`, false},                        // guarded missing key
	{`any(activities, .url == "/pricing")`, true},                // the -1d view
	{`count(activities, .type == "page_view") == 2`, true},       // future view invisible to activities too
	{`created_at > now - duration("2w")`, true},                  // 10 days < 14 days
	{`now > date("2025-02-28")`, true},                           // now is 2025-03-01T12:00Z
	{`lower(person.title) contains "vp"`, true},                  // VM builtin
}

func TestEval(t *testing.T) {
	for _, tt := range evalCases {
		t.Run(tt.src, func(t *testing.T) {
			p, err := CompileLeadBool(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Eval(testLead(), t0)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestActivityScope(t *testing.T) {
	l := testLead()
	tests := []struct {
		src  string
		want []bool // per activity of testLead
	}{
		{`type == "page_view"`, []bool{true, true, true, false}},
		{`type == "page_view" && url == "/pricing"`, []bool{true, false, true, false}},
		{`days_since(at) <= 30`, []bool{true, false, true, true}}, // 1, 40, -1, 3 days
		{`at >= now - duration("30d")`, []bool{true, false, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			var s Set
			p, err := s.Compile(tt.src, Options{Scope: ScopeActivity})
			if err != nil {
				t.Fatal(err)
			}
			c := s.NewCtx()
			c.Reset(l, t0)
			for i := range l.Activities {
				got, err := p.EvalActivity(c, &l.Activities[i])
				if err != nil || got != tt.want[i] {
					t.Errorf("activity %d: got %v, %v; want %v", i, got, err, tt.want[i])
				}
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		src  string
		want string // substring of the error
	}{
		{`person.titel == "CEO"`, `unknown name "person.titel"; did you mean "person.title"? (1:8)`},
		{`compnay.employees > 5`, `unknown name "compnay"; did you mean "company"? (1:1)`},
		{`company.employees`, `must be a boolean, got int`},
		{`person.title`, `must be a boolean, got string`},
		{`company.employees >`, `unexpected token EOF`},
		{`now.Year() > 2000`, `method calls are not allowed`},
		{`now()`, `"now" is a value, not a helper function`},
		{`timezone("Europe/Paris") != nil`, `unknown name "timezone"`},
		{`activity_count("x", "3 days") > 1`, `invalid duration "3 days"`},
		{`activity_count() > 1`, `activity_count takes an activity type`},
		{`$env != nil`, `unknown name "$env"`},
		{`_ctx != nil`, `unknown name "_ctx"`},
		{`type == "x"`, `unknown name "type"`}, // activity name in the lead scope
		{`fit > 3`, `unknown name "fit"`},      // score only in the qualification scope
		{``, `empty expression`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, err := CompileLeadBool(tt.src)
			if err == nil {
				t.Fatal("no error")
			}
			var re *Error
			if !errors.As(err, &re) {
				t.Fatalf("error %T is not *Error", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestErrorSnippetAndPath(t *testing.T) {
	var s Set
	_, err := s.Compile("company.employees > 5 &&\n  person.titel == \"x\"", Options{Path: "rules[3].when"})
	// The bad name is on line 2; the error points at the misspelled
	// member, column 10: two spaces, "person" (3-8), "." (9), "titel" (10).
	want := "rules[3].when: unknown name \"person.titel\"; did you mean \"person.title\"? (2:10)\n |   person.titel == \"x\"\n | .........^"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

func TestHostile(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"huge expression", strings.Repeat("company.employees > 1 && ", 200) + "true", "the limit is 4096"},
		{"many nodes", strings.Repeat("1+", 1500) + "1 > 0", "more than 1000 nodes"},
		{"deep nesting", strings.Repeat("!", 100) + "true", "nests more than 64 levels deep"},
		{"huge range", "len(1..1000000000) > 0", "range 1..1000000000 has 1000000000 elements; the limit is 10000"},
		{"float range", "len(1..1e9) > 0", "1e9"},
		{"regex bomb", `person.title matches "((a{100}){100}){100}"`, "invalid pattern"},
		{"pattern from data", `person.title matches person.name`, "matches needs a constant pattern"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CompileLeadBool(tt.src)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want error containing %q", err, tt.want)
			}
		})
	}
	// Builtins that build unbounded strings are not available.
	for _, src := range []string{`repeat("ab", 1000000) != ""`, `len(join(split(person.title, ""), person.title)) > 0`, `toJSON(activities) != ""`} {
		if _, err := CompileLeadBool(src); err == nil || !strings.Contains(err.Error(), "unknown name") {
			t.Errorf("%s: got %v, want unknown name", src, err)
		}
	}
	// Doubling a string: 32 × 2^10 = 32 KiB at the tenth doubling, over
	// the 16 KiB limit, whether the operands' types are known or not.
	doubling := `let a = "` + strings.Repeat("x", 32) + `"; ` +
		`let b = a + a; let c = b + b; let d = c + c; let e = d + d; let f = e + e; ` +
		`let g = f + f; let h = g + g; let i = h + h; let j = i + i; let k = j + j; len(k) > 0`
	anyDoubling := `reduce(1..40, #acc + #acc, fields.plan) != ""`
	for _, src := range []string{doubling, anyDoubling} {
		p, err := CompileLeadBool(src)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Eval(testLead(), t0); err == nil || !strings.Contains(err.Error(), "the limit is 16384") {
			t.Errorf("%.40s...: got %v, want the string limit", src, err)
		}
	}
	// + still adds numbers, times and durations, and joins short strings.
	for _, src := range []string{`company.employees + 1 == 301`, `person.title + "!" == "VP Marketing!"`,
		`(fields.plan + "x") == "prox"`, `fields.budget + 1 == 5001`, `created_at + duration("10d") == now`} {
		p, err := CompileLeadBool(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if ok, err := p.Eval(testLead(), t0); !ok || err != nil {
			t.Errorf("%s: got %v, %v", src, ok, err)
		}
	}
	// A range whose size comes from data is bounded at run time.
	p, err := CompileLeadBool(`len(1..fields.n) > 0`)
	if err != nil {
		t.Fatal(err)
	}
	l := testLead()
	l.Fields = map[string]any{"n": 1_000_000_000}
	if _, err := p.Eval(l, t0); err == nil || !strings.Contains(err.Error(), "memory budget exceeded") {
		t.Errorf("data-driven range: got %v, want memory budget exceeded", err)
	}
}

func TestRuntimeErrors(t *testing.T) {
	p, err := CompileLeadBool(`fields.when >= 1000`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Eval(testLead(), t0)
	var re *Error
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "invalid operation") {
		t.Errorf("got %v", err)
	}
	p, _ = CompileLeadBool(`fields.plan`)
	if _, err = p.Eval(testLead(), t0); err == nil || !strings.Contains(err.Error(), "must be a boolean, got string") {
		t.Errorf("got %v", err)
	}
}

// TestNativeMatchesVM evaluates every native-compiled expression through
// the VM too, over leads with fields of every type, and requires the same
// answer or, where the native path gives up, the VM's answer.
func TestNativeMatchesVM(t *testing.T) {
	srcs := []string{
		`company.employees >= 200`, `company.annual_revenue > 5000000.5`, `company.industry in ["SaaS", "x"]`,
		`fields.budget >= 1000`, `fields.budget == 5000`, `fields.plan == "pro"`, `fields.plan != "pro"`,
		`fields.trial == true`, `fields.plan in ["pro", "team"]`, `fields.budget < "x"`, `not (fields.plan == 5)`,
		`activity_count("page_view", "30d") >= 1 || stage == "sql"`, `days_since(created_at) < 9.99`,
		`icontains(person.title, "vp") && !free_email(person.email)`, `person.title > "M"`,
		`(fields.budget ?? 0) >= 1000`, `(fields.plan ?? "free") == "free"`, `(fields.trial ?? 2.5) < 3`,
	}
	values := []any{nil, 0, 5000, int64(1 << 60), 2.5, "pro", "x", true, false, t0, []any{1}, int8(3), float32(1.5)}
	for _, src := range srcs {
		var s Set
		p, err := s.Compile(src, Options{})
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if !p.Native() {
			t.Errorf("%s: not native", src)
			continue
		}
		vmOnly := *p
		vmOnly.native = nil
		c := s.NewCtx()
		for _, v := range values {
			l := testLead()
			l.Fields = map[string]any{"budget": v, "plan": v, "trial": v}
			c.Reset(l, t0)
			g1, e1 := p.Eval(c)
			c.Reset(l, t0)
			g2, e2 := vmOnly.Eval(c)
			if g1 != g2 || (e1 == nil) != (e2 == nil) {
				t.Errorf("%s with %#v: native %v, %v; vm %v, %v", src, v, g1, e1, g2, e2)
			}
		}
	}
}

func TestConcurrentEval(t *testing.T) {
	p, err := CompileLeadBool(`activity_count("page_view", "30d") >= 1 && any(activities, .url == "/pricing")`)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			l := testLead()
			for i := 0; i < 200; i++ {
				now := t0
				want := true
				if (g+i)%2 == 1 { // 2 days earlier the -1d view has not happened yet
					now, want = t0.AddDate(0, 0, -2), false
				}
				got, err := p.Eval(l, now)
				if err != nil || got != want {
					t.Errorf("goroutine %d: got %v, %v; want %v", g, got, err, want)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"30d", 30 * 24 * time.Hour},
		{"2w", 14 * 24 * time.Hour},
		{"1w3d", 10 * 24 * time.Hour},
		{"36h", 36 * time.Hour},
		{"1.5d", 36 * time.Hour},
		{"-2d", -48 * time.Hour},
		{"90m", 90 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "d", "3", "3y", "1..2d", "-", "99999999999999w"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestFreeEmail(t *testing.T) {
	for in, want := range map[string]bool{
		"a@gmail.com": true, "a@yahoo.co.uk": true, "a@GMX.de": true,
		"a@acme.com": false, "no-at-sign": false, "a@hotmail.fr": true,
	} {
		if got := FreeEmail(in); got != want {
			t.Errorf("FreeEmail(%q) = %v", in, got)
		}
	}
}

func TestActivityTypes(t *testing.T) {
	tests := []struct {
		src   string
		types []string
		exact bool
	}{
		{`type == "page_view"`, []string{"page_view"}, true},
		{`"demo_request" == type`, []string{"demo_request"}, true},
		{`type in ["a", "b"]`, []string{"a", "b"}, true},
		{`type == "page_view" && url contains "/pricing"`, []string{"page_view"}, false},
		{`url contains "/pricing" and type == "page_view"`, []string{"page_view"}, false},
		{`type == "a" || type == "b"`, nil, false}, // a disjunction is not a filter
		{`url == "/"`, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			var s Set
			p, err := s.Compile(tt.src, Options{Scope: ScopeActivity})
			if err != nil {
				t.Fatal(err)
			}
			types, exact := p.ActivityTypes()
			if !slices.Equal(types, tt.types) || exact != tt.exact {
				t.Errorf("got %v, %v; want %v, %v", types, exact, tt.types, tt.exact)
			}
		})
	}
}

func TestConstant(t *testing.T) {
	tests := []struct {
		src         string
		value, cons bool
	}{
		{`true`, true, true},
		{`1 < 2`, true, true},
		{`"a" in ["b"]`, false, true},
		{`len([1, 2]) == 2`, true, true},
		{`company.employees > 1`, false, false},
		{`activity_count("x") > 1`, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			var s Set
			p, err := s.Compile(tt.src, Options{})
			if err != nil {
				t.Fatal(err)
			}
			v, c := p.Constant()
			if v != tt.value || c != tt.cons {
				t.Errorf("got %v, %v; want %v, %v", v, c, tt.value, tt.cons)
			}
		})
	}
}

func TestDecimalFloat(t *testing.T) {
	// Each value is compared with decimal's own (allocating, correctly
	// rounded) Float64, an independent conversion.
	for _, s := range []string{"0", "119893000", "1.5", "-2500", "123456789012345e7", "1234567890123456e3", "1e22", "1e23", "7e-3", "99999999999999999999"} {
		d := decimal.RequireFromString(s)
		want, _ := d.Float64()
		if got := DecimalFloat(d); got != want {
			t.Errorf("%s: got %v, want %v", s, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { DecimalFloat(decimal.New(119893, 3)) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

func TestEvalNilLead(t *testing.T) {
	p, err := CompileLeadBool(`id != ""`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Eval(nil, t0); err == nil || !strings.Contains(err.Error(), "nil lead") {
		t.Errorf("got %v", err)
	}
}
