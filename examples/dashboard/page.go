package main

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/examples/alignment"
	"github.com/leadkit/leadkit/kpi"
)

// pageView is what the template draws.
type pageView struct {
	R        *alignment.Report
	AsOf     string
	Period   string
	Channel  string
	Periods  []option
	Channels []option
	Tiles    []tile
	Trend    lineChart
	Funnel   barChart
	Conv     barChart
	Cost     barChart
	Owners   barChart
	Scores   barChart
	Traffic  barChart
	Gaps     [][5]string // page, visits, leads, traffic→lead, bounce rate
	Rows     []channelRow
	OwnerRow []ownerRow
}

type option struct {
	Value, Label string
	Selected     bool
}

// tile is one headline figure.
type tile struct {
	Key, Label, Value, Previous, Change, Target string
	// Trend is "up", "down" or "flat"; Good says whether that is good.
	Trend string
	Good  bool
}

type channelRow struct {
	Channel, Leads, MQLs, Won, Spend, CPL, CAC, LeadToMQL, LeadToCustomer string
}

type ownerRow struct {
	Owner, Met, Late, Pending, AtRisk, Kept, Median string
}

// Chart geometry, in SVG user units.
const (
	chartW     = 640.0
	lineH      = 200.0
	barLabelW  = 150.0
	barMaxW    = 380.0
	barStep    = 26
	plotLeft   = 40.0
	plotBottom = 24.0
)

// barChart is a horizontal bar chart.
type barChart struct {
	ID, Title, Desc string
	Bars            []bar
	Height          int
}

type bar struct {
	Label, Text string
	Width       float64
	Y           int
}

func bars(id, title, desc string, labels, texts []string, values []float64) barChart {
	top := 0.0
	for _, v := range values {
		top = max(top, v)
	}
	c := barChart{ID: id, Title: title, Desc: desc, Height: len(values)*barStep + 4}
	for i, v := range values {
		w := 0.0
		if top > 0 {
			w = v / top * barMaxW
		}
		c.Bars = append(c.Bars, bar{Label: labels[i], Text: texts[i], Width: w, Y: i * barStep})
	}
	return c
}

// lineChart is the weekly trend chart: one polyline per series and a
// dashed target line.
type lineChart struct {
	ID, Title, Desc string
	Series          []series
	TargetY         float64
	HasTarget       bool
	TargetText      string
	XLabels         []axisLabel
	YLabels         []axisLabel
	Weeks           []alignment.TrendPoint
}

type series struct {
	Name, Class, Points string
	LegendY             int
}

type axisLabel struct {
	X, Y float64
	Text string
}

func trendChart(t alignment.Trends) lineChart {
	c := lineChart{ID: "trend", Title: "Weekly leads, MQLs, SQLs and won, last 13 weeks",
		Desc: "Line chart; the same numbers are in the table below it.", Weeks: t.Points}
	target, hasTarget := t.MQLTarget.Float64()
	top := 1.0
	if hasTarget {
		top = target
	}
	for _, p := range t.Points {
		top = max(top, float64(max(p.Leads, p.MQLs, p.SQLs, p.Won)))
	}
	plotW, plotH := chartW-plotLeft-110, lineH-plotBottom-10
	x := func(i int) float64 { return plotLeft + float64(i)*plotW/float64(max(len(t.Points)-1, 1)) }
	y := func(v float64) float64 { return 10 + plotH - v/top*plotH }
	for k, s := range []struct {
		name, class string
		get         func(alignment.TrendPoint) int64
	}{
		{"leads", "s-leads", func(p alignment.TrendPoint) int64 { return p.Leads }},
		{"MQLs", "s-mqls", func(p alignment.TrendPoint) int64 { return p.MQLs }},
		{"SQLs", "s-sqls", func(p alignment.TrendPoint) int64 { return p.SQLs }},
		{"won", "s-won", func(p alignment.TrendPoint) int64 { return p.Won }},
	} {
		var pts []string
		for i, p := range t.Points {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(float64(s.get(p)))))
		}
		c.Series = append(c.Series, series{Name: s.name, Class: s.class, Points: strings.Join(pts, " "), LegendY: 20 + 18*k})
	}
	if hasTarget {
		c.HasTarget, c.TargetY = true, y(target)
		c.TargetText = fmt.Sprintf("MQL target %.1f a week", target)
	}
	for i, p := range t.Points {
		if i%3 == 0 || i == len(t.Points)-1 {
			c.XLabels = append(c.XLabels, axisLabel{X: x(i), Y: lineH - 6, Text: p.Week})
		}
	}
	for _, v := range []float64{0, top / 2, top} {
		c.YLabels = append(c.YLabels, axisLabel{X: plotLeft - 6, Y: y(v) + 4, Text: fmt.Sprintf("%.0f", v)})
	}
	return c
}

