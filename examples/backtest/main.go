// Command backtest checks lead-scoring models against real outcomes and
// closes the loop: it learns a model from the outcomes, compares it with
// the best hand-written one, and recommends the threshold sales can
// take. It is a tutorial for mapping a host's own records onto leadkit
// and letting data, not opinion, settle which model and which threshold
// the two teams adopt.
//
//	go run ./examples/backtest -file path/to/Leads.csv
//	go run ./examples/backtest -file path/to/Leads.csv -json
//	go run ./examples/backtest -bank path/to/bank-additional-full.csv
//
// The default data set is X Education's lead-conversion file (Leads.csv,
// 9,240 leads of an online-course company with a Converted flag). The
// "before" model is marketing's rule of thumb (visits, page views,
// downloads). The "shared" model adds what sales fed back: where the lead
// came from, who the person is, and how long they really spent on the
// site. Columns that sales fills in after contact (Tags, Lead Quality,
// Lead Profile, the Asymmetrique indexes and scores) and the last
// activity columns (recorded up to the file's export, after the outcome)
// are left out: scoring with them would leak the outcome. The output
// says so.
//
// With -bank, the example reads the UCI bank-marketing telemarketing
// data instead (bank-additional-full.csv, semicolon-separated, 41,188
// calls of a Portuguese bank selling term deposits; Moro, Cortez and
// Rita, Decision Support Systems 62:22-31, 2014). Each call is a lead;
// "y" says whether the client subscribed. The call's duration is left
// out: it is known only after the call ends, and the data's authors say
// it must be left out of any realistic model.
//
// Then, on either data set:
//
//  1. The leads are split 70/30 by a hash of their id (random, but the
//     same on every run and in any input order).
//  2. scoring.Learn fits a logistic regression on the training 70%: the
//     hand-written models' rules, the categories and the binned numbers
//     are its features. Its points are scaled so that 20 points double
//     the odds of converting and a score of 0 is even odds.
//  3. Every model (the hand-written ones, a -model of your own, and the
//     learned one) is evaluated on the same 30% holdout: AUC with its
//     standard error, deciles with lift, threshold table.
//  4. scoring.Compare sets the learned model (challenger) against the
//     best hand-written one (champion) on the holdout, with DeLong's test.
//  5. Evaluation.Recommend gives the learned model's threshold for a
//     weekly capacity (-capacity), taking the leads to have arrived over
//     -weeks weeks (neither data set dates its leads).
//
// -scores FILE writes every lead's score under every model as CSV
// (id,model,score,converted). -learned FILE writes the learned model as
// JSON: a person can read and edit it, and -model FILE evaluates the
// edited version next time.
//
// The models are stored as a host would store them, as JSON, and loaded
// with scoring.ParseModel, which refuses a misspelt or unknown field
// instead of dropping it. The data sets have no usable dates, so every
// lead is scored as of one instant, and each evaluation is as of that
// instant too (an outcome decided after an evaluation's as-of time would
// not be known then, and would be counted as undecided, not scored).
package main

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

// The models, as a host would store them: JSON that a marketing-ops
// person can read, diff and edit.
const (
	beforeModel = `{
  "name": "before", "version": "marketing rule of thumb",
  "rules": [
    {"name": "5+ visits", "when": "(fields.total_visits ?? 0) >= 5", "points": 20},
    {"name": "3+ pages per visit", "when": "(fields.page_views_per_visit ?? 0) >= 3", "points": 10},
    {"name": "downloaded the e-book", "when": "fields.free_copy == true", "points": 15},
    {"name": "search traffic", "when": "source.channel in [\"google\", \"organic_search\"]", "points": 10}
  ]
}`
	sharedModel = `{
  "name": "shared", "version": "with sales feedback",
  "rules": [
    {"name": "lead add form", "when": "fields.lead_origin == \"Lead Add Form\"", "points": 40},
    {"name": "referred", "when": "source.channel in [\"reference\", \"welingak_website\"]", "points": 30},
    {"name": "working professional", "when": "person.role == \"Working Professional\"", "points": 35},
    {"name": "occupation unknown", "when": "person.role == \"\"", "points": -15},
    {"name": "5+ minutes on site", "when": "(fields.time_on_site ?? 0) >= 300", "points": 10},
    {"name": "15+ minutes on site", "when": "(fields.time_on_site ?? 0) >= 900", "points": 30},
    {"name": "chat only", "when": "source.channel == \"olark_chat\"", "points": -10},
    {"name": "do not email", "when": "fields.do_not_email == true", "points": -20}
  ]
}`
)

