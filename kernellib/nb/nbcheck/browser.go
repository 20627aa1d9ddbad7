package nbcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// ChromiumInstallHint is the command that installs the browser the
// rendering check uses.
const ChromiumInstallHint = "sudo apt-get install -y chromium"

// ErrNoChromium is returned when no headless Chromium is found.
var ErrNoChromium = errors.New("nbcheck: chromium is not installed; install it with: " + ChromiumInstallHint)

// Rendered is what a browser showed of a notebook exported to HTML.
type Rendered struct {
	// Images is the number of <img> elements, Loaded those the browser
	// decoded (naturalWidth > 0), NonBlank those whose pixels are not all
	// one colour.
	Images, Loaded, NonBlank int
	// Tables is the number of <table> elements.
	Tables int
	// Screenshot is the path of a PNG screenshot of the page's top.
	Screenshot string
}

// chromium returns the path of a Chromium binary.
func chromium() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// checkScript runs in the page after load: it counts the images, those
// decoded, and those with more than one colour (drawn into a canvas: the
// images are data: URIs, so the canvas is readable), and writes the result
// into the document's title, which --dump-dom then shows.
const checkScript = `<script>
window.addEventListener("load", function () {
  var imgs = Array.prototype.slice.call(document.images), loaded = 0, nonBlank = 0;
  imgs.forEach(function (im) {
    if (!(im.complete && im.naturalWidth > 0)) return;
    loaded++;
    try {
      var c = document.createElement("canvas");
      c.width = Math.min(im.naturalWidth, 400); c.height = Math.min(im.naturalHeight, 400);
      var g = c.getContext("2d"); g.drawImage(im, 0, 0, c.width, c.height);
      var d = g.getImageData(0, 0, c.width, c.height).data, first = d[0] + "," + d[1] + "," + d[2];
      for (var k = 4; k < d.length; k += 4) {
        if (d[k] + "," + d[k+1] + "," + d[k+2] !== first) { nonBlank++; break; }
      }
    } catch (e) {}
  });
  document.title = "ceusrad-check " + JSON.stringify({images: imgs.length, loaded: loaded, nonBlank: nonBlank,
    tables: document.getElementsByTagName("table").length});
});
</script>`

var titleRE = regexp.MustCompile(`ceusrad-check (\{[^<]*\})`)

// Render exports the executed notebook nbPath to HTML (nbconvert), opens it
// in headless Chromium, and reports the images and tables it rendered, with
// a screenshot written beside the HTML in outDir.
func Render(ctx context.Context, nbPath, outDir string) (*Rendered, error) {
	bin, err := chromium()
	if err != nil {
		return nil, err
	}
	base := strings.TrimSuffix(filepath.Base(nbPath), ".ipynb")
	conv := exec.CommandContext(ctx, "jupyter", "nbconvert", "--to", "html", "--output-dir", outDir, "--output", base, nbPath)
	if out, err := conv.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("nbcheck: exporting %s to HTML: %v\n%s", nbPath, err, tail(string(out), 2000))
	}
	htmlPath := filepath.Join(outDir, base+".html")
	page, err := os.ReadFile(htmlPath)
	if err != nil {
		return nil, err
	}
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		return nil, fmt.Errorf("nbcheck: %s has no </body>", htmlPath)
	}
	page = append(page[:i:i], append([]byte(checkScript), page[i:]...)...)
	if err := safeio.WriteFile(htmlPath, page); err != nil {
		return nil, err
	}
	profile, err := os.MkdirTemp("", "ceusrad-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
		"--user-data-dir=" + profile, "--virtual-time-budget=15000"}
	run := func(extra ...string) ([]byte, error) {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(cctx, bin, append(append(append([]string{}, flags...), extra...), "file://"+htmlPath)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("nbcheck: chromium on %s: %v\n%s", htmlPath, err, tail(stderr.String(), 2000))
		}
		return stdout.Bytes(), nil
	}
	dom, err := run("--dump-dom")
	if err != nil {
		return nil, err
	}
	m := titleRE.FindSubmatch(dom)
	if m == nil {
		return nil, fmt.Errorf("nbcheck: the check script did not run in %s (no result in the page title)", htmlPath)
	}
	var r struct{ Images, Loaded, NonBlank, Tables int }
	if err := json.Unmarshal(m[1], &r); err != nil {
		return nil, fmt.Errorf("nbcheck: page title %q: %w", m[1], err)
	}
	shot := filepath.Join(outDir, base+".png")
	if _, err := run("--screenshot="+shot, "--window-size=1280,2400", "--hide-scrollbars"); err != nil {
		return nil, err
	}
	return &Rendered{Images: r.Images, Loaded: r.Loaded, NonBlank: r.NonBlank, Tables: r.Tables, Screenshot: shot}, nil
}

// CheckRendered compares what the browser showed with what the notebook
// holds: every image output must be present, decoded and not blank, and
// every table shown.
func CheckRendered(nb *Notebook, r *Rendered) error {
	c := nb.Counts()
	var problems []string
	// PNG and JPEG outputs become <img> elements; SVG is inlined.
	if raster := c["image/png"] + c["image/jpeg"]; r.Images < raster {
		problems = append(problems, fmt.Sprintf("%d PNG/JPEG outputs but %d <img> in the HTML", raster, r.Images))
	}
	if r.Loaded < r.Images {
		problems = append(problems, fmt.Sprintf("%d of %d images did not load", r.Images-r.Loaded, r.Images))
	}
	if r.NonBlank < r.Loaded {
		problems = append(problems, fmt.Sprintf("%d of %d images are blank (one colour)", r.Loaded-r.NonBlank, r.Loaded))
	}
	if r.Tables < c["table"] {
		problems = append(problems, fmt.Sprintf("%d table outputs but %d <table> rendered", c["table"], r.Tables))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s rendered in Chromium: %s (screenshot %s)", nb.Path, strings.Join(problems, "; "), r.Screenshot)
	}
	return nil
}