func view(r *alignment.Report, opt alignment.Options, channels []string) pageView {
	v := pageView{R: r, AsOf: r.AsOf.Format(time.DateOnly), Period: string(opt.Period), Channel: opt.Channel}
	for _, p := range []leadkit.Period{leadkit.Week, leadkit.Month, leadkit.Quarter} {
		v.Periods = append(v.Periods, option{string(p), string(p), p == opt.Period})
	}
	v.Channels = append(v.Channels, option{"", "all channels", opt.Channel == ""})
	for _, c := range channels {
		v.Channels = append(v.Channels, option{c, c, c == opt.Channel})
	}
	for _, m := range r.Headline {
		t := tile{Key: m.Key, Label: m.Label, Value: value(m.Unit, m.Current), Previous: value(m.Unit, m.Previous),
			Change: "no change to compare", Trend: "flat", Good: true}
		if ch, err := m.Change.Percent(1); err == nil {
			switch {
			case ch.IsPositive():
				t.Trend, t.Good, t.Change = "up", m.HigherIsBetter, "+"+ch.StringFixed(1)+"%"
			case ch.IsNegative():
				t.Trend, t.Good, t.Change = "down", !m.HigherIsBetter, ch.StringFixed(1)+"%"
			default:
				t.Change = "±0.0%"
			}
		}
		if m.Target != nil {
			t.Target = value(m.Unit, *m.Target)
		}
		v.Tiles = append(v.Tiles, t)
	}
	v.Trend = trendChart(r.Trends)

	var labels, texts []string
	var values []float64
	for _, st := range r.Funnel.Report.Overall.Stages {
		labels = append(labels, string(st.Stage))
		texts = append(texts, fmt.Sprintf("%d (%s of top)", st.Reached, pct(st.FromTop)))
		values = append(values, float64(st.Reached))
	}
	v.Funnel = bars("funnel", "Leads reaching each stage", "Bar chart of the leads that reached each funnel stage, every cohort.", labels, texts, values)

	labels, texts, values = nil, nil, nil
	for _, c := range r.Channels {
		f, _ := c.LeadToCustomer.Float64()
		labels = append(labels, c.Channel)
		texts = append(texts, pct(c.LeadToCustomer))
		values = append(values, f)
		v.Rows = append(v.Rows, channelRow{c.Channel, fmt.Sprint(c.Leads), fmt.Sprint(c.MQLs), fmt.Sprint(c.Won),
			c.Spend.StringFixed(0), fixed(c.CostPerLead, 2), fixed(c.CAC, 0), pct(c.LeadToMQL), pct(c.LeadToCustomer)})
	}
	var costLabels, costTexts []string
	var costs []float64
	for _, c := range r.Channels {
		if f, ok := c.CostPerLead.Float64(); ok {
			costLabels, costTexts, costs = append(costLabels, c.Channel), append(costTexts, fixed(c.CostPerLead, 2)), append(costs, f)
		}
	}
	v.Cost = bars("cost", "Cost per lead by channel, "+r.Period.Label, "Bar chart of each channel's spend per lead in the period; channels without leads are left out.", costLabels, costTexts, costs)
	v.Conv = bars("conv", "Lead to customer by channel", "Bar chart of each channel's lead-to-customer rate over every cohort.", labels, texts, values)

	labels, texts, values = nil, nil, nil
	for _, w := range r.Web.Periods {
		labels = append(labels, w.Period)
		texts = append(texts, fmt.Sprintf("%d visits: organic %s, paid %s, bounced %s", w.Visits, pct(w.OrganicShare), pct(w.PaidShare), pct(w.BounceRate)))
		values = append(values, float64(w.Visits))
	}
	v.Traffic = bars("traffic", "Website visits per period", "Bar chart of the visits in each period, with the organic and paid shares and the bounce rate.", labels, texts, values)
	for _, g := range r.Web.Gaps {
		v.Gaps = append(v.Gaps, [5]string{g.Page, fmt.Sprint(g.Visits), fmt.Sprint(g.Leads), pct(g.TrafficToLead), pct(g.BounceRate)})
	}

	labels, texts, values = nil, nil, nil
	if ps := r.SLA.Report.Policies; len(ps) > 0 {
		for _, o := range ps[0].Owners {
			f, _ := o.Compliance.Float64()
			labels = append(labels, orNone(o.Owner))
			texts = append(texts, fmt.Sprintf("%s (%d of %d)", pct(o.Compliance), o.Met, o.Met+o.Breached))
			values = append(values, f)
			v.OwnerRow = append(v.OwnerRow, ownerRow{orNone(o.Owner), fmt.Sprint(o.Met), fmt.Sprint(o.Breached),
				fmt.Sprint(o.Pending), fmt.Sprint(o.AtRisk), pct(o.Compliance), business(o.Time.Median)})
		}
		v.Owners = bars("owners", ps[0].Name+": compliance by owner", "Bar chart of the share of each owner's leads that got the promise in time.", labels, texts, values)
	}

	labels, texts, values = nil, nil, nil
	for _, c := range r.Scoring.Distribution {
		labels = append(labels, c.Key+" points")
		texts = append(texts, fmt.Sprint(c.Count))
		values = append(values, float64(c.Count))
	}
	v.Scores = bars("scores", "Score distribution", "Bar chart of the leads per 10-point band of total score.", labels, texts, values)
	return v
}

