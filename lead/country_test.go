package lead

import (
	"slices"
	"testing"
)

func TestCountryCode(t *testing.T) {
	// Expected codes written from ISO 3166-1 by hand, not from the table.
	tests := []struct {
		in, want string
	}{
		// alpha-2, any case, and UK
		{"DE", "DE"}, {"de", "DE"}, {" us ", "US"}, {"UK", "GB"}, {"gb", "GB"}, {"JP", "JP"},
		// alpha-3
		{"DEU", "DE"}, {"usa", "US"}, {"GBR", "GB"}, {"CHE", "CH"}, {"KOR", "KR"}, {"BRA", "BR"}, {"ZAF", "ZA"},
		// English names and short forms
		{"Germany", "DE"}, {"germany", "DE"}, {"United States", "US"}, {"United States of America", "US"},
		{"U.S.A.", "US"}, {"United Kingdom", "GB"}, {"Great Britain", "GB"}, {"England", "GB"},
		{"the Netherlands", "NL"}, {"Netherlands", "NL"}, {"Holland", "NL"}, {"South Korea", "KR"},
		{"Korea, Republic of", "KR"}, {"korea (republic of)", "KR"}, {"North Korea", "KP"},
		{"Russia", "RU"}, {"Russian Federation", "RU"}, {"Czech Republic", "CZ"}, {"Czechia", "CZ"},
		{"Ivory Coast", "CI"}, {"Côte d'Ivoire", "CI"}, {"Cote d’Ivoire", "CI"}, {"Vietnam", "VN"},
		{"Viet Nam", "VN"}, {"Iran", "IR"}, {"Bolivia", "BO"}, {"Venezuela", "VE"}, {"Tanzania", "TZ"},
		{"Taiwan", "TW"}, {"Hong Kong", "HK"}, {"Macau", "MO"}, {"UAE", "AE"}, {"United Arab Emirates", "AE"},
		{"Turkey", "TR"}, {"Türkiye", "TR"}, {"Saudi Arabia", "SA"}, {"India", "IN"}, {"Brazil", "BR"},
		{"Mexico", "MX"}, {"Canada", "CA"}, {"Australia", "AU"}, {"New Zealand", "NZ"}, {"South Africa", "ZA"},
		{"Bosnia and Herzegovina", "BA"}, {"Bosnia & Herzegovina", "BA"}, {"Trinidad and Tobago", "TT"},
		{"St Lucia", "LC"}, {"Saint Lucia", "LC"}, {"Democratic Republic of the Congo", "CD"}, {"DR Congo", "CD"},
		{"Congo", "CG"}, {"Ireland", "IE"}, {"Singapore", "SG"}, {"Philippines", "PH"}, {"Egypt", "EG"},
		{"Switzerland", "CH"}, {"Austria", "AT"}, {"Belgium", "BE"}, {"Poland", "PL"}, {"Sweden", "SE"},
		// native forms, with and without accents
		{"Deutschland", "DE"}, {"DEUTSCHLAND", "DE"}, {"Österreich", "AT"}, {"Osterreich", "AT"},
		{"España", "ES"}, {"Espana", "ES"}, {"France", "FR"}, {"Italia", "IT"}, {"Schweiz", "CH"},
		{"Suisse", "CH"}, {"Svizzera", "CH"}, {"Nederland", "NL"}, {"België", "BE"}, {"Belgique", "BE"},
		{"Sverige", "SE"}, {"Norge", "NO"}, {"Danmark", "DK"}, {"Suomi", "FI"}, {"Polska", "PL"},
		{"Česko", "CZ"}, {"Magyarország", "HU"}, {"Brasil", "BR"}, {"México", "MX"}, {"Perú", "PE"},
		{"Ελλάδα", "GR"}, {"Россия", "RU"}, {"Україна", "UA"}, {"日本", "JP"}, {"中国", "CN"},
		{"대한민국", "KR"}, {"Việt Nam", "VN"}, {"Éire", "IE"}, {"Ísland", "IS"}, {"Hrvatska", "HR"},
		{"România", "RO"}, {"Türkiye", "TR"}, {"Portugal", "PT"}, {"Estados Unidos", "US"},
		// not countries, or ambiguous: refused
		{"", ""}, {"Europe", ""}, {"EMEA", ""}, {"Korea", ""}, {"XX", ""}, {"ZZZ", ""}, {"Narnia", ""},
		{"D", ""}, {"Germany!", ""}, {"US of A", ""},
	}
	for _, tt := range tests {
		got, ok := CountryCode(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("CountryCode(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

// TestCountryTable checks the generated table: codes sorted, unique and
// well formed, 249 countries as in ISO 3166-1 (2024), names sorted, in
// folded form and naming a listed code, and every code found by itself.
func TestCountryTable(t *testing.T) {
	if len(countryCodes) != 249 {
		t.Errorf("%d countries, want 249", len(countryCodes))
	}
	a2 := map[string]bool{}
	a3 := map[string]bool{}
	for i, c := range countryCodes {
		if len(c[0]) != 2 || len(c[1]) != 3 || a2[c[0]] || a3[c[1]] {
			t.Errorf("bad or repeated code %v", c)
		}
		if i > 0 && countryCodes[i-1][0] >= c[0] {
			t.Errorf("codes not sorted at %v", c)
		}
		a2[c[0]], a3[c[1]] = true, true
		for _, in := range []string{c[0], c[1]} {
			if got, ok := CountryCode(in); !ok || got != c[0] {
				t.Errorf("CountryCode(%q) = %q, %v; want %q", in, got, ok, c[0])
			}
		}
	}
	names := map[string]int{}
	for i, n := range countryNames {
		if i > 0 && countryNames[i-1][0] >= n[0] {
			t.Errorf("names not sorted at %q", n[0])
		}
		if countryKey(n[0]) != n[0] {
			t.Errorf("name %q folds to %q", n[0], countryKey(n[0]))
		}
		if !a2[n[1]] {
			t.Errorf("name %q names unknown code %q", n[0], n[1])
		}
		names[n[1]]++
	}
	// Every country has at least its English name.
	var without []string
	for c := range a2 {
		if names[c] == 0 {
			without = append(without, c)
		}
	}
	slices.Sort(without)
	if len(without) > 0 {
		t.Errorf("codes without a name: %v", without)
	}
}

func TestCountryKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  The  Bahamas ", "bahamas"},
		{"Korea, Republic of", "korea republic of"},
		{"Bosnia&Herzegovina", "bosnia and herzegovina"},
		{"U.S.A.", "u s a"},
		{"Guinea-Bissau", "guinea bissau"},
		{"Theland", "theland"},
	}
	for _, tt := range tests {
		if got := countryKey(tt.in); got != tt.want {
			t.Errorf("countryKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
