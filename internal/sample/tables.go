package sample

import "github.com/leadkit/leadkit/lead"

// The tables below are read-only lookup data. Nothing in the package
// writes to them; they are package-level only so that Generate does not
// rebuild them on every call.

// industry is one industry with the words used to name its companies and
// its typical yearly revenue per employee in whole currency units.
type industry struct {
	name         string
	kinds        []string // last word of a company name: "Software", "Capital"
	revPerEmploy int64
}

var industries = []industry{
	{"Software", []string{"Software", "Labs", "Systems", "Cloud"}, 200_000},
	{"Financial Services", []string{"Capital", "Financial", "Bank"}, 350_000},
	{"Healthcare", []string{"Health", "Medical", "Care"}, 150_000},
	{"Manufacturing", []string{"Industries", "Manufacturing", "Components"}, 250_000},
	{"Retail", []string{"Retail", "Stores", "Brands"}, 180_000},
	{"Education", []string{"Learning", "Academy", "Education"}, 80_000},
	{"Media", []string{"Media", "Studios", "Publishing"}, 200_000},
	{"Professional Services", []string{"Consulting", "Partners", "Advisors"}, 150_000},
	{"Telecommunications", []string{"Telecom", "Networks", "Communications"}, 400_000},
	{"Logistics", []string{"Logistics", "Freight", "Transport"}, 220_000},
}

// industryWeights are the relative shares of companies per industry, in
// the order of industries.
var industryWeights = []float64{22, 12, 10, 10, 9, 6, 7, 12, 5, 7}

var namePrefixes = []string{
	"Acme", "Alder", "Amber", "Arrow", "Aspen", "Atlas", "Beacon", "Birch", "Blue", "Bright",
	"Cedar", "Clear", "Cobalt", "Copper", "Coral", "Crown", "Delta", "East", "Echo", "Ember",
	"Ever", "First", "Fox", "Golden", "Granite", "Green", "Harbor", "Hazel", "Iron", "Ivory",
	"Jade", "Keystone", "Lake", "Maple", "Meridian", "Mill", "North", "Nova", "Oak", "Onyx",
	"Orbit", "Peak", "Pine", "Prime", "Quantum", "Red", "River", "Sage", "Silver", "Sky",
	"Stone", "Summit", "Swift", "True", "Union", "Vertex", "West", "Willow", "Zen", "Zephyr",
}

var nameRoots = []string{
	"bridge", "field", "gate", "line", "point", "stack", "wave", "works", "light", "path",
	"rock", "ford", "haven", "crest", "view", "spring", "wood", "star", "forge", "core",
	"loop", "mark", "scale", "shift", "sphere", "tide", "vale", "way", "wind", "yard",
	"brook", "cliff", "dale", "fall", "glen", "grove", "hill", "land", "mont", "port",
	"ridge", "shore", "side", "stone", "ton", "top", "vista", "water", "well", "wing",
}

// nameSuffixes tell apart companies whose name is otherwise taken: the
// second "Oakforge Capital" is "Oakforge Capital Group", and so on; after
// these, numbers follow ("Oakforge Capital 12").
var nameSuffixes = []string{
	"Group", "Holdings", "International", "Global", "Solutions", "Technologies",
	"Ventures", "Digital", "Worldwide", "Enterprises",
}

// place is a region and a city of a country.
type place struct{ region, city string }

// country is a country with its share of companies, its web domain
// suffix and the places companies sit in.
type country struct {
	code   string
	weight float64
	tld    string
	places []place
}

