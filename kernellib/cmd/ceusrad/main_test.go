package main

import (
	"bytes"
	"strings"
	"testing"
)

// call runs the command line and returns its exit status and outputs.
func call(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestDispatch(t *testing.T) {
	for _, c := range []struct {
		args     []string
		code     int
		out, err string // substrings expected on stdout and stderr
		quietOut bool   // stdout must be empty
		quietErr bool   // stderr must be empty
	}{
		{args: nil, code: exitUsage, err: "Usage: ceusrad <command>", quietOut: true},
		{args: []string{"help"}, code: exitOK, out: "  roc  ", quietErr: true},
		{args: []string{"-h"}, code: exitOK, out: "Commands:", quietErr: true},
		{args: []string{"nosuch"}, code: exitUsage, err: `unknown command "nosuch"`, quietOut: true},
		{args: []string{"help", "nosuch"}, code: exitUsage, err: `unknown command "nosuch"`, quietOut: true},
		{args: []string{"help", "roc"}, code: exitOK, out: "-scores columns", quietErr: true},
		{args: []string{"roc", "-h"}, code: exitOK, out: "Usage: ceusrad roc", quietErr: true},
	} {
		code, out, errOut := call(c.args...)
		if code != c.code {
			t.Errorf("%q: exit %d, want %d", c.args, code, c.code)
		}
		if !strings.Contains(out, c.out) || !strings.Contains(errOut, c.err) {
			t.Errorf("%q: stdout %q, stderr %q; want %q and %q in them", c.args, out, errOut, c.out, c.err)
		}
		if c.quietOut && out != "" || c.quietErr && errOut != "" {
			t.Errorf("%q: stdout %q, stderr %q", c.args, out, errOut)
		}
	}
}

// Every registered command has a name, a summary and a run function, and
// appears in the usage.
func TestCommandsListed(t *testing.T) {
	_, out, _ := call("help")
	for name, c := range commands {
		if c.name != name || c.summary == "" || c.run == nil {
			t.Errorf("command %q: %+v", name, c)
		}
		listed := false
		for _, line := range strings.Split(out, "\n") {
			f := strings.Fields(line)
			if len(f) > 1 && f[0] == name && strings.Join(f[1:], " ") == strings.Join(strings.Fields(c.summary), " ") {
				listed = true
			}
		}
		if !listed {
			t.Errorf("usage lacks %q", name)
		}
	}
}
