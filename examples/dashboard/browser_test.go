package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var updateScreenshot = flag.Bool("update", false, "rewrite dashboard.png, the screenshot the README shows")

// chromium finds Debian's chromium; the browser test needs nothing else
// (it talks to the browser over the DevTools protocol on a pipe, with
// the standard library only).
func chromium(t *testing.T) string {
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	t.Skip("chromium is not installed (apt-get install -y chromium): the real-browser test of the dashboard is skipped")
	return ""
}

// TestBrowser loads the dashboard, served on a loopback port, in
// headless chromium and checks that every chart rendered with its marks,
// that the channel filter changes the numbers, and that the console has
// no errors. It saves a screenshot (with -update, as dashboard.png).
func TestBrowser(t *testing.T) {
	bin := chromium(t)
	if testing.Short() {
		t.Skip("-short: the browser test takes seconds")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: testHandler(t), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()

	b := startBrowser(t, bin)
	defer b.close()

	b.navigate(base + "/?period=quarter")
	all := b.pageFacts()
	for _, c := range []struct {
		id      string
		mark    string
		atLeast int
	}{
		{"trend", "polyline.line", 4},
		{"funnel", "rect.bar", 6},
		{"conv", "rect.bar", 5},
		{"cost", "rect.bar", 5},
		{"owners", "rect.bar", 10},
		{"scores", "rect.bar", 4},
		{"traffic", "rect.bar", 4}, // the four quarters of the sample year
	} {
		n := all.Marks[c.id]
		if n < c.atLeast {
			t.Errorf("chart %s has %d %s marks; want at least %d", c.id, n, c.mark, c.atLeast)
		}
		if all.Sizes[c.id] <= 0 {
			t.Errorf("chart %s is not drawn (width × height %v)", c.id, all.Sizes[c.id])
		}
	}
	if all.Points["trend"] != 4*13 {
		t.Errorf("the trend lines have %d points; want 4 series × 13 weeks", all.Points["trend"])
	}
	if !all.Ready {
		t.Error("the page's script did not run")
	}
	png := b.screenshot()
	if len(png) < 1000 || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("screenshot is %d bytes, not a PNG", len(png))
	}
	out := filepath.Join(t.TempDir(), "dashboard.png")
	if *updateScreenshot {
		out = "dashboard.png"
	}
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", out)

	// The filter: choose a channel in the form and submit it, as a user
	// would.
	b.eval(`document.getElementById("channel").value = "email"; document.querySelector("form.filters").requestSubmit(); true`)
	b.waitLoad()
	email := b.pageFacts()
	if !strings.Contains(email.Search, "channel=email") {
		t.Errorf("the form went to %q; want channel=email in the query", email.Search)
	}
	if email.Tiles["leads"] == "" || email.Tiles["leads"] == all.Tiles["leads"] {
		t.Errorf("leads tile %q with the email filter, %q without: the filter did not change the numbers", email.Tiles["leads"], all.Tiles["leads"])
	}
	if len(b.errors) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(b.errors, "\n"))
	}
	if b.logs == 0 {
		t.Error("no console message was seen at all: the console capture does not work")
	}
}

// facts are what the test reads from the page.
type facts struct {
	Marks  map[string]int
	Points map[string]int
	Sizes  map[string]float64
	Tiles  map[string]string
	Search string
	Ready  bool
}

const factsJS = `(() => {
  const f = {Marks: {}, Points: {}, Sizes: {}, Tiles: {}, Search: location.search, Ready: false};
  for (const svg of document.querySelectorAll("svg.chart")) {
    f.Marks[svg.id] = svg.querySelectorAll("polyline.line, rect.bar").length;
    f.Points[svg.id] = [...svg.querySelectorAll("polyline.line")].reduce((n, p) => n + p.points.numberOfItems, 0);
    const r = svg.getBoundingClientRect();
    let drawn = 0;
    for (const m of svg.querySelectorAll("polyline.line, rect.bar")) { const b = m.getBBox(); drawn += b.width + b.height; }
    f.Sizes[svg.id] = r.width * r.height > 0 ? drawn : 0;
  }
  for (const t of document.querySelectorAll(".tile")) f.Tiles[t.dataset.key] = t.querySelector(".value").textContent;
  f.Ready = document.documentElement.dataset.ready === "yes";
  return JSON.stringify(f);
})()`

// browser drives headless chromium over the DevTools protocol on a pipe
// (--remote-debugging-pipe: requests on fd 3, replies on fd 4, each a
// JSON message ended by a NUL byte).
type browser struct {
	t       *testing.T
	cmd     *exec.Cmd
	w       *os.File
	msgs    chan []byte
	id      int
	session string
	loaded  bool
	errors  []string
	logs    int
	stderr  bytes.Buffer
}

