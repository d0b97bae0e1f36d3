package lead_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

func hubspotMapper(t testing.TB) *lead.Mapper {
	t.Helper()
	data, err := os.ReadFile("testdata/hubspot_mapping.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := lead.ParseMapping(data)
	if err != nil {
		t.Fatal(err)
	}
	mp, err := m.Mapper()
	if err != nil {
		t.Fatal(err)
	}
	return mp
}

// hubspotRow is a good row of the export hubspot_mapping.json describes.
func hubspotRow() map[string]string {
	return map[string]string{
		"Record ID":                              "51",
		"Create Date":                            "2025-03-03 09:15",
		"Contact owner":                          "Dana Reyes",
		"Lifecycle Stage":                        "salesqualifiedlead",
		"Email":                                  "k.schmidt@example.de",
		"Job Title":                              "VP, Marketing",
		"Company Name":                           "Example GmbH",
		"Number of Employees":                    "1,200",
		"Annual Revenue":                         "25,000,000.50",
		"Country/Region":                         "Deutschland",
		"State/Region":                           "Select",
		"City":                                   "München",
		"Original Source":                        "Paid Search",
		"Original Source Drill-Down 2":           "brand-q1",
		"Budget":                                 "N/A",
		"Marketing contact status":               "Yes",
		"Last Activity Date":                     "2025-03-20",
		"Became a Subscriber Date":               "",
		"Became a Lead Date":                     "2025-03-03 09:15",
		"Became a Marketing Qualified Lead Date": "2025-03-05 16:40",
		"Became a Sales Qualified Lead Date":     "2025-03-10 11:00",
		"Became an Opportunity Date":             "",
		"Became a Customer Date":                 "",
	}
}

func TestMapperMap(t *testing.T) {
	mp := hubspotMapper(t)
	// New York is UTC-5 until 2025-03-09 (EST), UTC-4 after (EDT).
	est := func(d, h, m int) time.Time { return time.Date(2025, 3, d, h+5, m, 0, 0, time.UTC) }
	edt := func(d, h, m int) time.Time { return time.Date(2025, 3, d, h+4, m, 0, 0, time.UTC) }
	want := lead.Lead{
		ID: "51", CreatedAt: est(3, 9, 15), Owner: "Dana Reyes", Stage: lead.StageSQL,
		Person: lead.Person{Email: "k.schmidt@example.de", Title: "VP, Marketing",
			Seniority: lead.SeniorityVP, Department: "marketing"},
		Company: lead.Company{Name: "Example GmbH", Employees: 1200,
			AnnualRevenue: decimal.RequireFromString("25000000.50"), Country: "DE", City: "München"},
		Source: lead.Source{Channel: lead.ChannelPaidSearch, Campaign: "brand-q1"},
		History: []lead.Transition{
			{To: lead.StageLead, At: est(3, 9, 15)},
			{From: lead.StageLead, To: lead.StageMQL, At: est(5, 16, 40)},
			{From: lead.StageMQL, To: lead.StageSQL, At: edt(10, 11, 0)},
		},
		Fields: map[string]any{"opted_in": true, "last_activity": edt(20, 0, 0)},
	}
	got, err := mp.Map(2, hubspotRow())
	if err != nil {
		t.Fatal(err)
	}
	opts := []cmp.Option{cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
		cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })}
	if diff := cmp.Diff(want, got, opts...); diff != "" {
		t.Errorf("lead (-want +got):\n%s", diff)
	}

	tests := []struct {
		name   string
		change map[string]string
		check  func(t *testing.T, l lead.Lead)
		errs   []string
	}{
		{name: "host country and title rules",
			change: map[string]string{"Country/Region": "bavaria", "Job Title": "RevOps Analyst"},
			check: func(t *testing.T, l lead.Lead) {
				if l.Company.Country != "DE" || l.Person.Department != "sales" || l.Person.Seniority != lead.SeniorityEntry {
					t.Errorf("got country %q, department %q, seniority %q", l.Company.Country, l.Person.Department, l.Person.Seniority)
				}
			}},
		{name: "stage from the dates when the value is missing, value passed through",
			change: map[string]string{"Lifecycle Stage": "other"},
			check: func(t *testing.T, l lead.Lead) {
				if l.Stage != "other" {
					t.Errorf("stage = %q, want the untranslated value", l.Stage)
				}
			}},
		{name: "every problem at once",
			change: map[string]string{
				"Record ID":                          " ",
				"Number of Employees":                "12.5",
				"Annual Revenue":                     "1.000,5",
				"Country/Region":                     "Narnia",
				"Marketing contact status":           "perhaps",
				"Became a Sales Qualified Lead Date": "2025-03-04 10:00",
			},
			errs: []string{
				`row 2, column "Record ID": empty: every lead needs an id`,
				`row 2, column "Number of Employees": "12.5" is not a whole number`,
				`row 2, column "Annual Revenue": "1.000,5" is not a number with decimal mark "."`,
				`row 2, column "Country/Region": "Narnia" is not a country CountryCode knows; add it to the mapping's countries`,
				`row 2, column "Marketing contact status": "perhaps" is not a yes/no value (true, false, yes, no, y, n, 1, 0)`,
				`row 2, column "Became a Sales Qualified Lead Date": lead "": entered "sql" at 2025-03-04T10:00:00-05:00, before it entered "mql" at 2025-03-05T16:40:00-05:00 (column "Became a Marketing Qualified Lead Date"); stage dates are out of order`,
			}},
		{name: "times that do not parse",
			change: map[string]string{"Create Date": "03/03/2025", "Became a Lead Date": "2025-03-09 02:30"},
			errs: []string{
				`row 2, column "Create Date": "03/03/2025" is not a time in the layouts "2006-01-02 15:04", "2006-01-02"`,
				`row 2, column "Became a Lead Date": "2025-03-09 02:30" does not exist in America/New_York: the clocks skip it`,
			}},
		{name: "missing creation time, current stage without its date",
			change: map[string]string{"Create Date": "N/A", "Became a Sales Qualified Lead Date": "(No value)"},
			errs: []string{
				`row 2, column "Create Date": lead "51": empty: every lead needs its creation time`,
				`row 2, column "Became a Sales Qualified Lead Date": lead "51": current stage is "sql" but the column is empty`,
			}},
		{name: "Lead.Validate problems at their cells",
			change: map[string]string{"Email": "not-an-address", "Number of Employees": "-3"},
			errs: []string{
				`row 2, column "Email": "not-an-address" is not an address of the form name@domain`,
				`row 2, column "Number of Employees": negative`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := hubspotRow()
			for k, v := range tt.change {
				row[k] = v
			}
			l, err := mp.Map(2, row)
			if diff := cmp.Diff(tt.errs, errorLines(err)); diff != "" {
				t.Fatalf("errors (-want +got):\n%s", diff)
			}
			for _, e := range flattenErrs(err) {
				var le *leadkit.Error
				if !errors.As(e, &le) || !strings.HasPrefix(le.Path, "row 2, column ") {
					t.Errorf("error %v is not a *leadkit.Error at a cell", e)
				}
			}
			if err != nil && l.ID != "" {
				t.Errorf("a lead came back with errors: %+v", l)
			}
			if tt.check != nil {
				tt.check(t, l)
			}
		})
	}
}