var countries = []country{
	{"US", 38, ".com", []place{{"CA", "San Francisco"}, {"CA", "Los Angeles"}, {"NY", "New York"}, {"TX", "Austin"}, {"MA", "Boston"}, {"IL", "Chicago"}, {"WA", "Seattle"}, {"GA", "Atlanta"}}},
	{"GB", 10, ".co.uk", []place{{"England", "London"}, {"England", "Manchester"}, {"Scotland", "Edinburgh"}}},
	{"DE", 9, ".de", []place{{"Berlin", "Berlin"}, {"Bavaria", "Munich"}, {"Hamburg", "Hamburg"}}},
	{"FR", 6, ".fr", []place{{"Île-de-France", "Paris"}, {"Auvergne-Rhône-Alpes", "Lyon"}}},
	{"CA", 6, ".ca", []place{{"ON", "Toronto"}, {"BC", "Vancouver"}, {"QC", "Montreal"}}},
	{"AU", 5, ".com.au", []place{{"NSW", "Sydney"}, {"VIC", "Melbourne"}}},
	{"NL", 4, ".nl", []place{{"North Holland", "Amsterdam"}, {"South Holland", "Rotterdam"}}},
	{"IN", 8, ".in", []place{{"Karnataka", "Bengaluru"}, {"Maharashtra", "Mumbai"}, {"Delhi", "New Delhi"}}},
	{"BR", 6, ".com.br", []place{{"SP", "São Paulo"}, {"RJ", "Rio de Janeiro"}}},
	{"JP", 4, ".jp", []place{{"Tokyo", "Tokyo"}, {"Osaka", "Osaka"}}},
	{"ES", 2, ".es", []place{{"Madrid", "Madrid"}, {"Catalonia", "Barcelona"}}},
	{"SE", 2, ".se", []place{{"Stockholm", "Stockholm"}}},
}

var firstNames = []string{
	"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
	"William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Daniel", "Karen",
	"Oliver", "Amelia", "Harry", "Isla", "Lukas", "Mia", "Felix", "Emma", "Louis", "Chloe",
	"Liam", "Olivia", "Noah", "Ava", "Ethan", "Sophie", "Lucas", "Julia", "Mateus", "Ana",
	"Aarav", "Priya", "Rohan", "Ananya", "Hiroshi", "Yuki", "Kenji", "Sakura", "Lars", "Ingrid",
	"Daan", "Sanne", "Pablo", "Lucia", "Noor", "Omar", "Chen", "Mei", "Grace", "Leo",
}

var lastNames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson", "Anderson",
	"Taylor", "Thomas", "Moore", "Martin", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker",
	"Evans", "Wright", "Roberts", "Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Dubois", "Moreau",
	"Laurent", "Bernard", "Tremblay", "Roy", "Nguyen", "Kelly", "DeVries", "Jansen", "Patel", "Sharma",
	"Gupta", "Singh", "Silva", "Santos", "Oliveira", "Souza", "Tanaka", "Suzuki", "Sato", "Watanabe",
	"Lindqvist", "Johansson", "Fernandez", "Lopez", "Kim", "Lee", "Wang", "Li", "Murphy", "Cohen",
}

// freeMail lists free-mail domains and their relative shares.
var freeMail = []struct {
	domain string
	weight float64
}{
	{"gmail.com", 60}, {"yahoo.com", 15}, {"hotmail.com", 12}, {"outlook.com", 10}, {"icloud.com", 3},
}

// Fit classes of a job title.
const (
	fitBad   = 0 // sales rejects the lead as the wrong persona
	fitOK    = 1
	fitGreat = 2
)

// title is a job title with the normalised person data it implies.
type title struct {
	title, role, department string
	seniority               lead.Seniority
	weight                  float64
	fit                     int
}

// titleStudent is the index of "Student" in titles.
const titleStudent = 25

