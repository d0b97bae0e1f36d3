package lead_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit/lead"
)

func TestHistoryFromDates(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2025, 3, day, 9, 0, 0, 0, time.UTC) }
	sd := func(s lead.Stage, at time.Time) lead.StageDate {
		return lead.StageDate{Stage: s, At: at, Column: "Became " + string(s)}
	}
	tests := []struct {
		name    string
		dates   []lead.StageDate
		skip    bool
		want    []lead.Transition
		wantErr []string
	}{
		{name: "none", dates: nil, want: nil},
		{name: "all empty", dates: []lead.StageDate{sd("lead", time.Time{}), sd("mql", time.Time{})}, want: nil},
		{name: "in order",
			dates: []lead.StageDate{sd("lead", d(1)), sd("mql", d(3)), sd("sql", d(3)), sd("customer", time.Time{})},
			want:  []lead.Transition{{To: "lead", At: d(1)}, {From: "lead", To: "mql", At: d(3)}, {From: "mql", To: "sql", At: d(3)}}},
		{name: "starts late",
			dates: []lead.StageDate{sd("subscriber", time.Time{}), sd("lead", d(2)), sd("mql", d(4))},
			want:  []lead.Transition{{To: "lead", At: d(2)}, {From: "lead", To: "mql", At: d(4)}}},
		{name: "out of order",
			dates: []lead.StageDate{sd("lead", d(1)), sd("mql", d(10)), sd("sql", d(5)), sd("opportunity", d(7)), sd("customer", d(12))},
			wantErr: []string{
				`row 7, column "Became sql": lead "L-9": entered "sql" at 2025-03-05T09:00:00Z, before it entered "mql" at 2025-03-10T09:00:00Z (column "Became mql"); stage dates are out of order`,
				`row 7, column "Became opportunity": lead "L-9": entered "opportunity" at 2025-03-07T09:00:00Z, before it entered "mql" at 2025-03-10T09:00:00Z (column "Became mql"); stage dates are out of order`,
			}},
		{name: "skipped refused",
			dates:   []lead.StageDate{sd("lead", d(1)), sd("mql", time.Time{}), sd("sql", d(5)), sd("customer", time.Time{})},
			wantErr: []string{`row 7, column "Became mql": lead "L-9": no date for stage "mql", though it has dates for stages before and after it`}},
		{name: "skipped allowed",
			dates: []lead.StageDate{sd("lead", d(1)), sd("mql", time.Time{}), sd("sql", d(5))},
			skip:  true,
			want:  []lead.Transition{{To: "lead", At: d(1)}, {From: "lead", To: "sql", At: d(5)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := lead.HistoryFromDates("L-9", 7, tt.dates, tt.skip)
			if diff := cmp.Diff(tt.wantErr, errorLines(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("history (-want +got):\n%s", diff)
			}
		})
	}
}