func startBrowser(t *testing.T, bin string) *browser {
	inR, inW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t, w: inW, msgs: make(chan []byte, 64)}
	b.cmd = exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+t.TempDir(),
		"--remote-debugging-pipe", "--window-size=1280,2000", "--hide-scrollbars", "about:blank")
	b.cmd.ExtraFiles = []*os.File{inR, outW} // fd 3 and fd 4
	b.cmd.Stderr = &b.stderr
	if err := b.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	inR.Close()
	outW.Close()
	go func() {
		r := bufio.NewReaderSize(outR, 1<<20)
		for {
			m, err := r.ReadBytes(0)
			if err != nil {
				close(b.msgs)
				return
			}
			b.msgs <- m[:len(m)-1]
		}
	}()
	var target struct{ TargetID string }
	b.call("", "Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var att struct{ SessionID string }
	b.call("", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att)
	b.session = att.SessionID
	for _, m := range []string{"Page.enable", "Runtime.enable", "Log.enable"} {
		b.call(b.session, m, nil, nil)
	}
	return b
}

func (b *browser) close() {
	b.call("", "Browser.close", nil, nil)
	done := make(chan error, 1)
	go func() { done <- b.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		b.cmd.Process.Kill()
		<-done
	}
	b.w.Close()
}

type message struct {
	ID     int             `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// next returns the next message, noting the events the test cares
// about: console messages and errors, exceptions and page loads.
func (b *browser) next() message {
	b.t.Helper()
	select {
	case raw, ok := <-b.msgs:
		if !ok {
			b.t.Fatalf("chromium exited: %s", b.stderr.String())
		}
		var m message
		if err := json.Unmarshal(raw, &m); err != nil {
			b.t.Fatalf("DevTools message %q: %v", raw, err)
		}
		switch m.Method {
		case "Page.loadEventFired":
			b.loaded = true
		case "Runtime.consoleAPICalled":
			var p struct {
				Type string
				Args []struct{ Value any }
			}
			json.Unmarshal(m.Params, &p)
			b.logs++
			if p.Type == "error" || p.Type == "assert" {
				b.errors = append(b.errors, fmt.Sprintf("console.%s: %v", p.Type, p.Args))
			}
		case "Runtime.exceptionThrown":
			b.errors = append(b.errors, "exception: "+string(m.Params))
		case "Log.entryAdded":
			var p struct {
				Entry struct{ Level, Text, URL string }
			}
			json.Unmarshal(m.Params, &p)
			if p.Entry.Level == "error" {
				b.errors = append(b.errors, fmt.Sprintf("log: %s %s", p.Entry.Text, p.Entry.URL))
			}
		}
		return m
	case <-time.After(60 * time.Second):
		b.t.Fatalf("chromium did not answer within 60s: %s", b.stderr.String())
	}
	return message{}
}

func (b *browser) call(session, method string, params, result any) {
	b.t.Helper()
	b.id++
	req := map[string]any{"id": b.id, "method": method}
	if params != nil {
		req["params"] = params
	}
	if session != "" {
		req["sessionId"] = session
	}
	raw, err := json.Marshal(req)
	if err != nil {
		b.t.Fatal(err)
	}
	if _, err := b.w.Write(append(raw, 0)); err != nil {
		b.t.Fatalf("%s: %v", method, err)
	}
	if method == "Browser.close" {
		return
	}
	for {
		m := b.next()
		if m.ID != b.id {
			continue
		}
		if m.Error != nil {
			b.t.Fatalf("%s: %s", method, m.Error.Message)
		}
		if result != nil {
			if err := json.Unmarshal(m.Result, result); err != nil {
				b.t.Fatalf("%s: %v", method, err)
			}
		}
		return
	}
}

func (b *browser) waitLoad() {
	b.t.Helper()
	for !b.loaded {
		b.next()
	}
	b.loaded = false
}

func (b *browser) navigate(url string) {
	b.t.Helper()
	b.loaded = false
	b.call(b.session, "Page.navigate", map[string]any{"url": url}, nil)
	b.waitLoad()
}

// eval evaluates a JavaScript expression and returns its value as JSON.
func (b *browser) eval(expr string) json.RawMessage {
	b.t.Helper()
	var r struct {
		Result           struct{ Value json.RawMessage }
		ExceptionDetails json.RawMessage
	}
	b.call(b.session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &r)
	if r.ExceptionDetails != nil {
		b.t.Fatalf("evaluating %q: %s", expr, r.ExceptionDetails)
	}
	return r.Result.Value
}

func (b *browser) pageFacts() facts {
	b.t.Helper()
	var s string
	if err := json.Unmarshal(b.eval(factsJS), &s); err != nil {
		b.t.Fatal(err)
	}
	var f facts
	if err := json.Unmarshal([]byte(s), &f); err != nil {
		b.t.Fatal(err)
	}
	return f
}

func (b *browser) screenshot() []byte {
	b.t.Helper()
	var r struct{ Data string }
	b.call(b.session, "Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true}, &r)
	png, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		b.t.Fatal(err)
	}
	return png
}