func flattenErrs(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flattenErrs(e)...)
		}
		return out
	}
	return []error{err}
}

func TestMapperHeader(t *testing.T) {
	mp := hubspotMapper(t)
	cols := mp.Columns()
	// 14 field columns, 3 custom-field columns and 6 stage-date columns, all distinct.
	if len(cols) != 23 {
		t.Errorf("%d columns, want 23", len(cols))
	}
	header := append([]string{"Extra"}, cols[2:]...)
	want := []string{`column "Annual Revenue": not in the header`, `column "Became a Customer Date": not in the header`}
	if diff := cmp.Diff(want, errorLines(mp.CheckHeader(header))); diff != "" {
		t.Errorf("CheckHeader (-want +got):\n%s", diff)
	}
	if err := mp.CheckHeader(cols); err != nil {
		t.Errorf("CheckHeader(all columns) = %v", err)
	}
	var nilMapper *lead.Mapper
	if _, err := nilMapper.Map(1, nil); err == nil {
		t.Error("nil mapper mapped a row")
	}
}

func TestMappingValidate(t *testing.T) {
	m := lead.Mapping{
		Version: 2,
		Format:  lead.Format{DecimalMark: "x"},
		Columns: map[string]string{"id": "", "person.titel": "Title", "owner": " "},
		Values:  map[string]map[string]string{"company.employees": {"a": "b"}, "stage": {"x": ""}},
		Fields:  []lead.FieldColumn{{Field: "a", Column: "A", Type: "float"}, {Field: "a", Column: ""}, {Column: "C"}},
		Stages:  []lead.StageColumn{{Column: "L", Stage: "lead"}, {Column: "L", Stage: "lead"}, {Column: "", Stage: ""}},
		Activities: []lead.ActivityColumn{{Column: " ", Type: "call"}, {Column: "F", Type: " "},
			{Column: "G", Type: "email", UnknownOwner: "someone"}},
		ClassifyTitles: true,
		Titles:         lead.TitleTable{Seniority: []lead.SeniorityRule{{Match: "x"}}},
		Countries:      map[string]string{"Atlantis": "XX", "  ": "DE"},
	}
	want := []string{
		`version: 2 is not a version this package reads; use 1`,
		`format.decimal_mark: "x" is not a decimal mark; use "." or ","`,
		`columns["id"]: required: name the column that holds the lead's id`,
		`columns["created_at"]: required: name the column that holds the lead's created_at`,
		`columns["owner"]: empty column name`,
		`columns["person.titel"]: unknown lead field; use id, created_at, owner, stage, person.(name|email|title|role|department|seniority), company.(name|domain|industry|employees|annual_revenue|country|region|city) or source.(channel|campaign|medium|landing_page); custom fields go in "fields"`,
		`values["company.employees"]: not a text field; values translates owner, stage, person.*, company.* (but employees and annual_revenue) and source.*`,
		`values["stage"]: the field has no column`,
		`values["stage"]["x"]: empty value; map the export's value to a lead value`,
		`fields[0].type: unknown type "float"; use string, decimal, int, bool, time`,
		`fields[1].field: "a" is mapped twice`,
		`fields[1].column: empty`,
		`fields[2].field: empty`,
		`stages[1].column: column "L" is listed twice`,
		`stages[1].stage: stage "lead" is listed twice`,
		`stages[2].column: empty`,
		`stages[2].stage: empty`,
		`activities[0].column: empty`,
		`activities[1].type: empty: name the activity's type`,
		`activities[2].unknown_owner: set without by_owner: a prospect's activity has no owner`,
		`classify_titles: person.title has no column to classify`,
		`titles.seniority[0].seniority: empty`,
		`countries["  "]: empty name`,
		`countries["Atlantis"]: "XX" is not an ISO 3166-1 alpha-2 code`,
	}
	if diff := cmp.Diff(want, errorLines(m.Validate())); diff != "" {
		t.Errorf("Validate (-want +got):\n%s", diff)
	}
	if err := (lead.Mapping{Columns: map[string]string{"id": "ID", "created_at": "Created"}}).Validate(); err != nil {
		t.Errorf("smallest mapping: %v", err)
	}
}

