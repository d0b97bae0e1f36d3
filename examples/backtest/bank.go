package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"

	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

// bankModel is a hand-written model for the bank's telemarketing calls:
// what a call-centre manager would say from experience.
const bankModel = `{
  "name": "bank rule of thumb", "version": "call-centre experience",
  "rules": [
    {"name": "subscribed last campaign", "when": "fields.poutcome == \"success\"", "points": 40},
    {"name": "called before", "when": "(fields.previous ?? 0) > 0", "points": 10},
    {"name": "on a mobile", "when": "fields.contact == \"cellular\"", "points": 15},
    {"name": "student or retired", "when": "fields.job in [\"student\", \"retired\"]", "points": 15},
    {"name": "low interest rates", "when": "(fields.euribor3m ?? 5) < 2", "points": 25},
    {"name": "called 4+ times this campaign", "when": "(fields.campaign ?? 0) >= 4", "points": -10}
  ]
}`

// bankStrings and bankNumbers are the columns mapped onto a lead's
// custom fields; "duration" is left out (known only after the call).
var (
	bankStrings = []string{"job", "marital", "education", "default", "housing", "loan", "contact", "month", "day_of_week", "poutcome"}
	bankNumbers = []string{"age", "campaign", "pdays", "previous", "emp.var.rate", "cons.price.idx", "cons.conf.idx", "euribor3m", "nr.employed"}
)

// fieldName is a column's custom field name: "emp.var.rate" -> "emp_var_rate".
func fieldName(column string) string {
	b := []byte(column)
	for i, c := range b {
		if c == '.' {
			b[i] = '_'
		}
	}
	return string(b)
}

// loadBank reads bank-additional-full.csv: one lead per call, converted
// when y is "yes".
func loadBank(path string) (data, error) {
	f, err := os.Open(path)
	if err != nil {
		return data{}, fmt.Errorf("%w (the data set is not shipped with leadkit; see the doc comment of examples/backtest)", err)
	}
	defer f.Close()
	d, err := readBank(f, path)
	if err != nil {
		return data{}, err
	}
	return d, nil
}

// readBank reads the semicolon-separated bank file from r; name is the
// file's name for messages. A row with a value it cannot read is
// skipped, with where and why.
func readBank(r io.Reader, name string) (data, error) {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.Comma = ';'
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return data{}, fmt.Errorf("%s: empty file: is this bank-additional-full.csv?", name)
	}
	if err != nil {
		return data{}, fmt.Errorf("%s: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	var missing []error
	for _, need := range append(append([]string{"y"}, bankStrings...), bankNumbers...) {
		if _, ok := col[need]; !ok {
			missing = append(missing, fmt.Errorf("%s:1: no column %q: is this bank-additional-full.csv?", name, need))
		}
	}
	if err := errors.Join(missing...); err != nil {
		return data{}, err
	}
	d := data{name: "UCI bank marketing calls", models: []string{bankModel}, weeks: 130,
		leftOut: []string{"duration: known only after the call ends; its authors say a realistic model must leave it out"}}
rows:
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return data{}, fmt.Errorf("%s: %w", name, err)
		}
		d.rows++
		line, _ := cr.FieldPos(0)
		at := func(column string) string {
			l, c := cr.FieldPos(col[column])
			return fmt.Sprintf("%s:%d:%d", name, l, c)
		}
		l := &lead.Lead{ID: fmt.Sprintf("call-%d", line), CreatedAt: decided.AddDate(0, 0, -30), Fields: map[string]any{}}
		for _, c := range bankStrings {
			l.Fields[fieldName(c)] = rec[col[c]]
		}
		for _, c := range bankNumbers {
			v, err := strconv.ParseFloat(rec[col[c]], 64)
			if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
				d.skipped = append(d.skipped, skip{at(c), fmt.Sprintf("%s %q is not a number", c, rec[col[c]])})
				continue rows
			}
			if c == "pdays" && v == 999 {
				continue // 999 means never contacted before: missing
			}
			l.Fields[fieldName(c)] = v
		}
		var converted bool
		switch y := rec[col["y"]]; y {
		case "yes":
			converted = true
		case "no":
		default:
			d.skipped = append(d.skipped, skip{at("y"), fmt.Sprintf("y %q is neither yes nor no", y)})
			continue
		}
		d.outcomes = append(d.outcomes, scoring.Outcome{Lead: l, DecidedAt: decided, Converted: converted})
	}
	m, err := scoring.ParseModel([]byte(bankModel))
	if err != nil {
		return data{}, err
	}
	d.learn.Rules = m.Rules
	for _, c := range bankStrings {
		d.learn.Categories = append(d.learn.Categories, scoring.CategoryFeature{Key: lead.Key("fields." + fieldName(c))})
	}
	for _, c := range bankNumbers {
		d.learn.Numbers = append(d.learn.Numbers, scoring.NumberFeature{Key: lead.Key("fields." + fieldName(c)), Bins: 10})
	}
	return d, nil
}
