package lead_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// collect runs the sequence to its end and returns the leads and the
// error strings, in order.
func collect[T any](t *testing.T, seq func(func(T, error) bool)) ([]T, []string) {
	t.Helper()
	var got []T
	var errs []string
	for v, err := range seq {
		if err != nil {
			var le *leadkit.Error
			if !errors.As(err, &le) {
				t.Errorf("error %v is not a *leadkit.Error", err)
			}
			errs = append(errs, err.Error())
			continue
		}
		got = append(got, v)
	}
	return got, errs
}

func TestDecodeLines(t *testing.T) {
	at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		in    string
		opts  []lead.LinesOption
		ids   []string // ids of the leads yielded, in order
		errs  []string // errors, in order
		check func(t *testing.T, ls []lead.Lead)
	}{
		{name: "empty input", in: ""},
		{name: "blank lines skipped, counted",
			in:  "\n  \n{\"id\":\"a\"}\n\t\r\n{\"id\":\"b\"}",
			ids: []string{"a", "b"}},
		{name: "crlf and bom",
			in:  "\xef\xbb\xbf{\"id\":\"a\"}\r\n{\"id\":\"b\"}\r\n",
			ids: []string{"a", "b"}},
		{name: "unknown field refused with its line",
			in:   "{\"id\":\"a\"}\n{\"id\":\"b\",\"colour\":1}\n{\"id\":\"c\"}\n",
			ids:  []string{"a", "c"},
			errs: []string{`line 2: unknown field "colour"`}},
		{name: "unknown field allowed",
			in:   "{\"id\":\"b\",\"colour\":1,\"person\":{\"x\":true,\"name\":\"N\"}}\n",
			opts: []lead.LinesOption{lead.AllowUnknownFields()},
			ids:  []string{"b"},
			check: func(t *testing.T, ls []lead.Lead) {
				if ls[0].Person.Name != "N" {
					t.Errorf("person.name = %q, want N", ls[0].Person.Name)
				}
			}},
		{name: "syntax error names line and byte",
			in:   "{\"id\":\"a\"}\n{\"id\":\"b\",}\n",
			ids:  []string{"a"},
			errs: []string{"line 2: invalid character '}' looking for beginning of object key string (byte 11)"}},
		{name: "type error",
			in:   "{\"id\":\"a\",\"company\":{\"employees\":\"many\"}}\n",
			errs: []string{"line 1: cannot unmarshal string into Go struct field Company.company.employees of type int"}},
		{name: "two values on a line",
			in:   "{\"id\":\"a\"} {\"id\":\"b\"}\n",
			errs: []string{"line 1: more than one JSON value on the line"}},
		{name: "truncated",
			in:   "{\"id\":\"a\"",
			errs: []string{"line 1: unexpected EOF"}},
		{name: "too long line skipped",
			in:   "{\"id\":\"a\"}\n{\"id\":\"" + strings.Repeat("x", 100) + "\"}\n{\"id\":\"c\"}\n",
			opts: []lead.LinesOption{lead.MaxLineBytes(50)},
			ids:  []string{"a", "c"},
			errs: []string{"line 2: longer than 50 bytes; raise MaxLineBytes if the record is genuine"}},
		{name: "line of exactly the limit with crlf",
			in:   "{\"id\":\"abc\"}\r\n", // 12 bytes without the ending
			opts: []lead.LinesOption{lead.MaxLineBytes(12)},
			ids:  []string{"abc"}},
		{name: "case-insensitive key as encoding/json",
			in:  "{\"ID\":\"a\",\"Person\":{\"Name\":\"N\"}}\n",
			ids: []string{"a"},
			check: func(t *testing.T, ls []lead.Lead) {
				if ls[0].Person.Name != "N" {
					t.Errorf("person.name = %q, want N", ls[0].Person.Name)
				}
			}},
		{name: "escapes, unicode and invalid utf-8",
			in:  "{\"id\":\"a\\u0026b\",\"company\":{\"name\":\"M\u00fcller \\\"AG\\\"\",\"city\":\"\xffx\"}}\n",
			ids: []string{"a&b"},
			check: func(t *testing.T, ls []lead.Lead) {
				c := ls[0].Company
				if c.Name != `Müller "AG"` || c.City != "\uFFFDx" {
					t.Errorf("company = %q, %q", c.Name, c.City)
				}
			}},
		{name: "full lead",
			in: `{"id":"L1","created_at":"2026-01-05T09:00:00Z","owner":"rep-1","stage":"mql",` +
				`"person":{"name":"A","email":"a@x.io","title":"CTO","role":"eng","department":"Engineering","seniority":"executive"},` +
				`"company":{"name":"X","domain":"x.io","industry":"saas","employees":12,"annual_revenue":"1500000.50","country":"DE","region":"BE","city":"Berlin"},` +
				`"source":{"channel":"email","campaign":"c","medium":"m","landing_page":"/p"},` +
				`"history":[{"to":"lead","at":"2026-01-05T09:00:00Z"},{"from":"lead","to":"mql","at":"2026-01-05T10:00:00+01:00","by":"auto","reason":"r"}],` +
				`"activities":[{"type":"call","at":"2026-01-05T09:00:00Z","actor":"rep-1","campaign":"c","url":"/u","fields":{"n":1.5,"ok":true,"no":false,"z":null,"s":"v","l":[1,"a"],"o":{"k":{}}}}],` +
				`"fields":{"budget":25000,"":"empty key"}}` + "\n",
			ids: []string{"L1"},
			check: func(t *testing.T, ls []lead.Lead) {
				want := lead.Lead{ID: "L1", CreatedAt: at, Owner: "rep-1", Stage: lead.StageMQL,
					Person: lead.Person{Name: "A", Email: "a@x.io", Title: "CTO", Role: "eng", Department: "Engineering", Seniority: lead.SeniorityExecutive},
					Company: lead.Company{Name: "X", Domain: "x.io", Industry: "saas", Employees: 12,
						AnnualRevenue: decimal.RequireFromString("1500000.50"), Country: "DE", Region: "BE", City: "Berlin"},
					Source:  lead.Source{Channel: lead.ChannelEmail, Campaign: "c", Medium: "m", LandingPage: "/p"},
					History: []lead.Transition{{To: lead.StageLead, At: at}, {From: lead.StageLead, To: lead.StageMQL, At: at, By: "auto", Reason: "r"}},
					Activities: []lead.Activity{{Type: lead.ActivityCall, At: at, Actor: "rep-1", Campaign: "c", URL: "/u",
						Fields: map[string]any{"n": 1.5, "ok": true, "no": false, "z": nil, "s": "v", "l": []any{1.0, "a"}, "o": map[string]any{"k": map[string]any{}}}}},
					Fields: map[string]any{"budget": 25000.0, "": "empty key"},
				}
				if diff := cmp.Diff(want, ls[0], cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
					cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })); diff != "" {
					t.Errorf("lead (-want +got):\n%s", diff)
				}
			}},
	}
	// Every case holds decoding in the loop and on three goroutines.
	for _, mode := range []struct {
		name string
		opt  lead.LinesOption
	}{{"sequential", nil}, {"parallel", lead.Parallel(3)}} {
		for _, tt := range tests {
			t.Run(mode.name+"/"+tt.name, func(t *testing.T) {
				ls, errs := collect(t, lead.DecodeLines(strings.NewReader(tt.in), append(tt.opts, mode.opt)...))
				var ids []string
				for _, l := range ls {
					ids = append(ids, l.ID)
				}
				if diff := cmp.Diff(tt.ids, ids); diff != "" {
					t.Errorf("ids (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.errs, errs); diff != "" {
					t.Errorf("errors (-want +got):\n%s", diff)
				}
				if tt.check != nil && len(ls) > 0 {
					tt.check(t, ls)
				}
			})
		}
	}
}