var titles = []title{
	{"CEO", "executive", "Executive", lead.SeniorityExecutive, 3, fitOK},
	{"Founder", "executive", "Executive", lead.SeniorityOwner, 2, fitOK},
	{"CFO", "finance", "Finance", lead.SeniorityExecutive, 1.5, fitOK},
	{"CMO", "marketing", "Marketing", lead.SeniorityExecutive, 2, fitGreat},
	{"Chief Revenue Officer", "sales", "Sales", lead.SeniorityExecutive, 1, fitGreat},
	{"VP Marketing", "marketing", "Marketing", lead.SeniorityVP, 4, fitGreat},
	{"VP Sales", "sales", "Sales", lead.SeniorityVP, 3, fitGreat},
	{"VP Engineering", "engineering", "Engineering", lead.SeniorityVP, 1.5, fitBad},
	{"Head of Sales Operations", "operations", "Revenue Operations", lead.SeniorityDirector, 3, fitGreat},
	{"Head of Growth", "marketing", "Marketing", lead.SeniorityDirector, 2, fitGreat},
	{"Director of Demand Generation", "marketing", "Marketing", lead.SeniorityDirector, 3, fitGreat},
	{"Director of Revenue Operations", "operations", "Revenue Operations", lead.SeniorityDirector, 2, fitGreat},
	{"Marketing Manager", "marketing", "Marketing", lead.SeniorityManager, 8, fitGreat},
	{"Marketing Operations Manager", "operations", "Marketing", lead.SeniorityManager, 5, fitGreat},
	{"Sales Manager", "sales", "Sales", lead.SeniorityManager, 5, fitGreat},
	{"Product Marketing Manager", "marketing", "Marketing", lead.SeniorityManager, 3, fitOK},
	{"Product Manager", "product", "Product", lead.SeniorityManager, 3, fitOK},
	{"Engineering Manager", "engineering", "Engineering", lead.SeniorityManager, 2, fitBad},
	{"Marketing Specialist", "marketing", "Marketing", lead.SeniorityEntry, 6, fitOK},
	{"Sales Development Representative", "sales", "Sales", lead.SeniorityEntry, 5, fitOK},
	{"Account Executive", "sales", "Sales", lead.SeniorityEntry, 4, fitOK},
	{"Data Analyst", "operations", "Revenue Operations", lead.SeniorityEntry, 3, fitOK},
	{"Software Engineer", "engineering", "Engineering", lead.SeniorityEntry, 6, fitBad},
	{"Consultant", "consulting", "Consulting", lead.SeniorityEntry, 3, fitBad},
	{"Marketing Intern", "marketing", "Marketing", lead.SeniorityEntry, 1.5, fitBad},
	{"Student", "student", "", lead.SeniorityEntry, 3, fitBad},
}

// channelInfo is an acquisition channel with its campaigns.
type channelInfo struct {
	channel   lead.Channel
	weight    float64 // share of all leads, in percent
	medium    string
	visitRate float64 // leads per website visit from this channel
	campaigns []campaign
}

// campaign is one campaign of a channel.
type campaign struct {
	name    string
	weight  float64 // share within the channel
	cpl     int64   // marketing cost per lead in cents
	landing []string
}

