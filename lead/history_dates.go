package lead

import (
	"errors"
	"time"

	"github.com/leadkit/leadkit"
)

// StageDate is the date a lead entered a stage, as the stage-date
// columns of a CRM export give it ("Became a Marketing Qualified Lead
// Date" in HubSpot, one column per lifecycle stage).
type StageDate struct {
	// Stage is the stage the column is about.
	Stage Stage
	// At is when the lead entered the stage; the zero time means the
	// column is empty.
	At time.Time
	// Column names the column, for errors.
	Column string
}

// HistoryFromDates builds a lead's stage history from the dates it
// entered each stage, given in lifecycle order: one [Transition] per
// date, from the stage of the previous date (empty for the first) to the
// date's stage, at the date.
//
// It never guesses. It reports, each as a *[leadkit.Error] at the cell
// ([CellPath] of row and the column) and naming the lead id:
//   - a date earlier than the date of a stage before it in the
//     lifecycle (dates out of order); equal dates are allowed, since a
//     CRM stamps every stage a lead skips through at once;
//   - unless allowSkipped, a stage without a date between two stages
//     with one (a missing date).
//
// On any problem it returns nil and every problem, joined. A lead with no
// dates has an empty (nil) history.
func HistoryFromDates(leadID string, row int, dates []StageDate, allowSkipped bool) ([]Transition, error) {
	var errs []error
	var hist []Transition
	lastDated := -1
	for i := range dates {
		if !dates[i].At.IsZero() {
			lastDated = i
		}
	}
	prev, latest := -1, -1 // the previous dated stage, and the one with the latest date so far
	for i, d := range dates {
		if d.At.IsZero() {
			if !allowSkipped && prev >= 0 && i < lastDated {
				errs = append(errs, cellError(row, d.Column, "lead %q: no date for stage %q, though it has dates for stages before and after it",
					leadID, string(d.Stage)))
			}
			continue
		}
		from := Stage("")
		if prev >= 0 {
			from = dates[prev].Stage
			if p := dates[latest]; d.At.Before(p.At) {
				errs = append(errs, cellError(row, d.Column, "lead %q: entered %q at %s, before it entered %q at %s (column %q); stage dates are out of order",
					leadID, string(d.Stage), d.At.Format(time.RFC3339), string(p.Stage), p.At.Format(time.RFC3339), p.Column))
			}
		}
		hist = append(hist, Transition{From: from, To: d.Stage, At: d.At})
		if latest < 0 || !d.At.Before(dates[latest].At) {
			latest = i
		}
		prev = i
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return hist, nil
}

// stageProblem is the error for a current stage whose date is missing.
func stageProblem(row int, column, leadID string, s Stage) *leadkit.Error {
	return cellError(row, column, "lead %q: current stage is %q but the column is empty", leadID, string(s))
}
