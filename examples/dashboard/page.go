package main

import "html/template"

var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"height": func(bs []Bar) int { return len(bs)*26 + 4 },
}).Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.R.Agreement}}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; } td, th { padding: .2rem .6rem; text-align: right; }
td:first-child, th:first-child { text-align: left; }
svg text { font: 12px system-ui, sans-serif; }
.bar { fill: #4a7bd0; } .note { color: #666; }
</style>
</head>
<body>
<h1>{{.R.Agreement}}</h1>
<p class="note">As of {{.R.AsOf.Format "2006-01-02"}}, {{.R.Leads}} leads. Scoring model {{.R.Scoring.Model}} ({{.R.Scoring.Fingerprint}}). Add <code>?as_of=2025-07-01</code> to see an earlier day.</p>

{{define "chart"}}<svg width="700" height="{{height .}}" role="img">
{{range .}}<g transform="translate(0,{{.Y}})"><text x="0" y="16">{{.Label}}</text>
<rect class="bar" x="140" y="3" width="{{printf "%.1f" .Width}}" height="18"></rect>
<text x="{{printf "%.1f" .Width}}" dx="146" y="16">{{.Text}}</text></g>
{{end}}</svg>{{end}}

<h2>Funnel: leads reaching each stage</h2>
{{template "chart" .Funnel}}

<h2>Lead to customer by channel</h2>
{{template "chart" .Channels}}

<h2>Does the fit grade predict customers?</h2>
{{template "chart" .Grades}}
<p>{{.R.Scoring.ModelMQLNotHandedOver}} leads the shared model qualifies were never handed to sales; {{.R.Scoring.HandedOverNotModelMQL}} were handed over that it does not qualify.</p>

<h2>Shared KPIs per quarter</h2>
<table>
<tr><th>quarter</th><th>spend</th><th>leads</th><th>cost per lead</th><th>win rate</th><th>avg deal</th><th>CAC</th><th>ROAS</th></tr>
{{range .Quarters}}<tr><td>{{.Period}}</td><td>{{.Spend}}</td><td>{{.Leads}}</td><td>{{.CPL}}</td><td>{{.WinRate}}</td><td>{{.AvgDeal}}</td><td>{{.CAC}}</td><td>{{.ROAS}}</td></tr>
{{end}}</table>

<h2>Hottest qualified leads nobody has called</h2>
{{range .R.Scoring.Hottest}}<h3>{{.LeadID}}: {{printf "%.1f" .Total}} (grade {{.Grade}}, {{.Qualification.Stage}})</h3>
<table>{{range .Contributions}}<tr><td>{{.Rule}}</td><td>{{printf "%+.1f" .Points}}</td></tr>{{end}}</table>
{{end}}
</body>
</html>
`))
