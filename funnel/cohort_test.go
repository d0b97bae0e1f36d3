package funnel

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, whatever the machine has installed

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
)

// TestCohortsAcrossDST checks the cohort of every lead against an
// independent computation (time.Format in the zone, ISO weeks from
// time.ISOWeek) in zones whose clocks jump, including America/Sao_Paulo,
// where until 2019 midnight itself was skipped on the first day of
// summer time. Leads come in random order and in time order, so both the
// cached period bounds and the calendar path are exercised.
func TestCohortsAcrossDST(t *testing.T) {
	for _, zone := range []string{"America/Sao_Paulo", "Europe/Berlin", "Australia/Lord_Howe", "UTC"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(11, 12))
		var leads []lead.Lead
		base := time.Date(2017, 9, 1, 0, 0, 0, 0, time.UTC)
		for i := range 3000 {
			// Random instants over two years, plus instants right at
			// local midnights and a nanosecond either side.
			at := base.Add(time.Duration(rng.Int64N(int64(2 * 365 * 24 * time.Hour))))
			if i%3 == 0 {
				y, m, d := at.In(loc).Date()
				at = time.Date(y, m, d, 0, 0, 0, 0, loc).Add(time.Duration(rng.IntN(3) - 1))
			}
			leads = append(leads, lead.Lead{ID: fmt.Sprint(i), CreatedAt: at, History: []lead.Transition{{To: "lead", At: at}}})
		}
		sorted := append([]lead.Lead(nil), leads...)
		sortByCreated(sorted)
		for _, p := range []leadkit.Period{leadkit.Day, leadkit.Week, leadkit.Month, leadkit.Quarter, leadkit.Year} {
			want := map[string]int64{}
			for _, l := range leads {
				want[expectedLabel(p, l.CreatedAt.In(loc))]++
			}
			for name, input := range map[string][]lead.Lead{"random": leads, "sorted": sorted} {
				t.Run(fmt.Sprintf("%s/%s/%s", zone, p, name), func(t *testing.T) {
					r := mustAnalyze(t, input, opts{Cohort: p, Zone: leadkit.Zone(zone)})
					got := map[string]int64{}
					for _, c := range r.Cohorts {
						got[c.Key] = c.Leads
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("cohorts (-want +got):\n%s", diff)
					}
				})
			}
		}
	}
}

// expectedLabel computes a cohort label without the package's code (nor
// internal/period's): from the local time's fields and time.ISOWeek.
func expectedLabel(p leadkit.Period, t time.Time) string {
	switch p {
	case leadkit.Day:
		return t.Format("2006-01-02")
	case leadkit.Week:
		y, w := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case leadkit.Month:
		return t.Format("2006-01")
	case leadkit.Quarter:
		return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())+2)/3)
	default:
		return t.Format("2006")
	}
}

func sortByCreated(leads []lead.Lead) {
	for i := 1; i < len(leads); i++ {
		for j := i; j > 0 && leads[j].CreatedAt.Before(leads[j-1].CreatedAt); j-- {
			leads[j], leads[j-1] = leads[j-1], leads[j]
		}
	}
}
