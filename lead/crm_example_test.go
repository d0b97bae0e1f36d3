package lead_test

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

func ExampleMapping_Mapper() {
	m, err := lead.ParseMapping([]byte(`{
		"format": {"zone": "Europe/Berlin", "decimal_mark": ",", "time_layouts": ["02.01.2006 15:04"]},
		"columns": {"id": "Lead-Nr.", "created_at": "Erstellt", "company.annual_revenue": "Umsatz",
			"company.country": "Land", "person.title": "Position"},
		"stages": [{"column": "Lead seit", "stage": "lead"}, {"column": "MQL seit", "stage": "mql"}],
		"classify_titles": true,
		"normalize_country": true
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	mp, err := m.Mapper()
	if err != nil {
		fmt.Println(err)
		return
	}
	l, err := mp.Map(2, map[string]string{
		"Lead-Nr.": "4711", "Erstellt": "03.03.2025 09:15", "Umsatz": "1.250.000,50",
		"Land": "Österreich", "Position": "Head of Marketing",
		"Lead seit": "03.03.2025 09:15", "MQL seit": "-",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.ID, l.CreatedAt.UTC(), l.Company.AnnualRevenue, l.Company.Country)
	fmt.Println(l.Person.Seniority, l.Person.Department, l.Stage, len(l.History))
	// Output:
	// 4711 2025-03-03 08:15:00 +0000 UTC 1250000.5 AT
	// director marketing lead 1
}

func ExampleMapper_Map_problems() {
	m := lead.Mapping{
		Columns: map[string]string{"id": "ID", "created_at": "Created", "company.employees": "Employees"},
		Stages: []lead.StageColumn{
			{Column: "Lead Date", Stage: lead.StageLead},
			{Column: "MQL Date", Stage: lead.StageMQL},
			{Column: "SQL Date", Stage: lead.StageSQL},
		},
	}
	mp, err := m.Mapper()
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = mp.Map(7, map[string]string{
		"ID": "L-3", "Created": "2025-03-01", "Employees": "about 50",
		"Lead Date": "2025-03-01", "MQL Date": "N/A", "SQL Date": "2025-02-20",
	})
	fmt.Println(err)
	// Output:
	// row 7, column "Employees": "about 50" is not a number with decimal mark "."
	// row 7, column "MQL Date": lead "L-3": no date for stage "mql", though it has dates for stages before and after it
	// row 7, column "SQL Date": lead "L-3": entered "sql" at 2025-02-20T00:00:00Z, before it entered "lead" at 2025-03-01T00:00:00Z (column "Lead Date"); stage dates are out of order
}

func ExampleDecodeLines() {
	in := strings.NewReader(`{"id":"L1","created_at":"2025-03-01T09:00:00Z","stage":"mql"}
{"id":"L2","created_at":"2025-03-02T09:00:00Z","stgae":"sql"}

{"id":"L3","created_at":"2025-03-03T09:00:00Z","company":{"country":"DE"}}
`)
	for l, err := range lead.DecodeLines(in) {
		if err != nil {
			fmt.Println("skipped:", err)
			continue
		}
		fmt.Printf("%s stage=%q country=%q\n", l.ID, l.Stage, l.Company.Country)
	}
	// Output:
	// L1 stage="mql" country=""
	// skipped: line 2: unknown field "stgae"
	// L3 stage="" country="DE"
}

// Parallel decodes on several goroutines; the loop sees the same
// sequence, in order, errors included.
func ExampleParallel() {
	var in strings.Builder
	for i := range 1000 {
		if i == 700 {
			in.WriteString("{\"id\":\"broken\",}\n")
			continue
		}
		fmt.Fprintf(&in, "{\"id\":\"L%04d\",\"created_at\":\"2025-03-01T09:00:00Z\"}\n", i)
	}
	n, last := 0, ""
	for l, err := range lead.DecodeLines(strings.NewReader(in.String()), lead.Parallel(runtime.GOMAXPROCS(0))) {
		if err != nil {
			fmt.Println(err)
			continue
		}
		n, last = n+1, l.ID
	}
	fmt.Println(n, "leads, the last", last)
	// Output:
	// line 701: invalid character '}' looking for beginning of object key string (byte 16)
	// 999 leads, the last L0999
}

func ExampleLines() {
	in := strings.NewReader(`{"id":"D1","amount":"1200.50","created_at":"2025-03-01T09:00:00Z","status":"won","new_customer":true}`)
	for d, err := range lead.Lines[kpi.Deal](in) {
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(d.ID, d.Amount, d.Status)
	}
	// Output:
	// D1 1200.5 won
}

func ExampleCountryCode() {
	for _, s := range []string{"Deutschland", "DEU", "us", "United Kingdom", "Côte d'Ivoire", "Europe"} {
		code, ok := lead.CountryCode(s)
		fmt.Printf("%s: %q %v\n", s, code, ok)
	}
	// Output:
	// Deutschland: "DE" true
	// DEU: "DE" true
	// us: "US" true
	// United Kingdom: "GB" true
	// Côte d'Ivoire: "CI" true
	// Europe: "" false
}

func ExampleTitleTable_Classifier() {
	host := lead.TitleTable{Departments: []lead.DepartmentRule{{Match: "revops", Department: "sales"}}}
	c, err := host.Before(lead.DefaultTitleTable()).Classifier()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, title := range []string{"VP, Sales & Marketing", "Sr. Software Engineer", "Founder & CEO", "RevOps Manager", "Ninja"} {
		s, d := c.Classify(title)
		fmt.Printf("%s: %q %q\n", title, s, d)
	}
	// Output:
	// VP, Sales & Marketing: "vp" "sales"
	// Sr. Software Engineer: "entry" "engineering"
	// Founder & CEO: "owner" "executive"
	// RevOps Manager: "manager" "sales"
	// Ninja: "" ""
}

func ExampleFieldReader() {
	r, err := lead.Format{DecimalMark: ",", Zone: "Europe/Paris", TimeLayouts: []string{"02/01/2006 15:04"}}.Reader()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Missing("N/A"), r.Missing(" select "), r.Missing("0"))
	fmt.Println(r.Decimal(4, "CA", "1 234,50"))
	fmt.Println(r.Time(4, "Créé le", "30/03/2025 02:30"))
	// Output:
	// true true false
	// 1234.5 true <nil>
	// 0001-01-01 00:00:00 +0000 UTC false row 4, column "Créé le": "30/03/2025 02:30" does not exist in Europe/Paris: the clocks skip it
}

// A CSV export read row by row, mapped to leads, with the rows that do not
// map reported by line and column.
func ExampleCSVRows() {
	export := `Record ID,Create Date,Country/Region,Became a Lead Date,Became a Marketing Qualified Lead Date
101,2025-03-03 09:15,Germany,2025-03-03 09:15,2025-03-05 16:40
102,2025-03-04 10:00,Narnia,2025-03-04 10:00,
103,2025-03-04 11:30,FR,2025-03-06 08:00,2025-03-05 12:00
`
	m := lead.Mapping{
		Format:           lead.Format{Zone: "America/New_York"},
		Columns:          map[string]string{"id": "Record ID", "created_at": "Create Date", "company.country": "Country/Region"},
		Stages:           []lead.StageColumn{{Column: "Became a Lead Date", Stage: "lead"}, {Column: "Became a Marketing Qualified Lead Date", Stage: "mql"}},
		NormalizeCountry: true,
	}
	mp, err := m.Mapper()
	if err != nil {
		fmt.Println(err)
		return
	}
	for row, err := range lead.CSVRows(strings.NewReader(export), lead.CSVRequire(mp.Columns()...)) {
		if err != nil {
			fmt.Println(err)
			continue
		}
		l, err := mp.Map(row.Line, row.Values)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(l.ID, l.Company.Country, l.Stage, len(l.History))
	}
	// Output:
	// 101 DE mql 2
	// row 3, column "Country/Region": "Narnia" is not a country CountryCode knows; add it to the mapping's countries
	// row 4, column "Became a Marketing Qualified Lead Date": lead "103": entered "mql" at 2025-03-05T12:00:00-05:00, before it entered "lead" at 2025-03-06T08:00:00-05:00 (column "Became a Lead Date"); stage dates are out of order
}