func TestParseMapping(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// `{"columns":{"id":"a","created_at":"b"},` is 39 characters: "{" 1,
		// "columns" 2-10, ":" 11, "{" 12, "id" 13-16, ":" 17, "a" 18-20,
		// "," 21, "created_at" 22-33, ":" 34, "b" 35-37, "}" 38, "," 39;
		// so "colums" starts at column 40.
		{"unknown field", `{"columns":{"id":"a","created_at":"b"},"colums":{}}`,
			"colums: unknown field; did you mean \"columns\"? (1:40)\n | {\"columns\":{\"id\":\"a\",\"created_at\":\"b\"},\"colums\":{}}\n | .......................................^"},
		// line 2 is `  "columns": {"id": 5}`: the 5 is column 21.
		{"wrong type", "{\n  \"columns\": {\"id\": 5}\n}", "columns.id: want a string, got the number 5 (2:21)\n |   \"columns\": {\"id\": 5}\n | ....................^"},
		{"syntax", "{\n\"columns\": }", "invalid character '}' looking for beginning of value (2:12)\n | \"columns\": }\n | ...........^"},
		// "{" 1 ... "b" 35-37 as above, then "}" 38, "}" 39, " " 40: the second "{" is column 41.
		{"trailing", `{"columns":{"id":"a","created_at":"b"}} {}`, "data after the mapping's closing brace (1:41)\n | {\"columns\":{\"id\":\"a\",\"created_at\":\"b\"}} {}\n | ........................................^"},
		{"empty", ``, `empty input: a mapping is a JSON object`},
		{"invalid", `{"columns":{"id":"a"}}`, `columns["created_at"]: required: name the column that holds the lead's created_at`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := lead.ParseMapping([]byte(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Errorf("ParseMapping error:\n%v\nwant:\n%s", err, tt.want)
			}
			var le *leadkit.Error
			if !errors.As(err, &le) {
				t.Errorf("error %T is not a *leadkit.Error", err)
			}
		})
	}
}