// TestDecodeLinesMatchesEncodingJSON decodes generated leads through
// DecodeLines and through encoding/json and requires identical leads.
func TestDecodeLinesMatchesEncodingJSON(t *testing.T) {
	data := jsonLines(t, 2000)
	dec := json.NewDecoder(bytes.NewReader(data))
	i := 0
	for got, err := range lead.DecodeLines(bytes.NewReader(data)) {
		if err != nil {
			t.Fatal(err)
		}
		var want lead.Lead
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("lead %d (-encoding/json +DecodeLines):\n%s", i, diff)
		}
		i++
	}
	if i != 2000 {
		t.Fatalf("decoded %d leads, want 2000", i)
	}
}

func TestLinesOtherRecords(t *testing.T) {
	in := `{"id":"D1","amount":"1200.50","created_at":"2026-01-05T09:00:00Z","status":"won","new_customer":true}` + "\n" +
		`{"id":"D2","amount":"x","created_at":"2026-01-05T09:00:00Z","status":"open","new_customer":false}` + "\n"
	deals, errs := collect(t, lead.Lines[kpi.Deal](strings.NewReader(in)))
	if len(deals) != 1 || deals[0].ID != "D1" || !deals[0].Amount.Equal(decimal.RequireFromString("1200.50")) {
		t.Errorf("deals = %+v", deals)
	}
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "line 2: ") {
		t.Errorf("errors = %q, want one for line 2", errs)
	}
	visits, errs := collect(t, lead.Lines[kpi.Visits](strings.NewReader(`{"at":"2026-01-05T00:00:00Z","channel":"email","count":7}`)))
	if len(errs) != 0 || len(visits) != 1 || visits[0].Count != 7 {
		t.Errorf("visits = %+v, errors %q", visits, errs)
	}
}

func TestLinesReadError(t *testing.T) {
	r := io.MultiReader(strings.NewReader("{\"id\":\"a\"}\n{\"id\""), iotest.ErrReader(errors.New("disk gone")))
	ls, errs := collect(t, lead.DecodeLines(r))
	if len(ls) != 1 || ls[0].ID != "a" {
		t.Errorf("leads = %+v, want a", ls)
	}
	if diff := cmp.Diff([]string{"line 2: read: disk gone"}, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	_, errs = collect(t, lead.DecodeLines(nil))
	if diff := cmp.Diff([]string{"nil reader"}, errs); diff != "" {
		t.Errorf("nil reader errors (-want +got):\n%s", diff)
	}
}

func TestLinesStopEarly(t *testing.T) {
	n := 0
	for range lead.DecodeLines(strings.NewReader("{\"id\":\"a\"}\n{\"id\":\"b\"}\n")) {
		n++
		break
	}
	if n != 1 {
		t.Errorf("ranged %d times after break, want 1", n)
	}
}
