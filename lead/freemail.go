package lead

import "strings"

// FreeMailDomain reports whether domain belongs to a free or consumer
// mail provider (gmail.com, yahoo.*, hotmail.*, outlook.com, ...): an
// address there says nothing about the lead's company, so scoring rules
// penalise it and account matching never matches on it. Case and
// surrounding white space are ignored.
func FreeMailDomain(domain string) bool {
	d := strings.ToLower(strings.TrimSpace(domain))
	// Country variants of the big providers: yahoo.co.uk, hotmail.fr, ...
	for _, p := range [...]string{"yahoo.", "hotmail.", "live.", "gmx.", "web.de", "yandex.", "googlemail."} {
		if strings.HasPrefix(d, p) {
			return true
		}
	}
	switch d {
	case "gmail.com", "outlook.com", "aol.com", "icloud.com", "me.com", "mac.com",
		"msn.com", "mail.com", "proton.me", "protonmail.com", "zoho.com",
		"mail.ru", "qq.com", "163.com", "126.com", "gmx.net", "ymail.com",
		"fastmail.com", "hey.com", "tutanota.com", "orange.fr", "free.fr",
		"t-online.de", "libero.it", "rediffmail.com":
		return true
	}
	return false
}