// leftOut names the X Education columns the example does not score
// with, and why.
var leftOut = []string{
	"Tags, Lead Quality, Lead Profile: filled in by sales after contact; they leak the outcome",
	"Asymmetrique Activity/Profile Index and Score: assigned after contact; they leak the outcome",
	"Last Activity, Last Notable Activity: recorded up to the export, after the outcome was decided",
}

// config is the command line.
type config struct {
	file     string // X Education Leads.csv
	bank     string // UCI bank-additional-full.csv; read instead of file when set
	asJSON   bool
	scores   string  // CSV of every lead's scores, when set
	learned  string  // the learned model's JSON file, when set
	model    string  // a user's model (JSON), when set
	capacity int64   // qualified leads sales can take per week
	weeks    float64 // the weeks the leads arrived over; 0: the data set's own
	holdout  float64 // the share of leads held out; negative: none
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("backtest: ")
	var c config
	flag.StringVar(&c.file, "file", "../shared/data/x-education-leads/Leads.csv", "path to the X Education Leads.csv")
	flag.StringVar(&c.bank, "bank", "", "path to the UCI bank-additional-full.csv (read instead of -file)")
	flag.BoolVar(&c.asJSON, "json", false, "print one JSON document")
	flag.StringVar(&c.scores, "scores", "", "write every lead's score under every model to this CSV file")
	flag.StringVar(&c.model, "model", "", "evaluate this model (a JSON file) too")
	flag.StringVar(&c.learned, "learned", "", "write the learned model to this JSON file (edit it, and load it back with -model)")
	flag.Int64Var(&c.capacity, "capacity", 50, "qualified leads sales can take per week")
	flag.Float64Var(&c.weeks, "weeks", 0, "the weeks the data's leads arrived over; 0 means 52 for X Education (assumed: the file has no dates), 130 for the bank calls (May 2008 to November 2010)")
	flag.Float64Var(&c.holdout, "holdout", 0.3, "the share of leads held out to evaluate every model on; negative: none (every model is evaluated on every lead, and the learned one on its own training leads)")
	flag.Parse()
	if err := run(c, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// data is a data set mapped onto leads, with the hand-written models and
// the learning options that suit it.
type data struct {
	name     string
	rows     int
	skipped  []skip
	outcomes []scoring.Outcome
	models   []string // the hand-written models, as JSON
	learn    scoring.LearnOptions
	leftOut  []string
	weeks    float64 // the weeks the leads arrived over
}

func run(c config, w io.Writer) error {
	var d data
	var err error
	if c.bank != "" {
		d, err = loadBank(c.bank)
	} else {
		d, err = loadLeads(c.file)
	}
	if err != nil {
		return err
	}
	if c.model != "" {
		b, err := os.ReadFile(c.model)
		if err != nil {
			return err
		}
		d.models = append(d.models, string(b))
	}
	doc, scored, err := backtest(d, c)
	if err != nil {
		return err
	}
	if c.scores != "" {
		if err := writeScores(c.scores, scored); err != nil {
			return err
		}
	}
	if c.learned != "" && doc.Learned != nil {
		m := scoring.Model{Name: "learned", Version: doc.Learned.Version, Rules: doc.Learned.Rules}
		b, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(c.learned, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	if c.asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	}
	return printText(w, doc)
}

// loadLeads reads Leads.csv and maps each row onto a lead.Lead, with its
// outcome.
func loadLeads(path string) (data, error) {
	f, err := os.Open(path)
	if err != nil {
		return data{}, fmt.Errorf("%w (the data set is not shipped with leadkit; see the doc comment of examples/backtest)", err)
	}
	defer f.Close()
	rows, skipped, err := readLeads(f, path)
	if err != nil {
		return data{}, err
	}
	d := data{name: "X Education leads", rows: len(rows) + len(skipped), skipped: skipped,
		models: []string{beforeModel, sharedModel}, leftOut: leftOut, weeks: 52}
	for _, r := range rows {
		l := &lead.Lead{
			ID:        r.id,
			CreatedAt: decided.AddDate(0, 0, -30),
			Person:    lead.Person{Role: r.occupation},
			Company:   lead.Company{Country: r.country, City: r.city},
			Source:    lead.Source{Channel: lead.Channel(channel(r.source))},
			Fields: map[string]any{
				"lead_origin":    r.origin,
				"do_not_email":   r.doNotEmail,
				"free_copy":      r.freeCopy,
				"specialization": r.specialization,
				"what_matters":   r.whatMatters,
			},
		}
		// A missing number leaves the field out: the rules' ?? decides
		// what it means.
		if r.visits != nil {
			l.Fields["total_visits"] = *r.visits
		}
		if r.timeOnSite != nil {
			l.Fields["time_on_site"] = *r.timeOnSite
		}
		if r.pageViews != nil {
			l.Fields["page_views_per_visit"] = *r.pageViews
		}
		d.outcomes = append(d.outcomes, scoring.Outcome{Lead: l, DecidedAt: decided, Converted: r.converted})
	}
	// The learner's features: both hand-written models' rules, the
	// categories, and the numbers cut at their deciles.
	for _, src := range d.models {
		m, err := scoring.ParseModel([]byte(src))
		if err != nil {
			return data{}, err
		}
		d.learn.Rules = append(d.learn.Rules, m.Rules...)
	}
	for _, k := range []lead.Key{"fields.lead_origin", "source.channel", "person.role", "fields.specialization",
		"fields.what_matters", "company.city", "company.country"} {
		d.learn.Categories = append(d.learn.Categories, scoring.CategoryFeature{Key: k})
	}
	for _, k := range []lead.Key{"fields.total_visits", "fields.time_on_site", "fields.page_views_per_visit"} {
		d.learn.Numbers = append(d.learn.Numbers, scoring.NumberFeature{Key: k, Bins: 10})
	}
	return d, nil
}

// document is the -json output.
type document struct {
	Data      string   `json:"data"`
	Rows      int      `json:"rows"`
	Skipped   []skip   `json:"skipped"`
	Leads     int      `json:"leads"`
	Converted int      `json:"converted"`
	LeftOut   []string `json:"left_out"`
	AsOf      string   `json:"as_of"`
	// Holdout counts the leads every model is evaluated on.
	Holdout        int             `json:"holdout"`
	Models         []modelResult   `json:"models"`
	Learned        *learnedResult  `json:"learned"`
	Comparison     *comparison     `json:"comparison"`
	Recommendation *recommendation `json:"recommendation"`
	// Notes say what could not be done, and why.
	Notes []string `json:"notes,omitempty"`
}

type modelResult struct {
	Name        string                   `json:"name"`
	Fingerprint string                   `json:"fingerprint"`
	AUC         kpi.Ratio                `json:"auc"`
	AUCSE       *float64                 `json:"auc_se"`
	Leads       int64                    `json:"leads"`
	Converted   int64                    `json:"converted"`
	Deciles     []scoring.Decile         `json:"deciles"`
	Thresholds  []scoring.ThresholdRow   `json:"thresholds"`
	Calibration []scoring.CalibrationRow `json:"calibration,omitempty"`
}

type learnedResult struct {
	Version            string            `json:"version"`
	AUCTrain           kpi.Ratio         `json:"auc_train"`
	AUCHoldout         kpi.Ratio         `json:"auc_holdout"`
	Rules              []scoring.Rule    `json:"rules"` // the learned model's rules; -learned FILE writes the whole model
	PointsToDoubleOdds float64           `json:"points_to_double_odds"`
	Train              int               `json:"train"`
	Holdout            int               `json:"holdout"`
	Lambda             float64           `json:"lambda"`
	CV                 []scoring.CVScore `json:"cv"`
	Iterations         int               `json:"iterations"`
}

type comparison struct {
	Champion   string               `json:"champion"`
	Challenger string               `json:"challenger"`
	AUC        [2]kpi.Ratio         `json:"auc"`
	Difference *float64             `json:"difference"`
	StdErr     *float64             `json:"std_err"`
	Low        *float64             `json:"low"`
	High       *float64             `json:"high"`
	PValue     *float64             `json:"p_value"`
	Verdict    scoring.Verdict      `json:"verdict"`
	Bands      []scoring.Transition `json:"bands"`
	Changed    int64                `json:"changed"`
	Changes    []scoring.Change     `json:"changes"`
}

type recommendation struct {
	Model           string  `json:"model"`
	CapacityPerWeek int64   `json:"capacity_per_week"`
	Weeks           float64 `json:"weeks"`
	scoring.Recommendation
}

// scoredLead is one row of the -scores file.
type scoredLead struct {
	id, model string
	score     float64
	converted bool
}

// maxChanges is how many changed leads the comparison lists.
const maxChanges = 10

// backtest evaluates, learns, compares and recommends on d.
func backtest(d data, c config) (document, []scoredLead, error) {
	doc := document{Data: d.name, Rows: d.rows, Skipped: d.skipped, Leads: len(d.outcomes), LeftOut: d.leftOut,
		AsOf: decided.Format(time.RFC3339)}
	if doc.Skipped == nil {
		doc.Skipped = []skip{} // [] rather than null
	}
	for _, o := range d.outcomes {
		if o.Converted {
			doc.Converted++
		}
	}

	// 1. The split: the same hash Learn uses.
	d.learn.Name, d.learn.Seed, d.learn.Holdout = "learned", "backtest", c.holdout
	d.learn.Version = fmt.Sprintf("logistic regression on a %g%% training split", 100*(1-max(0, c.holdout)))
	holdout := d.outcomes
	if c.holdout >= 0 {
		holdout = nil
		for _, o := range d.outcomes {
			if d.learn.InHoldout(o.Lead.ID) {
				holdout = append(holdout, o)
			}
		}
	}
	doc.Holdout = len(holdout)

	// 2. Learn.
	type candidate struct {
		name   string
		scorer *scoring.Scorer
		scale  *scoring.OddsScale
	}
	var models []candidate
	for _, src := range d.models {
		m, err := scoring.ParseModel([]byte(src))
		if err != nil {
			return document{}, nil, err
		}
		s, err := scoring.Compile(m)
		if err != nil {
			return document{}, nil, err
		}
		models = append(models, candidate{name: m.Name, scorer: s})
	}
	hand := len(models)
	learned, err := scoring.Learn(d.outcomes, d.learn)
	if err != nil {
		doc.Notes = append(doc.Notes, "no model learned: "+err.Error())
	} else {
		s, err := scoring.Compile(learned.Model)
		if err != nil {
			return document{}, nil, err
		}
		models = append(models, candidate{name: learned.Model.Name, scorer: s, scale: &learned.Scale})
		doc.Learned = &learnedResult{
			Version: learned.Model.Version, AUCTrain: learned.TrainAUC, AUCHoldout: learned.HoldoutAUC, Rules: learned.Model.Rules,
			PointsToDoubleOdds: learned.Scale.PointsToDoubleOdds, Train: learned.Train, Holdout: learned.Holdout,
			Lambda: learned.Lambda, CV: learned.CV, Iterations: learned.Iterations,
		}
	}

	// 3. Evaluate every model on the holdout, as of the decision
	// instant.
	evals := make([]*scoring.Evaluation, len(models))
	for i, m := range models {
		ev, err := m.scorer.NewEvaluation(decided, scoring.EvalOptions{})
		if err != nil {
			return document{}, nil, err
		}
		for _, o := range holdout {
			if err := ev.Add(o); err != nil {
				return document{}, nil, fmt.Errorf("model %s, lead %s: %w", m.name, o.Lead.ID, err)
			}
		}
		rep, err := ev.Report()
		if err != nil {
			return document{}, nil, err
		}
		dg, err := ev.Diagnostics(m.scale)
		if err != nil {
			return document{}, nil, err
		}
		evals[i] = ev
		doc.Models = append(doc.Models, modelResult{Name: m.name, Fingerprint: rep.Fingerprint, AUC: rep.AUC,
			AUCSE: dg.AUCStdErr, Leads: rep.Leads, Converted: rep.Converted, Deciles: dg.Deciles,
			Thresholds: rep.Thresholds, Calibration: dg.Calibration})
	}

	// 4. Champion (the best hand-written model on the holdout) against
	// the learned challenger.
	if doc.Learned != nil && hand > 0 {
		best := 0
		for i := range hand {
			a, _ := ratioOf(evals[i])
			b, _ := ratioOf(evals[best])
			if a > b {
				best = i
			}
		}
		ch, cl := models[best], models[len(models)-1]
		cmpRes, err := scoring.Compare(ch.scorer, cl.scorer, holdout, scoring.CompareOptions{
			Champion:   scoring.EvalOptions{Thresholds: []float64{40}},
			Challenger: scoring.EvalOptions{Thresholds: []float64{0}},
			MaxChanges: maxChanges,
		})
		if err != nil {
			return document{}, nil, err
		}
		doc.Comparison = &comparison{Champion: ch.name, Challenger: cl.name,
			AUC:        [2]kpi.Ratio{cmpRes.Champion.Report.AUC, cmpRes.Challenger.Report.AUC},
			Difference: cmpRes.Difference, StdErr: cmpRes.StdErr, Low: cmpRes.Low, High: cmpRes.High, PValue: cmpRes.PValue,
			Verdict: cmpRes.Verdict, Bands: cmpRes.Bands, Changed: cmpRes.Changed, Changes: cmpRes.Changes}

		// 5. The learned model's threshold for the weekly capacity.
		// The holdout is a sample of the leads that arrived over the
		// weeks: its share of them arrived over the same weeks, so its
		// rate is the holdout's size over the weeks scaled by the share.
		weeks := cmp.Or(c.weeks, d.weeks)
		if c.capacity > 0 && weeks > 0 && len(holdout) > 0 {
			over := time.Duration(weeks * float64(len(holdout)) / float64(len(d.outcomes)) * float64(7*24*time.Hour))
			goal := scoring.Goal{Capacity: c.capacity, Per: leadkit.Duration(7 * 24 * time.Hour), Over: leadkit.Duration(over)}
			r, err := evals[len(evals)-1].Recommend(goal)
			if err != nil {
				return document{}, nil, err
			}
			doc.Recommendation = &recommendation{Model: cl.name, CapacityPerWeek: c.capacity, Weeks: weeks, Recommendation: r}
		}
	}

	// Every lead's score under every model, for -scores.
	var scored []scoredLead
	if c.scores != "" {
		var r scoring.Result
		for _, m := range models {
			for _, o := range d.outcomes {
				if err := m.scorer.ScoreInto(&r, o.Lead, o.DecidedAt); err != nil {
					return document{}, nil, err
				}
				scored = append(scored, scoredLead{o.Lead.ID, m.name, r.Total, o.Converted})
			}
		}
	}
	return doc, scored, nil
}

// ratioOf returns an evaluation's AUC as a float64; false when undefined.
func ratioOf(ev *scoring.Evaluation) (float64, bool) {
	rep, err := ev.Report()
	if err != nil {
		return 0, false
	}
	return rep.AUC.Float64()
}

// writeScores writes the -scores CSV file.
func writeScores(path string, rows []scoredLead) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(f)
	cw.Write([]string{"id", "model", "score", "converted"})
	for _, r := range rows {
		conv := "0"
		if r.converted {
			conv = "1"
		}
		cw.Write([]string{r.id, r.model, strconv.FormatFloat(r.score, 'f', -1, 64), conv})
	}
	cw.Flush()
	return errors.Join(cw.Error(), f.Close())
}

// printText prints the document for people.
func printText(w io.Writer, doc document) error {
	fmt.Fprintf(w, "%s: read %d rows: %d leads with a known outcome (%d converted), %d rows skipped\n",
		doc.Data, doc.Rows, doc.Leads, doc.Converted, len(doc.Skipped))
	for i, s := range doc.Skipped {
		if i == maxShown {
			fmt.Fprintf(w, "  ... and %d more (-json lists them all)\n", len(doc.Skipped)-maxShown)
			break
		}
		fmt.Fprintf(w, "  skipped %s: %s\n", s.At, s.Reason)
	}
	for _, l := range doc.LeftOut {
		fmt.Fprintf(w, "left out: %s\n", l)
	}
	fmt.Fprintf(w, "every lead scored and evaluated as of %s (the data set has no dates)\n", doc.AsOf[:10])
	if doc.Holdout == doc.Leads {
		fmt.Fprintf(w, "no holdout: every model evaluated on all %d leads (the learned one on its own training leads)\n", doc.Leads)
	} else {
		fmt.Fprintf(w, "every model evaluated on the same %d-lead holdout (by a hash of the lead id)\n", doc.Holdout)
	}
	for _, n := range doc.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	for _, m := range doc.Models {
		se := "n/a"
		if m.AUCSE != nil {
			se = fmt.Sprintf("%.4f", *m.AUCSE)
		}
		fmt.Fprintf(w, "\nmodel %s: %d of %d converted, AUC %s ± %s (DeLong SE)\n", m.Name, m.Converted, m.Leads, m.AUC, se)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  decile\tscores\tleads\tconverted\tlift")
		for _, dc := range m.Deciles {
			scores := "-"
			if dc.MinScore != nil {
				scores = fmt.Sprintf("%g..%g", *dc.MinScore, *dc.MaxScore)
			}
			fmt.Fprintf(tw, "  %d\t%s\t%d\t%d\t%s\n", dc.Decile, scores, dc.Leads, dc.Converted, dc.Lift)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if l := doc.Learned; l != nil {
		fmt.Fprintf(w, "\nlearned: %d rules, %g points double the odds, λ %g (of %d by 5-fold cross-validation), %d Newton steps\n",
			len(l.Rules), l.PointsToDoubleOdds, l.Lambda, len(l.CV), l.Iterations)
		fmt.Fprintf(w, "  AUC %s on the %d training leads, %s on the %d holdout leads\n", l.AUCTrain, l.Train, l.AUCHoldout, l.Holdout)
		rules := slices.Clone(l.Rules)
		slices.SortStableFunc(rules, func(a, b scoring.Rule) int { return cmp.Compare(math.Abs(b.Points), math.Abs(a.Points)) })
		for i, r := range rules {
			if i == 8 {
				fmt.Fprintf(w, "  ... and %d more rules (-json lists them, -learned FILE writes the model)\n", len(rules)-8)
				break
			}
			fmt.Fprintf(w, "  %+8.2f  %s\n", r.Points, r.Name)
		}
	}
	if c := doc.Comparison; c != nil {
		fmt.Fprintf(w, "\nchampion %s (AUC %s) vs challenger %s (AUC %s): ", c.Champion, c.AUC[0], c.Challenger, c.AUC[1])
		if c.Difference != nil {
			fmt.Fprintf(w, "difference %+.4f, 95%% CI [%+.4f, %+.4f]: %s\n", *c.Difference, *c.Low, *c.High, c.Verdict)
		} else {
			fmt.Fprintf(w, "%s\n", c.Verdict)
		}
		fmt.Fprintf(w, "  %d leads change band (champion 40+, challenger 0+ = even odds or better)\n", c.Changed)
	}
	if r := doc.Recommendation; r != nil {
		if r.Met {
			fmt.Fprintf(w, "\nfor %d leads a week (the data's leads taken to arrive over %g weeks): qualify %s scores of %g and up: %s a week, precision %s, recall %s\n",
				r.CapacityPerWeek, r.Weeks, r.Model, *r.Threshold, r.PerPeriod, r.Precision, r.Recall)
		} else {
			fmt.Fprintf(w, "\nfor %d leads a week: no threshold: %s\n", r.CapacityPerWeek, r.Reason)
		}
	}
	return nil
}

// maxShown is how many skipped rows the text output lists.
const maxShown = 20

// decided is when every lead is scored, and the as-of time of the
// evaluations: the data sets have no dates, so all leads are scored as
// of one instant after their (unknown) creation.
var decided = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// leadRow is one checked row of Leads.csv: the columns this example uses,
// as Go values. "Select", the web form's unfilled default, is read as
// empty.
type leadRow struct {
	id             string // Prospect ID, never empty
	origin         string // Lead Origin
	source         string // Lead Source
	occupation     string // What is your current occupation
	country, city  string
	specialization string   // Specialization, when the file has the column
	whatMatters    string   // What matters most to you in choosing a course, when the file has it
	doNotEmail     bool     // Do Not Email: Yes, or No or empty
	freeCopy       bool     // A free copy of Mastering The Interview: Yes, or No or empty
	converted      bool     // Converted: 1 or 0
	visits         *float64 // TotalVisits; nil when empty
	timeOnSite     *float64 // Total Time Spent on Website, in seconds; nil when empty
	pageViews      *float64 // Page Views Per Visit; nil when empty
}

// skip is a row left out: where it is (file:line:column of the bad value)
// and why.
type skip struct {
	At     string `json:"at"`
	Reason string `json:"reason"`
}

// plainNumber is the only form of number the file uses: digits with an
// optional decimal part (after trimming spaces). It refuses "6,5",
// "1e400", "NaN", "Inf", "-3" and "0x1p4", which strconv.ParseFloat would
// partly accept.
var plainNumber = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// readLeads reads Leads.csv from r; name is the file's name for messages.
// It returns the rows it kept and the rows it skipped, one entry per data
// row between them, or an error, naming the file, line and column, when
// the file's structure is broken.
func readLeads(r io.Reader, name string) (rows []leadRow, skipped []skip, err error) {
	// A byte order mark is not part of the first column's name.
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		br.Discard(3)
	}
	// encoding/csv reads CRLF line endings as LF.
	cr := csv.NewReader(br)
	// csvError names the file, line and column of a broken record.
	csvError := func(err error) error {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("%s:%d:%d: %w", name, pe.Line, pe.Column, pe.Err)
		}
		return fmt.Errorf("%s: %w", name, err)
	}

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("%s: empty file: is this the X Education Leads.csv?", name)
	}
	if err != nil {
		return nil, nil, csvError(err)
	}
	headerLine, _ := cr.FieldPos(0) // csv skips blank lines before it
	col := map[string]int{}
	for i, h := range header {
		if j, dup := col[h]; dup {
			l, c := cr.FieldPos(i)
			return nil, nil, fmt.Errorf("%s:%d:%d: column %q appears twice (columns %d and %d)", name, l, c, h, j+1, i+1)
		}
		col[h] = i
	}
	var missing []error
	for _, need := range []string{"Prospect ID", "Lead Origin", "Lead Source", "Do Not Email", "Converted",
		"TotalVisits", "Total Time Spent on Website", "Page Views Per Visit", "What is your current occupation",
		"A free copy of Mastering The Interview", "Country", "City"} {
		if _, ok := col[need]; !ok {
			missing = append(missing, fmt.Errorf("%s:%d: no column %q: is this the X Education Leads.csv?", name, headerLine, need))
		}
	}
	if err := errors.Join(missing...); err != nil {
		return nil, nil, err
	}

	firstLine := map[string]int{} // Prospect ID -> line of its first row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, skipped, nil
		}
		if errors.Is(err, csv.ErrFieldCount) && len(rec) < len(header) {
			line, _ := cr.FieldPos(0)
			return nil, nil, fmt.Errorf("%s:%d: the row has %d fields, the header %d: no value for column %d %q",
				name, line, len(rec), len(header), len(rec)+1, header[len(rec)])
		}
		if errors.Is(err, csv.ErrFieldCount) {
			line, c := cr.FieldPos(len(header))
			return nil, nil, fmt.Errorf("%s:%d:%d: the row has %d fields, the header %d: column %d has no name",
				name, line, c, len(rec), len(header), len(header)+1)
		}
		if err != nil {
			return nil, nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		// at returns where the named column's value is: file:line:column.
		at := func(column string) string {
			l, c := cr.FieldPos(col[column])
			return fmt.Sprintf("%s:%d:%d", name, l, c)
		}
		get := func(column string) string {
			v := strings.TrimSpace(rec[col[column]])
			if v == "Select" {
				return ""
			}
			return v
		}
		// number returns the named column as a number, nil when empty,
		// or a skip when it is not a plain non-negative number.
		number := func(column string) (*float64, *skip) {
			v := get(column)
			if v == "" {
				return nil, nil
			}
			f, err := strconv.ParseFloat(v, 64)
			if !plainNumber.MatchString(v) || err != nil || math.IsInf(f, 0) {
				return nil, &skip{at(column), fmt.Sprintf("%s %q is not a number", column, v)}
			}
			return &f, nil
		}
		// yesNo returns whether the named column says Yes; empty is No.
		yesNo := func(column string) (bool, *skip) {
			switch v := get(column); v {
			case "Yes":
				return true, nil
			case "No", "":
				return false, nil
			default:
				return false, &skip{at(column), fmt.Sprintf("%s %q is neither Yes nor No", column, v)}
			}
		}

		row := leadRow{
			id:         get("Prospect ID"),
			origin:     get("Lead Origin"),
			source:     get("Lead Source"),
			occupation: get("What is your current occupation"),
			country:    get("Country"),
			city:       get("City"),
		}
		if _, ok := col["Specialization"]; ok {
			row.specialization = get("Specialization")
		}
		if _, ok := col["What matters most to you in choosing a course"]; ok {
			row.whatMatters = get("What matters most to you in choosing a course")
		}
		if row.id == "" {
			skipped = append(skipped, skip{at("Prospect ID"), "Prospect ID is empty"})
			continue
		}
		if first, dup := firstLine[row.id]; dup {
			skipped = append(skipped, skip{at("Prospect ID"), fmt.Sprintf("Prospect ID %q is also on line %d; the first is kept", row.id, first)})
			continue
		}
		firstLine[row.id] = line
		switch v := get("Converted"); v {
		case "1":
			row.converted = true
		case "0":
		case "":
			skipped = append(skipped, skip{at("Converted"), "Converted is empty: no outcome to learn from"})
			continue
		default:
			skipped = append(skipped, skip{at("Converted"), fmt.Sprintf("Converted %q is neither 0 nor 1", v)})
			continue
		}
		var bad *skip
		if row.doNotEmail, bad = yesNo("Do Not Email"); bad != nil {
			skipped = append(skipped, *bad)
			continue
		}
		if row.freeCopy, bad = yesNo("A free copy of Mastering The Interview"); bad != nil {
			skipped = append(skipped, *bad)
			continue
		}
		if row.visits, bad = number("TotalVisits"); bad != nil {
			skipped = append(skipped, *bad)
			continue
		}
		if row.timeOnSite, bad = number("Total Time Spent on Website"); bad != nil {
			skipped = append(skipped, *bad)
			continue
		}
		if row.pageViews, bad = number("Page Views Per Visit"); bad != nil {
			skipped = append(skipped, *bad)
			continue
		}
		rows = append(rows, row)
	}
}

// channel normalises a lead source: "Direct Traffic" -> "direct_traffic";
// "google" and "Google" are the same source.
func channel(source string) string {
	return strings.ReplaceAll(strings.ToLower(source), " ", "_")
}
