package lead_test

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit/lead"
)

func TestCSVRows(t *testing.T) {
	type row struct {
		Line   int
		Values map[string]string
	}
	tests := []struct {
		name string
		in   string
		opts []lead.CSVOption
		rows []row
		errs []string
	}{
		{name: "rows by column, lines counted",
			in: "\ufeffID,Name,Note\r\n1,Ada, x \r\n\r\n2,\"Grace, Admiral\",\"two\nlines\"\n3,Linus,\n",
			rows: []row{
				{2, map[string]string{"ID": "1", "Name": "Ada", "Note": " x "}},
				{4, map[string]string{"ID": "2", "Name": "Grace, Admiral", "Note": "two\nlines"}},
				{6, map[string]string{"ID": "3", "Name": "Linus", "Note": ""}},
			}},
		{name: "semicolons",
			in:   "ID;Umsatz\n7;1.234,50\n",
			opts: []lead.CSVOption{lead.CSVComma(';')},
			rows: []row{{2, map[string]string{"ID": "7", "Umsatz": "1.234,50"}}}},
		{name: "wrong field counts go on",
			in:   "A,B\n1\n1,2,3\n4,5\n",
			rows: []row{{4, map[string]string{"A": "4", "B": "5"}}},
			errs: []string{
				`line 2: the record has 1 fields, the header 2: no value for column "B"`,
				`line 3: the record has 3 fields, the header 2: field 3 has no column`,
			}},
		{name: "bad quote stops",
			in:   "A,B\n1,2\n3,\"x\"y\n5,6\n",
			rows: []row{{2, map[string]string{"A": "1", "B": "2"}}},
			errs: []string{`line 3, byte 5: extraneous or missing " in quoted-field`}},
		{name: "empty", in: "", errs: []string{"empty input: a CSV export starts with its header"}},
		{name: "header problems stop",
			in:   "A,B,A\n1,2,3\n",
			opts: []lead.CSVOption{lead.CSVRequire("A", "C", "D")},
			errs: []string{
				`line 1, column "A": the header names the column twice (fields 1 and 3)`,
				`line 1, column "C": not in the header`,
				`line 1, column "D": not in the header`,
			}},
		{name: "bad separator", in: "A\n1\n", opts: []lead.CSVOption{lead.CSVComma('"')},
			errs: []string{"read: csv: invalid field or comment delimiter"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rows []row
			var errs []string
			for r, err := range lead.CSVRows(strings.NewReader(tt.in), tt.opts...) {
				if err != nil {
					errs = append(errs, errorLines(err)...)
					continue
				}
				rows = append(rows, row{r.Line, r.Values})
			}
			if diff := cmp.Diff(tt.rows, rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.errs, errs); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
	n := 0
	for _, err := range lead.CSVRows(iotest.ErrReader(errors.New("disk gone"))) {
		n++
		if err == nil || err.Error() != "read: disk gone" {
			t.Errorf("error = %v", err)
		}
	}
	for _, err := range lead.CSVRows(nil) {
		n++
		if err == nil {
			t.Error("nil reader gave no error")
		}
	}
	if n != 2 {
		t.Errorf("%d errors, want 2", n)
	}
}

// FuzzCSVRows reads arbitrary bytes as a CSV export: nothing panics,
// every error is positioned, and every row has one value per column.
func FuzzCSVRows(f *testing.F) {
	f.Add([]byte("ID,Name\n1,Ada\n2,\"Grace\"\n"), byte(','))
	f.Add([]byte("\ufeffA;B\r\n1;2;3\r\n\"x\n"), byte(';'))
	f.Fuzz(func(t *testing.T, data []byte, comma byte) {
		width := -1
		for r, err := range lead.CSVRows(strings.NewReader(string(data)), lead.CSVComma(rune(comma))) {
			if err != nil {
				requireLeadkitErrors(t, err)
				continue
			}
			if width < 0 {
				width = len(r.Values)
			}
			if len(r.Values) != width || r.Line < 2 {
				t.Fatalf("row at line %d has %d values, the first had %d", r.Line, len(r.Values), width)
			}
		}
	})
}
