package imaging

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/ceusrad/ceusrad/kernellib/internal/safeio"
)

// GDCM transcoding: the transfer syntaxes whose codecs are not simple enough to write
// here (JPEG Lossless process 14, JPEG-LS, JPEG 2000, JPEG Extended 12-bit; Deflated,
// whose whole data set is compressed) are decoded by GDCM's command-line tool, Debian
// package libgdcm-tools:
//
//	gdcmconv --raw --quiet -i IN -o TMP
//
// writes a copy of IN in Explicit VR Little Endian with native pixel data (GDCM's
// "raw" decompression), which the native reader then streams frame by frame.
//
// What --raw changes, checked on GDCM 3.0.21 (TestTranscodeFixtures,
// TestTranscodeKeepsPalette; raw_photometric in testdata/conformance/reference.json.gz):
//   - JPEG 2000 YBR_RCT and YBR_ICT become RGB (the inverse component transform is
//     part of the J2K decoder, ISO/IEC 15444-1 Annex G), so they get the BT.601 luma of
//     that RGB;
//   - JPEG YBR_FULL_422 becomes YBR_FULL (chroma upsampled; the Y samples are those
//     the JPEG decoder produced, so the grey frame is unchanged);
//   - PALETTE COLOR stays PALETTE COLOR with its LUTs: --raw does not apply the LUT
//     (that is --apply-lut), so palette data reaches the palette decoder unchanged.
//
// The copy is written to a private folder under os.TempDir() (TMPDIR), which must have
// room for the uncompressed pixel data; gdcmconv holds the whole image in memory, so a
// long compressed cine needs memory for its uncompressed frames while it is converted.
// Unlinking the open copy (below) relies on POSIX semantics (Linux, macOS).

// gdcmconvTimeout bounds one gdcmconv run. Measured with GDCM 3.0.21 on a shared
// 2-core machine (/usr/bin/time -v gdcmconv --raw): a 50-frame 800×600 8-bit cine
// (24 MB uncompressed) takes 9.5 s and 132 MB of memory from JPEG 2000 lossless, 1.8 s
// and 128 MB from JPEG-LS; so a 2,700-frame cine of that size takes about 9 minutes
// from JPEG 2000, and gdcmconv's memory grows with the uncompressed size (about 5×).
var gdcmconvTimeout = 30 * time.Minute

// gdcmPackage is what the error says to install when gdcmconv is missing.
const gdcmPackage = "install Debian's libgdcm-tools (gdcmconv)"

// transcodeNative converts the DICOM file at path to native pixel data with
// `gdcmconv --raw` and returns the converted copy, open for reading at offset 0. The
// copy is already unlinked (and its private temporary folder removed) when
// transcodeNative returns, so nothing is left on disk once the returned file is
// closed, whatever happens to the caller; the caller closes it. The caller reads it
// like any native file (e.g. newDICOMCine(f, size, path, opt), giving the original
// path so that messages name the user's file, not the copy).
//
// Errors name path and its transfer syntax: when gdcmconv is not on PATH (and which
// Debian package provides it), when it fails or runs longer than gdcmconvTimeout
// (with the last line of its standard error, which names no header value), and when
// its output is not native.
func transcodeNative(path string) (*os.File, error) {
	f, _, err := transcode(path)
	return f, err
}

// transcode is transcodeNative that also returns the original transfer syntax UID.
func transcode(path string) (*os.File, string, error) {
	in, err := safeio.OpenRegular(path)
	if err != nil {
		return nil, "", fmt.Errorf("imaging: %w", err)
	}
	st, err := in.Stat()
	if err != nil {
		in.Close()
		return nil, "", fmt.Errorf("imaging: %w", err)
	}
	ts, err := transferSyntaxOf(in, st.Size())
	in.Close()
	if err != nil {
		return nil, "", fmt.Errorf("imaging: %s: %v", path, err)
	}
	label := "Transfer Syntax " + syntaxLabel(ts)
	exe, err := exec.LookPath("gdcmconv")
	if err != nil {
		return nil, ts, fmt.Errorf("imaging: %s: %s is decoded with GDCM's gdcmconv, which was not found on PATH: %s", path, label, gdcmPackage)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, ts, fmt.Errorf("imaging: %w", err)
	}
	dir, err := os.MkdirTemp("", "ceusrad-gdcm-")
	if err != nil {
		return nil, ts, fmt.Errorf("imaging: %s: a temporary folder for gdcmconv: %w", path, err)
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "native.dcm")

	ctx, cancel := context.WithTimeout(context.Background(), gdcmconvTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "--raw", "--quiet", "-i", abs, "-o", out)
	stderr := &tailBuffer{max: 4096}
	cmd.Stdout, cmd.Stderr = nil, stderr
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, ts, fmt.Errorf("imaging: %s: %s: gdcmconv --raw did not finish within %v", path, label, gdcmconvTimeout)
		}
		msg := lastLine(stderr.Bytes())
		if msg == "" {
			msg = "no message"
		}
		return nil, ts, fmt.Errorf("imaging: %s: %s: gdcmconv --raw could not decode it (%v): %s", path, label, err, msg)
	}
	f, err := os.Open(out)
	if err != nil {
		return nil, ts, fmt.Errorf("imaging: %s: %s: gdcmconv --raw wrote no output: %w", path, label, err)
	}
	// Unlink now: the open descriptor keeps the data until it is closed (POSIX unlink).
	if err := os.Remove(out); err != nil {
		f.Close()
		return nil, ts, fmt.Errorf("imaging: %s: removing gdcmconv's temporary copy: %w", path, err)
	}
	ost, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, ts, fmt.Errorf("imaging: %w", err)
	}
	got, err := transferSyntaxOf(f, ost.Size())
	if err == nil && TransferSyntaxHandling(got) != SyntaxNative {
		err = fmt.Errorf("its output has Transfer Syntax %s, want a native one", syntaxLabel(got))
	}
	if err != nil {
		f.Close()
		return nil, ts, fmt.Errorf("imaging: %s: %s: gdcmconv --raw: %v", path, label, err)
	}
	return f, ts, nil
}

// openTranscoded opens the DICOM file at path through transcode and the native
// reader. Messages and CineInfo.Path name path; CineInfo.TransferSyntax is the
// original syntax; CineInfo.Photometric is that of the converted copy (RGB for JPEG
// 2000 YBR_RCT/YBR_ICT, see above). Closing the cine closes (and so frees) the copy.
func openTranscoded(path string, opt CineOptions) (Cine, error) {
	f, ts, err := transcode(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("imaging: %w", err)
	}
	c, err := newDICOMCine(f, st.Size(), path, opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	c.info.TransferSyntax = ts
	c.close = f.Close
	return c, nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if len(p) > t.max {
		p = p[len(p)-t.max:]
	}
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return n, nil
}

func (t *tailBuffer) Bytes() []byte { return t.b }

// lastLine returns the last non-blank line of b with control characters dropped, at
// most 200 characters: enough for gdcmconv's reason, nothing else of its output.
func lastLine(b []byte) string {
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	s := strings.TrimSpace(string(lines[len(lines)-1]))
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}