func pct(r kpi.Ratio) string {
	p, err := r.Percent(1)
	if err != nil {
		return "n/a"
	}
	return p.StringFixed(1) + "%"
}

func fixed(r kpi.Ratio, places int32) string {
	v, err := r.Value(places)
	if err != nil {
		return "n/a"
	}
	return v.StringFixed(places)
}

func value(unit string, r kpi.Ratio) string {
	switch unit {
	case alignment.UnitCount:
		return fixed(r, 0)
	case alignment.UnitMoney:
		return fixed(r, 2)
	case alignment.UnitRate:
		return pct(r)
	case alignment.UnitDays:
		if v, err := r.Value(1); err == nil {
			return v.StringFixed(1) + " days"
		}
	case alignment.UnitHours:
		if v, err := r.Value(1); err == nil {
			return v.StringFixed(1) + " h"
		}
	}
	return "n/a"
}

// business prints a business-clock duration: "1.5 business h", "3.2
// business days" (of 8 business hours).
func business(d *leadkit.Duration) string {
	if d == nil {
		return "n/a"
	}
	if d.Std() < 8*time.Hour {
		return fmt.Sprintf("%.1f business h", d.Std().Hours())
	}
	return fmt.Sprintf("%.1f business days", d.Std().Hours()/8)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"f1":       func(v float64) string { return fmt.Sprintf("%.1f", v) },
	"business": func(d leadkit.Duration) string { return business(&d) },
	"date":     func(t time.Time) string { return t.Format("2006-01-02 15:04") },
}).Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{{.R.Agreement}}: {{.R.Period.Label}}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; padding: 1rem 2rem; max-width: 72rem; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #bbb; }
a { color: #0b4fa8; } :focus-visible { outline: 3px solid #0b4fa8; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .3rem; }
form.filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: end; padding: .6rem; background: #f2f4f7; border-radius: 6px; }
form.filters label { display: flex; flex-direction: column; font-weight: 600; font-size: .9rem; }
select, input, button { font: inherit; padding: .25rem .4rem; }
button { background: #0b4fa8; color: #fff; border: 0; border-radius: 4px; padding: .35rem .9rem; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(12.5rem, 1fr)); gap: .7rem; list-style: none; padding: 0; }
.tile { border: 1px solid #c8ccd2; border-radius: 6px; padding: .6rem .8rem; }
.tile .label { font-size: .85rem; color: #3d4450; } .tile .value { font-size: 1.45rem; font-weight: 650; }
.tile .change.good { color: #176b2c; } .tile .change.bad { color: #a1001c; } .tile .change.flat { color: #3d4450; }
.tile .meta { font-size: .8rem; color: #3d4450; }
table { border-collapse: collapse; margin: .5rem 0; } td, th { padding: .2rem .6rem; text-align: right; border-bottom: 1px solid #e2e4e8; }
td:first-child, th:first-child { text-align: left; } caption { text-align: left; font-weight: 600; padding: .3rem 0; }
svg text { font: 12px system-ui, sans-serif; fill: #1a1a1a; }
.bar { fill: #2f5fb3; } .axis { stroke: #777; } .grid { stroke: #e2e4e8; }
.line { fill: none; stroke-width: 2.5; } .s-leads { stroke: #2f5fb3; } .s-mqls { stroke: #b35c00; } .s-sqls { stroke: #6b3fa0; } .s-won { stroke: #176b2c; }
.target { stroke: #a1001c; stroke-dasharray: 6 4; stroke-width: 1.5; }
.note { color: #3d4450; font-size: .9rem; } .cols { display: flex; flex-wrap: wrap; gap: 2rem; align-items: start; }
</style>
</head>
<body>
<a class="skip" href="#main">Skip to the figures</a>
<header>
<h1>{{.R.Agreement}}</h1>
<p class="note">As of {{.AsOf}}: {{.R.Unit}} {{.R.Period.Label}} to date against {{.R.Previous.Label}}, {{if .Channel}}channel {{.Channel}}{{else}}all channels{{end}}; {{.R.Leads}} leads.</p>
<form class="filters" method="get" action="/" aria-label="Choose the view">
<label for="period">Period
<select id="period" name="period">{{range .Periods}}<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}</select></label>
<label for="channel">Channel
<select id="channel" name="channel">{{range .Channels}}<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}</select></label>
<label for="as_of">As of
<input id="as_of" name="as_of" type="date" value="{{.AsOf}}" required></label>
<button type="submit">Show</button>
</form>
</header>
<main id="main">
<h2 id="h-headline">Are we on track?</h2>
<ul class="tiles" aria-labelledby="h-headline">
{{range .Tiles}}<li class="tile" data-key="{{.Key}}"><div class="label">{{.Label}}</div>
<div class="value" data-value="{{.Value}}">{{.Value}}</div>
<div class="change {{if eq .Trend "flat"}}flat{{else if .Good}}good{{else}}bad{{end}}"><span aria-hidden="true">{{if eq .Trend "up"}}▲{{else if eq .Trend "down"}}▼{{else}}●{{end}}</span> {{.Change}} <span class="meta">vs {{.Previous}} in {{$.R.Previous.Label}}</span></div>
<div class="meta">{{if .Target}}target to date {{.Target}}{{else}}no target agreed{{end}}</div></li>
{{end}}</ul>
<p class="note">MQLs and SQLs are the period's new leads that reached the stage by as-of; targets are pro-rated to date.</p>

<h2 id="h-trends">Trends</h2>
{{with .Trend}}<svg id="{{.ID}}" class="chart" width="640" height="200" viewBox="0 0 640 200" role="img" aria-labelledby="{{.ID}}-title {{.ID}}-desc">
<title id="{{.ID}}-title">{{.Title}}</title><desc id="{{.ID}}-desc">{{.Desc}}</desc>
{{range .YLabels}}<text x="{{f1 .X}}" y="{{f1 .Y}}" text-anchor="end">{{.Text}}</text>{{end}}
{{range .XLabels}}<text x="{{f1 .X}}" y="{{f1 .Y}}" text-anchor="middle">{{.Text}}</text>{{end}}
{{if .HasTarget}}<line class="target" x1="40" x2="530" y1="{{f1 .TargetY}}" y2="{{f1 .TargetY}}"></line>{{end}}
{{range .Series}}<polyline class="line {{.Class}}" points="{{.Points}}"><title>{{.Name}}</title></polyline>
<line class="line {{.Class}}" x1="545" x2="565" y1="{{.LegendY}}" y2="{{.LegendY}}"></line><text x="570" y="{{.LegendY}}" dy="4">{{.Name}}</text>
{{end}}{{if .HasTarget}}<line class="target" x1="545" x2="565" y1="94" y2="94"></line><text x="570" y="98">target</text>{{end}}
</svg>
<details><summary>The trend as a table</summary>
<table><caption>{{.Title}}{{if .HasTarget}}; {{.TargetText}}{{end}}</caption>
<tr><th scope="col">week</th><th scope="col">leads</th><th scope="col">MQLs</th><th scope="col">SQLs</th><th scope="col">won</th></tr>
{{range .Weeks}}<tr><th scope="row">{{.Week}}</th><td>{{.Leads}}</td><td>{{.MQLs}}</td><td>{{.SQLs}}</td><td>{{.Won}}</td></tr>{{end}}
</table></details>{{end}}

{{define "bars"}}<svg id="{{.ID}}" class="chart" width="700" height="{{.Height}}" viewBox="0 0 700 {{.Height}}" role="img" aria-labelledby="{{.ID}}-title {{.ID}}-desc">
<title id="{{.ID}}-title">{{.Title}}</title><desc id="{{.ID}}-desc">{{.Desc}}</desc>
{{range .Bars}}<g transform="translate(0,{{.Y}})"><text x="0" y="16">{{.Label}}</text>
<rect class="bar" x="150" y="3" width="{{f1 .Width}}" height="18"><title>{{.Label}}: {{.Text}}</title></rect>
<text x="{{f1 .Width}}" dx="156" y="16">{{.Text}}</text></g>
{{end}}</svg>{{end}}

<h2 id="h-funnel">The funnel</h2>
{{template "bars" .Funnel}}

<h2 id="h-channels">Conversion and cost by channel, {{.R.Period.Label}}</h2>
{{template "bars" .Conv}}
{{template "bars" .Cost}}
<table><caption>Channels in {{.R.Period.Label}} (lead to customer: every cohort)</caption>
<tr><th scope="col">channel</th><th scope="col">leads</th><th scope="col">MQLs</th><th scope="col">won</th><th scope="col">spend</th><th scope="col">cost per lead</th><th scope="col">CAC</th><th scope="col">lead to MQL</th><th scope="col">lead to customer</th></tr>
{{range .Rows}}<tr><th scope="row">{{.Channel}}</th><td>{{.Leads}}</td><td>{{.MQLs}}</td><td>{{.Won}}</td><td>{{.Spend}}</td><td>{{.CPL}}</td><td>{{.CAC}}</td><td>{{.LeadToMQL}}</td><td>{{.LeadToCustomer}}</td></tr>
{{end}}</table>

<h2 id="h-web">The website</h2>
{{template "bars" .Traffic}}
{{if .Gaps}}<table><caption>Landing pages with at least {{.R.Web.GapMinVisits}} visits that bring the fewest leads</caption>
<tr><th scope="col">page</th><th scope="col">visits</th><th scope="col">leads</th><th scope="col">traffic to lead</th><th scope="col">bounce rate</th></tr>
{{range .Gaps}}<tr><th scope="row">{{index . 0}}</th><td>{{index . 1}}</td><td>{{index . 2}}</td><td>{{index . 3}}</td><td>{{index . 4}}</td></tr>
{{end}}</table>{{end}}

<h2 id="h-accounts">Accounts</h2>
<table><caption>The best accounts of {{.R.Accounts.Accounts}}, and their buying group</caption>
<tr><th scope="col">account</th><th scope="col">grade</th><th scope="col">fit</th><th scope="col">engagement</th><th scope="col">leads</th><th scope="col">stage</th><th scope="col">not engaged</th></tr>
{{range .R.Accounts.Top}}<tr><th scope="row">{{.Name}}</th><td>{{.Grade}}</td><td>{{printf "%.0f" .Fit}}</td><td>{{printf "%.1f" .Engagement}}</td><td>{{.Leads}}</td><td>{{.Stage}}</td><td>{{range $i, $g := .Gaps}}{{if $i}}; {{end}}{{$g}}{{end}}</td></tr>
{{end}}</table>
<table><caption>Buying-group personas not engaged, over every account</caption>
<tr><th scope="col">persona</th><th scope="col">accounts without a lead</th><th scope="col">accounts with leads, none engaged</th></tr>
{{range .R.Accounts.Gaps}}<tr><th scope="row">{{.Persona}}</th><td>{{.Missing}}</td><td>{{.Unengaged}}</td></tr>
{{end}}</table>

<h2 id="h-sla">Who keeps the agreement?</h2>
{{if .Owners.Bars}}{{template "bars" .Owners}}{{end}}
<div class="cols">
<table><caption>By owner (business time)</caption>
<tr><th scope="col">owner</th><th scope="col">met</th><th scope="col">late</th><th scope="col">pending</th><th scope="col">at risk</th><th scope="col">kept</th><th scope="col">median</th></tr>
{{range .OwnerRow}}<tr><th scope="row">{{.Owner}}</th><td>{{.Met}}</td><td>{{.Late}}</td><td>{{.Pending}}</td><td>{{.AtRisk}}</td><td>{{.Kept}}</td><td>{{.Median}}</td></tr>
{{end}}</table>
<div>
<table><caption>At risk: {{.R.SLA.AtRiskCount}} a rep can still save this week</caption>
<tr><th scope="col">lead</th><th scope="col">owner</th><th scope="col">policy</th><th scope="col">deadline</th></tr>
{{range .R.SLA.AtRisk}}<tr><th scope="row">{{.LeadID}}</th><td>{{.Owner}}</td><td>{{.Policy}}</td><td>{{date .Deadline}}</td></tr>
{{else}}<tr><td colspan="4">none</td></tr>{{end}}</table>
{{range .R.SLA.Report.Teams}}{{if .Breaches}}<table><caption>Latest {{.Team}} breaches (8 shown of {{.Breached}})</caption>
<tr><th scope="col">lead</th><th scope="col">owner</th><th scope="col">policy</th><th scope="col">late by</th></tr>
{{range $i, $b := .Breaches}}{{if lt $i 8}}<tr><th scope="row">{{$b.LeadID}}</th><td>{{$b.Owner}}</td><td>{{$b.Policy}}</td><td>{{business $b.Late}}</td></tr>
{{end}}{{end}}</table>{{end}}{{end}}
</div></div>

<h2 id="h-scoring">Scores</h2>
{{template "bars" .Scores}}
<p>Model {{.R.Scoring.Model}}. {{.R.Scoring.ModelMQLNeverMQL}} leads the model qualifies never became MQLs; {{.R.Scoring.MQLNotModelMQL}} MQLs are leads it does not qualify.</p>
</main>
<script>
// The page works without script; this line tells a reader of the
// browser console (and the browser test) that the page's script ran.
document.documentElement.dataset.ready = "yes";
console.log("dashboard ready: " + document.querySelectorAll("svg.chart").length + " charts");
</script>
</body>
</html>
`))
