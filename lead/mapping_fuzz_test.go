package lead_test

import (
	"errors"
	"os"
	"testing"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
)

// FuzzMapRow reads an arbitrary mapping and maps a row of arbitrary
// cells with it: nothing panics, every problem is a *leadkit.Error, and a
// lead that comes back is valid and has its history in time order.
func FuzzMapRow(f *testing.F) {
	hubspot, err := os.ReadFile("testdata/hubspot_mapping.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(hubspot, "51", "2025-03-03 09:15", "1,200", "Deutschland", "VP Sales", "2025-03-05 16:40")
	f.Add(hubspot, "x", "2025-03-09 02:30", "-1", "Narnia", "", "N/A")
	f.Add([]byte(`{"columns":{"id":"a","created_at":"b","company.employees":"c"},"format":{"decimal_mark":","},"stages":[{"column":"d","stage":"lead"},{"column":"e","stage":"mql"}]}`),
		"id", "2025-01-01", "1.234,5", "2025-01-02", "2025-01-01", "")
	f.Add([]byte(`{"columns":{"id":"a","created_at":"b"},"fields":[{"field":"f","column":"c","type":"time"},{"field":"g","column":"d","type":"int"}],"format":{"zone":"Asia/Kolkata","time_layouts":["02.01.2006"]}}`),
		"id", "31.12.2025", "29.02.2024", "9223372036854775808", "", "")
	f.Add([]byte(`{"columns":{"id":"a","created_at":"b","owner":"c"},"activities":[{"column":"d","type":"call","by_owner":true},{"column":"e","type":"form_submit"},{"column":"b","type":"x","by_owner":true,"unknown_owner":"?"}]}`),
		"id", "2025-01-01", "", "2025-01-02", "bad", "")
	f.Fuzz(func(t *testing.T, mapping []byte, a, b, c, d, e, g string) {
		m, err := lead.ParseMapping(mapping)
		if err != nil {
			requireLeadkitErrors(t, err)
			return
		}
		mp, err := m.Mapper()
		if err != nil {
			t.Fatalf("ParseMapping accepted a mapping that Mapper refuses: %v", err)
		}
		cells := []string{a, b, c, d, e, g}
		row := map[string]string{}
		for i, col := range mp.Columns() {
			row[col] = cells[i%len(cells)]
		}
		l, err := mp.Map(3, row)
		if err != nil {
			requireLeadkitErrors(t, err)
			return
		}
		if err := l.Validate(); err != nil {
			t.Fatalf("mapped lead is invalid: %v", err)
		}
		for i := 1; i < len(l.History); i++ {
			if l.History[i].At.Before(l.History[i-1].At) {
				t.Fatalf("history out of order: %v", l.History)
			}
		}
	})
}

func requireLeadkitErrors(t *testing.T, err error) {
	t.Helper()
	for _, e := range flattenErrs(err) {
		var le *leadkit.Error
		if !errors.As(e, &le) {
			t.Fatalf("error %v (%T) is not a *leadkit.Error", e, e)
		}
	}
}