// channels holds every acquisition channel; the weights add up to 100.
var channels = []channelInfo{
	{lead.ChannelOrganicSearch, 24, "organic", 0.012, []campaign{
		{"seo-blog", 0.6, 15_00, []string{"/blog/lead-scoring-101", "/blog/mql-vs-sql", "/blog/funnel-metrics"}},
		{"seo-product", 0.4, 15_00, []string{"/product", "/product/scoring"}},
	}},
	{lead.ChannelPaidSearch, 18, "cpc", 0.025, []campaign{
		{"google-brand", 0.3, 60_00, []string{"/lp/demo"}},
		{"google-generic", 0.5, 140_00, []string{"/lp/demo", "/lp/free-trial"}},
		{"bing-generic", 0.2, 110_00, []string{"/lp/free-trial"}},
	}},
	{lead.ChannelSocial, 12, "paid_social", 0.010, []campaign{
		{"linkedin-lead-gen", 0.5, 180_00, []string{"/lp/ebook"}},
		{"linkedin-abm", 0.3, 260_00, []string{"/lp/demo"}},
		{"facebook-retargeting", 0.2, 90_00, []string{"/lp/ebook", "/pricing"}},
	}},
	{lead.ChannelEmail, 11, "email", 0.030, []campaign{
		{"newsletter", 0.4, 8_00, []string{"/resources/funnel-benchmark-report"}},
		{"nurture-series", 0.4, 8_00, []string{"/resources/sla-template", "/product"}},
		{"product-launch", 0.2, 12_00, []string{"/product/funnel"}},
	}},
	{lead.ChannelReferral, 8, "referral", 0.040, []campaign{
		{"partner-program", 0.6, 40_00, []string{"/partners"}},
		{"customer-referral", 0.4, 0, []string{"/"}},
	}},
	{lead.ChannelEvents, 10, "event", 0.080, []campaign{
		{"saas-summit", 0.4, 350_00, []string{"/events/saas-summit"}},
		{"webinar-series", 0.4, 60_00, []string{"/webinars/aligning-sales-and-marketing"}},
		{"roadshow", 0.2, 400_00, []string{"/events/roadshow"}},
	}},
	{lead.ChannelDirect, 17, "none", 0.020, []campaign{
		{"", 1, 0, []string{"/", "/pricing", "/contact"}},
	}},
}

// pageURLs are the pages prospects view, with relative shares for leads
// that do not and that do become marketing-qualified.
var pageURLs = []struct {
	url           string
	weight, wHigh float64
}{
	{"/", 14, 10},
	{"/product", 14, 14},
	{"/product/scoring", 6, 8},
	{"/product/funnel", 5, 7},
	{"/pricing", 6, 18},
	{"/customers", 4, 6},
	{"/docs", 4, 5},
	{"/docs/getting-started", 3, 4},
	{"/blog/lead-scoring-101", 10, 6},
	{"/blog/mql-vs-sql", 9, 5},
	{"/blog/sla-between-sales-and-marketing", 7, 4},
	{"/blog/funnel-metrics", 7, 4},
	{"/careers", 5, 1},
	{"/about", 6, 8},
}

var downloads = []string{
	"/resources/funnel-benchmark-report", "/resources/sla-template", "/resources/ebook-lead-scoring",
}

var useCases = []string{"lead scoring", "funnel analytics", "sla tracking", "attribution", "pipeline reporting"}

// products are what the company sells: three plans for new business and
// two add-ons for expansion. Prices are yearly list prices in cents.
var products = []struct {
	name  string
	price int64
}{
	{"Leadkit Starter", 6_000_00},
	{"Leadkit Growth", 24_000_00},
	{"Leadkit Enterprise", 96_000_00},
	{"Analytics Add-on", 12_000_00},
	{"Premium Support", 9_000_00},
}

// Indexes into products.
const (
	prodStarter = iota
	prodGrowth
	prodEnterprise
	prodAnalytics
	prodSupport
)

// The reasons for leaving the funnel, by the stage the lead left.
type exitReason struct {
	reason   string
	weight   float64
	recycled bool // true: to recycled; false: to disqualified
}

var rejectMQL = []exitReason{ // sales does not accept a fitting MQL
	{"no response", 35, true},
	{"no budget", 20, true},
	{"bad timing", 25, true},
	{"wrong persona", 10, false},
	{"duplicate", 10, false},
}

var rejectSAL = []exitReason{
	{"no budget", 30, true},
	{"no project", 25, false},
	{"bad timing", 25, true},
	{"no response", 20, true},
}

var rejectSQL = []exitReason{
	{"no budget", 30, true},
	{"no decision maker", 20, true},
	{"bad timing", 25, true},
	{"chose competitor", 25, false},
}

var lostOpportunity = []exitReason{
	{"closed lost: price", 35, true},
	{"closed lost: competitor", 30, false},
	{"closed lost: no decision", 25, true},
	{"closed lost: timing", 10, true},
}
