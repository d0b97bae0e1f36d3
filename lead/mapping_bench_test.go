package lead_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// benchMapper is the HubSpot mapping widened to a 40-column export with
// 17 more custom fields (9 text, 4 decimal, 4 int).
func benchMapper(b *testing.B) (*lead.Mapper, map[string]string) {
	b.Helper()
	row := hubspotRow()
	m, err := lead.ParseMapping(mustRead(b, "testdata/hubspot_mapping.json"))
	if err != nil {
		b.Fatal(err)
	}
	for i := range 17 {
		col := fmt.Sprintf("Custom %d", i)
		typ, val := "string", "value "+strconv.Itoa(i)
		switch i % 4 {
		case 1:
			typ, val = "decimal", "1,234.5"+strconv.Itoa(i%10)
		case 2:
			typ, val = "int", strconv.Itoa(1000+i)
		}
		m.Fields = append(m.Fields, lead.FieldColumn{Field: fmt.Sprintf("custom_%d", i), Column: col, Type: typ})
		row[col] = val
	}
	mp, err := m.Mapper()
	if err != nil {
		b.Fatal(err)
	}
	if n := len(mp.Columns()); n != 40 {
		b.Fatalf("%d columns, want 40", n)
	}
	return mp, row
}

// BenchmarkMapRow maps one row of a 40-column export; "handwritten" is
// the same mapping written out in Go (strconv, decimal, time), the code a
// host would otherwise keep, without the checks and error positions.
func BenchmarkMapRow(b *testing.B) {
	mp, row := benchMapper(b)
	b.Run("Mapper", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := mp.Map(2, row); err != nil {
				b.Fatal(err)
			}
		}
	})
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		b.Fatal(err)
	}
	titles, _ := lead.DefaultTitleTable().Classifier()
	b.Run("handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := handMap(row, ny, titles); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func handMap(row map[string]string, loc *time.Location, titles *lead.TitleClassifier) (lead.Lead, error) {
	var l lead.Lead
	l.ID = row["Record ID"]
	t, err := time.ParseInLocation("2006-01-02 15:04", row["Create Date"], loc)
	if err != nil {
		return l, err
	}
	l.CreatedAt = t
	l.Owner = row["Contact owner"]
	l.Stage = map[string]lead.Stage{"salesqualifiedlead": lead.StageSQL}[row["Lifecycle Stage"]]
	l.Person.Email = row["Email"]
	l.Person.Title = row["Job Title"]
	l.Person.Seniority, l.Person.Department = titles.Classify(l.Person.Title)
	l.Company.Name = row["Company Name"]
	n, err := strconv.Atoi(strings.ReplaceAll(row["Number of Employees"], ",", ""))
	if err != nil {
		return l, err
	}
	l.Company.Employees = n
	l.Company.AnnualRevenue, err = decimal.NewFromString(strings.ReplaceAll(row["Annual Revenue"], ",", ""))
	if err != nil {
		return l, err
	}
	c, _ := lead.CountryCode(row["Country/Region"])
	l.Company.Country = c
	l.Company.City = row["City"]
	l.Source.Channel = lead.ChannelPaidSearch
	l.Source.Campaign = row["Original Source Drill-Down 2"]
	l.Fields = map[string]any{"opted_in": row["Marketing contact status"] == "Yes"}
	la, err := time.ParseInLocation("2006-01-02", row["Last Activity Date"], loc)
	if err != nil {
		return l, err
	}
	l.Fields["last_activity"] = la
	for i := range 17 {
		v := row[fmt.Sprintf("Custom %d", i)]
		switch i % 4 {
		case 1:
			d, err := decimal.NewFromString(strings.ReplaceAll(v, ",", ""))
			if err != nil {
				return l, err
			}
			l.Fields[fmt.Sprintf("custom_%d", i)] = d
		case 2:
			n, err := strconv.Atoi(v)
			if err != nil {
				return l, err
			}
			l.Fields[fmt.Sprintf("custom_%d", i)] = n
		default:
			l.Fields[fmt.Sprintf("custom_%d", i)] = v
		}
	}
	var prev lead.Stage
	for _, s := range []struct {
		col   string
		stage lead.Stage
	}{{"Became a Lead Date", lead.StageLead}, {"Became a Marketing Qualified Lead Date", lead.StageMQL}, {"Became a Sales Qualified Lead Date", lead.StageSQL}} {
		at, err := time.ParseInLocation("2006-01-02 15:04", row[s.col], loc)
		if err != nil {
			return l, err
		}
		l.History = append(l.History, lead.Transition{From: prev, To: s.stage, At: at})
		prev = s.stage
	}
	return l, nil
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
