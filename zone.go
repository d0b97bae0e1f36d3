package leadkit

import (
	"fmt"
	"time"
)

// Zone is a time zone as data: an IANA name such as "Europe/Paris". It
// is the one zone form of every leadkit definition, so a definition and
// the state built from it carry their zone with them (a *time.Location
// cannot be encoded).
//
// The zero Zone and "UTC" mean UTC. Other names are looked up in the
// standard library's zone database when a definition is compiled; a host
// without a system zoneinfo imports time/tzdata in its main package.
type Zone string

// UTC is the zone of Coordinated Universal Time.
const UTC Zone = "UTC"

// Location returns the zone's *time.Location, or an error naming the
// zone when it is not known. "Local" is refused: it would make results
// depend on the host's environment.
func (z Zone) Location() (*time.Location, error) {
	switch z {
	case "", UTC:
		return time.UTC, nil
	case "Local":
		return nil, fmt.Errorf("zone %q depends on the host; name the zone, e.g. \"Europe/Paris\"", string(z))
	}
	loc, err := time.LoadLocation(string(z))
	if err != nil {
		return nil, fmt.Errorf("unknown zone %q; use an IANA name such as \"Europe/Paris\"", string(z))
	}
	return loc, nil
}

// String returns the zone's name, "UTC" for the zero Zone.
func (z Zone) String() string {
	if z == "" {
		return string(UTC)
	}
	return string(z)
}