// TestMappingJSONRoundTrip encodes a full mapping and reads it back
// strictly: every field has a JSON name the strict reader knows, and an
// empty placeholder list stays empty (not the defaults).
func TestMappingJSONRoundTrip(t *testing.T) {
	m, err := lead.ParseMapping(mustRead(t, "testdata/hubspot_mapping.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, missing := range [][]string{nil, {}, {"n.v."}} {
		m.Format.Missing = missing
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		back, err := lead.ParseMapping(b)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if diff := cmp.Diff(m, back); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	}
}

// TestMapperReportsAProblemOnce is the regression test for a column
// mapped both as created_at and as a stage date: its bad value used to be
// reported twice.
func TestMapperReportsAProblemOnce(t *testing.T) {
	mp, err := lead.Mapping{
		Columns: map[string]string{"id": "ID", "created_at": "Created"},
		Stages:  []lead.StageColumn{{Column: "Created", Stage: lead.StageLead}},
	}.Mapper()
	if err != nil {
		t.Fatal(err)
	}
	_, err = mp.Map(7, map[string]string{"ID": "a", "Created": "yesterday"})
	if err == nil {
		t.Fatal("a bad date was accepted")
	}
	if n := strings.Count(err.Error(), `"yesterday"`); n != 1 {
		t.Errorf("the bad value is reported %d times, want once:\n%v", n, err)
	}
}

// TestMapperActivities maps the activity columns of an export: a time
// gives one activity, a missing value none, a bad one a problem at its
// cell; a sales activity's actor is the owner, or the stated stand-in.
func TestMapperActivities(t *testing.T) {
	m, err := lead.ParseMapping([]byte(`{
  "format": {"zone": "America/New_York", "time_layouts": ["2006-01-02 15:04"]},
  "columns": {"id": "ID", "created_at": "Created", "owner": "Owner"},
  "activities": [
    {"column": "First Conversion", "type": "form_submit"},
    {"column": "First Engagement", "type": "first_engagement", "by_owner": true},
    {"column": "Last Meeting", "type": "meeting", "by_owner": true, "unknown_owner": "(some rep)"}
  ]
}`))
	if err != nil {
		t.Fatal(err)
	}
	mp, err := m.Mapper()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Created", "First Conversion", "First Engagement", "ID", "Last Meeting", "Owner"}
	if diff := cmp.Diff(want, mp.Columns()); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	// New York is UTC-4 in June (EDT): 09:00 there is 13:00 UTC.
	edt := func(d, h int) time.Time { return time.Date(2025, 6, d, h+4, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		row  map[string]string
		want []lead.Activity
		errs []string
	}{
		{name: "every column",
			row: map[string]string{"ID": "1", "Created": "2025-06-02 09:00", "Owner": "Dana",
				"First Conversion": "2025-06-02 09:05", "First Engagement": "2025-06-02 11:00", "Last Meeting": "2025-06-09 15:00"},
			want: []lead.Activity{{Type: lead.ActivityFormSubmit, At: edt(2, 9).Add(5 * time.Minute)},
				{Type: "first_engagement", At: edt(2, 11), Actor: "Dana"}, {Type: lead.ActivityMeeting, At: edt(9, 15), Actor: "Dana"}}},
		{name: "missing values give no activity",
			row: map[string]string{"ID": "2", "Created": "2025-06-02 09:00", "First Conversion": ""}},
		{name: "no owner: the stand-ins",
			row: map[string]string{"ID": "3", "Created": "2025-06-02 09:00", "First Engagement": "2025-06-03 10:00", "Last Meeting": "2025-06-04 10:00"},
			want: []lead.Activity{{Type: "first_engagement", At: edt(3, 10), Actor: lead.UnknownOwner},
				{Type: lead.ActivityMeeting, At: edt(4, 10), Actor: "(some rep)"}}},
		{name: "a bad time is a problem at its cell",
			row:  map[string]string{"ID": "4", "Created": "2025-06-02 09:00", "First Engagement": "soon"},
			errs: []string{`row 9, column "First Engagement": "soon" is not a time in the layouts "2006-01-02 15:04"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := mp.Map(9, tt.row)
			if diff := cmp.Diff(tt.errs, errorLines(err)); diff != "" {
				t.Fatalf("errors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, l.Activities, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
				t.Errorf("activities (-want +got):\n%s", diff)
			}
		})
	}
	// The mapping survives a JSON round trip.
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := lead.ParseMapping(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}
